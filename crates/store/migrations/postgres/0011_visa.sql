-- Visa invitation letters. Passport details live in their own table (never selected
-- with a registration) as one JSON value that the purge sets to NULL a retention period
-- after the event ends; the request's status and dates stay for the record.

ALTER TABLE events ADD COLUMN visa_letters BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN visa_retention_days BIGINT NOT NULL DEFAULT 30
    CHECK (visa_retention_days BETWEEN 1 AND 366);

CREATE TABLE visa_requests (
    registration_id BIGINT PRIMARY KEY REFERENCES registrations(id) ON DELETE CASCADE,
    event_id        BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('requested', 'issued', 'refused')),
    passport        TEXT,
    reason          TEXT NOT NULL,
    letter_number   BIGINT,
    requested_at    TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    decided_at      TIMESTAMPTZ,
    decided_by      TEXT,
    purged_at       TIMESTAMPTZ,
    CHECK ((passport IS NULL) = (purged_at IS NOT NULL)),
    UNIQUE (event_id, letter_number)
);
CREATE INDEX visa_requests_event ON visa_requests (event_id, status, registration_id);
CREATE INDEX visa_requests_unpurged ON visa_requests (event_id) WHERE purged_at IS NULL;
