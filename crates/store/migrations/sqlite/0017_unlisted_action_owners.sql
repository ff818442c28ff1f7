-- An action's owner may be someone the directory does not list: kept as written
-- (owner_as_written), with owner_kind 'unlisted' and no owner_id.
--
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt. Migrations
-- run in one transaction with foreign keys on, where dropping `actions` would cascade
-- into `action_followups`: the follow-ups are set aside first and put back after.
CREATE TABLE action_followups_kept AS SELECT * FROM action_followups;
DROP TABLE action_followups;

CREATE TABLE actions_rebuilt (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id),
    item_id          INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    text             TEXT NOT NULL,
    owner_kind       TEXT NOT NULL CHECK (owner_kind IN ('person', 'body', 'secretariat', 'unlisted')),
    owner_id         INTEGER,
    due_on           TEXT,
    status           TEXT NOT NULL,
    status_at        TEXT NOT NULL,
    status_by        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    reminded_at      TEXT,
    owner_as_written TEXT,
    import_id        INTEGER REFERENCES imported_documents(id) ON DELETE SET NULL
);
INSERT INTO actions_rebuilt (id, meeting_id, item_id, text, owner_kind, owner_id, due_on, status,
    status_at, status_by, created_at, reminded_at, owner_as_written, import_id)
SELECT id, meeting_id, item_id, text, owner_kind, owner_id, due_on, status,
    status_at, status_by, created_at, reminded_at, owner_as_written, import_id
FROM actions;
DROP TABLE actions;
ALTER TABLE actions_rebuilt RENAME TO actions;
CREATE INDEX actions_owner ON actions (owner_kind, owner_id, status);
CREATE INDEX actions_meeting ON actions (meeting_id, status);
CREATE INDEX actions_import ON actions (import_id);

CREATE TABLE action_followups (
    id         INTEGER PRIMARY KEY,
    action_id  INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author     TEXT NOT NULL
);
INSERT INTO action_followups (id, action_id, meeting_id, note, created_at, author)
SELECT id, action_id, meeting_id, note, created_at, author FROM action_followups_kept;
DROP TABLE action_followups_kept;
