//! The form of a call: typed questions as on a registration form, plus file uploads
//! (with a size and type limit) and person lists (co-organizers, suggested speakers).

use crate::account::Email;
use crate::error::{FieldError, Problem};
use crate::people::closed_list;
use crate::registration::{self, AnswerError, FieldKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

closed_list!(
    /// How a question of a call's form is answered.
    QuestionKind, "question kind" {
        Text => ("text", "Short text"),
        LongText => ("long_text", "Long text"),
        Choice => ("choice", "One choice"),
        MultiChoice => ("multi_choice", "Several choices"),
        Number => ("number", "Number"),
        Date => ("date", "Date"),
        Country => ("country", "Country"),
        Checkbox => ("checkbox", "Checkbox (consent)"),
        File => ("file", "File upload"),
        PersonList => ("person_list", "List of people"),
    }
);

impl QuestionKind {
    /// The registration form's kind answered the same way, if any.
    fn simple(self) -> Option<FieldKind> {
        Some(match self {
            QuestionKind::Text => FieldKind::Text,
            QuestionKind::LongText => FieldKind::LongText,
            QuestionKind::Choice => FieldKind::Choice,
            QuestionKind::MultiChoice => FieldKind::MultiChoice,
            QuestionKind::Number => FieldKind::Number,
            QuestionKind::Date => FieldKind::Date,
            QuestionKind::Country => FieldKind::Country,
            QuestionKind::Checkbox => FieldKind::Checkbox,
            QuestionKind::File | QuestionKind::PersonList => return None,
        })
    }
}

/// The largest file a question may accept, and its default.
/// (The upload routes take at most 10 MiB, as for meeting documents.)
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
pub const DEFAULT_FILE_BYTES: u64 = 5 * 1024 * 1024;
/// The most people in one person list.
pub const MAX_PEOPLE: usize = 50;

/// A question of a call's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub key: String,
    pub label: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub options: Vec<String>,
    /// File questions: the largest file accepted.
    pub max_bytes: Option<u64>,
    /// File questions: the accepted extensions, lower case without the dot.
    pub file_types: Vec<String>,
}

