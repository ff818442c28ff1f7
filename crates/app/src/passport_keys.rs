//! The keys that encrypt passport details at rest, and the sealed format.
//!
//! Passport details are stored as `v1:<key id>:<base64 of nonce and ciphertext>`:
//! XChaCha20-Poly1305 with a random 24-byte nonce per value, and the row's registration
//! id and the key id as associated data, so that a value copied onto another row (or
//! relabelled with another key id) does not decrypt. Naming the key in the value lets
//! several keys be accepted at once: the first key of a [`PassportKeys`] encrypts, the
//! others still decrypt, which is what rotating a key needs.
//!
//! A key file holds one key per line, `ID KEY` (the key as base64 or hex, 32 bytes);
//! blank lines and lines starting with `#` are ignored; the first key is the current
//! one. Key material never appears in an error, a log line or `Debug` output.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;

/// The prefix of every sealed value; anything else is a plaintext value written by a
/// version before encryption (JSON, so it starts with `{`).
pub const SEALED_PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;
const MAX_ID_LEN: usize = 32;

/// One key: its id and the cipher built from it (the bytes themselves are not kept).
struct PassportKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// The passport keys in force: the current one encrypts, every one decrypts.
pub struct PassportKeys {
    current: PassportKey,
    older: Vec<PassportKey>,
}

/// Shows the key ids only.
impl fmt::Debug for PassportKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PassportKeys")
            .field("ids", &self.ids())
            .finish()
    }
}

/// Why keys could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// A line of a key file (1-based) or of PLENARY_PASSPORT_KEY is wrong; the text says how.
    Line { line: usize, problem: String },
    /// Two keys have the same id.
    DuplicateId(String),
    /// The file or value holds no key.
    Empty,
    /// The file could not be read or written.
    Io(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Line { line, problem } => write!(f, "line {line}: {problem}"),
            KeyError::DuplicateId(id) => write!(f, "the key id {id:?} is used twice"),
            KeyError::Empty => f.write_str("holds no key (a line \"ID KEY\" is needed)"),
            KeyError::Io(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for KeyError {}

/// Why a stored value could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// Sealed with a key that is not among the configured ones (removed too early, or
    /// the wrong key file).
    UnknownKey(String),
    /// The key id is known but the value does not decrypt: another key with the same
    /// id, or a value altered or copied from another row.
    Undecryptable(String),
    /// Neither a sealed value nor plaintext JSON.
    Malformed,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::UnknownKey(id) => write!(
                f,
                "encrypted with passport key {id:?}, which is not among the configured keys"
            ),
            OpenError::Undecryptable(id) => write!(
                f,
                "does not decrypt with passport key {id:?} (a different key under that id, or a value altered or moved from another row)"
            ),
            OpenError::Malformed => f.write_str("is neither encrypted nor plain JSON"),
        }
    }
}

impl std::error::Error for OpenError {}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// 32 bytes written as base64 or as 64 hexadecimal digits.
fn decode_key(text: &str) -> Result<[u8; KEY_LEN], String> {
    let bytes = if text.len() == KEY_LEN * 2 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| "the key is not valid hexadecimal".to_owned())?
    } else {
        BASE64
            .decode(text)
            .map_err(|_| "the key is neither base64 nor 64 hexadecimal digits".to_owned())?
    };
    let len = bytes.len();
    bytes
        .try_into()
        .map_err(|_| format!("the key must be {KEY_LEN} bytes, not {len}"))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // Without the operating system's random source no key or nonce can be made safely.
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes
}

/// The associated data: the format, the key and the row a value belongs to.
fn associated_data(key_id: &str, registration_id: i64) -> Vec<u8> {
    format!("plenary/passport/v1/{key_id}/registration/{registration_id}").into_bytes()
}

impl PassportKey {
    fn new(id: &str, bytes: &[u8; KEY_LEN]) -> PassportKey {
        PassportKey {
            id: id.to_owned(),
            cipher: XChaCha20Poly1305::new(&(*bytes).into()),
        }
    }
}

