//! A participant's badge: the PDF with the QR code of the check-in link, for the
//! registrant (through the management link or their account) and the secretariat, and
//! what a scan shows the check-in desk before anyone is checked in.

use crate::accounts::require_account;
use crate::pdf::{Badge, badge_pdf};
use crate::registration::{
    can_manage, category_of, display_name, event_dates, event_in, require_manager,
};
use crate::secrets::token_hash;
use crate::{App, AppError, Caller};
use plenary_domain::Problem;
use plenary_domain::registration::{RegistrationStatus, normalise_badge_code};
use plenary_domain::search::ascii_slug;
use plenary_store::Tx;
use plenary_store::registration::{self as store, Category, Event, Registration};

/// A badge as a file.
#[derive(Debug, Clone)]
pub struct BadgeFile {
    /// `badge-ana-maria-nunez.pdf` (ASCII; `badge-ID.pdf` for a name in another script).
    pub file_name: String,
    pub pdf: Vec<u8>,
}

/// Whose badge a code is, as the check-in desk sees it before checking in.
#[derive(Debug, Clone)]
pub struct BadgeHolder {
    pub registration: Registration,
    pub event: Event,
    pub category: Category,
}

/// A typed or scanned badge code, normalised; the field `code` when empty.
pub(crate) fn parse_code(raw: &str) -> Result<String, AppError> {
    let code = normalise_badge_code(raw);
    if code.is_empty() {
        return Err(AppError::field("code", Problem::Required));
    }
    Ok(code)
}

/// The registration of a (normalised) badge code.
pub(crate) fn by_code(tx: &mut Tx<'_>, code: &str) -> Result<Registration, AppError> {
    store::by_badge(tx, code)?.ok_or(AppError::field("code", Problem::Unknown("badge code")))
}

/// A registration's badge is issued once it is confirmed (its code opens the door).
fn require_confirmed(r: &Registration) -> Result<(), AppError> {
    if r.status == RegistrationStatus::Confirmed {
        Ok(())
    } else {
        Err(AppError::Refused(
            "the badge is issued once the registration is confirmed",
        ))
    }
}

fn file_name(r: &Registration) -> String {
    let slug = ascii_slug(&display_name(r), usize::MAX);
    if slug.is_empty() {
        format!("badge-{}.pdf", r.id)
    } else {
        format!("badge-{slug}.pdf")
    }
}

/// `Delegates · Onsite`; only `Onsite` for a category named after its mode.
fn category_line(category: &Category) -> String {
    let mode = category.mode.label();
    if category.name.trim().eq_ignore_ascii_case(mode) {
        category.name.clone()
    } else {
        format!("{} · {mode}", category.name)
    }
}

impl App {
    /// The badge of a confirmed registration, through its management link.
    pub fn badge_by_token(&self, token: &str) -> Result<BadgeFile, AppError> {
        let (r, event, category) = self.db().read(|tx| {
            let r = store::by_manage_token(tx, &token_hash(token))?.ok_or(AppError::LinkInvalid)?;
            badge_records(tx, r)
        })?;
        self.badge_file(&r, &event, &category)
    }

    /// The badge of a confirmed registration: its owner's (signed in), or any for the
    /// secretariat. Another account's registration is not found.
    pub fn badge(&self, caller: &Caller, id: i64) -> Result<BadgeFile, AppError> {
        let user = require_account(caller)?;
        let (r, event, category) = self.db().read(|tx| {
            let r = store::registration(tx, id)?
                .filter(|r| can_manage(caller) || r.user_id == Some(user.0))
                .ok_or(AppError::NotFound)?;
            badge_records(tx, r)
        })?;
        self.badge_file(&r, &event, &category)
    }

    /// Whose badge a code is and whether it was checked in (secretariat); changes
    /// nothing, so that a scanned link can open the check-in page safely.
    pub fn badge_holder(&self, caller: &Caller, code: &str) -> Result<BadgeHolder, AppError> {
        require_manager(caller)?;
        let code = parse_code(code)?;
        self.db().read(|tx| {
            let registration = by_code(tx, &code)?;
            Ok(BadgeHolder {
                event: event_in(tx, registration.event_id)?,
                category: category_of(tx, &registration)?,
                registration,
            })
        })
    }

    /// The check-in link of a badge code: the check-in page with the code filled in.
    fn check_in_url(&self, code: &str) -> String {
        let base = self.config().base_url.trim_end_matches('/');
        format!("{base}/check-in?code={code}")
    }

    /// Sets the badge (outside the transaction: shaping the text takes a moment).
    fn badge_file(
        &self,
        r: &Registration,
        event: &Event,
        category: &Category,
    ) -> Result<BadgeFile, AppError> {
        let badge = Badge {
            event: event.title.clone(),
            dates: event_dates(event)?,
            name: display_name(r),
            organization: r.organization.clone(),
            category: category_line(category),
            code: r.badge_code.clone(),
            check_in_url: self.check_in_url(&r.badge_code),
        };
        Ok(BadgeFile {
            file_name: file_name(r),
            pdf: badge_pdf(&badge)?,
        })
    }
}

/// What a confirmed registration's badge shows, read in one transaction.
fn badge_records(
    tx: &mut Tx<'_>,
    r: Registration,
) -> Result<(Registration, Event, Category), AppError> {
    require_confirmed(&r)?;
    let event = event_in(tx, r.event_id)?;
    let category = category_of(tx, &r)?;
    Ok((r, event, category))
}
