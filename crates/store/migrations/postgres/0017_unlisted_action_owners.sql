-- An action's owner may be someone the directory does not list: kept as written
-- (owner_as_written), with owner_kind 'unlisted' and no owner_id.
ALTER TABLE actions DROP CONSTRAINT actions_owner_kind_check;
ALTER TABLE actions ADD CONSTRAINT actions_owner_kind_check
    CHECK (owner_kind IN ('person', 'body', 'secretariat', 'unlisted'));