/// The file types a question may accept, with the content type stored and sent back.
pub const FILE_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("txt", "text/plain; charset=utf-8"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// Reads a comma- or space-separated list of file types (`pdf, docx`).
pub fn parse_file_types(raw: &str) -> Result<Vec<String>, FieldError> {
    let mut types = Vec::new();
    for t in raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|t| t.trim().trim_start_matches('.').to_ascii_lowercase())
        .filter(|t| !t.is_empty())
    {
        if !FILE_TYPES.iter().any(|(ext, _)| *ext == t) {
            return Err(FieldError::new(
                "file_types",
                Problem::Explained(format!(
                    "{t:?} is not one of {}",
                    FILE_TYPES
                        .iter()
                        .map(|(e, _)| *e)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        }
        if !types.contains(&t) {
            types.push(t);
        }
    }
    Ok(types)
}

/// Reads a question's file size limit in kilobytes (empty: the default).
pub fn parse_max_kb(raw: &str) -> Result<u64, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(DEFAULT_FILE_BYTES);
    }
    match raw.parse::<u64>() {
        Ok(kb) if kb >= 1 && kb * 1024 <= MAX_FILE_BYTES => Ok(kb * 1024),
        _ => Err(FieldError::new(
            "max_kb",
            Problem::Explained(format!(
                "a whole number of kilobytes from 1 to {}",
                MAX_FILE_BYTES / 1024
            )),
        )),
    }
}

/// An uploaded file, checked against its question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub filename: String,
    pub content_type: &'static str,
}

impl Question {
    fn as_registration(&self, kind: FieldKind) -> registration::Question {
        registration::Question {
            key: self.key.clone(),
            label: self.label.clone(),
            kind,
            required: self.required,
            options: self.options.clone(),
        }
    }

    fn fail(&self, problem: Problem) -> AnswerError {
        AnswerError {
            key: self.key.clone(),
            label: self.label.clone(),
            problem,
        }
    }

    /// Checks an uploaded file: its type by extension (and for PDF and images by its
    /// first bytes, so that a renamed file is refused) and its size.
    pub fn check_file(&self, filename: &str, data: &[u8]) -> Result<CheckedFile, AnswerError> {
        let name: String = filename
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        if name.trim().is_empty() || data.is_empty() {
            return Err(self.fail(Problem::Invalid("the file is empty")));
        }
        let limit = self.max_bytes.unwrap_or(DEFAULT_FILE_BYTES);
        if data.len() as u64 > limit {
            return Err(self.fail(Problem::Explained(format!(
                "the file is {} KB; at most {} KB are accepted",
                (data.len() as u64).div_ceil(1024),
                limit / 1024
            ))));
        }
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let allowed = self.file_types.is_empty() || self.file_types.contains(&ext);
        let known = FILE_TYPES.iter().find(|(e, _)| *e == ext);
        let (Some((_, content_type)), true) = (known, allowed) else {
            let accepted = if self.file_types.is_empty() {
                FILE_TYPES.iter().map(|(e, _)| *e).collect::<Vec<_>>()
            } else {
                self.file_types.iter().map(String::as_str).collect()
            };
            return Err(self.fail(Problem::Explained(format!(
                "files of type {:?} are not accepted here (accepted: {})",
                if ext.is_empty() { "none" } else { &ext },
                accepted.join(", ")
            ))));
        };
        let magic_ok = match ext.as_str() {
            "pdf" => data.starts_with(b"%PDF-"),
            "png" => data.starts_with(b"\x89PNG\r\n\x1a\n"),
            "jpg" | "jpeg" => data.starts_with(b"\xff\xd8\xff"),
            "docx" | "odt" => data.starts_with(b"PK\x03\x04"),
            _ => std::str::from_utf8(data).is_ok(),
        };
        if !magic_ok {
            return Err(self.fail(Problem::Explained(format!(
                "the file's content is not {}",
                ext.to_ascii_uppercase()
            ))));
        }
        Ok(CheckedFile {
            filename: name.trim().to_owned(),
            content_type,
        })
    }
}

/// One person of a person list: `Name`, or `Name <e-mail>`, optionally followed by
/// `, Organization`.
fn person_line(line: &str) -> Result<String, Problem> {
    let (who, organization) = match line.split_once(',') {
        Some((who, org)) => (who.trim(), org.trim()),
        None => (line.trim(), ""),
    };
    let (name, email) = match who.split_once('<') {
        Some((name, rest)) => {
            let Some(address) = rest.trim().strip_suffix('>') else {
                return Err(Problem::Explained(format!(
                    "{line:?}: close the e-mail address with >"
                )));
            };
            let email = Email::parse("email", address).map_err(|_| {
                Problem::Explained(format!("{line:?}: {address:?} is not an e-mail address"))
            })?;
            (name.trim(), Some(email))
        }
        None => (who, None),
    };
    if name.is_empty() {
        return Err(Problem::Explained(format!("{line:?}: a name is needed")));
    }
    if line.chars().count() > 300 {
        return Err(Problem::Explained(format!(
            "{:?}…: at most 300 characters per person",
            line.chars().take(30).collect::<String>()
        )));
    }
    let mut out = name.to_owned();
    if let Some(email) = email {
        out.push_str(&format!(" <{}>", email.as_str()));
    }
    if !organization.is_empty() {
        out.push_str(", ");
        out.push_str(organization);
    }
    Ok(out)
}

fn person_list(given: &[&str]) -> Result<Vec<String>, Problem> {
    let people: Vec<String> = given
        .iter()
        .flat_map(|g| g.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(person_line)
        .collect::<Result<_, _>>()?;
    if people.len() > MAX_PEOPLE {
        return Err(Problem::Explained(format!("at most {MAX_PEOPLE} people")));
    }
    Ok(people)
}

/// Checks the answers of a call's form. File questions are answered by the upload
/// itself: `files` names the questions that have a stored file. For a draft
/// (`complete` false) a missing required answer is no error; a wrong one still is.
pub fn check_answers(
    questions: &[Question],
    submitted: &BTreeMap<String, Vec<String>>,
    files: &[String],
    complete: bool,
) -> Result<BTreeMap<String, Vec<String>>, Vec<AnswerError>> {
    let mut answers = BTreeMap::new();
    let mut errors = Vec::new();
    for q in questions {
        let result = match q.kind.simple() {
            Some(kind) => {
                let mut one = q.as_registration(kind);
                one.required &= complete;
                let given: BTreeMap<String, Vec<String>> = submitted
                    .get(&q.key)
                    .map(|v| [(q.key.clone(), v.clone())].into())
                    .unwrap_or_default();
                registration::check_answers(&[one], &given)
                    .map(|mut a| a.remove(&q.key))
                    .map_err(|mut e| e.remove(0))
            }
            None if q.kind == QuestionKind::File => {
                if complete && q.required && !files.contains(&q.key) {
                    Err(q.fail(Problem::Invalid("attach a file")))
                } else {
                    Ok(None)
                }
            }
            None => {
                let given: Vec<&str> = submitted
                    .get(&q.key)
                    .map(|v| v.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                match person_list(&given) {
                    Ok(people) if people.is_empty() && q.required && complete => {
                        Err(q.fail(Problem::Required))
                    }
                    Ok(people) if people.is_empty() => Ok(None),
                    Ok(people) => Ok(Some(people)),
                    Err(problem) => Err(q.fail(problem)),
                }
            }
        };
        match result {
            Ok(Some(values)) => {
                answers.insert(q.key.clone(), values);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.label, self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(key: &str, kind: QuestionKind, required: bool) -> Question {
        Question {
            key: key.into(),
            label: key.to_uppercase(),
            kind,
            required,
            options: vec!["a".into(), "b".into()],
            max_bytes: Some(1024),
            file_types: vec!["pdf".into()],
        }
    }

    fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            map.entry((*k).into()).or_default().push((*v).into());
        }
        map
    }

    #[test]
    fn a_draft_may_leave_required_answers_out_but_not_give_wrong_ones() {
        let questions = [
            q("budget", QuestionKind::Number, true),
            q("paper", QuestionKind::File, true),
            q("team", QuestionKind::PersonList, true),
        ];
        assert_eq!(
            check_answers(&questions, &given(&[]), &[], false),
            Ok(BTreeMap::new())
        );
        let errors = check_answers(&questions, &given(&[]), &[], true).expect_err("error");
        assert_eq!(errors.len(), 3);
        let wrong = check_answers(&questions, &given(&[("budget", "lots")]), &[], false);
        assert_eq!(wrong.expect_err("error")[0].key, "budget");
        let done = check_answers(
            &questions,
            &given(&[
                ("budget", "1200"),
                ("team", "Ana Pérez <ANA@example.org>, ISOC\n\nBo Li"),
            ]),
            &["paper".into()],
            true,
        )
        .expect("ok");
        assert_eq!(done["team"], ["Ana Pérez <ana@example.org>, ISOC", "Bo Li"]);
    }

    #[test]
    fn person_lists_name_the_bad_line() {
        let questions = [q("team", QuestionKind::PersonList, false)];
        let err = check_answers(
            &questions,
            &given(&[("team", "Ana <not-an-address>")]),
            &[],
            true,
        )
        .expect_err("error");
        assert!(err[0].field_error().to_string().contains("not-an-address"));
    }

    #[test]
    fn files_are_checked_by_type_content_and_size() {
        let question = q("paper", QuestionKind::File, true);
        let pdf = b"%PDF-1.7 hello".to_vec();
        assert_eq!(
            question
                .check_file("C:\\Users\\me\\plan.PDF", &pdf)
                .expect("ok"),
            CheckedFile {
                filename: "plan.PDF".into(),
                content_type: "application/pdf"
            }
        );
        let not_pdf = question
            .check_file("plan.pdf", b"MZ\x90\x00")
            .expect_err("error");
        assert!(not_pdf.problem.to_string().contains("not PDF"));
        let wrong_type = question
            .check_file("plan.docx", b"PK\x03\x04")
            .expect_err("error");
        assert!(wrong_type.problem.to_string().contains("accepted: pdf"));
        let big = [b"%PDF-".as_slice(), &[b' '; 2000]].concat();
        let too_big = question.check_file("plan.pdf", &big).expect_err("error");
        assert!(too_big.problem.to_string().contains("at most 1 KB"));
    }

    #[test]
    fn file_type_lists_are_checked() {
        assert_eq!(
            parse_file_types(".PDF, docx pdf").expect("ok"),
            ["pdf", "docx"]
        );
        assert_eq!(
            parse_file_types("exe").expect_err("error").field,
            "file_types"
        );
        assert_eq!(parse_max_kb("").expect("ok"), DEFAULT_FILE_BYTES);
        assert!(parse_max_kb("999999").is_err());
    }
}
