//! The secretariat's export of an event's registrations, as CSV or XLSX, with the
//! filters of the list (search, status, category).
//!
//! Streamed: the rows are read [`BATCH`] at a time, by keyset pagination on the id,
//! each batch in a short read transaction of its own, and written out before the next
//! is read. Memory stays flat whatever the number of registrants, and no transaction
//! stays open while a slow client downloads. The price: a registration changed while
//! the export runs shows its state at the moment its batch was read.
//!
//! The columns: id, names, e-mail address, organization, country, category, mode,
//! status and its reason, when registered and checked in (UTC, and in the event's
//! zone, the column naming it), the consent to the public list, and one column per
//! question of the form (several answers joined by "; "). Never passport or visa
//! data: that has its own export, kept apart.

use super::filters::Filters;
use super::{RegistrationQuery, event_in, event_zone, require_manager, stored_answers};
use crate::audit::Change;
use crate::export::{Column, Export, Format, TableWriter, write_in_batches};
use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::geo::Country;
use plenary_domain::registration::FieldKind;
use plenary_domain::time::Zone;
use plenary_store::registration::{self as store, Category, Event, QuestionRow, Registration};
use serde_json::json;
use std::io::Write;

/// Registrations read per transaction.
pub const BATCH: i64 = 500;

pub use crate::export::ExportError;

/// An export the secretariat may take, checked and ready to be written. Only
/// [`App::export_registrations`] makes one, after the access check.
pub struct RegistrationExport {
    app: App,
    event: Event,
    format: Format,
    filters: Filters,
    categories: Vec<Category>,
    questions: Vec<QuestionRow>,
    zone: Zone,
    file_name: String,
}

/// `registrations-geneva-forum-2026-06-26.csv`: ASCII only, so that it needs no
/// encoding in a Content-Disposition header; `event-12` when the title has no ASCII
/// letter or digit.
pub(crate) fn file_name(
    what: &str,
    event: &Event,
    today: chrono::NaiveDate,
    format: Format,
) -> String {
    let slug = plenary_domain::search::ascii_slug(&event.title, 40);
    let slug = if slug.is_empty() {
        format!("event-{}", event.id)
    } else {
        slug
    };
    format!(
        "{what}-{slug}-{}.{}",
        today.format("%Y-%m-%d"),
        format.extension()
    )
}

