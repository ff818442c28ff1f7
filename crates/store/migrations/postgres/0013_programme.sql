-- The programme of an event: rooms, timeslots, sessions with their people and where
-- they are placed, people's unavailability, and the scheduler's weights. A placement
-- is a room and a timeslot (both or neither); one session per room and timeslot.

ALTER TABLE events ADD COLUMN programme_published BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN schedule_weights TEXT NOT NULL DEFAULT '{}';

CREATE TABLE programme_rooms (
    id       BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name     TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    hybrid   BOOLEAN NOT NULL,
    UNIQUE (event_id, name)
);

CREATE TABLE programme_timeslots (
    id        BIGSERIAL PRIMARY KEY,
    event_id  BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    starts_at TIMESTAMPTZ NOT NULL,
    minutes   BIGINT NOT NULL CHECK (minutes > 0),
    UNIQUE (event_id, starts_at)
);

CREATE TABLE programme_sessions (
    id                BIGSERIAL PRIMARY KEY,
    event_id          BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    session_type      TEXT NOT NULL,
    theme             TEXT NOT NULL,
    description       TEXT NOT NULL,
    duration          BIGINT NOT NULL CHECK (duration > 0),
    expected_audience BIGINT NOT NULL CHECK (expected_audience >= 0),
    format            TEXT NOT NULL CHECK (format IN ('onsite', 'online', 'hybrid')),
    language          TEXT NOT NULL,
    submission_id     BIGINT REFERENCES submissions(id) ON DELETE SET NULL,
    room_id           BIGINT REFERENCES programme_rooms(id) ON DELETE SET NULL,
    timeslot_id       BIGINT REFERENCES programme_timeslots(id) ON DELETE SET NULL,
    pinned            BOOLEAN NOT NULL,
    overridden        BOOLEAN NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT NOT NULL,
    UNIQUE (event_id, submission_id)
);
CREATE INDEX programme_sessions_event ON programme_sessions (event_id, id);
CREATE UNIQUE INDEX programme_sessions_slot ON programme_sessions (room_id, timeslot_id)
    WHERE room_id IS NOT NULL AND timeslot_id IS NOT NULL;

CREATE TABLE programme_people (
    session_id BIGINT NOT NULL REFERENCES programme_sessions(id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    name       TEXT NOT NULL,
    person_key TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('moderator', 'co_moderator', 'speaker', 'rapporteur')),
    online     BOOLEAN NOT NULL,
    time_zone  TEXT,
    PRIMARY KEY (session_id, position),
    UNIQUE (session_id, person_key)
);
CREATE INDEX programme_people_key ON programme_people (person_key, session_id);

CREATE TABLE programme_unavailability (
    id         BIGSERIAL PRIMARY KEY,
    event_id   BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    person_key TEXT NOT NULL,
    name       TEXT NOT NULL,
    starts_at  TIMESTAMPTZ NOT NULL,
    ends_at    TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX programme_unavailability_event ON programme_unavailability (event_id, person_key);
