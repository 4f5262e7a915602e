//! The few JWT operations the broker needs: checking ESIA's id_token, and
//! (in the sandbox) making one. HS256 only, with the sandbox key; a
//! production id_token check goes through the same claims checks after the
//! operator's verifier has checked the GOST signature.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::signer::{SandboxKey, Signer, Verifier};
use crate::Error;

/// The claims the broker reads from ESIA's id_token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub aud: String,
    /// The person's ESIA object id (oid).
    #[serde(rename = "urn:esia:sbj_id")]
    pub oid: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

/// How far clocks may disagree.
const LEEWAY_SECONDS: i64 = 60;

/// Makes a signed HS256 token (the sandbox's id_token).
pub fn encode(claims: &IdTokenClaims, key: &SandboxKey) -> Result<String, Error> {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).map_err(|error| Error::Internal(error.to_string()))?);
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(key.sign(signing_input.as_bytes())?);
    Ok(format!("{signing_input}.{signature}"))
}

/// Checks an id_token's signature, issuer, audience and times, and returns
/// its claims.
pub fn verify(token: &str, key: &dyn Verifier, issuer: &str, audience: &str, now: i64) -> Result<IdTokenClaims, String> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err("not a compact JWT".to_owned());
    };
    let header: serde_json::Value = decode_json(header)?;
    if header["alg"] != key.algorithm() {
        return Err(format!("unexpected algorithm {}", header["alg"]));
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| "signature is not base64url".to_owned())?;
    let signing_input = format!("{}.{}", token.split('.').next().unwrap_or_default(), payload);
    if !key.verify(signing_input.as_bytes(), &signature).map_err(|error| error.to_string())? {
        return Err("bad signature".to_owned());
    }
    let claims: IdTokenClaims = decode_json(payload)?;
    if claims.iss != issuer {
        return Err(format!("issuer {:?}", claims.iss));
    }
    if claims.aud != audience {
        return Err(format!("audience {:?}", claims.aud));
    }
    if claims.exp + LEEWAY_SECONDS < now || claims.nbf - LEEWAY_SECONDS > now || claims.iat - LEEWAY_SECONDS > now {
        return Err("outside its validity period".to_owned());
    }
    Ok(claims)
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, String> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| "part is not base64url".to_owned())?;
    serde_json::from_slice(&bytes).map_err(|error| format!("part is not the expected JSON: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(now: i64) -> IdTokenClaims {
        IdTokenClaims { iss: "https://esia/".into(), aud: "PORTAL".into(), oid: "1000001".into(), iat: now, nbf: now, exp: now + 3600 }
    }

    #[test]
    fn a_token_round_trips_and_every_check_bites() {
        let key = SandboxKey::new(b"k");
        let now = 1_795_760_000;
        let token = encode(&claims(now), &key).expect("encode");
        assert_eq!(verify(&token, &key, "https://esia/", "PORTAL", now), Ok(claims(now)));
        assert!(verify(&token, &SandboxKey::new(b"other"), "https://esia/", "PORTAL", now).is_err());
        assert!(verify(&token, &key, "https://evil/", "PORTAL", now).is_err());
        assert!(verify(&token, &key, "https://esia/", "OTHER", now).is_err());
        assert!(verify(&token, &key, "https://esia/", "PORTAL", now + 7200).is_err(), "expired");
        assert!(verify(&token, &key, "https://esia/", "PORTAL", now - 7200).is_err(), "not yet valid");
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"iss":"https://esia/","aud":"PORTAL","urn:esia:sbj_id":"666","iat":0,"nbf":0,"exp":9999999999}"#);
        parts[1] = &forged;
        assert!(verify(&parts.join("."), &key, "https://esia/", "PORTAL", now).is_err(), "a swapped payload");
    }
}
