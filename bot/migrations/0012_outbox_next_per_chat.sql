-- The sender claims the next message of each chat: finding "is there an earlier one for this
-- chat?" is one seek in this index, also when one chat has hundreds queued.
CREATE INDEX outbox_next_per_chat ON outbox (recipient_id, priority, id) WHERE status = 'pending';
DROP INDEX outbox_by_recipient;
