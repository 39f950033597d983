-- Photos and documents in questions and answers, and files in the outbox.

-- A photo or document of a question (answer_id NULL: the asker's) or of an answer. Only the
-- Telegram file id is kept, never the file: what was sent as a file was cleaned of its hidden
-- details (place, device, author) and sent back to its sender first, and this is that copy.
-- The ids go 30 days after the question closes (retention), and with the question.
CREATE TABLE question_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    answer_id    INTEGER REFERENCES answers(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('photo', 'document')),
    file_id      TEXT    NOT NULL,
    added_at     INTEGER NOT NULL
);

CREATE INDEX question_files_of ON question_files (question_id, answer_id);

-- A message in the outbox may carry one file: a voice note, a photo or a document, either a
-- Telegram file id sent again or bytes to upload (a calendar file) under file_name. The text
-- is its caption. The voice column of 0004 becomes one kind of it.
ALTER TABLE outbox ADD COLUMN file_kind TEXT CHECK (file_kind IN ('voice', 'photo', 'document'));
ALTER TABLE outbox ADD COLUMN file_id TEXT;
ALTER TABLE outbox ADD COLUMN file_bytes BLOB;
ALTER TABLE outbox ADD COLUMN file_name TEXT;
UPDATE outbox SET file_kind = 'voice', file_id = voice WHERE voice IS NOT NULL;
ALTER TABLE outbox DROP COLUMN voice;
