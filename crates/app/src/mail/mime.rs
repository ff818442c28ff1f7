//! The RFC 5322 message: headers, a text part, an HTML alternative (RFC 2046
//! multipart/alternative) and attachments (multipart/mixed, RFC 2183 dispositions), all
//! bodies base64 (RFC 2045) so that any text and any bytes travel safely.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use plenary_store::outbox::{Attachment, Message};

/// RFC 2047 encoded words of at most 75 characters, folded onto continuation lines.
fn encode_header(text: &str) -> String {
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", BASE64.encode(w.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

fn base64_lines(bytes: &[u8]) -> String {
    let encoded = BASE64.encode(bytes);
    encoded
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn text_part(mime: &str, text: &str) -> String {
    format!(
        "Content-Type: {mime}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        base64_lines(text.as_bytes())
    )
}

/// A header parameter: quoted ASCII, or RFC 2231 percent-encoded UTF-8.
fn parameter(name: &str, value: &str) -> String {
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{name}=\"{quoted}\"")
    } else {
        let encoded: String = value
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        format!("{name}*=UTF-8''{encoded}")
    }
}

fn attachment_part(a: &Attachment) -> String {
    format!(
        "Content-Type: {}; {}\r\nContent-Disposition: attachment; {}\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        a.content_type,
        parameter("name", &a.file_name),
        parameter("filename", &a.file_name),
        base64_lines(&a.data)
    )
}

/// The body as one part: text only, or text and HTML as alternatives.
fn content(m: &Message) -> String {
    match &m.body_html {
        None => text_part("text/plain", &m.body_text),
        Some(html) => {
            let boundary = format!("=_plenary-{}-alt", m.id);
            format!(
                "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n{}--{boundary}\r\n{}--{boundary}--\r\n",
                text_part("text/plain", &m.body_text),
                text_part("text/html", html),
            )
        }
    }
}

/// The RFC 5322 message with a text part, an HTML alternative if present, and the
/// attachments in a multipart/mixed around them. The Message-ID is stable per outbox
/// message, so that a receiver can recognise a copy.
pub fn render_message(from: &str, m: &Message, date: DateTime<Utc>) -> String {
    let domain = from.rsplit_once('@').map_or("plenary.invalid", |(_, d)| d);
    let mut out = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <outbox-{id}@{domain}>\r\nMIME-Version: 1.0\r\n",
        to = m.recipient,
        subject = encode_header(&m.subject),
        date = date.to_rfc2822(),
        id = m.id,
    );
    if m.attachments.is_empty() {
        out.push_str(&content(m));
        return out;
    }
    let boundary = format!("=_plenary-{}-mixed", m.id);
    out.push_str(&format!(
        "Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n{}",
        content(m)
    ));
    for a in &m.attachments {
        out.push_str(&format!("--{boundary}\r\n{}", attachment_part(a)));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// Decodes a base64 body part back to text (for tests and the SMTP test listener).
pub fn decode_base64_part(lines: &str) -> Option<String> {
    let joined: String = lines.split_whitespace().collect();
    BASE64
        .decode(joined)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body_html: Option<&str>, attachments: Vec<Attachment>) -> Message {
        Message {
            id: 7,
            kind: "k".into(),
            recipient: "ana@example.org".into(),
            subject: "Réunion".into(),
            body_text: ".leading dot\nGuðrún".into(),
            body_html: body_html.map(Into::into),
            status: "queued".into(),
            attempts: 1,
            created_at: DateTime::UNIX_EPOCH,
            sent_at: None,
            last_error: None,
            attachments,
        }
    }

    #[test]
    fn messages_encode_non_ascii_and_carry_a_stable_id() {
        let text = render_message(
            "noreply@forum.example",
            &message(None, vec![]),
            DateTime::UNIX_EPOCH,
        );
        assert!(
            text.contains("Subject: =?UTF-8?B?UsOpdW5pb24=?=\r\n"),
            "{text}"
        );
        assert!(text.contains("Message-ID: <outbox-7@forum.example>"));
        assert!(text.contains("Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n"));
        let body = text.split("\r\n\r\n").nth(1).expect("body");
        assert_eq!(
            decode_base64_part(body).as_deref(),
            Some(".leading dot\nGuðrún")
        );
    }

    #[test]
    fn long_subjects_are_folded_into_short_encoded_words() {
        let subject = "Ω".repeat(100);
        let header = encode_header(&subject);
        for line in header.split("\r\n") {
            assert!(line.trim_start().len() <= 75, "{line}");
        }
        let decoded: String = header
            .split("\r\n ")
            .map(|w| {
                let inner = w
                    .strip_prefix("=?UTF-8?B?")
                    .and_then(|w| w.strip_suffix("?="))
                    .expect("encoded word");
                decode_base64_part(inner).expect("utf-8 word")
            })
            .collect();
        assert_eq!(decoded, subject);
    }

    #[test]
    fn html_goes_in_an_alternative_part() {
        let text = render_message(
            "a@b.example",
            &message(Some("<p>x</p>"), vec![]),
            DateTime::UNIX_EPOCH,
        );
        assert!(text.contains("Content-Type: multipart/alternative; boundary=\"=_plenary-7-alt\""));
        assert!(text.contains("Content-Type: text/html; charset=utf-8"));
        assert!(!text.contains("multipart/mixed"));
        assert!(text.ends_with("--=_plenary-7-alt--\r\n"));
    }

    #[test]
    fn attachments_go_in_a_mixed_part_around_the_alternatives() {
        let ics = Attachment {
            file_name: "invitation.ics".into(),
            content_type: "text/calendar; method=REQUEST".into(),
            data: b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec(),
        };
        let pdf = Attachment {
            file_name: "Lettre d'invitation é.pdf".into(),
            content_type: "application/pdf".into(),
            data: vec![0, 255, 1, 254],
        };
        let text = render_message(
            "a@b.example",
            &message(Some("<p>x</p>"), vec![ics, pdf]),
            DateTime::UNIX_EPOCH,
        );
        let mixed = text.find("multipart/mixed").expect("mixed");
        let alt = text.find("multipart/alternative").expect("alternative");
        assert!(mixed < alt, "the alternatives sit inside the mixed part");
        assert!(text.contains(
            "Content-Type: text/calendar; method=REQUEST; name=\"invitation.ics\"\r\nContent-Disposition: attachment; filename=\"invitation.ics\"\r\n"
        ));
        assert!(text.contains("filename*=UTF-8''Lettre%20d%27invitation%20%C3%A9.pdf"));
        assert!(text.contains("\r\n\r\nAP8B/g==\r\n"), "bytes in base64");
        assert!(text.ends_with("--=_plenary-7-mixed--\r\n"));
        assert_eq!(text.matches("--=_plenary-7-mixed\r\n").count(), 3);
    }
}
