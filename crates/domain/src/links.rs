//! Links for remote participation: the address to join a meeting or session online
//! (Zoom, Webex, Teams, Jitsi… any service) and the address of its public stream.
//!
//! Both are absolute `http` or `https` addresses. A join link is for the people
//! entitled to take part, never for the public; a stream link is public.

use crate::{FieldError, Problem};

/// The longest link accepted: meeting services' links with their passcode fit easily.
pub const MAX_LINK: usize = 2000;

/// An optional web link as typed: empty means none; otherwise an absolute `http(s)`
/// address with a host, without spaces or control characters.
pub fn parse_web_link(field: &'static str, raw: &str) -> Result<Option<String>, FieldError> {
    let link = raw.trim();
    if link.is_empty() {
        return Ok(None);
    }
    if link.chars().count() > MAX_LINK {
        return Err(FieldError::new(field, Problem::TooLong { max: MAX_LINK }));
    }
    let invalid = |why| Err(FieldError::new(field, Problem::Invalid(why)));
    let Some(rest) = strip_scheme(link) else {
        return invalid("give the whole address, starting with https:// (or http://)");
    };
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid("an address has no spaces");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // A user name or password before '@' is dropped: it would hide the real host.
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = host_port
        .strip_prefix('[')
        .and_then(|h| h.split_once(']'))
        .map_or_else(
            || host_port.split(':').next().unwrap_or_default(),
            |(h, _)| h,
        );
    if authority.contains('@') || !valid_host(host) {
        return invalid("the address has no valid host name after https://");
    }
    Ok(Some(link.to_owned()))
}

/// The address without `http://` or `https://` (in any case), if it has one.
fn strip_scheme(link: &str) -> Option<&str> {
    ["https://", "http://"].iter().find_map(|scheme| {
        link.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &link[scheme.len()..])
    })
}

/// A host name (letters, digits, hyphens and dots, internationalised letters too) or
/// an IPv6 literal's inside (hex digits, colons, dots).
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && !host.starts_with('.')
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_meeting_services() {
        for link in [
            "https://us02web.zoom.us/j/81234567890?pwd=abc.1",
            "https://unog.webex.com/unog/j.php?MTID=m1234",
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%7d",
            "https://meet.jit.si/IGF-MAG-2026",
            "HTTP://localhost:8080/room",
            "https://[2001:db8::1]:8443/live",
        ] {
            assert_eq!(
                parse_web_link("join_url", link),
                Ok(Some(link.to_owned())),
                "{link}"
            );
        }
    }

    #[test]
    fn empty_is_none_and_spaces_around_are_dropped() {
        assert_eq!(parse_web_link("join_url", "  "), Ok(None));
        assert_eq!(
            parse_web_link("join_url", " https://meet.jit.si/a \n"),
            Ok(Some("https://meet.jit.si/a".into()))
        );
    }

    #[test]
    fn refuses_other_schemes_relative_and_hostless_addresses() {
        for bad in [
            "javascript:alert(1)",
            "ftp://example.org/x",
            "zoom.us/j/123",
            "/meetings/3",
            "mailto:someone@example.org",
            "https://",
            "https:///path",
            "https://meet jit.si/a",
            "https://user:secret@evil.example/",
            "https://exa<mple.org/",
            "https://.example.org",
            "data:text/html,hi",
        ] {
            let err = parse_web_link("join_url", bad).expect_err(bad);
            assert_eq!(err.field, "join_url");
        }
    }

    #[test]
    fn refuses_a_link_too_long() {
        let long = format!("https://example.org/{}", "a".repeat(MAX_LINK));
        assert_eq!(
            parse_web_link("stream_url", &long)
                .expect_err("too long")
                .problem,
            Problem::TooLong { max: MAX_LINK }
        );
    }

    proptest! {
        /// Whatever is typed, an accepted link is an absolute http(s) address without
        /// spaces: never a `javascript:` or relative one.
        #[test]
        fn accepted_links_are_absolute_web_addresses(raw in ".{0,80}") {
            if let Ok(Some(link)) = parse_web_link("join_url", &raw) {
                let lower = link.to_ascii_lowercase();
                prop_assert!(lower.starts_with("https://") || lower.starts_with("http://"));
                prop_assert!(!link.chars().any(char::is_whitespace));
            }
        }
    }
}
