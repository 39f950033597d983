-- Peer questions, the helpers who answer them, the knowledge base, and moderation.

-- Other languages someone can read besides their own (comma-separated locales).
ALTER TABLE users ADD COLUMN also_reads TEXT NOT NULL DEFAULT '';

-- A voice note relayed through the outbox (a Telegram file id; the text is its caption).
ALTER TABLE outbox ADD COLUMN voice TEXT;

CREATE TABLE helpers (
    user_id        INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    languages      TEXT    NOT NULL DEFAULT '',   -- comma-separated locales they answer in
    topics         TEXT    NOT NULL DEFAULT '',   -- comma-separated topics
    paused         INTEGER NOT NULL DEFAULT 0,
    show_name      INTEGER NOT NULL DEFAULT 0,    -- sign answers with their first name
    last_asked_at  INTEGER NOT NULL DEFAULT 0,    -- least recently asked go first
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE questions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    asker_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    topic          TEXT    NOT NULL,
    locale         TEXT    NOT NULL,
    text           TEXT,
    voice          TEXT,                          -- Telegram file id of a voice note
    status         TEXT    NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'open', 'closed', 'hidden')),
    escalation     INTEGER NOT NULL DEFAULT 0,    -- 0 helpers, 1 key persons, 2 organisers
    kept           INTEGER NOT NULL DEFAULT 0,    -- 1: in the knowledge base, without the asker
    created_at     INTEGER NOT NULL,
    routed_at      INTEGER,
    closed_at      INTEGER
);

CREATE INDEX questions_waiting ON questions (status, escalation, routed_at);
CREATE INDEX questions_by_asker ON questions (asker_id, created_at);

-- Who received a question: never sent to the same person twice.
CREATE TABLE question_recipients (
    question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sent_at      INTEGER NOT NULL,
    PRIMARY KEY (question_id, user_id)
) WITHOUT ROWID;

CREATE TABLE answers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id    INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    helper_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    text           TEXT,
    voice          TEXT,
    by_key_person  INTEGER NOT NULL DEFAULT 0,
    signed_as      TEXT,                          -- the helper's first name, if they chose so
    accepted       INTEGER NOT NULL DEFAULT 0,
    hidden         INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

CREATE INDEX answers_by_question ON answers (question_id);

-- The searchable knowledge base: kept questions with their answers (rowid = question id).
CREATE VIRTUAL TABLE knowledge USING fts5(body, tokenize = "unicode61 remove_diacritics 2");

-- Moderation, shared by questions and tips.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL CHECK (kind IN ('question', 'answer', 'tip')),
    target_id    INTEGER NOT NULL,
    reporter_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'hidden', 'dismissed')),
    created_at   INTEGER NOT NULL,
    handled_at   INTEGER
);

CREATE UNIQUE INDEX reports_once ON reports (kind, target_id, reporter_id);

CREATE TABLE blocks (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    reason      TEXT    NOT NULL,
    blocked_by  INTEGER,
    blocked_at  INTEGER NOT NULL
);

-- Who hid or blocked what, and why (the audit trail organisers and admins answer to).
CREATE TABLE moderation_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id  INTEGER,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    reason    TEXT,
    at        INTEGER NOT NULL
);

-- A newcomer asks a key person to go along (GP, police, school, municipality). Who they are is
-- shared with the key person only after both have said yes.
CREATE TABLE accompaniments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    requester_id   INTEGER REFERENCES users(id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL
                   CHECK (kind IN ('gp', 'police', 'school', 'municipality', 'other')),
    locale         TEXT    NOT NULL,
    note           TEXT    NOT NULL,              -- when and where, in the requester's words
    status         TEXT    NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'accepted', 'confirmed', 'cancelled')),
    key_person_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    accepted_at    INTEGER,
    confirmed_at   INTEGER
);
