//! The revision history of an item's notes, each version shown against the one before.

use super::utc;
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, Visitor};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

/// A line diff by longest common subsequence: ("same" | "added" | "removed", marker, line).
pub(crate) fn diff_lines(old: &str, new: &str) -> Vec<(&'static str, &'static str, String)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(("same", "  ", a[i].to_owned()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(("added", "+ ", b[j].to_owned()));
            j += 1;
        } else {
            out.push(("removed", "- ", a[i].to_owned()));
            i += 1;
        }
    }
    out
}

struct RevisionView {
    version: i64,
    author: String,
    at: String,
    lines: Vec<(&'static str, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "note_history.html")]
struct HistoryPage {
    chrome: Chrome,
    meeting_id: i64,
    meeting_title: String,
    item_title: String,
    revisions: Vec<RevisionView>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, item)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (view, revisions) = state
        .run(move |app| {
            Ok((
                app.meeting(&caller, id)?,
                app.note_history(&caller, id, item)?,
            ))
        })
        .await?;
    let item_title = view
        .days
        .iter()
        .flat_map(|d| {
            d.items
                .iter()
                .flat_map(|i| std::iter::once(&i.item).chain(i.subitems.iter()))
        })
        .find(|i| i.id == item)
        .map(|i| i.title.clone())
        .unwrap_or_default();
    // Newest first; each compared with the next older one.
    let views = revisions
        .iter()
        .enumerate()
        .map(|(k, r)| RevisionView {
            version: r.version,
            author: r.author.clone(),
            at: utc(r.created_at),
            lines: diff_lines(
                revisions.get(k + 1).map_or("", |older| older.text.as_str()),
                &r.text,
            ),
        })
        .collect();
    Ok(render(&HistoryPage {
        chrome: visitor.chrome(&state.app),
        meeting_id: id,
        meeting_title: view.meeting.title.clone(),
        item_title,
        revisions: views,
    }))
}

#[cfg(test)]
mod tests {
    use super::diff_lines;

    #[test]
    fn changed_lines_show_as_removed_and_added() {
        let d = diff_lines("a\nb\nc", "a\nB\nc\nd");
        let marks: Vec<(&str, &str)> = d.iter().map(|(k, _, l)| (*k, l.as_str())).collect();
        assert_eq!(
            marks,
            [
                ("same", "a"),
                ("added", "B"),
                ("removed", "b"),
                ("same", "c"),
                ("added", "d")
            ]
        );
        assert!(diff_lines("", "x").iter().all(|(k, _, _)| *k == "added"));
    }
}
