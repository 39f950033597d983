-- Indexes found by bench/paths.py at the benchmark size (20,000 tips).

-- /tips pages, newest first: walk visible tips in published order and stop after one page,
-- instead of reading and sorting every visible tip (25 ms -> 0.1 ms for a page).
CREATE INDEX tips_newest ON tips (status, published_at, id);

-- "1–5 of N tips": the count per language (and category) from the index alone (14 ms -> 1.6 ms).
CREATE INDEX tips_by_language ON tips (status, locale, category);
