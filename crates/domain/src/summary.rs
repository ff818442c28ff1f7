//! The summary document of a meeting (the shape secretariats write by hand): header,
//! numbered items with their notes and actions, the agenda and the participants as
//! annexes. Rendered as Markdown and plain text from the same data.

use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub title: String,
    /// "26 June 2024 | 10:00 CEST (UTC+02:00) | Hybrid".
    pub when_line: String,
    pub items: Vec<SummaryItem>,
    /// The agenda annex, day by day: (day heading, its items and their sub-items).
    pub agenda: Vec<(String, Vec<AgendaLine>)>,
    /// The zone the agenda's times are in, labelled: "CEST (UTC+02:00)".
    pub times_in: String,
    /// Participants by role group: (group, [(family, given)]).
    pub participants: Vec<(String, Vec<(String, String)>)>,
}

/// One line of the agenda annex.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgendaLine {
    /// "10:00–10:30" in the meeting's zone, or empty.
    pub time: String,
    /// The number, when there is one, and the title: "1. Welcome".
    pub title: String,
    /// A sub-item of the item above it.
    pub sub: bool,
}

impl AgendaLine {
    fn plain(&self) -> String {
        if self.time.is_empty() {
            self.title.clone()
        } else {
            format!("{}  {}", self.time, self.title)
        }
    }
}

