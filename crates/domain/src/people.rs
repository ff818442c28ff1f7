//! People, organizations and bodies: names, stakeholder groups, membership roles and terms.
