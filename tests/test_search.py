import aiosqlite
import pytest

from bot import search

TABLE = "docs_fts"

BAD_INPUTS = [
    "",
    " ",
    "!?.,;",
    "🙂🙂🙂",
    "👩‍👩‍👧 🇳🇱",
    "x" * 10_000,
    "woord " * 2_000,
    '"',
    "'",
    '"unbalanced',
    'un"bal\'anced""',
    "-",
    "^",
    ":",
    "(",
    ")",
    "()",
    "*",
    "**",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "NEAR(a b, 3)",
    "a AND b OR NOT c",
    "body:huisarts",
    "col:term",
    "{body}: test",
    "-huisarts",
    "^huisarts",
    "huis*",
    "'; DROP TABLE docs_fts; --",
    "\x00",
    "huis\x00arts",
    "\ud800 lone surrogate",
    "\u200c\u200d\u200b\u202e\ufeff",
    "a",
    "é",
    "1",
    "a b c",
    "Huisarts كتاب میخواهم ቤት፡ጽሕፈት Привет 你好",
    "\ue000private\uf8ff",
    "\t\n\r",
]


@pytest.fixture
async def conn(tmp_path):
    connection = await aiosqlite.connect(tmp_path / "search.sqlite", isolation_level=None)
    await connection.execute("PRAGMA secure_delete = ON")
    await connection.execute(
        f'CREATE VIRTUAL TABLE {TABLE} USING fts5(body, tokenize = "unicode61 remove_diacritics 2")'
    )
    yield connection
    await connection.close()


async def finds(conn, stored: str, query: str) -> bool:
    await search.index(conn, TABLE, 1, stored)
    return await search.search(conn, TABLE, query) == [1]


@pytest.mark.parametrize("text", BAD_INPUTS)
async def test_any_user_text_gives_a_valid_match_or_none(conn, text):
    await search.index(conn, TABLE, 1, "huisarts woord a")
    await search.index(conn, TABLE, 2, text)  # indexing odd text must not fail either
    for prefix in (True, False):
        match = search.build_match(text, prefix=prefix)
        if match is not None:
            async with conn.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?", (match,)):
                pass
    assert isinstance(await search.search(conn, TABLE, text), list)


@pytest.mark.parametrize("text", ["", "   ", "!?", "🙂", '"', "()", "\x00", "\u200c"])
def test_nothing_to_search_for_is_none(text):
    assert search.build_match(text) is None


def test_query_syntax_is_quoted_not_interpreted():
    assert search.build_match("NEAR( huisarts") == '"near"* OR "huisarts"*'
    assert search.build_match("body:tandarts") == '"body"* OR "tandarts"*'


def test_short_words_dropped_unless_nothing_else():
    assert search.build_match("a huisarts") == '"huisarts"*'
    assert search.build_match("a") == '"a"'
    assert search.build_match("a b a") == '"a" OR "b"'


def test_prefix_only_on_words_of_three_letters_or_more():
    assert search.build_match("ik wil een huisarts") == '"ik" OR "wil"* OR "een"* OR "huisarts"*'
    assert search.build_match("ik wil", prefix=False) == '"ik" OR "wil"'


def test_max_terms():
    match = search.build_match(" ".join(f"woord{n}" for n in range(50)), max_terms=3)
    assert match == '"woord0"* OR "woord1"* OR "woord2"*'


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("كتاب", "کتاب"),
        ("کتاب", "كتاب"),
        ("يوم", "یوم"),
        ("مدرسى", "مدرسی"),
        ("مدرسه", "مَدْرَسَة"),
        ("مدرسة", "مَدْرَسَة"),
        ("مدرسة", "مدرسه"),
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آب", "اب"),
        ("مسؤول", "مسوول"),
        ("كتـــاب", "كتاب"),
        ("می‌خواهم", "میخواهم"),
        ("میخواهم", "می‌خواهم"),
        ("خانۀ", "خانه"),
        ("١٢٣", "123"),
        ("۱۲۳", "123"),
        ("123", "١٢٣"),
        ("Huisarts", "huisarts"),
        ("HUISARTS", "Huisarts"),
        ("café", "cafe"),
        ("cafe", "café"),
        ("cafe\u0301", "café"),
        ("naïeve", "naieve"),
        ("Straße", "strasse"),
        ("ﬁets", "fiets"),
        ("\u202bمرحبا\u202c", "مرحبا"),
        ("ሠላም", "ሰላም"),
        ("ፀሓይ", "ጸሓይ"),
    ],
)
async def test_normalisation_finds_the_same_word(conn, stored, query):
    assert await finds(conn, stored, query)


@pytest.mark.parametrize("separator", ["፡", "።", "፣", "፤"])
async def test_ethiopic_punctuation_splits_words(conn, separator):
    await search.index(conn, TABLE, 1, f"ሰላም{separator}ኣሎኹ")
    assert await search.search(conn, TABLE, "ኣሎኹ") == [1]
    assert search.build_match(f"ሰላም{separator}ኣሎኹ") == '"ሰላም"* OR "ኣሎኹ"*'


