-- The organiser's month: messages to one café's people.

-- A message from the organisers to the people of one café, kept from the preview to the send.
CREATE TABLE cafe_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    cafe_id      INTEGER NOT NULL REFERENCES cafes(id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text         TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'cancelled')),
    to_waitlist  INTEGER,                        -- once sent: 1 when the waitlist got it too
    recipients   INTEGER,                        -- once sent: how many people it went to
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER
);

CREATE INDEX cafe_messages_by_author ON cafe_messages (author_id);

-- Conversation hosts are a role, given by an organiser (/invite host, or from a café's list):
-- only they and organisers are offered "Sign up as host". SQLite cannot widen a CHECK, so
-- roles and invites are rebuilt with 'host' allowed (beside 'admin', from 0010).
CREATE TABLE roles_with_host (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('helper', 'key_person', 'organiser', 'admin', 'host')),
    granted_by  INTEGER,                      -- NULL: by an admin link the bot made
    granted_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;
INSERT INTO roles_with_host SELECT user_id, role, granted_by, granted_at FROM roles;
DROP TABLE roles;
ALTER TABLE roles_with_host RENAME TO roles;

CREATE TABLE invites_with_host (
    token_hash  TEXT    PRIMARY KEY,          -- sha256 of the link token; the token is never stored
    role        TEXT    NOT NULL CHECK (role IN ('helper', 'key_person', 'organiser', 'admin', 'host')),
    created_by  INTEGER REFERENCES users(id) ON DELETE CASCADE,  -- NULL: made by the bot
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    used_at     INTEGER
) WITHOUT ROWID;
INSERT INTO invites_with_host
    SELECT token_hash, role, created_by, created_at, expires_at, used_by, used_at FROM invites;
DROP TABLE invites;
ALTER TABLE invites_with_host RENAME TO invites;

-- How people felt after a café and what they want to talk about next time: asked the next
-- morning of those who were checked in. The person is kept only to take one answer each and
-- the theme that follows the mood; after two weeks (or when they erase their data) the
-- answer stays without them, and their own words go when they erase.
CREATE TABLE cafe_feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    cafe_id      INTEGER NOT NULL REFERENCES cafes(id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    mood         TEXT    NOT NULL CHECK (mood IN ('good', 'okay', 'bad')),
    theme_topic  TEXT,                            -- one of the question topics
    theme_word   TEXT,                            -- or a word or two of their own
    created_at   INTEGER NOT NULL,
    UNIQUE (cafe_id, user_id)
);

-- Weekly and fortnightly cafés: each date is its own café (its own seats and waitlist), and
-- the dates of one series share series_id (the id of its first date). The series keeps two
-- dates ahead open for sign-up; a date cancelled on its own keeps the series going.
ALTER TABLE cafes ADD COLUMN every_weeks INTEGER CHECK (every_weeks IN (1, 2));
ALTER TABLE cafes ADD COLUMN series_id INTEGER;
CREATE INDEX cafes_by_series ON cafes (series_id, starts_at) WHERE series_id IS NOT NULL;

-- A café may allow a guest per person ("+1": a child or a partner without Telegram). The guest
-- takes a seat like anyone and leaves with their host's sign-up.
ALTER TABLE cafes ADD COLUMN guests_allowed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signups ADD COLUMN guests INTEGER NOT NULL DEFAULT 0 CHECK (guests IN (0, 1));
