-- Invitations to be a speaker or moderator of a programme session (kind 'speaker',
-- target: the session), and the link of a session's person row to the account and the
-- directory entry of the person who accepted such an invitation (kept across edits of
-- the session's people by the row's person key).
ALTER TABLE invitations DROP CONSTRAINT invitations_kind_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_kind_check
    CHECK (kind IN ('reviewer', 'member', 'speaker'));

ALTER TABLE programme_people ADD COLUMN user_id BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE programme_people ADD COLUMN person_id BIGINT REFERENCES persons(id) ON DELETE SET NULL;
CREATE INDEX programme_people_user ON programme_people (user_id);
