-- Mail: attachments of outbox messages, the secretariat's edited templates, and the
-- moment a worker handed a message to the SMTP server (just before the end of DATA).
ALTER TABLE outbox ADD COLUMN handed_over_at TEXT;

CREATE TABLE outbox_attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    UNIQUE (message_id, position)
);

CREATE TABLE mail_templates (
    kind       TEXT PRIMARY KEY,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
