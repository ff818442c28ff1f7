-- Releases of an event's programme: the board edits a working version, and the public
-- sees the newest release while `events.programme_published` holds. A release keeps
-- its version name (unique per event, case aside), the secretariat's change-log
-- comment, who published it and when, how many sessions it added, moved and removed
-- against the release before, and the public programme as it was (`snapshot`: JSON of
-- the rooms, timeslots and placed sessions with their people; see
-- crates/app/src/programme_release.rs for why JSON rather than rows).
CREATE TABLE programme_releases (
    id           BIGSERIAL PRIMARY KEY,
    event_id     BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    number       BIGINT NOT NULL CHECK (number > 0),
    version      TEXT NOT NULL,
    version_key  TEXT NOT NULL,
    comment      TEXT NOT NULL,
    author       TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    added        BIGINT NOT NULL,
    moved        BIGINT NOT NULL,
    removed      BIGINT NOT NULL,
    retitled     BIGINT NOT NULL,
    sessions     BIGINT NOT NULL,
    snapshot     TEXT NOT NULL,
    UNIQUE (event_id, number),
    UNIQUE (event_id, version_key)
);
