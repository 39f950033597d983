-- When a question got its first visible answer (NULL: it still waits for one).
-- The escalation job (every 30 s), the offer of waiting questions to a new helper and
-- /unanswered all look for open questions without an answer. Most open questions have one,
-- so testing each for an answer read every open question (150 ms at 12,000 open ones);
-- these partial indexes hold only the questions that wait.
ALTER TABLE questions ADD COLUMN answered_at INTEGER;

UPDATE questions SET answered_at = (
    SELECT min(a.created_at) FROM answers a WHERE a.question_id = questions.id AND NOT a.hidden
);

CREATE INDEX questions_to_escalate ON questions (escalation, routed_at)
    WHERE status = 'open' AND answered_at IS NULL;

CREATE INDEX questions_unanswered ON questions (routed_at)
    WHERE status = 'open' AND answered_at IS NULL;
