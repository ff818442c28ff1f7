-- A day of an agenda may say its hours (when the room opens and closes); an item outside
-- them is flagged on the meeting's page. Without them, the meeting's own hours apply.
ALTER TABLE agenda_days ADD COLUMN starts_at TEXT;
ALTER TABLE agenda_days ADD COLUMN ends_at TEXT;