async def test_different_words_are_not_found(conn):
    assert not await finds(conn, "huisarts", "tandarts")
    # Distinct sounds in Tigrinya stay distinct: ሐ is not ሀ.
    assert search.normalize("ሓደ") != search.normalize("ሃደ")


async def test_more_relevant_document_ranks_first(conn):
    await search.index(conn, TABLE, 1, "Waar vind ik een fiets? Ik zoek een goedkope fiets.")
    await search.index(conn, TABLE, 2, "Hoe vind ik een huisarts in Utrecht? Huisarts gezocht.")
    await search.index(conn, TABLE, 3, "Is een huisarts nodig voor de tandarts?")
    assert await search.search(conn, TABLE, "huisarts utrecht") == [2, 3]
    assert await search.search(conn, TABLE, "huisarts utrecht", limit=1) == [2]


async def test_prefix_finds_longer_word(conn):
    assert await finds(conn, "Ik zoek een huisarts", "huisar")


async def test_index_replaces_previous_text(conn):
    await search.index(conn, TABLE, 1, "fiets")
    await search.index(conn, TABLE, 1, "huisarts")
    assert await search.search(conn, TABLE, "fiets") == []
    assert await search.search(conn, TABLE, "huisarts") == [1]


async def test_remove_and_compact_purge_the_text(conn):
    await search.index(conn, TABLE, 1, "geheimwoord zebrapaard")
    await search.index(conn, TABLE, 2, "huisarts")
    await search.remove(conn, TABLE, 1)
    assert await search.search(conn, TABLE, "zebrapaard") == []

    async def index_holds(word: bytes) -> bool:
        async with conn.execute(f"SELECT block FROM {TABLE}_data") as cursor:
            return any(word in bytes(row[0]) for row in await cursor.fetchall() if row[0])

    assert await index_holds(b"zebrapaard")  # a plain delete leaves the words in the segments
    await search.compact(conn, TABLE)
    assert not await index_holds(b"zebrapaard")
    assert await search.search(conn, TABLE, "huisarts") == [2]


async def test_join_recipe_from_the_docstring(conn):
    await conn.execute("CREATE TABLE questions (id INTEGER PRIMARY KEY, language TEXT)")
    await conn.executemany("INSERT INTO questions VALUES (?, ?)", [(1, "nl"), (2, "ar")])
    await search.index(conn, TABLE, 1, "huisarts")
    await search.index(conn, TABLE, 2, "huisarts")
    async with conn.execute(
        f"SELECT q.id FROM {TABLE} JOIN questions q ON q.id = {TABLE}.rowid "
        f"WHERE {TABLE} MATCH ? AND q.language = ? ORDER BY {TABLE}.rank LIMIT 3",
        (search.build_match("huisarts"), "ar"),
    ) as cursor:
        assert [row[0] for row in await cursor.fetchall()] == [2]


@pytest.mark.parametrize("name", ["Docs", "docs-fts", "docs; DROP TABLE x", "1docs", "", "docs\n"])
async def test_table_name_is_validated(conn, name):
    with pytest.raises(ValueError):
        await search.search(conn, name, "huisarts")
    with pytest.raises(ValueError):
        await search.index(conn, name, 1, "huisarts")


async def test_single_letter_search_finds_that_word(conn):
    assert await finds(conn, "Plan a of plan b", "a")
    assert not await finds(conn, "huisarts", "h")


# -- WordCounts: leaving out the words that are in a large share of the entries -----------------


async def _fill(conn, entries: int, rare_in: int = 1) -> None:
    """`entries` entries that all say "how", and a few that say "huisarts" too."""
    await conn.execute("BEGIN")
    for rowid in range(1, entries + 1):
        text = "how do I find a huisarts" if rowid <= rare_in else f"how do I find item{rowid}"
        await search.index(conn, TABLE, rowid, text)
    await conn.execute("COMMIT")


async def test_common_words_are_left_out_of_a_big_table(conn):
    await _fill(conn, 2 * search.COMMON_FLOOR)
    match = await search.WordCounts(TABLE).match(conn, "How do I find a huisarts?")
    assert match == search.Match('"huisarts"*', 0, hits=1)
    sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?"
    async with conn.execute(sql, (match.expression,)) as cur:
        assert [row[0] for row in await cur.fetchall()] == [1]


async def test_a_small_table_keeps_every_word(conn):
    await _fill(conn, search.COMMON_FLOOR - 1)
    text = "How do I find a huisarts?"
    match = await search.WordCounts(TABLE).match(conn, text)
    assert match.expression == search.build_match(text)


async def test_when_every_word_is_common_the_rarest_is_searched(conn):
    await _fill(conn, 2 * search.COMMON_FLOOR, rare_in=2 * search.COMMON_FLOOR - 1)
    match = await search.WordCounts(TABLE).match(conn, "how huisarts")
    assert match.expression == '"huisarts"*'


