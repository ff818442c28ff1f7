//! Keeping stored passport details encrypted with the current key: rows written before
//! encryption are sealed at start-up, and rotating the key re-encrypts every row.

use crate::audit::Change;
use crate::passport_keys::{self, KeyError, PassportKeys, SEALED_PREFIX};
use crate::{App, AppError, Caller};
use plenary_store::Tx;
use plenary_store::visa as store;
use serde_json::json;
use std::fmt;
use std::path::Path;

/// What a key rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The new current key's id.
    pub key_id: String,
    /// The ids of the older keys still in the file (removable now).
    pub older: Vec<String>,
    /// Passport details re-encrypted with the new key.
    pub reencrypted: u64,
    /// Whether the key file was created (it did not exist).
    pub created: bool,
}

/// Why a rotation did not happen. Nothing was changed: not the key file, not a row.
#[derive(Debug)]
pub enum RotationError {
    /// The key file cannot be read or written, or is malformed; the text says which.
    KeyFile(String),
    /// Stored details cannot be decrypted with the keys at hand.
    Unreadable(AppError),
    /// The database refused.
    App(AppError),
}

impl fmt::Display for RotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RotationError::KeyFile(why) => write!(f, "{why}; nothing was changed"),
            RotationError::Unreadable(AppError::Internal(why)) => {
                write!(f, "{why}; nothing was changed")
            }
            RotationError::Unreadable(e) | RotationError::App(e) => {
                write!(f, "{e}; nothing was changed")
            }
        }
    }
}

/// Re-encrypts the details not sealed with the current key yet (all of them with
/// `every`, the rows of plain JSON otherwise) in the caller's transaction; returns how
/// many. A value that cannot be opened stops it all (the transaction rolls back).
fn reseal(tx: &mut Tx<'_>, keys: &PassportKeys, every: bool) -> Result<u64, AppError> {
    let current = format!("{SEALED_PREFIX}{}:", keys.current_id());
    let skip = if every {
        current.as_str()
    } else {
        SEALED_PREFIX
    };
    let mut count = 0;
    for (id, stored) in store::stored_passports(tx, skip)? {
        let plain = keys.open(id, &stored).map_err(|e| {
            AppError::Internal(format!("passport details of registration {id} {e}"))
        })?;
        if store::replace_passport(tx, id, &stored, &keys.seal(id, &plain))? {
            count += 1;
        }
    }
    Ok(count)
}

/// Fails, naming the first registration, unless every stored value opens with `keys`.
fn check_readable(tx: &mut Tx<'_>, keys: &PassportKeys) -> Result<(), AppError> {
    let current = format!("{SEALED_PREFIX}{}:", keys.current_id());
    for (id, stored) in store::stored_passports(tx, &current)? {
        keys.open(id, &stored).map_err(|e| {
            AppError::Internal(format!("passport details of registration {id} {e}"))
        })?;
    }
    Ok(())
}

impl App {
    /// Whether the installation needs a passport key: an event offers visa letters or
    /// passport details are stored (`serve` refuses to start without one then).
    pub fn passport_key_needed(&self) -> Result<bool, AppError> {
        Ok(self.db().read(store::passports_in_use)?)
    }

    /// Encrypts, with the current key and in one transaction, the passport details that
    /// a version before encryption stored as plain JSON; returns how many. Run at
    /// start-up once the keys are set; nothing to do the second time.
    pub fn encrypt_plaintext_passports(&self) -> Result<u64, AppError> {
        let Some(keys) = self.passport_keys() else {
            return Ok(0);
        };
        let now = self.now();
        self.db().write(|tx| {
            let count = reseal(tx, &keys, false)?;
            if count > 0 {
                Change::new("visa.encrypt", "passport_key", keys.current_id())
                    .detail(json!({ "requests": count }))
                    .record(tx, &Caller::operator(), now)?;
            }
            Ok(count)
        })
    }

    /// Puts a new current key at the top of the key file (created if missing) and
    /// re-encrypts every stored passport detail with it in one transaction. The keys
    /// already in the file, and `also` (a key given in the environment), decrypt.
    ///
    /// Nothing changes unless every stored value can be decrypted first. The file is
    /// written before the transaction so that the new key is never lost; if the
    /// transaction fails, the file's previous text is put back. The older keys stay in
    /// the file: remove them once every server runs with the new file.
    pub fn rotate_passport_key(
        &self,
        key_file: &Path,
        also: Option<PassportKeys>,
    ) -> Result<Rotation, RotationError> {
        let previous = match std::fs::read_to_string(key_file) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(RotationError::KeyFile(format!(
                    "cannot read the passport key file {}: {e}",
                    key_file.display()
                )));
            }
        };
        // The file's own lines are checked first, so that an error names its line.
        if let Some(text) = &previous
            && let Err(e) = PassportKeys::parse(text)
            && e != KeyError::Empty
        {
            return Err(RotationError::KeyFile(format!(
                "the passport key file {}: {e}",
                key_file.display()
            )));
        }
        let (key_id, text) = passport_keys::prepend_new_key(previous.as_deref().unwrap_or(""));
        let mut keys = PassportKeys::parse(&text).map_err(|e| {
            RotationError::KeyFile(format!("the passport key file {}: {e}", key_file.display()))
        })?;
        let older = keys.ids()[1..].iter().map(|s| (*s).to_owned()).collect();
        if let Some(also) = also {
            keys = keys.with_fallback(also);
        }
        self.db()
            .read(|tx| check_readable(tx, &keys))
            .map_err(RotationError::Unreadable)?;
        passport_keys::replace_file(key_file, &text)
            .map_err(|e| RotationError::KeyFile(e.to_string()))?;
        let now = self.now();
        let outcome = self.db().write(|tx| {
            let count = reseal(tx, &keys, true)?;
            Change::new("visa.rotate_key", "passport_key", &key_id)
                .detail(json!({ "requests": count }))
                .record(tx, &Caller::operator(), now)?;
            Ok::<_, AppError>(count)
        });
        match outcome {
            Ok(reencrypted) => {
                self.set_passport_keys(keys);
                Ok(Rotation {
                    key_id,
                    older,
                    reencrypted,
                    created: previous.is_none(),
                })
            }
            Err(e) => {
                let restored = match &previous {
                    Some(text) => passport_keys::replace_file(key_file, text),
                    None => std::fs::remove_file(key_file).map_err(|e| KeyError::Io(e.to_string())),
                };
                if let Err(why) = restored {
                    tracing::error!(file = %key_file.display(), error = %why, "the passport key file could not be put back; it holds one more key, which does no harm");
                }
                Err(RotationError::App(e))
            }
        }
    }
}
