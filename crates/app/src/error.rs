use plenary_domain::FieldError;
use plenary_store::StoreError;
use std::fmt;
use std::time::Duration;

/// Why a use case did not happen. The web layer maps each variant to a status and a
/// page or problem document; `Internal` detail goes to the log only.
#[derive(Debug)]
pub enum AppError {
    /// The input is wrong; each error names its field.
    Invalid(Vec<FieldError>),
    /// Only a signed-in account may do this.
    SignInRequired,
    /// The caller is signed in but not allowed.
    Forbidden,
    /// No such record, or not one the caller may see (same answer on purpose).
    NotFound,
    /// Wrong e-mail address or password (never says which).
    BadCredentials,
    /// Too many failed attempts; try again after the given time.
    RateLimited { retry_after: Duration },
    /// A single-use link that is unknown, used or expired.
    LinkInvalid,
    /// An edit was based on an older version; the newer text is returned so that nothing
    /// typed is lost.
    EditConflict {
        current_text: String,
        current_version: i64,
    },
    /// A rule of the domain refuses the change; the text says which.
    Refused(&'static str),
    /// The database cannot be reached.
    Unavailable,
    /// Too much work queued already (e.g. password hashes); try again after the given
    /// time. Nothing was changed.
    Overloaded { retry_after: Duration },
    /// A fault of ours; the detail is logged, not shown.
    Internal(String),
}

impl AppError {
    pub fn field(field: &'static str, problem: plenary_domain::Problem) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, problem)])
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Invalid(errors) => {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                write!(f, "invalid input: {}", list.join("; "))
            }
            AppError::SignInRequired => f.write_str("please sign in first"),
            AppError::Forbidden => f.write_str("you are not allowed to do this"),
            AppError::NotFound => f.write_str("not found"),
            AppError::BadCredentials => f.write_str("the e-mail address or the password is wrong"),
            AppError::RateLimited { retry_after } => {
                write!(
                    f,
                    "too many attempts; try again in {}",
                    wait_text(*retry_after)
                )
            }
            AppError::LinkInvalid => {
                f.write_str("this link is invalid, expired or used already; ask for a new one")
            }
            AppError::EditConflict {
                current_version, ..
            } => write!(
                f,
                "someone saved a newer version (version {current_version}) while you were editing; compare and save again"
            ),
            AppError::Refused(why) => f.write_str(why),
            AppError::Unavailable => f.write_str("the database is unavailable; try again shortly"),
            AppError::Overloaded { retry_after } => write!(
                f,
                "the server is busy; try again in {}",
                wait_text(*retry_after)
            ),
            AppError::Internal(_) => f.write_str("an internal error occurred"),
        }
    }
}

/// "45 seconds", "1 minute", "15 minutes": a wait as a person reads it (rounded up).
fn wait_text(wait: Duration) -> String {
    let seconds = wait.as_secs().max(1);
    let (n, unit) = if seconds < 60 {
        (seconds, "second")
    } else {
        (seconds.div_ceil(60), "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

impl std::error::Error for AppError {}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(vec![e])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(why) => {
                tracing::error!(%why, "database unavailable");
                AppError::Unavailable
            }
            StoreError::Unsupported(why) => AppError::Refused(why),
            // Each use case checks its unique values and names the field; one that still
            // meets the constraint lost a race with a simultaneous write of the same
            // value (a check and an insert in two transactions at once). That is a 409
            // to try again, never a server error; logged so that a missing check shows.
            StoreError::Conflict(constraint) => {
                tracing::warn!(%constraint, "unique constraint met by a write");
                AppError::Refused(
                    "someone saved the same thing at the same moment; reload and try again",
                )
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unique_constraint_met_by_a_write_is_a_conflict_to_retry_not_a_server_error() {
        let e = AppError::from(StoreError::Conflict("organizations_name_key".into()));
        assert!(matches!(e, AppError::Refused(_)), "{e:?}");
        assert!(matches!(
            AppError::from(StoreError::Database("boom".into())),
            AppError::Internal(_)
        ));
    }

    #[test]
    fn waits_read_as_a_person_says_them() {
        assert_eq!(wait_text(Duration::from_secs(1)), "1 second");
        assert_eq!(wait_text(Duration::from_secs(45)), "45 seconds");
        assert_eq!(wait_text(Duration::from_secs(60)), "1 minute");
        assert_eq!(wait_text(Duration::from_secs(61)), "2 minutes");
        assert_eq!(wait_text(Duration::from_secs(0)), "1 second");
    }
}
