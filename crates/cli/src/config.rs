//! Settings from flags and environment variables, checked once at start-up. A bad
//! setting stops start-up with one line naming it.

use plenary_app::DatabaseUrl;
use plenary_app::mail::{SmtpMailer, SmtpSecurity, SmtpSettings, SmtpSettingsError};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// A setting that cannot be used: which one and why.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub setting: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.setting, self.problem)
    }
}

fn bad(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        setting,
        problem: problem.into(),
    }
}

pub fn database_url(raw: &str) -> Result<DatabaseUrl, ConfigError> {
    DatabaseUrl::parse(raw).map_err(|why| bad("PLENARY_DATABASE_URL (--database-url)", why))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    pub bind: SocketAddr,
    pub base_url: String,
    pub trusted_proxies: Vec<IpAddr>,
    pub smtp: Option<SmtpSettings>,
    pub mail_from: String,
}

/// The raw strings as given on the command line or in the environment.
#[derive(Debug, Clone, Default)]
pub struct RawServe {
    pub bind: String,
    pub base_url: Option<String>,
    pub trusted_proxies: Option<String>,
    pub smtp_host: Option<String>,
    /// Default 25, or 465 with `smtp_tls`.
    pub smtp_port: Option<String>,
    pub smtp_starttls: bool,
    pub smtp_tls: bool,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_ca: Option<PathBuf>,
    pub mail_from: Option<String>,
}

impl RawServe {
    pub fn check(&self) -> Result<ServeConfig, ConfigError> {
        let bind: SocketAddr = self.bind.trim().parse().map_err(|_| {
            bad(
                "PLENARY_BIND (--bind)",
                format!("{:?} is not an address like 127.0.0.1:8080", self.bind),
            )
        })?;
        let base_url = match self
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => format!("http://{bind}"),
            Some(url) => check_base_url(url)?,
        };
        let trusted_proxies = self
            .trusted_proxies
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|_| {
                    bad(
                        "PLENARY_TRUSTED_PROXIES (--trusted-proxy)",
                        format!("{s:?} is not an IP address"),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let smtp = self.smtp()?;
        let mail_from = match self
            .mail_from
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(from) => plenary_domain::Email::parse("mail_from", from)
                .map(|e| e.as_str().to_owned())
                .map_err(|_| {
                    bad(
                        "PLENARY_MAIL_FROM (--mail-from)",
                        format!("{from:?} is not an e-mail address"),
                    )
                })?,
            None => format!("noreply@{}", host_of(&base_url)),
        };
        Ok(ServeConfig {
            bind,
            base_url,
            trusted_proxies,
            smtp,
            mail_from,
        })
    }
}

/// An optional text setting: unset and empty are the same.
fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .filter(|v| !v.trim().is_empty())
        .map(str::to_owned)
}

const SMTP_HOST: &str = "PLENARY_SMTP_HOST (--smtp-host)";
const SMTP_USER: &str = "PLENARY_SMTP_USER (--smtp-user)";
const SMTP_PASSWORD: &str = "PLENARY_SMTP_PASSWORD (--smtp-password)";
const SMTP_TLS: &str = "PLENARY_SMTP_TLS (--smtp-tls)";
const SMTP_CA: &str = "PLENARY_SMTP_CA (--smtp-ca)";

impl RawServe {
    /// The SMTP relay, or `None` when no host is set (mail stays queued).
    fn smtp(&self) -> Result<Option<SmtpSettings>, ConfigError> {
        let security = match (self.smtp_starttls, self.smtp_tls) {
            (true, true) => {
                return Err(bad(
                    SMTP_TLS,
                    "choose --smtp-tls (TLS from the start) or --smtp-starttls, not both",
                ));
            }
            (true, false) => SmtpSecurity::StartTls,
            (false, true) => SmtpSecurity::Tls,
            (false, false) => SmtpSecurity::Plain,
        };
        let default_port = if self.smtp_tls { "465" } else { "25" };
        let raw_port = given(&self.smtp_port).unwrap_or_else(|| default_port.to_owned());
        let port: u16 = raw_port
            .trim()
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                bad(
                    "PLENARY_SMTP_PORT (--smtp-port)",
                    format!("{raw_port:?} is not a port number"),
                )
            })?;
        let user = given(&self.smtp_user).map(|u| u.trim().to_owned());
        // A password is taken as written: spaces may belong to it.
        let password = given(&self.smtp_password);
        let Some(host) = given(&self.smtp_host).map(|h| h.trim().to_owned()) else {
            let dangling = [
                (user.is_some(), "--smtp-user"),
                (password.is_some(), "--smtp-password"),
                (self.smtp_starttls, "--smtp-starttls"),
                (self.smtp_tls, "--smtp-tls"),
                (self.smtp_ca.is_some(), "--smtp-ca"),
            ];
            return match dangling.iter().find(|(set, _)| *set) {
                Some((_, flag)) => Err(bad(
                    SMTP_HOST,
                    format!("{flag} is set but no SMTP host; set the host too"),
                )),
                None => Ok(None),
            };
        };
        let extra_ca_pem = self
            .smtp_ca
            .as_ref()
            .map(|path| {
                std::fs::read(path)
                    .map_err(|e| bad(SMTP_CA, format!("cannot read {}: {e}", path.display())))
            })
            .transpose()?;
        let settings = SmtpSettings {
            host,
            port,
            security,
            user,
            password,
            extra_ca_pem,
            timeout: std::time::Duration::from_secs(30),
        };
        SmtpMailer::new(settings.clone()).map_err(|e| match e {
            SmtpSettingsError::PasswordMissing => bad(
                SMTP_PASSWORD,
                "PLENARY_SMTP_USER is set, so a password is needed too",
            ),
            SmtpSettingsError::UserMissing => {
                bad(SMTP_USER, "PLENARY_SMTP_PASSWORD is set, so a user is needed too")
            }
            SmtpSettingsError::CredentialsNeedTls => bad(
                SMTP_USER,
                "credentials are sent over TLS only; add --smtp-starttls (PLENARY_SMTP_STARTTLS) or --smtp-tls (PLENARY_SMTP_TLS)",
            ),
            SmtpSettingsError::BadCa(why) => bad(
                SMTP_CA,
                format!(
                    "{}: {why}",
                    self.smtp_ca.as_deref().unwrap_or(std::path::Path::new("")).display()
                ),
            ),
        })?;
        Ok(Some(settings))
    }
}

