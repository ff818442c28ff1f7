-- Registration for events (the annual meeting): categories with their capacity, the
-- form's questions, and registrations. `taken` counts the registrations that hold a
-- seat (pending or confirmed), `waiting` those on the waiting list; both change only in
-- the same transaction as the registrations' status,
-- with a conditional UPDATE, so that a burst never overbooks (also across processes
-- on PostgreSQL, where the UPDATE locks the category's row).

CREATE TABLE events (
    id                     INTEGER PRIMARY KEY,
    title                  TEXT NOT NULL,
    venue                  TEXT NOT NULL,
    time_zone              TEXT NOT NULL,
    starts_at              TEXT NOT NULL,
    ends_at                TEXT NOT NULL,
    registration_opens_at  TEXT NOT NULL,
    registration_closes_at TEXT NOT NULL,
    changes_until          TEXT NOT NULL,
    public_list            INTEGER NOT NULL,
    created_at             TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (registration_closes_at > registration_opens_at)
);

CREATE TABLE registration_categories (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('onsite', 'online')),
    capacity       INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    taken          INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0),
    waiting        INTEGER NOT NULL DEFAULT 0 CHECK (waiting >= 0),
    needs_approval INTEGER NOT NULL,
    UNIQUE (event_id, name)
);

CREATE TABLE registration_questions (
    id       INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key      TEXT NOT NULL,
    label    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    required INTEGER NOT NULL,
    options  TEXT NOT NULL,
    UNIQUE (event_id, key)
);

CREATE TABLE registrations (
    id                INTEGER PRIMARY KEY,
    event_id          INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    category_id       INTEGER NOT NULL REFERENCES registration_categories(id),
    user_id           INTEGER REFERENCES users(id) ON DELETE SET NULL,
    email             TEXT NOT NULL,
    email_key         TEXT NOT NULL,
    family_name       TEXT NOT NULL,
    given_name        TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    organization      TEXT NOT NULL,
    country           TEXT,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'rejected', 'cancelled')),
    reason            TEXT NOT NULL,
    waitlisted_at     TEXT,
    answers           TEXT NOT NULL,
    listed            INTEGER NOT NULL,
    badge_code        TEXT NOT NULL UNIQUE,
    manage_token_hash TEXT NOT NULL UNIQUE,
    checked_in_at     TEXT,
    checked_in_by     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (event_id, email_key)
);
CREATE INDEX registrations_event_status ON registrations (event_id, status, id);
CREATE INDEX registrations_waitlist ON registrations (category_id, status, waitlisted_at, id);
CREATE INDEX registrations_name ON registrations (event_id, name_key);