impl Summary {
    /// Whether any line of the agenda has a time (and so the zone is worth saying).
    pub fn agenda_has_times(&self) -> bool {
        self.agenda
            .iter()
            .any(|(_, lines)| lines.iter().any(|l| !l.time.is_empty()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SummaryItem {
    pub number: String,
    pub title: String,
    /// The note, as written; each non-empty line becomes one bullet.
    pub notes: String,
    pub actions: Vec<SummaryAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SummaryAction {
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: String,
}

fn bullets(notes: &str) -> Vec<String> {
    notes
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.trim_start_matches(['-', '•', '●']).trim().to_owned())
        .collect()
}

fn heading(item: &SummaryItem) -> String {
    if item.number.is_empty() {
        item.title.clone()
    } else {
        format!("{}. {}", item.number, item.title)
    }
}

fn action_line(a: &SummaryAction) -> String {
    let mut line = format!("{} — {}", a.text, a.owner);
    if let Some(due) = &a.due {
        let _ = write!(line, ", due {due}");
    }
    if a.status != "open" {
        let _ = write!(line, " ({})", a.status);
    }
    line
}

/// Markdown: text from the records is escaped so that it cannot inject markup.
pub fn markdown(s: &Summary) -> String {
    let esc = |t: &str| {
        t.chars().fold(String::new(), |mut out, c| {
            if "\\`*_[]<>#|".contains(c) {
                out.push('\\');
            }
            out.push(c);
            out
        })
    };
    let mut out = format!("# {}\n\n{}\n", esc(&s.title), esc(&s.when_line));
    for item in &s.items {
        let _ = write!(out, "\n## {}\n\n", esc(&heading(item)));
        for b in bullets(&item.notes) {
            let _ = writeln!(out, "- {}", esc(&b));
        }
        if !item.actions.is_empty() {
            out.push_str("\n### Actions\n\n");
            for a in &item.actions {
                let _ = writeln!(out, "- **{}**", esc(&action_line(a)));
            }
        }
    }
    out.push_str("\n## Annex 1: Meeting Agenda\n");
    if s.agenda_has_times() {
        let _ = write!(out, "\nTimes in {}.\n", esc(&s.times_in));
    }
    for (day, items) in &s.agenda {
        let _ = write!(out, "\n### {}\n\n", esc(day));
        for i in items {
            // "- 1. Title" would open a nested ordered list: escape the number's dot.
            let line = esc(&i.plain());
            let indent = if i.sub { "  " } else { "" };
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let line = if digits > 0 && line[digits..].starts_with('.') {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line
            };
            let _ = writeln!(out, "{indent}- {line}");
        }
    }
    out.push_str("\n## Annex 2: List of Participants\n");
    for (group, people) in &s.participants {
        let _ = write!(
            out,
            "\n### {}\n\n| Family name | Given name |\n|---|---|\n",
            esc(group)
        );
        for (family, given) in people {
            let _ = writeln!(out, "| {} | {} |", esc(family), esc(given));
        }
    }
    out
}

/// Plain text, with participants as `Family name<TAB>Given name` under their group.
pub fn text(s: &Summary) -> String {
    let mut out = format!("{}\n\n{}\n", s.title, s.when_line);
    for item in &s.items {
        let _ = write!(out, "\n{}\n\n", heading(item));
        for b in bullets(&item.notes) {
            let _ = writeln!(out, "- {b}");
        }
        if !item.actions.is_empty() {
            out.push_str("\nActions\n\n");
            for a in &item.actions {
                let _ = writeln!(out, "- {}", action_line(a));
            }
        }
    }
    out.push_str("\nAnnex 1: Meeting Agenda\n");
    if s.agenda_has_times() {
        let _ = writeln!(out, "Times in {}.", s.times_in);
    }
    for (day, items) in &s.agenda {
        let _ = write!(out, "\n{day}\n");
        for i in items {
            let indent = if i.sub { "    " } else { "" };
            let _ = writeln!(out, "{indent}{}", i.plain());
        }
    }
    out.push_str("\nAnnex 2: List of Participants\n");
    for (group, people) in &s.participants {
        let _ = write!(out, "\n{group}\n");
        for (family, given) in people {
            let _ = writeln!(out, "{family}\t{given}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Summary {
        Summary {
            title: "MAG Meeting VIII".into(),
            when_line: "20 August 2024 | 11:00 UTC (UTC+00:00) | Online".into(),
            items: vec![SummaryItem {
                number: "1".into(),
                title: "Updates from the *Secretariat*".into(),
                notes:
                    "- Registration is open.\n\nTravel support [call](#) open until 10 September."
                        .into(),
                actions: vec![SummaryAction {
                    text: "Reach out to members".into(),
                    owner: "Secretariat".into(),
                    due: Some("2024-09-10".into()),
                    status: "open".into(),
                }],
            }],
            agenda: vec![(
                "Tuesday, 20 August 2024".into(),
                vec![
                    AgendaLine {
                        time: "10:00–11:00".into(),
                        title: "1. Updates".into(),
                        sub: false,
                    },
                    AgendaLine {
                        time: "10:05".into(),
                        title: "Registration".into(),
                        sub: true,
                    },
                ],
            )],
            times_in: "CEST (UTC+02:00)".into(),
            participants: vec![(
                "MAG Chair".into(),
                vec![("Jónsdóttir".into(), "Guðrún".into())],
            )],
        }
    }

    #[test]
    fn markdown_escapes_record_text_and_lists_actions() {
        let md = markdown(&sample());
        assert!(
            md.contains("## 1\\. Updates from the \\*Secretariat\\*")
                || md.contains("## 1. Updates from the \\*Secretariat\\*"),
            "{md}"
        );
        assert!(
            md.contains("- Travel support \\[call\\](\\#) open until 10 September."),
            "{md}"
        );
        assert!(
            md.contains("### Actions\n\n- **Reach out to members — Secretariat, due 2024-09-10**")
        );
        assert!(md.contains("| Jónsdóttir | Guðrún |"));
    }

    #[test]
    fn the_agenda_annex_gives_times_and_nests_sub_items() {
        let md = markdown(&sample());
        assert!(md.contains("Times in CEST (UTC+02:00)."), "{md}");
        assert!(
            md.contains("\n- 10:00–11:00  1. Updates\n  - 10:05  Registration\n"),
            "{md}"
        );
        let txt = text(&sample());
        assert!(
            txt.contains("\n10:00–11:00  1. Updates\n    10:05  Registration\n"),
            "{txt}"
        );
    }

    #[test]
    fn text_lists_participants_as_family_tab_given() {
        let txt = text(&sample());
        assert!(txt.starts_with("MAG Meeting VIII\n\n20 August 2024 | 11:00 UTC"));
        assert!(txt.contains("\nMAG Chair\nJónsdóttir\tGuðrún\n"));
        assert!(txt.contains("Actions\n\n- Reach out to members — Secretariat, due 2024-09-10\n"));
    }
}
