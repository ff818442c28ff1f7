//! Settings from flags and environment variables, checked once at start-up. A bad
//! setting stops start-up with one line naming it.

use plenary_app::DatabaseUrl;
use std::fmt;
use std::net::{IpAddr, SocketAddr};

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
    pub smtp: Option<(String, u16)>,
    pub mail_from: String,
}

/// The raw strings as given on the command line or in the environment.
#[derive(Debug, Clone, Default)]
pub struct RawServe {
    pub bind: String,
    pub base_url: Option<String>,
    pub trusted_proxies: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: String,
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
        let port: u16 = self
            .smtp_port
            .trim()
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                bad(
                    "PLENARY_SMTP_PORT (--smtp-port)",
                    format!("{:?} is not a port number", self.smtp_port),
                )
            })?;
        let smtp = self
            .smtp_host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| (h.to_owned(), port));
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
            smtp_port: "25".into(),
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
                    smtp_port: "70000".into(),
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
