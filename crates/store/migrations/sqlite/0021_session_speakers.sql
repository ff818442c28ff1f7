-- Invitations to be a speaker or moderator of a programme session (kind 'speaker',
-- target: the session), and the link of a session's person row to the account and the
-- directory entry of the person who accepted such an invitation (kept across edits of
-- the session's people by the row's person key).
--
-- SQLite cannot change a CHECK constraint in place, so `invitations` is rebuilt (no
-- table refers to it).
CREATE TABLE invitations_rebuilt (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('reviewer', 'member', 'speaker')),
    target_id   INTEGER NOT NULL,
    details     TEXT NOT NULL,
    invited_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by INTEGER REFERENCES users(id),
    revoked_at  TEXT
);
INSERT INTO invitations_rebuilt (id, token_hash, email, kind, target_id, details, invited_by,
    created_at, expires_at, accepted_at, accepted_by, revoked_at)
SELECT id, token_hash, email, kind, target_id, details, invited_by,
    created_at, expires_at, accepted_at, accepted_by, revoked_at
FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_rebuilt RENAME TO invitations;
CREATE INDEX invitations_target ON invitations (kind, target_id, id);

ALTER TABLE programme_people ADD COLUMN user_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE programme_people ADD COLUMN person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL;
CREATE INDEX programme_people_user ON programme_people (user_id);
