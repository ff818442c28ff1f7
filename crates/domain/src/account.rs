//! Account values: e-mail address, password, display name.

use crate::error::{FieldError, Problem};
use std::fmt;

/// An e-mail address, trimmed and lower-cased so that it identifies one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        let err = |problem| Err(FieldError::new(field, problem));
        if value.is_empty() {
            return err(Problem::Required);
        }
        if value.chars().count() > Self::MAX_LEN {
            return err(Problem::TooLong { max: Self::MAX_LEN });
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return err(Problem::Invalid("an e-mail address has no spaces"));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return err(Problem::Invalid(
                "an e-mail address looks like name@example.org",
            ));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.contains('@') || !domain_ok {
            return err(Problem::Invalid(
                "an e-mail address looks like name@example.org",
            ));
        }
        Ok(Self(value.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the policy (NIST SP 800-63B: length, not composition).
/// Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 256;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let len = raw.chars().count();
        let err = |problem| Err(FieldError::new(field, problem));
        if raw.is_empty() {
            return err(Problem::Required);
        }
        if len < Self::MIN_LEN {
            return err(Problem::TooShort { min: Self::MIN_LEN });
        }
        if len > Self::MAX_LEN {
            return err(Problem::TooLong { max: Self::MAX_LEN });
        }
        if raw.trim().is_empty() {
            return err(Problem::Invalid("a password cannot be only spaces"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// How a person is named on pages; free text, Unicode kept exactly as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_LEN: usize = 200;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(FieldError::new(
                field,
                Problem::TooLong { max: Self::MAX_LEN },
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(FieldError::new(
                field,
                Problem::Invalid("control characters are not allowed"),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", "  Ana@Example.ORG ").map(|e| e.0),
            Ok("ana@example.org".into())
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@example.org",
            "ana@.org",
            "ana@example..org",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(Email::parse("email", "").map_err(|e| e.field), Err("email"));
    }

    #[test]
    fn password_policy_is_length_based() {
        assert!(Password::parse("password", "short").is_err());
        assert!(Password::parse("password", "          ").is_err());
        assert!(Password::parse("password", "correct horse").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("p", "correct horse")),
            "Ok(Password(…))"
        );
    }

    #[test]
    fn display_name_keeps_unicode_exactly() {
        let name = DisplayName::parse("name", " Guðrúnar Jóns ").map(|n| n.0);
        assert_eq!(name, Ok("Guðrúnar Jóns".into()));
    }

    proptest! {
        #[test]
        fn parsed_email_reparses_to_itself(local in "[a-zA-Z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = Email::parse("email", &format!("{local}@{domain}")).expect("valid");
            prop_assert_eq!(Email::parse("email", email.as_str()), Ok(email.clone()));
        }

        #[test]
        fn password_accepted_iff_length_in_range(raw in "\\PC{0,300}") {
            let len = raw.chars().count();
            let ok = (Password::MIN_LEN..=Password::MAX_LEN).contains(&len) && !raw.trim().is_empty();
            prop_assert_eq!(Password::parse("p", &raw).is_ok(), ok);
        }
    }
}