pub(crate) fn utc_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn local_text(at: DateTime<Utc>, zone: Zone) -> String {
    at.with_timezone(&zone.tz())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn country_name(code: &str) -> String {
    Country::parse("country", code)
        .map(|c| c.name().to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

impl App {
    /// Starts the secretariat's export of an event's registrations: checks access and
    /// the filters (those of [`App::registrations`]) and records in the audit log that
    /// personal data left the system. Nothing is read yet: [`RegistrationExport::write_to`]
    /// streams the rows.
    pub fn export_registrations(
        &self,
        caller: &Caller,
        event_id: i64,
        query: &RegistrationQuery,
        format: Format,
    ) -> Result<RegistrationExport, AppError> {
        require_manager(caller)?;
        let filters = Filters::parse(query)?;
        let now = self.now();
        let (event, categories, questions) = self.db().write(|tx| {
            let event = event_in(tx, event_id)?;
            Change::new("registration.export", "event", event_id)
                .detail(json!({
                    "format": format.as_str(),
                    "search": query.search,
                    "status": query.status,
                    "category_id": query.category_id,
                }))
                .record(tx, caller, now)?;
            Ok::<_, AppError>((
                event,
                store::categories(tx, event_id)?,
                store::questions(tx, event_id)?,
            ))
        })?;
        let zone = event_zone(&event)?;
        Ok(RegistrationExport {
            app: self.clone(),
            file_name: file_name("registrations", &event, now.date_naive(), format),
            event,
            format,
            filters,
            categories,
            questions,
            zone,
        })
    }
}

impl RegistrationExport {
    pub fn format(&self) -> Format {
        self.format
    }

    /// The name to save the file under.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The header: fixed columns, then one per question of the form.
    pub fn columns(&self) -> Vec<Column> {
        let zone = self.zone.name();
        let mut columns = vec![
            Column::new("Id", 8.0),
            Column::new("Family name", 22.0),
            Column::new("Given name", 22.0),
            Column::new("E-mail address", 32.0),
            Column::new("Organization", 32.0),
            Column::new("Country code", 9.0),
            Column::new("Country", 22.0),
            Column::new("Category", 20.0),
            Column::new("Mode", 10.0),
            Column::new("Status", 20.0),
            Column::new("Reason", 32.0),
            Column::new("Registered at (UTC)", 22.0),
            Column::new(format!("Registered at ({zone})"), 27.0),
            Column::new("Checked in at (UTC)", 22.0),
            Column::new(format!("Checked in at ({zone})"), 27.0),
            Column::new("Consent to the public list", 12.0),
        ];
        for q in &self.questions {
            let width = (q.label.chars().count() as f64 + 2.0).clamp(14.0, 40.0);
            columns.push(Column::new(q.label.clone(), width));
        }
        columns
    }

    /// One registration's cells, in the order of [`RegistrationExport::columns`].
    fn cells(&self, r: &Registration) -> Vec<String> {
        let category = self.categories.iter().find(|c| c.id == r.category_id);
        let answers = stored_answers(r);
        let mut cells = vec![
            r.id.to_string(),
            r.family_name.clone(),
            r.given_name.clone(),
            r.email.clone(),
            r.organization.clone(),
            r.country.clone().unwrap_or_default(),
            r.country.as_deref().map(country_name).unwrap_or_default(),
            category.map(|c| c.name.clone()).unwrap_or_default(),
            category
                .map(|c| c.mode.label().to_owned())
                .unwrap_or_default(),
            r.status.label().to_owned(),
            r.reason.clone(),
            utc_text(r.created_at),
            local_text(r.created_at, self.zone),
            r.checked_in_at.map(utc_text).unwrap_or_default(),
            r.checked_in_at
                .map(|at| local_text(at, self.zone))
                .unwrap_or_default(),
            if r.listed { "yes" } else { "no" }.to_owned(),
        ];
        for q in &self.questions {
            let values = answers.get(&q.key).map(Vec::as_slice).unwrap_or_default();
            cells.push(match q.kind {
                FieldKind::Country => values
                    .iter()
                    .map(|v| country_name(v))
                    .collect::<Vec<_>>()
                    .join("; "),
                FieldKind::Checkbox if !values.is_empty() => "yes".to_owned(),
                _ => values.join("; "),
            });
        }
        cells
    }

    /// Writes the file to `out`, [`BATCH`] registrations per read transaction; returns
    /// how many rows were written. Pass a buffered writer.
    pub fn write_to<W: Write>(&self, out: W) -> Result<u64, ExportError> {
        let table = TableWriter::new(
            self.format,
            out,
            "Registrations",
            &self.columns(),
            self.app.now().naive_utc(),
        )?;
        let filter = self.filters.as_store();
        write_in_batches(
            table,
            BATCH,
            |after| {
                self.app.db().read(|tx| {
                    store::batch_after(tx, self.event.id, &filter, after, BATCH)
                        .map_err(AppError::from)
                })
            },
            |r| r.id,
            |r| self.cells(&r),
        )
    }
}

impl Export for RegistrationExport {
    fn format(&self) -> Format {
        self.format
    }

    fn file_name(&self) -> &str {
        &self.file_name
    }

    fn what(&self) -> &'static str {
        "registrations"
    }

    fn event_id(&self) -> i64 {
        self.event.id
    }

    fn write_to(&self, out: &mut dyn Write) -> Result<u64, ExportError> {
        RegistrationExport::write_to(self, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(title: &str) -> Event {
        let at = DateTime::<Utc>::default();
        Event {
            id: 12,
            title: title.into(),
            venue: String::new(),
            time_zone: "UTC".into(),
            starts_at: at,
            ends_at: at,
            registration_opens_at: at,
            registration_closes_at: at,
            changes_until: at,
            public_list: false,
            visa_letters: false,
            visa_retention_days: 90,
        }
    }

    #[test]
    fn file_names_are_ascii_slugs() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 26).expect("date");
        assert_eq!(
            file_name(
                "registrations",
                &event("IGF 2026 — Genève: Open Forum!"),
                day,
                Format::Csv
            ),
            "registrations-igf-2026-geneve-open-forum-2026-06-26.csv"
        );
        assert_eq!(
            file_name("registrations", &event("منتدى"), day, Format::Xlsx),
            "registrations-event-12-2026-06-26.xlsx"
        );
        let long = file_name(
            "registrations",
            &event(&"word ".repeat(30)),
            day,
            Format::Csv,
        );
        assert!(long.len() < 80 && !long.contains("--"), "{long}");
    }

    #[test]
    fn instants_are_written_in_utc_and_in_the_zone() {
        let at = DateTime::parse_from_rfc3339("2026-06-26T08:00:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        assert_eq!(utc_text(at), "2026-06-26T08:00:00Z");
        let zone = Zone::parse("time_zone", "Europe/Zurich").expect("zone");
        assert_eq!(local_text(at, zone), "2026-06-26T10:00:00+02:00");
    }
}
