-- Documents imported into meetings (`plenary import`): which document made which
-- meeting, so that importing it again changes nothing and a corrected version replaces
-- what the earlier one stored. source_key names the meeting (folded title, body, first
-- local day); content_hash is the SHA-256 of the file.
CREATE TABLE imported_documents (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL UNIQUE REFERENCES meetings(id) ON DELETE CASCADE,
    source_key   TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    file_name    TEXT,
    imported_at  TEXT NOT NULL
);

-- An imported action keeps its owner as the document wrote it ("co-facilitators of the
-- WG-Youth"), and the import that created it, so that a corrected version replaces
-- exactly those actions. Both are NULL for actions entered by hand.
ALTER TABLE actions ADD COLUMN owner_as_written TEXT;
ALTER TABLE actions ADD COLUMN import_id INTEGER REFERENCES imported_documents(id) ON DELETE SET NULL;
CREATE INDEX actions_import ON actions (import_id);
