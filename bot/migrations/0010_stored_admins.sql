-- Admins can be stored, not only named in ADMIN_IDS: a bot that starts with no admin makes a
-- one-time admin link, and whoever opens it first becomes admin. The role is kept in `roles`,
-- and the link is an invite made by the bot itself (created_by NULL), so SQLite's CHECK and
-- NOT NULL constraints change: the two tables are rebuilt (nothing refers to them).

CREATE TABLE roles_new (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('helper', 'key_person', 'organiser', 'admin')),
    granted_by  INTEGER,                      -- NULL: by an admin link the bot made
    granted_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;
INSERT INTO roles_new (user_id, role, granted_by, granted_at)
    SELECT user_id, role, granted_by, granted_at FROM roles;
DROP TABLE roles;
ALTER TABLE roles_new RENAME TO roles;

CREATE TABLE invites_new (
    token_hash  TEXT    PRIMARY KEY,          -- sha256 of the link token; the token is never stored
    role        TEXT    NOT NULL CHECK (role IN ('helper', 'key_person', 'organiser', 'admin')),
    created_by  INTEGER REFERENCES users(id) ON DELETE CASCADE,  -- NULL: made by the bot
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    used_at     INTEGER
) WITHOUT ROWID;
INSERT INTO invites_new (token_hash, role, created_by, created_at, expires_at, used_by, used_at)
    SELECT token_hash, role, created_by, created_at, expires_at, used_by, used_at FROM invites;
DROP TABLE invites;
ALTER TABLE invites_new RENAME TO invites;
