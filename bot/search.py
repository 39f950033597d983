"""Full-text search shared by peer questions and community tips: normalising, queries, SQL.

Convention for a searchable feature: one FTS5 table per feature, one column named `body`,
rowid = the feature's own row id, created by a migration as

    CREATE VIRTUAL TABLE <name> USING fts5(body, tokenize = "unicode61 remove_diacritics 2");

Text goes in only through `index` and queries only through `build_match`/`search`: both apply
`normalize`, so a word is found whatever its diacritics or letter variants. unicode61 then
splits words, folds case and strips Latin diacritics ("café" = "cafe") the same way on both sides.

The helpers run plain statements on the connection they are given and never commit: call
`index`/`remove`/`compact` inside `Database.transaction()`. To filter (language, hidden rows…)
join in your own query instead of post-filtering `search`, so the limit counts only real hits:

    SELECT q.id FROM questions_fts JOIN questions q ON q.id = questions_fts.rowid
    WHERE questions_fts MATCH ? AND q.language = ? ORDER BY questions_fts.rank LIMIT 3

with `build_match(user_text)` as the MATCH parameter (skip the query when it is None). A
feature whose table grows with the community keeps one `WordCounts(table)` and uses
`await counts.match(conn, user_text)` instead: the same expression without the words that are
in a large share of the entries, which cost the most to rank and tell the least, and the lowest
rowid worth ranking (`Match`); or `counts.find`, which first looks for entries with all of
those words and widens to any of them only when that finds too few.

A feature whose readers only use entries in their own languages (the knowledge base) adds a
second column, `language`, weighted 0 in the ranking:

    CREATE VIRTUAL TABLE <name> USING fts5(body, language, tokenize = ...);
    INSERT INTO <name>(<name>, rank) VALUES ('rank', 'bm25(1.0, 0.0)');

indexes with `index(..., language=locale)` and passes `languages=` to `match`/`find`: the
expression then matches only entries in those languages, inside the index, so entries nobody
asking can read are never ranked nor looked up.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import aiosqlite

Found = TypeVar("Found")

_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")

# Letter variants folded to one form, following Lucene's Arabic and Persian normalisers:
# yeh/alef maksura -> ي (U+064A), keheh -> ك (U+0643), heh variants -> ه (U+0647).
# Teh marbuta ة -> ه as well: Persian writes "مدرسه" for Arabic "مدرسة", and Arabic users often
# type ه for ة. Hamza seats fold to their bare letter (أ إ آ ٱ -> ا, ؤ -> و, ئ -> ي), because
# informal writing drops the hamza; a lone ء stays.
_ARABIC_FOLDS = {
    "ى": "ي",
    "ی": "ي",
    "ئ": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ؤ": "و",
    "ة": "ه",
    "ۃ": "ه",
    "ە": "ه",
    "ۀ": "ه",
    "ھ": "ه",
    "ہ": "ه",
    "ۂ": "ه",
}
# Harakat/tashkeel, Quranic marks and tatweel carry no meaning for finding a word.
_ARABIC_REMOVED = [chr(c) for c in range(0x064B, 0x0660)] + [
    "\u0670",
    "\u0640",
    *(chr(c) for c in range(0x06D6, 0x06EE)),
]

# Ethiopic (Tigrinya, Amharic) syllables that are homophones of another series and written
# interchangeably: ሠ series -> ሰ, ፀ series -> ጸ, ኀ series -> ሀ (ኀ is not a Tigrinya letter;
# Amharic writers use it for h). Deliberately NOT folded: ሐ/ሀ and ዐ/አ, which merged in Amharic
# but are different sounds, and so different words, in Tigrinya.
# TODO: review these folds with a native Tigrinya speaker.
_ETHIOPIC_FOLDS = {
    **{chr(0x1220 + i): chr(0x1230 + i) for i in range(8)},  # ሠ ሡ … ሧ -> ሰ ሱ … ሷ
    **{chr(0x1340 + i): chr(0x1338 + i) for i in range(7)},  # ፀ ፁ … ፆ -> ጸ ጹ … ጾ
    **{chr(0x1280 + i): chr(0x1200 + i) for i in range(8)},  # ኀ ኁ … ኇ -> ሀ ሁ … ሇ
}
# Ethiopic wordspace ፡, full stop ።, comma ፣, semicolon ፤ etc. separate words.
_ETHIOPIC_PUNCTUATION = [chr(c) for c in range(0x1360, 0x1369)]

# Invisible characters that separate words become a space: zero width space (a word break by
# definition) and bidi marks/embeddings/isolates (pasted around words in mixed-direction text).
# Every other format character (ZWNJ, ZWJ, soft hyphen, BOM, word joiner…) sits inside a word and
# is removed: "می‌خواهم" with ZWNJ becomes "میخواهم", as a user typing without ZWNJ writes it.
_INVISIBLE_SEPARATORS = ["\u200b", "\u200e", "\u200f", "\u061c", *map(chr, range(0x202A, 0x202F))]
_INVISIBLE_SEPARATORS += [chr(c) for c in range(0x2066, 0x206A)]

_CHARACTER_MAP: dict[str, str] = {
    **_ARABIC_FOLDS,
    **dict.fromkeys(_ARABIC_REMOVED, ""),
    **_ETHIOPIC_FOLDS,
    **dict.fromkeys(_ETHIOPIC_PUNCTUATION, " "),
    **dict.fromkeys(_INVISIBLE_SEPARATORS, " "),
}


@lru_cache(maxsize=8192)
def _fold_character(char: str) -> str:
    mapped = _CHARACTER_MAP.get(char)
    if mapped is not None:
        return mapped
    category = unicodedata.category(char)
    if category == "Nd":  # Arabic-Indic, Persian and every other decimal digit -> ASCII
        return str(unicodedata.decimal(char))
    if category == "Cf":
        return ""
    # Controls (a NUL ends an FTS5 query string early), lone surrogates (cannot be encoded for
    # SQLite) and private-use characters: none is part of a word.
    if category in ("Cc", "Cs", "Co"):
        return " "
    return char


def normalize(text: str) -> str:
    """The searchable form of `text`; applied identically when indexing and when querying."""
    # NFKC, casefold, NFKC again: the NFKC_Casefold recipe, as casefolding can denormalise.
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(_fold_character(char) for char in text)


def _words(text: str) -> list[str]:
    """The distinct words of `text` in order: runs of letters, marks and digits, after normalize.

    Punctuation, symbols and emoji only separate words, so they never reach a query.
    """
    found: dict[str, None] = {}
    current: list[str] = []
    for char in normalize(text) + " ":
        if unicodedata.category(char)[0] in "LMN":
            current.append(char)
        elif current:
            found["".join(current)] = None
            current = []
    return list(found)


def _query_terms(user_text: str, prefix: bool, max_terms: int) -> list[str]:
    """The user's words as quoted FTS5 terms, each safe to put in a MATCH expression."""
    terms = _words(user_text)
    longer = [term for term in terms if len(term) > 1]
    quoted = []
    for term in (longer or terms)[:max_terms]:
        phrase = '"' + term.replace('"', '""') + '"'
        # A prefix on short words would match half the index.
        quoted.append(phrase + "*" if prefix and len(term) >= 3 else phrase)
    return quoted


