-- Visa invitation letters. Passport details live in their own table (never selected
-- with a registration) as one JSON value that the purge sets to NULL a retention period
-- after the event ends; the request's status and dates stay for the record.

ALTER TABLE events ADD COLUMN visa_letters INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN visa_retention_days INTEGER NOT NULL DEFAULT 30
    CHECK (visa_retention_days BETWEEN 1 AND 366);

CREATE TABLE visa_requests (
    registration_id INTEGER PRIMARY KEY REFERENCES registrations(id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('requested', 'issued', 'refused')),
    passport        TEXT,
    reason          TEXT NOT NULL,
    letter_number   INTEGER,
    requested_at    TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    decided_at      TEXT,
    decided_by      TEXT,
    purged_at       TEXT,
    CHECK ((passport IS NULL) = (purged_at IS NOT NULL)),
    UNIQUE (event_id, letter_number)
);
CREATE INDEX visa_requests_event ON visa_requests (event_id, status, registration_id);
CREATE INDEX visa_requests_unpurged ON visa_requests (event_id) WHERE purged_at IS NULL;
