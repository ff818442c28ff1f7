//! Plenary's domain: types and rules, no I/O.
//!
//! Values are parsed once at the edge (`Email::parse`, `Password::parse`, ...) and are
//! valid from then on; errors name the field so a page can mark it.

pub mod access;
pub mod account;
pub mod assignment;
pub mod call_form;
pub mod calls;
pub mod dates;
pub mod diversity;
pub mod error;
pub mod geo;
pub mod ical;
pub mod ids;
pub mod import;
pub mod links;
pub mod meetings;
pub mod minutes;
pub mod people;
pub mod programme;
pub mod registration;
pub mod review;
pub mod schedule;
pub mod search;
pub mod sign_in_throttle;
pub mod summary;
pub mod time;
pub mod visa;

pub use access::{Grant, Permission, Principal, Role, Scope};
pub use account::{DisplayName, Email, Password};
pub use error::{FieldError, Problem};
pub use ids::{ApiTokenId, UserId};
