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
