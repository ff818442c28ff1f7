//! The secretariat's visa export: every letter request of an event with its passport
//! details, as CSV or XLSX, streamed like the registration export. It is the only
//! export that carries passport details; each one is recorded in the audit log.

use super::{letter_reference, passport_of, require_visa_manager};
use crate::export::{Column, Export, ExportError, Format, TableWriter, write_in_batches};
use crate::passport_keys::PassportKeys;
use crate::registration::export::{file_name, utc_text as utc};
use crate::{App, AppError, Caller};
use plenary_store::registration::{self as registrations, Event};
use plenary_store::visa::{self as store, Listed};
use serde_json::json;
use std::io::Write;

/// Requests read per transaction.
pub const BATCH: i64 = 500;

/// A visa export checked and ready to be written; only [`App::export_visa_requests`]
/// makes one.
pub struct VisaExport {
    app: App,
    event: Event,
    format: Format,
    file_name: String,
}

impl App {
    /// Starts the visa export of an event (secretariat) and records it in the audit log.
    pub fn export_visa_requests(
        &self,
        caller: &Caller,
        event_id: i64,
        format: Format,
    ) -> Result<VisaExport, AppError> {
        require_visa_manager(caller)?;
        let now = self.now();
        let event = self.db().write(|tx| {
            let event = registrations::event(tx, event_id)?.ok_or(AppError::NotFound)?;
            crate::audit::Change::new("visa.export", "event", event_id)
                .detail(json!({ "format": format.as_str() }))
                .record(tx, caller, now)?;
            Ok::<_, AppError>(event)
        })?;
        Ok(VisaExport {
            app: self.clone(),
            file_name: file_name("visa-requests", &event, now.date_naive(), format),
            event,
            format,
        })
    }
}

const COLUMNS: [(&str, f64); 21] = [
    ("Registration id", 10.0),
    ("Name (registration)", 26.0),
    ("E-mail address", 30.0),
    ("Registration status", 18.0),
    ("Request status", 14.0),
    ("Letter", 16.0),
    ("Reason", 30.0),
    ("Requested at (UTC)", 21.0),
    ("Decided at (UTC)", 21.0),
    ("Family name (passport)", 22.0),
    ("Given names (passport)", 22.0),
    ("Nationality code", 9.0),
    ("Nationality", 20.0),
    ("Date of birth", 12.0),
    ("Passport number", 16.0),
    ("Issued on", 12.0),
    ("Expires on", 12.0),
    ("Issued by", 26.0),
    ("Embassy or consulate", 30.0),
    ("Arrival", 12.0),
    ("Departure", 12.0),
];

impl VisaExport {
    fn cells(&self, keys: Option<&PassportKeys>, l: &Listed) -> Result<Vec<String>, AppError> {
        let r = &l.request;
        let mut cells = vec![
            r.registration_id.to_string(),
            format!("{} {}", l.given_name, l.family_name)
                .trim()
                .to_owned(),
            l.email.clone(),
            l.registration_status.label().to_owned(),
            r.status.label().to_owned(),
            r.letter_number
                .map(|n| letter_reference(&self.event, n))
                .unwrap_or_default(),
            r.reason.clone(),
            utc(r.requested_at),
            r.decided_at.map(utc).unwrap_or_default(),
        ];
        match passport_of(keys, r)? {
            Some(p) => cells.extend([
                p.family_name.clone(),
                p.given_names.clone(),
                p.nationality.clone(),
                p.nationality_name(),
                p.date_of_birth.to_string(),
                p.passport_number.clone(),
                p.issued_on.to_string(),
                p.expires_on.to_string(),
                p.issued_by.clone(),
                p.consulate.clone(),
                p.arrival_on.to_string(),
                p.departure_on.to_string(),
            ]),
            None => cells.push("(deleted after the retention period)".to_owned()),
        }
        Ok(cells)
    }

    /// Writes the file, [`BATCH`] requests per read transaction; returns the rows.
    pub fn write_to<W: Write>(&self, out: W) -> Result<u64, ExportError> {
        let columns: Vec<Column> = COLUMNS.iter().map(|(t, w)| Column::new(*t, *w)).collect();
        let table = TableWriter::new(
            self.format,
            out,
            "Visa requests",
            &columns,
            self.app.now().naive_utc(),
        )?;
        // Rows are read first, then written: a broken stored value stops the export
        // with an error rather than writing half a row.
        let keys = self.app.passport_keys();
        write_in_batches(
            table,
            BATCH,
            |after| {
                let batch = self.app.db().read(|tx| {
                    store::batch_after(tx, self.event.id, after, BATCH).map_err(AppError::from)
                })?;
                batch
                    .iter()
                    .map(|l| Ok((l.request.registration_id, self.cells(keys.as_deref(), l)?)))
                    .collect::<Result<Vec<_>, AppError>>()
            },
            |(id, _)| *id,
            |(_, cells)| cells,
        )
    }
}

impl Export for VisaExport {
    fn format(&self) -> Format {
        self.format
    }

    fn file_name(&self) -> &str {
        &self.file_name
    }

    fn what(&self) -> &'static str {
        "visa requests"
    }

    fn event_id(&self) -> i64 {
        self.event.id
    }

    fn write_to(&self, out: &mut dyn Write) -> Result<u64, ExportError> {
        VisaExport::write_to(self, out)
    }
}