/// A new key: a random id and 32 random bytes, as a key-file line.
fn new_key_line() -> (String, String) {
    let id = format!("k{}", crate::secrets::hex(&random_bytes::<4>()));
    let line = format!("{id} {}", BASE64.encode(random_bytes::<KEY_LEN>()));
    (id, line)
}

impl PassportKeys {
    /// Reads the text of a key file: `ID KEY` per line, the first being current.
    pub fn parse(text: &str) -> Result<PassportKeys, KeyError> {
        let mut keys: Vec<PassportKey> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |problem: String| KeyError::Line {
                line: n + 1,
                problem,
            };
            let mut parts = line.split_whitespace();
            let (Some(id), Some(key), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(bad("expected \"ID KEY\"".into()));
            };
            if !valid_id(id) {
                return Err(bad(format!(
                    "the key id {id:?} must be 1 to {MAX_ID_LEN} letters, digits, '-' or '_'"
                )));
            }
            if keys.iter().any(|k| k.id == id) {
                return Err(KeyError::DuplicateId(id.to_owned()));
            }
            keys.push(PassportKey::new(id, &decode_key(key).map_err(bad)?));
        }
        let mut keys = keys.into_iter();
        let current = keys.next().ok_or(KeyError::Empty)?;
        Ok(PassportKeys {
            current,
            older: keys.collect(),
        })
    }

    fn all(&self) -> impl Iterator<Item = &PassportKey> {
        std::iter::once(&self.current).chain(&self.older)
    }

    /// PLENARY_PASSPORT_KEY: one key (base64 or hex), whose id is derived from it so
    /// that it stays the same across restarts; or key-file lines.
    pub fn from_value(value: &str) -> Result<PassportKeys, KeyError> {
        let value = value.trim();
        if value.contains(char::is_whitespace) {
            return PassportKeys::parse(value);
        }
        let bytes = decode_key(value).map_err(|problem| KeyError::Line { line: 1, problem })?;
        let digest = Sha256::digest([b"plenary-passport-key-id:".as_slice(), &bytes].concat());
        let id = format!("env{}", crate::secrets::hex(&digest[..4]));
        Ok(PassportKeys {
            current: PassportKey::new(&id, &bytes),
            older: Vec::new(),
        })
    }

    /// Reads a key file.
    pub fn read_file(path: &Path) -> Result<PassportKeys, KeyError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| KeyError::Io(format!("cannot read {}: {e}", path.display())))?;
        warn_if_readable_by_others(path);
        PassportKeys::parse(&text)
    }

    /// Creates a key file holding one new key, readable by its owner only; fails if the
    /// file exists.
    pub fn create_file(path: &Path) -> Result<PassportKeys, KeyError> {
        let (_, line) = new_key_line();
        let text = format!("{FILE_HEADER}{line}\n");
        write_new_file(path, &text)?;
        PassportKeys::parse(&text)
    }

    /// A key held in memory only (tests, and a demo without a key file).
    pub fn generate() -> PassportKeys {
        let id = format!("k{}", crate::secrets::hex(&random_bytes::<4>()));
        PassportKeys {
            current: PassportKey::new(&id, &random_bytes::<KEY_LEN>()),
            older: Vec::new(),
        }
    }

    /// These keys followed by `others` (decrypting only) whose ids are not taken yet.
    pub fn with_fallback(mut self, others: PassportKeys) -> PassportKeys {
        for key in std::iter::once(others.current).chain(others.older) {
            if !self.all().any(|k| k.id == key.id) {
                self.older.push(key);
            }
        }
        self
    }

    /// The id of the key that encrypts.
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    pub fn ids(&self) -> Vec<&str> {
        self.all().map(|k| k.id.as_str()).collect()
    }

    /// Encrypts the details of a registration with the current key.
    pub fn seal(&self, registration_id: i64, plaintext: &str) -> String {
        let key = &self.current;
        let nonce = random_bytes::<NONCE_LEN>();
        let aad = associated_data(&key.id, registration_id);
        let sealed = key
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &aad,
                },
            )
            // Only messages of more than 256 GiB cannot be encrypted.
            .expect("XChaCha20-Poly1305 encrypts messages of any practical length");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{SEALED_PREFIX}{}:{}", key.id, BASE64.encode(bytes))
    }

    /// The plaintext of a stored value: decrypted, or as stored when it was written
    /// before encryption.
    pub fn open(&self, registration_id: i64, stored: &str) -> Result<String, OpenError> {
        let Some(rest) = stored.strip_prefix(SEALED_PREFIX) else {
            return if stored.trim_start().starts_with('{') {
                Ok(stored.to_owned())
            } else {
                Err(OpenError::Malformed)
            };
        };
        let (id, data) = rest.split_once(':').ok_or(OpenError::Malformed)?;
        let key = self
            .all()
            .find(|k| k.id == id)
            .ok_or_else(|| OpenError::UnknownKey(id.to_owned()))?;
        let bytes = BASE64.decode(data).map_err(|_| OpenError::Malformed)?;
        if bytes.len() < NONCE_LEN {
            return Err(OpenError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| OpenError::Malformed)?;
        let aad = associated_data(id, registration_id);
        let plain = key
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| OpenError::Undecryptable(id.to_owned()))?;
        String::from_utf8(plain).map_err(|_| OpenError::Malformed)
    }

    /// Whether a stored value is sealed with the current key already.
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(SEALED_PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.current_id())
    }
}