async def test_the_word_limit_counts_only_the_words_searched_for(conn):
    await _fill(conn, 2 * search.COMMON_FLOOR)
    text = "how do find " * 10 + "huisarts"
    match = await search.WordCounts(TABLE).match(conn, text, max_terms=2)
    assert match.expression == '"huisarts"*'


async def test_nothing_to_search_for_is_none_with_counts_too(conn):
    assert await search.WordCounts(TABLE).match(conn, "?!") is None


async def test_counts_are_taken_again_after_a_while(conn):
    now = [0.0]
    counts = search.WordCounts(TABLE, clock=lambda: now[0])
    await _fill(conn, search.COMMON_FLOOR - 1)
    assert (await counts.match(conn, "how huisarts")).expression == '"how"* OR "huisarts"*'
    await conn.execute("BEGIN")
    for rowid in range(search.COMMON_FLOOR, 3 * search.COMMON_FLOOR):
        await search.index(conn, TABLE, rowid, "how are you")
    await conn.execute("COMMIT")
    remembered = await counts.match(conn, "how huisarts")
    assert remembered.expression == '"how"* OR "huisarts"*'
    now[0] += search.COUNTS_MAX_AGE_SECONDS
    assert (await counts.match(conn, "how huisarts")).expression == '"huisarts"*'


async def test_only_the_newest_hits_of_a_very_common_word_are_ranked(conn):
    entries = 10 * search.COMMON_FLOOR
    await _fill(conn, entries)
    match = await search.WordCounts(TABLE).match(conn, "how")
    candidates = search.CANDIDATES_PER_THRESHOLD * search.COMMON_FLOOR
    assert match == search.Match('"how"*', entries - candidates + 1, hits=candidates)


async def test_however_common_the_word_no_more_than_a_fixed_number_of_hits_are_ranked(
    conn, monkeypatch
):
    monkeypatch.setattr(search, "RANKED_AT_MOST", 20)
    entries = 10 * search.COMMON_FLOOR
    await _fill(conn, entries)
    match = await search.WordCounts(TABLE).match(conn, "how")
    assert match == search.Match('"how"*', entries - 20 + 1, hits=20)


async def test_a_search_looks_for_every_word_first_and_for_any_when_too_few_have_all(conn):
    await _fill(conn, 2 * search.COMMON_FLOOR)
    await conn.execute("BEGIN")
    for rowid, text in ((1001, "fiets markt"), (1002, "fiets markt"), (1003, "fiets")):
        await search.index(conn, TABLE, rowid, text)
    await conn.execute("COMMIT")
    tried = []

    async def rowids(match: search.Match) -> list[int]:
        tried.append(match.expression)
        sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rank, rowid DESC"
        async with conn.execute(sql, (match.expression,)) as cursor:
            return [row[0] for row in await cursor.fetchall()]

    counts = search.WordCounts(TABLE)
    assert await counts.find(conn, "fiets markt", rowids, enough=2) == [1002, 1001]
    assert tried == ['"fiets"* AND "markt"*']
    tried.clear()
    # Too few entries have both words: they come first, then the best of the others, once.
    assert await counts.find(conn, "fiets markt", rowids, enough=3) == [1002, 1001, 1003]
    assert tried == ['"fiets"* AND "markt"*', '"fiets"* OR "markt"*']
    assert await counts.find(conn, "?!", rowids, enough=1) is None


async def test_of_words_in_many_entries_the_rarest_are_searched_for_first(conn, monkeypatch):
    """Ranking only the newest hits of "fiets OR gestolen" would leave out the one old entry
    with "gestolen", which bm25 puts first: the rarest words are searched for before."""
    monkeypatch.setattr(search, "RANKED_AT_MOST", 20)
    await _fill(conn, 10 * search.COMMON_FLOOR)
    await conn.execute("BEGIN")
    await search.index(conn, TABLE, 1, "fiets gestolen")
    for rowid in range(1001, 1041):
        await search.index(conn, TABLE, rowid, "fiets kopen")
    await conn.execute("COMMIT")
    tried = []

    async def rowids(match: search.Match) -> list[int]:
        tried.append(match.expression)
        sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? AND rowid >= ? ORDER BY rank"
        async with conn.execute(sql, (match.expression, match.from_rowid)) as cursor:
            return [row[0] for row in await cursor.fetchall()][:3]

    found = await search.WordCounts(TABLE).find(conn, "fiets gestolen", rowids, enough=1)
    assert found == [1]
    # "fiets" is in 41 entries, more than may be ranked
    assert tried == ['"fiets"* AND "gestolen"*']
    tried.clear()
    found = await search.WordCounts(TABLE).find(conn, "fiets gestolen wat", rowids, enough=3)
    assert found[0] == 1 and len(found) == 3
    # Nothing has every word (not ranked: no hits); the one entry with the rarest words is too
    # few: then any word.
    assert tried == ['"gestolen"* OR "wat"*', '"fiets"* OR "gestolen"* OR "wat"*']
