-- Invitations by e-mail to a role: a call's reviewer pool or a body's members. The
-- single-use link (its SHA-256 hash) creates the account on first use or joins an
-- existing one; what the role needs (load and expertise, membership role and term) is
-- kept as typed, as JSON, and applied when the invitation is accepted.

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('reviewer', 'member')),
    target_id   INTEGER NOT NULL,
    details     TEXT NOT NULL,
    invited_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by INTEGER REFERENCES users(id),
    revoked_at  TEXT
);
CREATE INDEX invitations_target ON invitations (kind, target_id, id);
