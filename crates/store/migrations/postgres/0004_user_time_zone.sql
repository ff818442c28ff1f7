-- Each account's preferred time zone (an IANA name) for showing times.
ALTER TABLE users ADD COLUMN time_zone TEXT;
