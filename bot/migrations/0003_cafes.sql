-- Language cafés, the seats people take in them, and the café an organiser is still writing.

CREATE TABLE cafes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT    NOT NULL,
    place          TEXT    NOT NULL,
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity >= 1),        -- learners
    host_capacity  INTEGER NOT NULL DEFAULT 0 CHECK (host_capacity >= 0),
    level          TEXT,                                         -- such as "A2–B1"
    description    TEXT,
    monthly        INTEGER NOT NULL DEFAULT 0,   -- 1: the next one (same nth weekday) follows
    status         TEXT    NOT NULL DEFAULT 'scheduled'
                   CHECK (status IN ('scheduled', 'cancelled')),
    checkin_token  TEXT    NOT NULL,             -- in the self check-in link shown at the café
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    followed_by    INTEGER REFERENCES cafes(id) ON DELETE SET NULL,
    -- Counts kept when the personal sign-ups of a past café are deleted (retention).
    signed_up      INTEGER,
    attended       INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE INDEX cafes_by_start ON cafes (status, starts_at);

CREATE TABLE signups (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order, for the waitlist
    cafe_id        INTEGER NOT NULL REFERENCES cafes(id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL CHECK (kind IN ('learner', 'host')),
    status         TEXT    NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    checked_in_at  INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

-- One active sign-up per person per café.
CREATE UNIQUE INDEX signups_one_per_person ON signups (cafe_id, user_id) WHERE status != 'cancelled';
CREATE INDEX signups_by_cafe ON signups (cafe_id, kind, status, id);
CREATE INDEX signups_by_user ON signups (user_id, status);

CREATE TABLE cafe_drafts (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    fields      TEXT    NOT NULL,                -- JSON: what the organiser entered so far
    updated_at  INTEGER NOT NULL
);

-- An announcement of a café is rendered per reader: the café card in their language, with a
-- Sign up button.
ALTER TABLE announcements ADD COLUMN cafe_id INTEGER REFERENCES cafes(id) ON DELETE SET NULL;
