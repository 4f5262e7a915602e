//! The broker's OpenID Connect id_tokens: ES256 (ECDSA on P-256 with
//! SHA-256, RFC 7518 §3.4), signed with a key kept in the database and
//! published as a JWKS, so that any OpenID client can check them with the
//! provider's public key alone.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::Store;
use crate::Error;

/// How long an id_token is good for: it is read once, when the app trades
/// its code, so a few minutes cover any clock drift worth covering.
pub const ID_TOKEN_SECONDS: i64 = 10 * 60;

/// What an id_token says (OpenID Connect Core §2).
#[derive(Debug, Clone, Serialize)]
pub struct IdClaims<'a> {
    pub iss: &'a str,
    pub sub: String,
    pub aud: &'a str,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<&'a str>,
}

/// One key of the broker's.
struct Key {
    kid: String,
    signing: SigningKey,
}

/// The broker's keys: the newest signs, all are published.
pub struct IdTokenSigner {
    keys: Vec<Key>,
}

impl std::fmt::Debug for IdTokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private keys are never printed.
        f.debug_struct("IdTokenSigner").field("kids", &self.keys.iter().map(|key| &key.kid).collect::<Vec<_>>()).finish()
    }
}

impl IdTokenSigner {
    /// The keys in `store`, with a new one made and saved first when there
    /// is none. Two servers starting at once may both add one; both keys are
    /// then published, and both servers sign with the same newest one.
    pub async fn load_or_create(store: &Store, now: i64) -> Result<Self, Error> {
        let mut saved = store.signing_keys().await?;
        if saved.is_empty() {
            let signing = new_signing_key()?;
            let kid = thumbprint(&signing);
            store.add_signing_key(&kid, &URL_SAFE_NO_PAD.encode(signing.to_bytes()), now).await?;
            saved = store.signing_keys().await?;
        }
        let keys = saved
            .into_iter()
            .map(|(kid, secret)| {
                let bytes = URL_SAFE_NO_PAD.decode(secret).map_err(|_| Error::Internal(format!("signing key {kid} is not base64url")))?;
                let signing = SigningKey::from_slice(&bytes).map_err(|_| Error::Internal(format!("signing key {kid} is not a P-256 scalar")))?;
                Ok(Key { kid, signing })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Self { keys })
    }

    /// The public keys as a JWK Set (RFC 7517 §5).
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<_> = self
            .keys
            .iter()
            .map(|key| {
                let (x, y) = public_coordinates(&key.signing);
                serde_json::json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": key.kid, "use": "sig", "alg": "ES256"})
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }

    /// A compact JWS of `claims`, signed with the newest key.
    pub fn sign(&self, claims: &IdClaims<'_>) -> Result<String, Error> {
        let key = self.keys.first().ok_or_else(|| Error::Internal("no signing key".to_owned()))?;
        let header = serde_json::json!({"alg": "ES256", "typ": "JWT", "kid": key.kid});
        let signing_input = format!("{}.{}", base64url_json(&header)?, base64url_json(claims)?);
        let signature: Signature = key.signing.sign(signing_input.as_bytes());
        // JWS wants R and S side by side (RFC 7518 §3.4), not DER.
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes())))
    }
}

/// `BASE64URL(JSON(value))`, one part of a compact JWS.
fn base64url_json<T: Serialize>(value: &T) -> Result<String, Error> {
    let bytes = serde_json::to_vec(value).map_err(|error| Error::Internal(error.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A fresh private key from 32 random bytes; the rare value that is not a
/// valid scalar (zero, or not below the group order) is drawn again.
fn new_signing_key() -> Result<SigningKey, Error> {
    loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|error| Error::Internal(format!("random: {error}")))?;
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            return Ok(key);
        }
    }
}

/// The public point's x and y, base64url, as a JWK writes them.
fn public_coordinates(key: &SigningKey) -> (String, String) {
    let point = key.verifying_key().to_sec1_point(false);
    // Uncompressed SEC1: 0x04, then x and y of 32 bytes each.
    let bytes = point.as_bytes();
    (URL_SAFE_NO_PAD.encode(&bytes[1..33]), URL_SAFE_NO_PAD.encode(&bytes[33..65]))
}

/// The key's RFC 7638 thumbprint: its kid, the same wherever it is computed.
fn thumbprint(key: &SigningKey) -> String {
    let (x, y) = public_coordinates(key);
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier as _;

    #[test]
    fn a_token_verifies_with_the_published_key() {
        let signing = new_signing_key().expect("key");
        let signer = IdTokenSigner { keys: vec![Key { kid: thumbprint(&signing), signing: signing.clone() }] };
        let claims = IdClaims { iss: "http://127.0.0.1:1", sub: "7".into(), aud: "app", exp: 2, iat: 1, auth_time: 1, nonce: Some("n") };
        let token = signer.sign(&claims).expect("signed");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
        assert_eq!((header["alg"].as_str(), header["kid"].as_str()), (Some("ES256"), Some(thumbprint(&signing).as_str())));
        let payload: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(payload["nonce"], "n");

        let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).expect("b64")).expect("r and s");
        let signed = format!("{}.{}", parts[0], parts[1]);
        signing.verifying_key().verify(signed.as_bytes(), &signature).expect("the signature holds");
        assert!(signing.verifying_key().verify(format!("{signed}x").as_bytes(), &signature).is_err());

        let jwks = signer.jwks();
        let (x, y) = public_coordinates(&signing);
        assert_eq!((jwks["keys"][0]["x"].as_str(), jwks["keys"][0]["y"].as_str()), (Some(x.as_str()), Some(y.as_str())));
    }

    #[test]
    fn the_thumbprint_follows_rfc_7638() {
        // RFC 7638 §3.1 is an RSA example; for EC the members are crv, kty,
        // x, y in that order, which is all the canonical form asks.
        let signing = new_signing_key().expect("key");
        let thumb = thumbprint(&signing);
        assert_eq!(thumb.len(), 43);
        assert_eq!(thumb, thumbprint(&signing));
    }
}