const FILE_HEADER: &str = "# Plenary passport keys, one \"ID KEY\" per line. The first encrypts; the others\n# still decrypt. Keep this file out of backups of the database.\n";

/// The text of a key file with a new current key in front of the existing lines (kept
/// as they are, comments included); returns the new key's id too.
pub fn prepend_new_key(existing: &str) -> (String, String) {
    let (id, line) = new_key_line();
    let rest = existing
        .lines()
        .filter(|l| !FILE_HEADER.lines().any(|h| h == *l))
        .collect::<Vec<_>>()
        .join("\n");
    let text = if rest.trim().is_empty() {
        format!("{FILE_HEADER}{line}\n")
    } else {
        format!("{FILE_HEADER}{line}\n{}\n", rest.trim_end())
    };
    (id, text)
}

/// Writes a file that must not exist yet, mode 0600.
fn write_new_file(path: &Path, text: &str) -> Result<(), KeyError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let io = |e: std::io::Error| KeyError::Io(format!("cannot write {}: {e}", path.display()));
    let mut file = options.open(path).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

/// Replaces a key file's text at once (a new file renamed over it), mode 0600: a crash
/// leaves either the old text or the new one.
pub fn replace_file(path: &Path, text: &str) -> Result<(), KeyError> {
    let name = path.file_name().map_or_else(
        || "passport-key".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let temporary = path.with_file_name(format!(".{name}.{}", crate::secrets::random_hex(4)));
    write_new_file(&temporary, text)?;
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        KeyError::Io(format!("cannot replace {}: {e}", path.display()))
    })
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(file = %path.display(), "the passport key file is readable by others than its owner; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    const DETAILS: &str = r#"{"passport_number":"X1234567"}"#;

    #[test]
    fn sealed_values_open_only_on_their_row_with_their_key() {
        let keys = PassportKeys::generate();
        let sealed = keys.seal(7, DETAILS);
        assert!(sealed.starts_with(&format!("v1:{}:", keys.current_id())));
        assert!(!sealed.contains("X1234567"));
        assert_eq!(keys.open(7, &sealed).as_deref(), Ok(DETAILS));
        // Another row, another key under the same id, an unknown id, a changed byte.
        assert_eq!(
            keys.open(8, &sealed),
            Err(OpenError::Undecryptable(keys.current_id().into()))
        );
        let other = PassportKeys::parse(&format!(
            "{} {}",
            keys.current_id(),
            BASE64.encode([1u8; 32])
        ))
        .expect("keys");
        assert!(matches!(
            other.open(7, &sealed),
            Err(OpenError::Undecryptable(_))
        ));
        assert!(matches!(
            PassportKeys::generate().open(7, &sealed),
            Err(OpenError::UnknownKey(_))
        ));
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).expect("ascii");
        assert!(keys.open(7, &tampered).is_err());
        // Relabelling the value with another key's id fails too.
        let both = PassportKeys::generate().with_fallback(PassportKeys::generate());
        let relabelled = sealed.replacen(keys.current_id(), both.ids()[1], 1);
        assert!(both.open(7, &relabelled).is_err());
    }

    #[test]
    fn two_seals_of_the_same_details_differ() {
        let keys = PassportKeys::generate();
        assert_ne!(keys.seal(1, DETAILS), keys.seal(1, DETAILS));
    }

    #[test]
    fn plaintext_from_before_encryption_is_read_as_it_is() {
        let keys = PassportKeys::generate();
        assert_eq!(keys.open(3, DETAILS).as_deref(), Ok(DETAILS));
        assert!(!keys.is_current(DETAILS));
        assert_eq!(keys.open(3, "garbage"), Err(OpenError::Malformed));
        assert_eq!(keys.open(3, "v1:nocolon"), Err(OpenError::Malformed));
    }

    #[test]
    fn older_keys_still_decrypt_after_a_new_one_is_put_first() {
        let old_text = format!("# mine\nold {}\n", hex_of(&[9u8; 32]));
        let old = PassportKeys::parse(&old_text).expect("old");
        let sealed = old.seal(5, DETAILS);
        let (id, text) = prepend_new_key(&old_text);
        let rotated = PassportKeys::parse(&text).expect("parse");
        assert_eq!(rotated.ids(), [id.as_str(), "old"]);
        assert!(text.contains("# mine\n"));
        assert_eq!(rotated.open(5, &sealed).as_deref(), Ok(DETAILS));
        assert!(!rotated.is_current(&sealed));
        assert!(rotated.is_current(&rotated.seal(5, DETAILS)));
    }

    fn hex_of(bytes: &[u8]) -> String {
        crate::secrets::hex(bytes)
    }

    #[test]
    fn key_files_name_the_line_that_is_wrong_and_never_show_a_key() {
        let good = BASE64.encode([7u8; 32]);
        assert!(
            PassportKeys::parse(&format!(
                "# comment\n\nk1 {good}\nk2 {}\n",
                hex_of(&[8u8; 32])
            ))
            .is_ok()
        );
        let cases = [
            (
                format!("k1 {good}\nk1 {good}"),
                KeyError::DuplicateId("k1".into()),
            ),
            ("# nothing\n".to_owned(), KeyError::Empty),
        ];
        for (text, expected) in cases {
            assert_eq!(PassportKeys::parse(&text).map(|_| ()), Err(expected));
        }
        let short = BASE64.encode([7u8; 16]);
        let err = PassportKeys::parse(&format!("k1 {good}\nk2 {short}")).expect_err("short");
        assert_eq!(err.to_string(), "line 2: the key must be 32 bytes, not 16");
        let err = PassportKeys::parse("bad/id abc").expect_err("id");
        assert!(err.to_string().starts_with("line 1: the key id"), "{err}");
        let err = PassportKeys::parse(&format!("k1 {good} extra")).expect_err("extra");
        assert!(!err.to_string().contains(&good));
        assert!(!format!("{:?}", PassportKeys::parse(&format!("k1 {good}"))).contains(&good));
    }

    #[test]
    fn a_key_given_directly_keeps_its_id() {
        let hex = hex_of(&[3u8; 32]);
        let a = PassportKeys::from_value(&hex).expect("hex");
        let b = PassportKeys::from_value(&BASE64.encode([3u8; 32])).expect("base64");
        assert_eq!(a.current_id(), b.current_id());
        assert!(a.current_id().starts_with("env"));
        assert_eq!(b.open(1, &a.seal(1, DETAILS)).as_deref(), Ok(DETAILS));
        assert!(PassportKeys::from_value("tooshort").is_err());
    }
}
