-- Releases of an event's programme: the board edits a working version, and the public
-- sees the newest release while `events.programme_published` holds. A release keeps
-- its version name (unique per event, case aside), the secretariat's change-log
-- comment, who published it and when, how many sessions it added, moved and removed
-- against the release before, and the public programme as it was (`snapshot`: JSON of
-- the rooms, timeslots and placed sessions with their people; see
-- crates/app/src/programme_release.rs for why JSON rather than rows).
CREATE TABLE programme_releases (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL CHECK (number > 0),
    version      TEXT NOT NULL,
    version_key  TEXT NOT NULL,
    comment      TEXT NOT NULL,
    author       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    added        INTEGER NOT NULL,
    moved        INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    retitled     INTEGER NOT NULL,
    sessions     INTEGER NOT NULL,
    snapshot     TEXT NOT NULL,
    UNIQUE (event_id, number),
    UNIQUE (event_id, version_key)
);
