-- Meetings with rooms, agenda days and items, and attendance.
-- Instants are UTC; days are ISO dates (YYYY-MM-DD) in the meeting's own time zone.
-- Line lists (interventions, documents, outputs) are newline-separated text.

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    body_id     INTEGER NOT NULL REFERENCES bodies(id),
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    mode        TEXT NOT NULL,
    venue       TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    description TEXT NOT NULL,
    published   INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_body ON meetings (body_id, starts_at);

CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    building   TEXT NOT NULL,
    UNIQUE (meeting_id, name)
);

CREATE TABLE agenda_days (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    day             TEXT NOT NULL,
    room_id         INTEGER REFERENCES rooms(id),
    label           TEXT NOT NULL,
    input_documents TEXT NOT NULL,
    desired_outputs TEXT NOT NULL,
    UNIQUE (meeting_id, day)
);

CREATE TABLE agenda_items (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    day_id          INTEGER NOT NULL REFERENCES agenda_days(id) ON DELETE CASCADE,
    parent_id       INTEGER REFERENCES agenda_items(id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    number          TEXT,
    title           TEXT NOT NULL,
    starts_at       TEXT,
    ends_at         TEXT,
    room_id         INTEGER REFERENCES rooms(id),
    presenters      TEXT NOT NULL,
    interventions   TEXT NOT NULL,
    input_documents TEXT NOT NULL,
    desired_outputs TEXT NOT NULL,
    CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX agenda_items_day ON agenda_items (day_id, position);

CREATE TABLE attendance (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    role_group TEXT NOT NULL,
    status     TEXT NOT NULL,
    UNIQUE (meeting_id, person_id)
);

CREATE TABLE role_group_order (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    role_group TEXT NOT NULL,
    position   BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, role_group)
);
