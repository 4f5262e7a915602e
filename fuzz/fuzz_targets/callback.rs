//! The login callback parser against arbitrary input: it must never panic,
//! and whatever it accepts must be one of our two redirect forms with a
//! well-formed code and state, or a plain error word.

#![no_main]

use libfuzzer_sys::fuzz_target;
use registratura_core::oauth::{parse_callback, Callback, CUSTOM_SCHEME_REDIRECT};

fuzz_target!(|data: &[u8]| {
    let Some((&port_byte, rest)) = data.split_first() else { return };
    let Ok(url) = std::str::from_utf8(rest) else { return };
    let port = 4700 + u16::from(port_byte);
    if let Ok(callback) = parse_callback(url, Some(port)) {
        let loopback = format!("http://127.0.0.1:{port}/auth/callback");
        assert!(url.starts_with(CUSTOM_SCHEME_REDIRECT) || url.starts_with(&loopback), "accepted a foreign URL: {url:?}");
        assert!(!url.contains('#'));
        match callback {
            Callback::Code { code, state } => {
                assert!(!code.expose().is_empty() && code.expose().len() <= 1024);
                assert!(!state.is_empty() && state.len() <= 1024);
            }
            Callback::Refused { error, .. } => {
                assert!(!error.is_empty() && error.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            }
        }
    }
});
