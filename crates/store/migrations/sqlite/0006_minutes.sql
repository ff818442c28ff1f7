-- Minutes: one note per agenda item with every revision kept, the minutes' state per
-- meeting, action items and their follow-ups in later meetings.

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    item_id    INTEGER NOT NULL UNIQUE REFERENCES agenda_items(id) ON DELETE CASCADE,
    version    BIGINT NOT NULL,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE note_revisions (
    id         INTEGER PRIMARY KEY,
    note_id    INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    version    BIGINT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author     TEXT NOT NULL,
    UNIQUE (note_id, version)
);

CREATE TABLE minutes (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    revision   BIGINT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);

-- Actions outlive agenda edits (item_id is cleared) but keep their meeting: a meeting
-- with actions cannot be deleted until they are moved or dropped.
CREATE TABLE actions (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    text       TEXT NOT NULL,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('person', 'body', 'secretariat')),
    owner_id   INTEGER,
    due_on     TEXT,
    status     TEXT NOT NULL,
    status_at  TEXT NOT NULL,
    status_by  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX actions_owner ON actions (owner_kind, owner_id, status);
CREATE INDEX actions_meeting ON actions (meeting_id, status);

CREATE TABLE action_followups (
    id         INTEGER PRIMARY KEY,
    action_id  INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author     TEXT NOT NULL
);
