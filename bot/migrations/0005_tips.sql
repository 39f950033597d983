-- Community tips: what compatriots tell each other, findable, and kept fresh by their authors.

CREATE TABLE tips (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    category        TEXT    NOT NULL,
    locale          TEXT    NOT NULL,             -- the author's language when they wrote it
    text            TEXT    NOT NULL,
    photo           TEXT,                         -- Telegram file id
    latitude        REAL,                         -- a place: a Telegram location or venue
    longitude       REAL,
    place           TEXT,                         -- the venue's name and address, if any
    area            TEXT,                         -- a city or neighbourhood, as the author wrote it
    status          TEXT    NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'pending', 'visible', 'hidden')),
    -- why a tip waits for an organiser (pending) or is hidden
    review          TEXT    CHECK (review IN ('new_author', 'no_answer', 'outdated', 'author',
                                              'organiser', 'report')),
    created_at      INTEGER NOT NULL,
    published_at    INTEGER,                      -- first shown to everyone
    confirmed_at    INTEGER NOT NULL,             -- written, edited or confirmed: freshness counts from here
    fresh_asked_at  INTEGER,                      -- the author was asked "Is this still right?"
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

CREATE INDEX tips_browse ON tips (status, category, published_at);
CREATE INDEX tips_by_author ON tips (author_id, created_at);
CREATE INDEX tips_freshness ON tips (status, confirmed_at);
CREATE INDEX tips_with_place ON tips (status) WHERE latitude IS NOT NULL;

-- One "Helpful" per person per tip.
CREATE TABLE tip_votes (
    tip_id      INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tip_id, user_id)
) WITHOUT ROWID;

-- "Outdated?" flags since the tip was last edited or looked at by an organiser.
CREATE TABLE tip_outdated (
    tip_id      INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tip_id, user_id)
) WITHOUT ROWID;

-- Searchable text of tips (rowid = tip id), written through bot.search.
CREATE VIRTUAL TABLE tips_fts USING fts5(body, tokenize = "unicode61 remove_diacritics 2");
