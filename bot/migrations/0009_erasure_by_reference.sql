-- Erasure by reference, and reports only of what a person was shown.

-- Which people an outbox row is about (whose words it quotes, whose name or Telegram link it
-- carries), besides its recipient: an erasure deletes every copy by this reference instead of
-- searching texts for a name.

CREATE TABLE outbox_about (
    outbox_id  INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,              -- no foreign key: the row goes with the outbox row
    PRIMARY KEY (user_id, outbox_id)
) WITHOUT ROWID;

-- Deleting an outbox row (sent, expired) finds its references without a scan.
CREATE INDEX outbox_about_row ON outbox_about (outbox_id);

-- Erasure and /mydata find every row to a person, finished ones too (the older index holds
-- only pending rows).
CREATE INDEX outbox_to ON outbox (recipient_id);

-- A person may report a few things an hour: counted per reporter.
CREATE INDEX reports_by_reporter ON reports (reporter_id, created_at);

-- A signed answer shows the helper's name as the people row has it now: a copy of the name
-- taken when they answered would outlive a name change, and erasure would have to find it.
ALTER TABLE answers ADD COLUMN signed INTEGER NOT NULL DEFAULT 0;
UPDATE answers SET signed = 1 WHERE signed_as IS NOT NULL;
ALTER TABLE answers DROP COLUMN signed_as;
