-- Remote participation: the link to join online (Zoom, Webex, Teams, Jitsi…), shown
-- only to those entitled, and the link of the public stream, per meeting and per
-- programme session. An event's own links serve its sessions that have none.
ALTER TABLE meetings ADD COLUMN join_url TEXT;
ALTER TABLE meetings ADD COLUMN stream_url TEXT;
ALTER TABLE programme_sessions ADD COLUMN join_url TEXT;
ALTER TABLE programme_sessions ADD COLUMN stream_url TEXT;
ALTER TABLE events ADD COLUMN join_url TEXT;
ALTER TABLE events ADD COLUMN stream_url TEXT;
