use std::fmt;

/// What went wrong in the store. Detail is for the log, never for a response body.
#[derive(Debug)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the constraint or column name.
    Conflict(String),
    /// A foreign key refused the change: the record is still referenced, or refers to
    /// a record that does not exist.
    Reference(String),
    /// The database cannot be reached or is busy beyond the timeout.
    Unavailable(String),
    /// A value read back does not have the expected type or shape.
    Decode(String),
    /// The operation does not exist on this backend.
    Unsupported(&'static str),
    /// Any other database error.
    Database(String),
}

/// A stored name read back into its closed list; an unknown one is a decoding error.
pub(crate) fn decode<T>(what: &str, raw: &str, parsed: Option<T>) -> Result<T, StoreError> {
    parsed.ok_or_else(|| StoreError::Decode(format!("unknown {what} {raw:?}")))
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Conflict(what) => write!(f, "unique constraint violated: {what}"),
            StoreError::Reference(what) => write!(f, "reference constraint violated: {what}"),
            StoreError::Unavailable(why) => write!(f, "database unavailable: {why}"),
            StoreError::Decode(why) => write!(f, "unexpected value from the database: {why}"),
            StoreError::Unsupported(why) => f.write_str(why),
            StoreError::Database(why) => write!(f, "database error: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(code, msg) => match code.code {
                ErrorCode::ConstraintViolation
                    if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                        || code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
                {
                    StoreError::Conflict(msg.clone().unwrap_or_default())
                }
                ErrorCode::ConstraintViolation
                    if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
                {
                    StoreError::Reference(msg.clone().unwrap_or_default())
                }
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen => {
                    StoreError::Unavailable(e.to_string())
                }
                _ => StoreError::Database(e.to_string()),
            },
            _ => StoreError::Database(e.to_string()),
        }
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        if let Some(db) = e.as_db_error() {
            if *db.code() == SqlState::UNIQUE_VIOLATION {
                return StoreError::Conflict(db.constraint().unwrap_or_default().to_owned());
            }
            if *db.code() == SqlState::FOREIGN_KEY_VIOLATION {
                return StoreError::Reference(db.constraint().unwrap_or_default().to_owned());
            }
            return StoreError::Database(format!("{}: {}", db.code().code(), db.message()));
        }
        if e.is_closed() {
            return StoreError::Unavailable(e.to_string());
        }
        StoreError::Database(e.to_string())
    }
}
