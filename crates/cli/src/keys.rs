//! Where the passport keys come from: the key file named by PLENARY_PASSPORT_KEY_FILE
//! (`--passport-key-file`), a key given in PLENARY_PASSPORT_KEY, or the file next to a
//! SQLite database (`plenary.db.passport-key`), which the demo creates when none is
//! set. A production server that deals in passport details does not start without a
//! key (see `main.rs`): a key made up on the spot would be lost with the machine, and
//! the details with it.

use crate::config::ConfigError;
use plenary_app::DatabaseUrl;
use plenary_app::passport_keys::PassportKeys;
use std::path::PathBuf;

pub const KEY_FILE: &str = "PLENARY_PASSPORT_KEY_FILE (--passport-key-file)";
pub const KEY_VALUE: &str = "PLENARY_PASSPORT_KEY";

/// The passport key settings as given.
#[derive(Clone, Default)]
pub struct KeySettings {
    pub file: Option<PathBuf>,
    /// PLENARY_PASSPORT_KEY (environment only: a flag would show in `ps`).
    pub value: Option<String>,
}

/// Never prints the key.
impl std::fmt::Debug for KeySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySettings")
            .field("file", &self.file)
            .field("value", &self.value.as_ref().map(|_| "(set)"))
            .finish()
    }
}

/// What to do when no key is set and no key file lies next to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Go on without keys (nothing to encrypt or decrypt, or the caller decides).
    Allow,
    /// The demo: create the key file next to a SQLite database, or keep a key in
    /// memory for PostgreSQL; said in the log either way.
    Generate,
}

impl KeySettings {
    pub fn from_env(file: Option<PathBuf>) -> KeySettings {
        KeySettings {
            file,
            value: std::env::var(KEY_VALUE)
                .ok()
                .filter(|v| !v.trim().is_empty()),
        }
    }

    /// The key in PLENARY_PASSPORT_KEY, if set.
    pub fn value_keys(&self) -> Result<Option<PassportKeys>, ConfigError> {
        self.value
            .as_deref()
            .map(|v| {
                PassportKeys::from_value(v).map_err(|e| ConfigError {
                    setting: KEY_VALUE,
                    problem: e.to_string(),
                })
            })
            .transpose()
    }

    /// The key file: the one set, or the one next to a SQLite database.
    pub fn file_for(&self, url: &DatabaseUrl) -> Option<PathBuf> {
        self.file.clone().or_else(|| default_file(url))
    }

    /// The keys to run with; `None` when none are set and `missing` allows it.
    pub fn load(
        &self,
        url: &DatabaseUrl,
        missing: Missing,
    ) -> Result<Option<PassportKeys>, ConfigError> {
        let value = self.value_keys()?;
        if let Some(path) = &self.file {
            let keys = PassportKeys::read_file(path).map_err(|e| ConfigError {
                setting: KEY_FILE,
                problem: format!("{}: {e}", path.display()),
            })?;
            return Ok(Some(match value {
                Some(value) => keys.with_fallback(value),
                None => keys,
            }));
        }
        if value.is_some() {
            return Ok(value);
        }
        let default = default_file(url);
        if let Some(path) = default.as_ref().filter(|p| p.exists()) {
            return PassportKeys::read_file(path)
                .map(Some)
                .map_err(|e| ConfigError {
                    setting: KEY_FILE,
                    problem: format!("{} (the default key file): {e}", path.display()),
                });
        }
        match (missing, default) {
            (Missing::Allow, _) => Ok(None),
            (Missing::Generate, Some(path)) => {
                let keys = PassportKeys::create_file(&path).map_err(|e| ConfigError {
                    setting: KEY_FILE,
                    problem: e.to_string(),
                })?;
                tracing::warn!(file = %path.display(), "no passport key was set: created this key file (mode 0600) for the demo; passport details are encrypted with it");
                Ok(Some(keys))
            }
            (Missing::Generate, None) => {
                tracing::warn!(
                    "no passport key was set (PLENARY_PASSPORT_KEY_FILE): the demo keeps one in memory only, so passport details stored now cannot be read after a restart"
                );
                Ok(Some(PassportKeys::generate()))
            }
        }
    }
}

/// `FILE.passport-key` beside a SQLite database `FILE`; PostgreSQL has none.
pub fn default_file(url: &DatabaseUrl) -> Option<PathBuf> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut name = path.clone().into_os_string();
            name.push(".passport-key");
            Some(PathBuf::from(name))
        }
        DatabaseUrl::Postgres(_) => None,
    }
}
