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

-- Everyone who answers questions has a helper profile, so that /helper says truthfully what
-- they receive: key persons keep receiving questions in their own language (now on every
-- topic), helpers who never opened /helper were getting nothing and are shown as paused.
INSERT INTO helpers (user_id, languages, topics, paused, show_name, created_at, updated_at)
SELECT u.id, coalesce(u.locale, u.telegram_locale, ''), '',
       min(CASE r.role WHEN 'key_person' THEN 0 ELSE 1 END), 0,
       CAST(strftime('%s', 'now') AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER)
FROM roles r JOIN users u ON u.id = r.user_id
WHERE r.role IN ('helper', 'key_person')
      AND NOT EXISTS (SELECT 1 FROM helpers h WHERE h.user_id = u.id)
GROUP BY u.id;