def build_match(user_text: str, *, prefix: bool = True, max_terms: int = 12) -> str | None:
    """An FTS5 MATCH expression finding any of the user's words, or None if there are none.

    Every word is a quoted FTS5 string, so no user text is ever read as query syntax (AND, NEAR,
    column filters, `*`, `^`…). Words are joined with OR for recall; rank the hits with bm25.
    One-letter words are dropped as noise, unless the text has nothing else: a search for "a"
    then looks for the word "a" exactly. For a table that grows large, use `WordCounts.match`.
    """
    return " OR ".join(_query_terms(user_text, prefix, max_terms)) or None


# A word in more than this share of a table's entries is left out of its queries ("how", "ik",
# "في", the city everyone lives in): each such word adds thousands of hits to rank at 10× the
# benchmark size, and bm25 weighs it little beside the rarer words that say what is asked.
# The relevance set in tests/questions finds as much with it as with every word.
COMMON_SHARE = 0.01
# Below this many entries a word is never too common: ranking a few dozen hits costs nothing,
# and a small community keeps every word of its searches.
COMMON_FLOOR = 50
# Counts change slowly (a kept question, a new tip); recount after this many seconds.
COUNTS_MAX_AGE_SECONDS = 600.0
WORDS_CONSIDERED = 40  # of a long message, before the common ones are left out
# Hits ranked at most, per common-word threshold; the newest are kept. A search for one word that
# is in every tenth entry ("DigiD", "school") would otherwise look up and rank 12,000 entries at
# 10× the benchmark size; the best of the newest few hundred are as good, and more current.
CANDIDATES_PER_THRESHOLD = 3
# ... and never more than this many: ranking costs 4 to 7 µs a hit at 10× the benchmark size
# (bm25 reads each hit's positions and length), so it stays under 2 ms however large the
# community grows. A search with several words looks for entries with all of them first
# (`WordCounts.find`), which are far fewer, so this cut is mostly felt by searches for one
# common word, where bm25 can tell entries apart by little more than their length.
RANKED_AT_MOST = 500
COUNTS_CAPACITY = 20_000  # words remembered per table, so odd input cannot fill the memory


