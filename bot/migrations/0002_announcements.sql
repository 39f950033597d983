-- Subscriptions to news, the text a person is about to type, and announcements.

-- News about cafés and events is opt-in: privacy first.
ALTER TABLE users ADD COLUMN subscribed INTEGER NOT NULL DEFAULT 0;
-- What the person's next free text is for (such as 'announce'), so a restart between the
-- question and the answer loses nothing. NULL: nothing expected.
ALTER TABLE users ADD COLUMN awaiting TEXT;

CREATE INDEX users_subscribers ON users (id) WHERE subscribed = 1 AND reachable = 1;

CREATE TABLE announcements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    text            TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    recipients      INTEGER,                 -- how many subscribers it was queued for
    progress_chat   INTEGER,                 -- the organiser's message that shows progress
    progress_message INTEGER,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    finished_at     INTEGER
);

CREATE INDEX announcements_sending ON announcements (id) WHERE status = 'sending';
CREATE INDEX outbox_batches ON outbox (batch_id, status) WHERE batch_id IS NOT NULL;
