-- Self-service sign-up: every request is kept (for the limits per address and per
-- client address); a request for a free address holds the single-use verification
-- link (its SHA-256 hash) and the new account's name and password hash until the link
-- is followed. A request for an address that has an account holds no link.

CREATE TABLE sign_ups (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    token_hash    TEXT UNIQUE,
    client_ip     TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);
CREATE INDEX sign_ups_email ON sign_ups (email, created_at);
CREATE INDEX sign_ups_client_ip ON sign_ups (client_ip, created_at);
