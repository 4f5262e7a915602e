//! Signing ESIA requests and checking ESIA's answers.
//!
//! ESIA authenticates the portal by a signature over the request's
//! parameters, made with the portal's certificate and GOST private key. That
//! key never leaves the operator's signing service, so production signing is
//! an external command; the sandbox uses a test key that both sides know.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Error;

/// Makes the `client_secret` of an ESIA request: a detached signature of
/// the concatenated parameters.
pub trait Signer: Send + Sync + std::fmt::Debug {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error>;
}

/// Checks the signature of ESIA's id_token.
pub trait Verifier: Send + Sync + std::fmt::Debug {
    /// The JWT `alg` this verifier checks, e.g. `GOST3410_2012_256`.
    fn algorithm(&self) -> &str;
    /// Whether `signature` signs `message`; `Err` when it cannot tell.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<bool, Error>;
}

/// The sandbox's signer and verifier: HMAC-SHA256 with a test key. It
/// stands in for GOST signatures only inside the ESIA sandbox.
#[derive(Clone)]
pub struct SandboxKey(Vec<u8>);

impl std::fmt::Debug for SandboxKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SandboxKey(<redacted>)")
    }
}

impl SandboxKey {
    pub fn new(key: &[u8]) -> Self {
        Self(key.to_vec())
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length; this cannot fail.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
    }

    /// Whether `signature` is this key's signature of `message`, compared
    /// in constant time.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let mut mac = self.mac();
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }
}

impl Verifier for SandboxKey {
    fn algorithm(&self) -> &str {
        "HS256"
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<bool, Error> {
        Ok(SandboxKey::verify(self, message, signature))
    }
}

impl Signer for SandboxKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let mut mac = self.mac();
        mac.update(message);
        Ok(mac.finalize().into_bytes().to_vec())
    }
}

/// Production signing through an operator's command.
///
/// The contract (docs/esia.md): the command is run with the configured
/// arguments, receives the exact bytes to sign on standard input, and must
/// print the detached signature (PKCS#7/CMS, DER) on standard output and
/// exit with 0 within ten seconds. Anything else is a failed login, logged
/// with the command's exit status but never its input.
#[derive(Debug, Clone)]
pub struct CommandSigner {
    pub program: PathBuf,
    pub args: Vec<String>,
}

const SIGNING_LIMIT: Duration = Duration::from_secs(10);

impl Signer for CommandSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let output = run_with_limit("signer", &self.program, &self.args, message)?;
        if !output.status.success() || output.stdout.is_empty() {
            return Err(Error::Internal(format!("signer exited with {}", output.status)));
        }
        Ok(output.stdout)
    }
}

/// Production id_token checking through an operator's command.
///
/// The contract (docs/esia.md): the command is run with the configured
/// arguments plus one more, the signature in base64url; it receives the
/// JWT's signing input (`header.payload`) on standard input and exits with
/// 0 when the signature is ESIA's (GOST R 34.10-2012 with ESIA's
/// certificate), 1 when it is not, within ten seconds. Anything else is a
/// failed check.
#[derive(Debug, Clone)]
pub struct CommandVerifier {
    pub program: PathBuf,
    pub args: Vec<String>,
    /// The `alg` ESIA writes in its id_token header.
    pub algorithm: String,
}

impl Verifier for CommandVerifier {
    fn algorithm(&self) -> &str {
        &self.algorithm
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<bool, Error> {
        use base64::Engine as _;
        let mut args = self.args.clone();
        args.push(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature));
        let output = run_with_limit("verifier", &self.program, &args, message)?;
        match output.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(Error::Internal(format!("verifier exited with {}", output.status))),
        }
    }
}

/// Runs `program` with `input` on standard input, for at most ten seconds.
/// Its input is never logged: it is what is being signed or checked.
fn run_with_limit(role: &str, program: &std::path::Path, args: &[String], input: &[u8]) -> Result<std::process::Output, Error> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| Error::Internal(format!("{role} {}: {error}", program.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).map_err(|error| Error::Internal(format!("{role} stdin: {error}")))?;
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < SIGNING_LIMIT => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                return Err(Error::Internal(format!("{role} did not finish in time")));
            }
        }
    }
    child.wait_with_output().map_err(|error| Error::Internal(format!("{role}: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_key_verifies_its_own_signatures_only() {
        let key = SandboxKey::new(b"test key");
        let signature = key.sign(b"message").expect("sign");
        assert!(key.verify(b"message", &signature));
        assert!(!key.verify(b"messagE", &signature));
        assert!(!SandboxKey::new(b"other key").verify(b"message", &signature));
    }

    #[test]
    fn a_command_signer_passes_stdin_to_the_command() {
        // `rev` stands in for a signing tool: its output depends on its input.
        let signer = CommandSigner { program: "rev".into(), args: vec![] };
        assert_eq!(signer.sign(b"abc\n").expect("sign"), b"cba\n");
        let failing = CommandSigner { program: "false".into(), args: vec![] };
        assert!(failing.sign(b"abc").is_err());
    }

    #[test]
    fn a_command_verifier_reads_the_exit_status() {
        // The script accepts the signature «sig» (base64url c2ln) over «msg».
        let script = r#"[ "$(cat)" = msg ] || exit 1; [ "$0" = c2ln ] && exit 0; exit 1"#;
        let verifier = CommandVerifier { program: "sh".into(), args: vec!["-c".into(), script.into()], algorithm: "GOST3410_2012_256".into() };
        assert!(verifier.verify(b"msg", b"sig").expect("answers"));
        assert!(!verifier.verify(b"msg", b"forged").expect("answers"));
        assert!(!verifier.verify(b"other", b"sig").expect("answers"));
        let broken = CommandVerifier { program: "sh".into(), args: vec!["-c".into(), "exit 3".into()], algorithm: "x".into() };
        assert!(broken.verify(b"msg", b"sig").is_err(), "neither yes nor no");
    }
}
