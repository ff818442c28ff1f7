//! Random tokens, hashes of tokens, CSRF tokens and password hashing.

use crate::AppError;
use hmac::{Hmac, KeyInit, Mac};
use plenary_store::{Db, settings};
use sha2::{Digest, Sha256};
use std::fmt::Write;

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

pub(crate) fn random_hex(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    // The OS random source failing is unrecoverable for a server that issues secrets.
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    hex(&bytes)
}

/// Tokens are stored as their SHA-256: a leaked table does not let anyone sign in.
/// (They have 256 bits of entropy, so a fast hash is enough.)
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

const CSRF_KEY_SETTING: &str = "csrf_key";

/// The installation's key for CSRF tokens, created on first use and shared by every
/// server on the same database.
pub(crate) fn installation_key(db: &Db) -> Result<Vec<u8>, AppError> {
    let candidate = random_hex(32);
    let key = db.write(|tx| settings::get_or_insert(tx, CSRF_KEY_SETTING, &candidate))?;
    Ok(key.into_bytes())
}

fn csrf_mac(key: &[u8], binding: &str) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(b"plenary-csrf:");
    mac.update(binding.as_bytes());
    mac
}

pub(crate) fn csrf_token(key: &[u8], binding: &str) -> String {
    hex(&csrf_mac(key, binding).finalize().into_bytes())
}

pub(crate) fn csrf_valid(key: &[u8], binding: &str, token: &str) -> bool {
    let Some(bytes) = unhex(token) else {
        return false;
    };
    csrf_mac(key, binding).verify_slice(&bytes).is_ok()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_are_bound_to_their_visitor() {
        let key = b"k";
        let token = csrf_token(key, "session-a");
        assert!(csrf_valid(key, "session-a", &token));
        assert!(!csrf_valid(key, "session-b", &token));
        assert!(!csrf_valid(b"other key", "session-a", &token));
        assert!(!csrf_valid(key, "session-a", ""));
        assert!(!csrf_valid(key, "session-a", "zz"));
    }

    #[test]
    fn token_hashes_are_hex_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(random_hex(32).len(), 64);
    }
}
