//! A small fictional forum for trying Plenary out: `plenary serve --demo`.

use crate::{App, AppError, NewAccount};
use plenary_domain::{Grant, Role, Scope};

/// The password of every demo account. Demo databases are for trying things out only.
pub const DEMO_PASSWORD: &str = "plenary-demo";

/// (e-mail, name, role) of the demo accounts; the first is the secretariat.
pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    (
        "secretariat@demo.plenary.example",
        "Amara Okafor",
        Role::Secretariat,
    ),
    (
        "chair@demo.plenary.example",
        "Guðrún Jónsdóttir",
        Role::Chair,
    ),
    (
        "member@demo.plenary.example",
        "Rafael Ramírez García",
        Role::Member,
    ),
    (
        "reviewer@demo.plenary.example",
        "Mei Lin Chen",
        Role::Reviewer,
    ),
    (
        "proposer@demo.plenary.example",
        "Nadia Haddad",
        Role::Proposer,
    ),
    (
        "registrant@demo.plenary.example",
        "Ivan Petrov",
        Role::Registrant,
    ),
];

impl App {
    /// Fills an empty database with the demo forum; returns false (and changes nothing)
    /// when the database has accounts already.
    pub fn load_demo(&self) -> Result<bool, AppError> {
        if self.has_accounts()? {
            return Ok(false);
        }
        let (email, name, _) = DEMO_ACCOUNTS[0];
        let admin = self.bootstrap_admin(email, name, DEMO_PASSWORD)?;
        let caller = admin.caller_for_demo();
        for &(email, name, role) in &DEMO_ACCOUNTS[1..] {
            let account = NewAccount {
                email: email.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                grants: vec![Grant {
                    role,
                    scope: Scope::Global,
                }],
            };
            self.create_user(&caller, &account)?;
        }
        Ok(true)
    }
}

impl crate::UserDetail {
    fn caller_for_demo(&self) -> crate::Caller {
        crate::Caller {
            principal: plenary_domain::Principal::User {
                id: self.user.id,
                grants: self.grants.clone(),
            },
            label: self.user.email.clone(),
            client_ip: None,
        }
    }
}
