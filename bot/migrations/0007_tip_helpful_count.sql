-- "Most helpful first" sorted every visible tip by a counted subquery (31 ms at 20,000 tips).
-- The count now lives on the tip, kept right by triggers whatever code adds or removes a vote.

ALTER TABLE tips ADD COLUMN helpful INTEGER NOT NULL DEFAULT 0;

UPDATE tips SET helpful = (SELECT count(*) FROM tip_votes v WHERE v.tip_id = tips.id);

CREATE TRIGGER tip_vote_added AFTER INSERT ON tip_votes BEGIN
    UPDATE tips SET helpful = helpful + 1 WHERE id = NEW.tip_id;
END;

CREATE TRIGGER tip_vote_removed AFTER DELETE ON tip_votes BEGIN
    UPDATE tips SET helpful = helpful - 1 WHERE id = OLD.tip_id;
END;

CREATE INDEX tips_most_helpful ON tips (status, helpful, published_at, id);
