-- When the owner of an action was reminded of its due date (once per action).
ALTER TABLE actions ADD COLUMN reminded_at TEXT;
