-- The knowledge base keeps each entry's language in the full-text index itself (issue 22), so
-- that a search matches only the entries in the languages the reader reads: with eight
-- languages in one index, a common word such as "DigiD" otherwise finds and ranks thousands of
-- entries nobody asking can read, and each of them was looked up in `questions` to be dropped.
-- `language` is the question's locale, one token ("nl"); searches filter it by column
-- (`language : ("nl" OR "en") AND body : (...)`), and its weight in bm25 is 0, so the ranking of
-- the body stays what it was.
CREATE VIRTUAL TABLE knowledge_by_language
    USING fts5(body, language, tokenize = "unicode61 remove_diacritics 2");
INSERT INTO knowledge_by_language(knowledge_by_language, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
-- An entry whose question is gone had nothing left to show; it is not carried over.
INSERT INTO knowledge_by_language(rowid, body, language)
    SELECT knowledge.rowid, knowledge.body, q.locale
    FROM knowledge JOIN questions q ON q.id = knowledge.rowid;
DROP TABLE knowledge;
ALTER TABLE knowledge_by_language RENAME TO knowledge;