@dataclass(frozen=True)
class Match:
    """A full-text query: the MATCH expression, and the lowest rowid worth ranking.

    Query with `… MATCH :expression AND <table>.rowid >= :from_rowid`."""

    expression: str
    from_rowid: int = 0
    # How many entries it matches, counted up to the number worth ranking (None: not counted).
    hits: int | None = None


def language_filter(languages: Iterable[str]) -> str:
    """The FTS5 expression for entries in one of `languages` (a table's `language` column)."""
    quoted = " OR ".join('"' + language.replace('"', '""') + '"' for language in languages)
    if not quoted:
        raise ValueError("a language filter needs at least one language")
    return f"language : ({quoted})"


class WordCounts:
    """How many entries of one search table hold each query term, remembered for a while.

    `match` leaves out the terms that are too common (see COMMON_SHARE), so a sentence such as
    "Hoe vind ik een huisarts in Tiel?" costs what "vind huisarts" costs. Counting stops at the
    threshold, so even the first count of "in" reads only a few thousand hits, once.
    """

    def __init__(self, table: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._table = _checked(table)
        self._clock = clock
        self._counted_at = -float("inf")
        self._threshold = 0
        self._counts: dict[str, int] = {}
        self._exact_counts: dict[str, int] = {}

    async def match(
        self,
        conn: aiosqlite.Connection,
        user_text: str,
        *,
        max_terms: int = 12,
        languages: Sequence[str] = (),
    ) -> Match | None:
        """Like `build_match`, without the common terms; when every term is common, the one in
        the fewest entries, so that a search always looks for something. The `max_terms` are
        counted after the common ones are left out: in "hi, sorry, my English is not good,
        where can I find a dentist…" the dentist is the word that matters. With `languages`,
        only entries in one of them (see the module's note on a `language` column)."""
        terms = await self._meaningful_terms(conn, user_text, max_terms)
        if not terms:
            return None
        return await self._match(conn, " OR ".join(term for term, _ in terms), languages)

    async def find(
        self,
        conn: aiosqlite.Connection,
        user_text: str,
        search: Callable[[Match], Awaitable[list[Found]]],
        *,
        enough: int,
        max_terms: int = 12,
        languages: Sequence[str] = (),
    ) -> list[Found] | None:
        """`search` for the entries that hold every meaningful word of `user_text` first; while
        that finds fewer than `enough`, the entries with any of the rarest words come after
        them, and then the entries with any of the words (`match`); at most `enough` in all.

        Entries with every word are the ones a person means, and there are few of them to
        rank. The rarest words are those whose entries together are few enough to rank all
        (`RANKED_AT_MOST`): bm25 puts the entries with the rarest word first, and ranking only
        the newest hits of every word could leave them out. None: the text has no words."""
        terms = await self._meaningful_terms(conn, user_text, max_terms)
        if not terms:
            return None
        every = [term for term, _ in terms]
        rarest = _rarest(terms)
        attempts = [" AND ".join(every)] if len(every) > 1 else []
        attempts += [" OR ".join(rarest)] + ([" OR ".join(every)] if rarest != every else [])
        found: list[Found] = []
        for words in attempts:
            match = await self._match(conn, words, languages)
            if match.hits:
                found += [hit for hit in await search(match) if hit not in found]
                if len(found) >= enough:
                    break
        return found[:enough]

    async def _meaningful_terms(
        self, conn: aiosqlite.Connection, user_text: str, max_terms: int
    ) -> list[tuple[str, int]]:
        """The quoted terms worth looking for, with their counts: the uncommon ones, or the
        least common one."""
        terms = _query_terms(user_text, True, WORDS_CONSIDERED)
        if not terms:
            return []
        await self._refresh(conn)
        counts = [await self._count(conn, term) for term in terms]
        kept = [(term, n) for term, n in zip(terms, counts, strict=True) if n <= self._threshold]
        if kept:
            return kept[:max_terms]
        # Rare: a text of everyday words only ("how do I"). Only now count them to the end.
        exact = [await self._count(conn, term, exact=True) for term in terms]
        return [(terms[exact.index(min(exact))], min(exact))]

    async def _match(
        self, conn: aiosqlite.Connection, words: str, languages: Sequence[str]
    ) -> Match:
        # The words are tied to the body: in a table with a language column, the Dutch word
        # "en" must not find every English entry.
        expression = f"{language_filter(languages)} AND body : ({words})" if languages else words
        return await self._candidates(conn, expression)

    async def _candidates(self, conn: aiosqlite.Connection, expression: str) -> Match:
        """`expression`, with the lowest rowid among the newest hits worth ranking (0 if all of
        them are) and how many hits there are, counted up to that many: one walk, newest
        first, of the hits' rowids, without ranking them."""
        worth = min(CANDIDATES_PER_THRESHOLD * self._threshold, RANKED_AT_MOST)
        rows = await conn.execute_fetchall(
            f"SELECT min(rowid), count(*) FROM (SELECT rowid FROM {self._table}"
            f" WHERE {self._table} MATCH ? ORDER BY rowid DESC LIMIT ?)",
            (expression, worth),
        )
        lowest, hits = rows[0]
        return Match(expression, lowest if hits >= worth else 0, hits)

    async def _refresh(self, conn: aiosqlite.Connection) -> None:
        now = self._clock()
        if (
            now - self._counted_at < COUNTS_MAX_AGE_SECONDS
            and len(self._counts) + len(self._exact_counts) < COUNTS_CAPACITY
        ):
            return
        self._counts.clear()
        self._exact_counts.clear()
        self._counted_at = now
        entries = await _entries(conn, self._table)
        self._threshold = max(COMMON_FLOOR, int(COMMON_SHARE * entries))

    async def _count(self, conn: aiosqlite.Connection, term: str, *, exact: bool = False) -> int:
        """Entries holding `term`: up to one past the threshold (all `match` usually needs to
        know), or all of them."""
        counts = self._exact_counts if exact else self._counts
        if term not in counts:
            rows = await conn.execute_fetchall(
                f"SELECT count(*) FROM (SELECT 1 FROM {self._table}"
                f" WHERE {self._table} MATCH ? LIMIT ?)",
                # In the body only: not "en" in the language column of every English entry.
                (f"body : {term}", -1 if exact else self._threshold + 1),  # LIMIT -1: no limit
            )
            counts[term] = rows[0][0]
        return counts[term]


def _rarest(terms: list[tuple[str, int]]) -> list[str]:
    """The rarest of the (term, count) pairs whose counts add up to at most `RANKED_AT_MOST`,
    and always the rarest one, in the order the person wrote them."""
    chosen: set[str] = set()
    total = 0
    for term, count in sorted(terms, key=lambda pair: pair[1]):
        if chosen and total + count > RANKED_AT_MOST:
            break
        chosen.add(term)
        total += count
    return [term for term, _ in terms if term in chosen]


async def _entries(conn: aiosqlite.Connection, table: str) -> int:
    """The number of entries in an FTS5 table, without reading them: the first varint of the
    table's "averages" record (rowid 1 of its %_data shadow table), which bm25 keeps current.
    Counting the rows instead takes tens of milliseconds at 200,000 entries."""
    rows = await conn.execute_fetchall(f"SELECT block FROM {table}_data WHERE id = 1")
    if not rows or not rows[0][0]:
        return 0
    value = 0
    for position, byte in enumerate(rows[0][0][:9]):
        if position == 8:  # SQLite varints: 7 bits a byte, a full ninth byte
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return value


def _checked(table: str) -> str:
    # The table name is put into the SQL text, so it must be a plain identifier.
    if not _TABLE_NAME.fullmatch(table):
        raise ValueError(f"not a valid search table name: {table!r}")
    return table


async def index(
    conn: aiosqlite.Connection, table: str, rowid: int, text: str, *, language: str | None = None
) -> None:
    """Make `text` the searchable body of `rowid`, replacing what was indexed for it before;
    `language` for a table with a language column (which then needs it)."""
    if language is None:
        await conn.execute(
            f"INSERT OR REPLACE INTO {_checked(table)}(rowid, body) VALUES (?, ?)",
            (rowid, normalize(text)),
        )
    else:
        await conn.execute(
            f"INSERT OR REPLACE INTO {_checked(table)}(rowid, body, language) VALUES (?, ?, ?)",
            (rowid, normalize(text), language),
        )


async def remove(conn: aiosqlite.Connection, table: str, rowid: int) -> None:
    """Take `rowid` out of the search; run `compact` afterwards to purge its words for good."""
    await conn.execute(f"DELETE FROM {_checked(table)} WHERE rowid = ?", (rowid,))


async def search(
    conn: aiosqlite.Connection, table: str, user_text: str, *, limit: int = 3
) -> list[int]:
    """Rowids matching any word of `user_text`, best bm25 first (newest first on a tie)."""
    match = build_match(user_text)
    if match is None:
        return []
    table = _checked(table)
    async with conn.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank, rowid DESC LIMIT ?",
        (match, limit),
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def compact(conn: aiosqlite.Connection, table: str) -> None:
    """Merge the index into one segment, so removed text no longer lingers in its b-trees.

    FTS5 deletes only add tombstones; until a merge, the old segments still hold the removed
    words. With `PRAGMA secure_delete = ON` (set by bot.db) the freed pages are zeroed too.
    It rewrites the whole index: run it after erasing a person's data, not after every edit.
    """
    table = _checked(table)
    await conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
