-- People, their roles, one-time invites, and the outbox of messages to other people.
-- Times are UTC seconds since the epoch.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,          -- Telegram user id (= private chat id)
    first_name  TEXT    NOT NULL,
    locale      TEXT,                         -- NULL until the user picks a language
    telegram_locale TEXT,                     -- their Telegram app's language, when we ship it
    reachable   INTEGER NOT NULL DEFAULT 1,   -- 0 once Telegram says they blocked the bot
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE roles (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('helper', 'key_person', 'organiser')),
    granted_by  INTEGER,
    granted_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE invites (
    token_hash  TEXT    PRIMARY KEY,          -- sha256 of the link token; the token is never stored
    role        TEXT    NOT NULL CHECK (role IN ('helper', 'key_person', 'organiser')),
    created_by  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    used_at     INTEGER
) WITHOUT ROWID;

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id  INTEGER NOT NULL,           -- a chat id: a user's private chat, or a group
    priority      INTEGER NOT NULL,           -- 0 = direct notification, 1 = bulk
    text          TEXT    NOT NULL,
    reply_markup  TEXT,                       -- JSON, Bot API form
    dedupe_key    TEXT    UNIQUE,             -- the same cause never enqueues twice
    batch_id      INTEGER,                    -- groups the rows of one announcement
    status        TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    INTEGER NOT NULL,
    error         TEXT,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER
);

CREATE INDEX outbox_due ON outbox (priority, not_before, id) WHERE status = 'pending';
CREATE INDEX outbox_by_recipient ON outbox (recipient_id) WHERE status = 'pending';
