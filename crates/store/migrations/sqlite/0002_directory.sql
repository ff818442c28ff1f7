-- People, organizations, bodies, memberships and subscriptions.
-- Dates (membership terms) are ISO text YYYY-MM-DD on both backends.
-- name_key columns hold a case- and accent-folded search key computed by the application,
-- so that search behaves the same on both backends.

CREATE TABLE organizations (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    name_key          TEXT NOT NULL,
    stakeholder_group TEXT,
    country           TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX organizations_search ON organizations (name_key);

CREATE TABLE persons (
    id                INTEGER PRIMARY KEY,
    family_name       TEXT,
    given_name        TEXT,
    name_key          TEXT NOT NULL,
    organization_id   INTEGER REFERENCES organizations(id),
    stakeholder_group TEXT,
    country           TEXT,
    gender            TEXT,
    email             TEXT UNIQUE,
    time_zone         TEXT,
    user_id           INTEGER UNIQUE REFERENCES users(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (family_name IS NOT NULL OR given_name IS NOT NULL)
);
CREATE INDEX persons_search ON persons (name_key);

CREATE TABLE bodies (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES bodies(id),
    kind       TEXT NOT NULL,
    short_name TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    mandate    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX bodies_parent ON bodies (parent_id);

CREATE TABLE memberships (
    id              INTEGER PRIMARY KEY,
    body_id         INTEGER NOT NULL REFERENCES bodies(id),
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    role            TEXT NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    liaison_body_id INTEGER REFERENCES bodies(id),
    created_at      TEXT NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX memberships_body ON memberships (body_id, role);
CREATE INDEX memberships_person ON memberships (person_id);

CREATE TABLE subscriptions (
    body_id    INTEGER NOT NULL REFERENCES bodies(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (body_id, person_id)
);
