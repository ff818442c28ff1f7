-- Uploaded input documents of a meeting, optionally tied to an agenda item.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    item_id      INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX documents_meeting ON documents (meeting_id);
