-- Retention finds the closed questions whose private parts are still kept by when they closed,
-- instead of stepping over every closed question: at 10x the benchmark size the daily pass held
-- the writer for a second even when nothing was due, and every write (a sign-up, an answer)
-- waited for it.

CREATE INDEX questions_to_forget ON questions (closed_at)
    WHERE status = 'closed' AND kept = 0
          AND (text IS NOT NULL OR voice IS NOT NULL OR asker_id IS NOT NULL);
