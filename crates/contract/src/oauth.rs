//! The OAuth 2.0 wire details both ends must agree on: the app's redirect
//! URIs (RFC 8252), the S256 PKCE challenge (RFC 7636) and form encoding.
//! The server checks a challenge against a verifier with the same function
//! the app derived it with.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The custom scheme the app registers for its redirect (RFC 8252 §7.1):
/// reverse DNS of a domain we control, and free of digits, which some
/// `xdg-open` versions refuse in a scheme.
pub const REDIRECT_SCHEME: &str = "ru.registratura.app";
/// The redirect URI with the custom scheme.
pub const CUSTOM_SCHEME_REDIRECT: &str = "ru.registratura.app:/auth/callback";
/// The path of the loopback redirect (RFC 8252 §7.3), used when the scheme
/// cannot be registered.
pub const CALLBACK_PATH: &str = "/auth/callback";
/// The loopback redirect URI on `port`: `http://127.0.0.1:PORT/auth/callback`.
pub fn loopback_redirect(port: u16) -> String {
    format!("http://127.0.0.1:{port}{CALLBACK_PATH}")
}

/// `BASE64URL(SHA256(verifier))`, the S256 method of RFC 7636 §4.2.
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `application/x-www-form-urlencoded` of `pairs`, every byte outside
/// RFC 3986's unreserved set escaped: the query of a redirect or a request.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Escapes every byte outside RFC 3986's unreserved set as `%XX`.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (as a space) in a query value; `None`
/// for a broken escape or text that is not UTF-8.
pub fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