fn check_base_url(url: &str) -> Result<String, ConfigError> {
    let setting = "PLENARY_BASE_URL (--base-url)";
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            bad(
                setting,
                format!("{url:?} must start with http:// or https://"),
            )
        })?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(bad(
            setting,
            format!("{url:?} must be a plain address like https://forum.example.org"),
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn host_of(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or("localhost");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if host.parse::<IpAddr>().is_ok() || host.is_empty() || !host.contains('.') {
        "localhost.localdomain".into()
    } else {
        host.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawServe {
        RawServe {
            bind: "127.0.0.1:8080".into(),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_work_with_nothing_set() {
        let config = raw().check().expect("defaults");
        assert_eq!(config.base_url, "http://127.0.0.1:8080");
        assert_eq!(config.smtp, None);
        assert_eq!(config.mail_from, "noreply@localhost.localdomain");
    }

    #[test]
    fn each_bad_setting_is_named() {
        let cases = [
            (
                RawServe {
                    bind: "nope".into(),
                    ..raw()
                },
                "PLENARY_BIND (--bind)",
            ),
            (
                RawServe {
                    base_url: Some("forum.example.org".into()),
                    ..raw()
                },
                "PLENARY_BASE_URL (--base-url)",
            ),
            (
                RawServe {
                    trusted_proxies: Some("10.0.0.1, x".into()),
                    ..raw()
                },
                "PLENARY_TRUSTED_PROXIES (--trusted-proxy)",
            ),
            (
                RawServe {
                    smtp_host: Some("relay.example.org".into()),
                    smtp_port: Some("70000".into()),
                    ..raw()
                },
                "PLENARY_SMTP_PORT (--smtp-port)",
            ),
            (
                RawServe {
                    mail_from: Some("no at sign".into()),
                    ..raw()
                },
                "PLENARY_MAIL_FROM (--mail-from)",
            ),
        ];
        for (raw, setting) in cases {
            assert_eq!(raw.check().map_err(|e| e.setting), Err(setting));
        }
        assert_eq!(
            database_url("mysql://x").map_err(|e| e.setting),
            Err("PLENARY_DATABASE_URL (--database-url)")
        );
    }

    fn relay() -> RawServe {
        RawServe {
            smtp_host: Some("relay.example.org".into()),
            ..raw()
        }
    }

    #[test]
    fn each_bad_mail_setting_is_named() {
        let ca = std::env::temp_dir().join(format!("plenary-bad-ca-{}.pem", std::process::id()));
        std::fs::write(&ca, "not a certificate").expect("write");
        let cases = [
            (
                RawServe {
                    smtp_user: Some("u".into()),
                    smtp_starttls: true,
                    ..relay()
                },
                SMTP_PASSWORD,
            ),
            (
                RawServe {
                    smtp_password: Some("p".into()),
                    smtp_starttls: true,
                    ..relay()
                },
                SMTP_USER,
            ),
            (
                RawServe {
                    smtp_user: Some("u".into()),
                    smtp_password: Some("p".into()),
                    ..relay()
                },
                SMTP_USER,
            ),
            (
                RawServe {
                    smtp_starttls: true,
                    smtp_tls: true,
                    ..relay()
                },
                SMTP_TLS,
            ),
            (
                RawServe {
                    smtp_user: Some("u".into()),
                    ..raw()
                },
                SMTP_HOST,
            ),
            (
                RawServe {
                    smtp_ca: Some("/nonexistent/ca.pem".into()),
                    ..relay()
                },
                SMTP_CA,
            ),
            (
                RawServe {
                    smtp_ca: Some(ca.clone()),
                    ..relay()
                },
                SMTP_CA,
            ),
        ];
        for (raw, setting) in cases {
            assert_eq!(raw.check().map_err(|e| e.setting), Err(setting));
        }
        let _ = std::fs::remove_file(ca);
    }

    #[test]
    fn mail_settings_pick_security_and_port() {
        let smtp = |raw: RawServe| raw.check().expect("valid").smtp.expect("relay");
        let plain = smtp(relay());
        assert_eq!((plain.port, plain.security), (25, SmtpSecurity::Plain));
        let tls = smtp(RawServe {
            smtp_tls: true,
            smtp_user: Some("u".into()),
            smtp_password: Some(" p w ".into()),
            ..relay()
        });
        assert_eq!((tls.port, tls.security), (465, SmtpSecurity::Tls));
        assert_eq!(tls.password.as_deref(), Some(" p w "));
        let starttls = smtp(RawServe {
            smtp_starttls: true,
            smtp_port: Some("587".into()),
            ..relay()
        });
        assert_eq!(
            (starttls.port, starttls.security),
            (587, SmtpSecurity::StartTls)
        );
    }

    #[test]
    fn https_base_urls_are_kept_without_trailing_slash() {
        let config = RawServe {
            base_url: Some("https://forum.example.org/".into()),
            ..raw()
        }
        .check()
        .expect("valid");
        assert_eq!(config.base_url, "https://forum.example.org");
        assert_eq!(config.mail_from, "noreply@forum.example.org");
    }
}
