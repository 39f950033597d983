-- An escalation pass sends each key person and organiser one digest listing the questions that
-- reached them. This table says which questions a queued digest lists, so that when one asker
-- erases their data, a digest that is still queued can be rewritten without their question
-- (the other askers' questions still reach the organiser) instead of being lost whole.
-- No user id here: the askers are found through the questions, the recipient through the outbox.
CREATE TABLE escalation_digests (
    outbox_id      INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    question_id    INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,          -- the order in the digest, from 1
    for_organiser  INTEGER NOT NULL,          -- reached them as an organiser (else as key person)
    PRIMARY KEY (outbox_id, question_id)
) WITHOUT ROWID;

-- Erasing a question (and its asker) finds the digests that list it without a scan.
CREATE INDEX escalation_digests_by_question ON escalation_digests (question_id);
