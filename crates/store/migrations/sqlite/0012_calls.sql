-- Calls for submissions, their forms, submissions with their proposers and files, the
-- reviewer pools, conflicts of interest, bids, assignments, reviews and decisions.
-- A session proposal's typed content (and a draft's, as typed) is one JSON value;
-- the columns beside it (title, theme, type) are copied for lists and filters.

CREATE TABLE calls (
    id                    INTEGER PRIMARY KEY,
    kind                  TEXT NOT NULL,
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL,
    time_zone             TEXT NOT NULL,
    opens_at              TEXT NOT NULL,
    closes_at             TEXT NOT NULL,
    max_per_person        INTEGER CHECK (max_per_person IS NULL OR max_per_person > 0),
    editable_until_close  INTEGER NOT NULL,
    themes                TEXT NOT NULL,
    prerequisite_kind     TEXT NOT NULL CHECK (prerequisite_kind IN ('none', 'registration', 'accepted_submission')),
    prerequisite_id       INTEGER,
    country_groups        TEXT NOT NULL,
    reviewers_per_submission INTEGER NOT NULL CHECK (reviewers_per_submission BETWEEN 1 AND 20),
    criteria              TEXT NOT NULL,
    scale_min             INTEGER NOT NULL,
    scale_max             INTEGER NOT NULL,
    balance_penalty_micros INTEGER NOT NULL CHECK (balance_penalty_micros >= 0),
    published             INTEGER NOT NULL,
    created_at            TEXT NOT NULL,
    CHECK (closes_at > opens_at),
    CHECK (scale_max > scale_min),
    CHECK ((prerequisite_kind = 'none') = (prerequisite_id IS NULL))
);

CREATE TABLE call_questions (
    id         INTEGER PRIMARY KEY,
    call_id    INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    key        TEXT NOT NULL,
    label      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    required   INTEGER NOT NULL,
    options    TEXT NOT NULL,
    max_bytes  INTEGER,
    file_types TEXT NOT NULL,
    UNIQUE (call_id, key)
);

CREATE TABLE submissions (
    id              INTEGER PRIMARY KEY,
    call_id         INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'changes_requested', 'accepted', 'rejected', 'merged', 'withdrawn')),
    title           TEXT NOT NULL,
    session_type    TEXT,
    theme           TEXT,
    proposal        TEXT,
    answers         TEXT NOT NULL,
    first_time      INTEGER NOT NULL,
    merged_into     INTEGER REFERENCES submissions(id),
    decision_reason TEXT NOT NULL,
    decided_at      TEXT,
    decided_by      TEXT,
    created_at      TEXT NOT NULL,
    submitted_at    TEXT,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX submissions_call ON submissions (call_id, status, id);

CREATE TABLE submission_people (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL CHECK (role IN ('proposer', 'co_proposer')),
    added_at      TEXT NOT NULL,
    PRIMARY KEY (submission_id, user_id)
);
CREATE INDEX submission_people_user ON submission_people (user_id, submission_id);

CREATE TABLE submission_files (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (submission_id, question_key)
);

CREATE TABLE call_reviewers (
    call_id           INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL REFERENCES users(id),
    max_load          INTEGER NOT NULL CHECK (max_load >= 0),
    organization      TEXT NOT NULL,
    stakeholder_group TEXT,
    expertise         TEXT NOT NULL,
    added_at          TEXT NOT NULL,
    PRIMARY KEY (call_id, user_id)
);

CREATE TABLE review_conflicts (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    reason        TEXT NOT NULL,
    declared_at   TEXT NOT NULL,
    PRIMARY KEY (submission_id, user_id)
);

CREATE TABLE review_bids (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    level         INTEGER NOT NULL CHECK (level BETWEEN -1 AND 2),
    PRIMARY KEY (submission_id, user_id)
);

CREATE TABLE review_assignments (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    source        TEXT NOT NULL CHECK (source IN ('solver', 'manual')),
    assigned_at   TEXT NOT NULL,
    PRIMARY KEY (submission_id, user_id)
);
CREATE INDEX review_assignments_user ON review_assignments (user_id, submission_id);

CREATE TABLE reviews (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    scores        TEXT NOT NULL,
    comment       TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (submission_id, user_id)
);
