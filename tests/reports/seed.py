"""A community's history, written straight into the database, with known figures.

The harness clock stands at 1 December 2026, 10:00 in Amsterdam, so /report without a period
reports November 2026. Ids are long and names unusual, so that a scan of a report file for
them cannot hit by chance.

November 2026 (café A on the 3rd, café B on the 17th; a cancelled café on the 24th; a café at
00:30 on 1 December, which is still 30 November in UTC, belongs to December):

- sign-ups 9 + 8 = 17, attended 7 + 7 = 14, no-shows 2 + 1 = 3 (a waiting and a cancelled
  sign-up do not count);
- unique attendees 12: P0-P5 and the helper at A, P0, P1, P8-P11 and the key person at B;
- returning 5: P0, P1, P2, P8 and P9 had been checked in at café E in October;
- languages: Arabic 6 (P0-P5), Dutch 5 (P8-P11 by their Telegram language, the helper by
  choice), Tigrinya 1 (the key person): too few to be named;
- questions asked 9 (a draft, a hidden one and one asked at 00:30 on 1 December do not count),
  answered 5, first answers after 1, 2, 3, 5 and 8 hours (median 3 hours), 2 of the 5 by a key
  person (40%); topics: housing 5, work 2, health 1, other 1;
- tips shared 6 (a tip taken down after a report and a draft do not count).

October 2026 (café E): sign-ups 6, attended 5, no-shows 1.
Q4 2026: unique 12, returning 6 (P5 came back in December, earlier in the quarter).
2025 (other people, R0-R6): café F on 7 October (7 sign-ups, 5 attended), café G on
2 December (6 sign-ups, 6 attended). Retention (12 months) forgets the people of F only.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.local_api import LocalUser

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

HELPER = LocalUser(700000101, "Zorvanka", "nl")
KEY_PERSON = LocalUser(700000102, "Quillabet", "ti")
NEWCOMER = LocalUser(700000103, "Brundelix", "en")
ARABIC_ORGANISER = LocalUser(700000104, "Yasmirel", "ar")
P = [700001000 + n for n in range(15)]  # people who come to cafés in 2026
R = [700002000 + n for n in range(7)]  # people who came in 2025
NAMES = {
    **{user_id: f"Pelgrimox{chr(65 + n)}" for n, user_id in enumerate(P)},
    **{user_id: f"Rembrandix{chr(65 + n)}" for n, user_id in enumerate(R)},
}
CAFE_TITLE = "Praattafel bij Wilhelmintje"
CAFE_PLACE = "Huize Fenneketoren 7"


def at(year: int, month: int, day: int, hour: int = 19, minute: int = 0) -> int:
    """A moment in Amsterdam, as stored: UTC seconds."""
    return int(datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM).timestamp())


def every_name() -> list[str]:
    return [*NAMES.values(), HELPER.first_name, KEY_PERSON.first_name, NEWCOMER.first_name]


def every_id() -> list[int]:
    return [*NAMES, HELPER.id, KEY_PERSON.id, NEWCOMER.id]


async def add_user(conn, user_id, name, locale=None, telegram_locale=None, role=None):
    await conn.execute(
        "INSERT INTO users (id, first_name, locale, telegram_locale, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 0, 0)",
        (user_id, name, locale, telegram_locale),
    )
    if role:
        await conn.execute(
            "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, NULL, 0)",
            (user_id, role),
        )


async def add_cafe(conn, starts_at: int, status: str = "scheduled") -> int:
    cursor = await conn.execute(
        "INSERT INTO cafes (title, place, starts_at, ends_at, capacity, status, checkin_token,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, 20, ?, 'token', 0, 0)",
        (CAFE_TITLE, CAFE_PLACE, starts_at, starts_at + 2 * 3600, status),
    )
    return cursor.lastrowid


async def add_signup(conn, cafe_id, user_id, came, kind="learner", status="confirmed"):
    await conn.execute(
        "INSERT INTO signups (cafe_id, user_id, kind, status, checked_in_at, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)",
        (cafe_id, user_id, kind, status, 1 if came else None),
    )


async def add_question(conn, topic, routed_at, status="closed", answers=()):
    """answers: (helper id, hours after being asked, by a key person, accepted, hidden)."""
    cursor = await conn.execute(
        "INSERT INTO questions (asker_id, topic, locale, text, status, created_at, routed_at)"
        " VALUES (?, ?, 'ar', ?, ?, ?, ?)",
        (P[0], topic, f"Vraag van {NAMES[P[0]]}", status, routed_at or 0, routed_at),
    )
    for helper_id, hours, by_key_person, accepted, hidden in answers:
        await conn.execute(
            "INSERT INTO answers (question_id, helper_id, text, by_key_person, signed,"
            " accepted, hidden, created_at) VALUES (?, ?, 'antwoord', ?, ?, ?, ?, ?)",
            (
                cursor.lastrowid,
                helper_id,
                int(by_key_person),
                1,  # signed with their name
                int(accepted),
                int(hidden),
                routed_at + int(hours * 3600),
            ),
        )


async def add_tip(conn, published_at, status="visible", review=None):
    await conn.execute(
        "INSERT INTO tips (author_id, category, locale, text, status, review, created_at,"
        " published_at, confirmed_at) VALUES (?, 'food', 'ar', 'Goedkope linzen', ?, ?, 0, ?, 0)",
        (P[1], status, review, published_at),
    )


async def add_accompaniment(conn, status, confirmed_at):
    await conn.execute(
        "INSERT INTO accompaniments (requester_id, kind, locale, note, status, key_person_id,"
        " created_at, accepted_at, confirmed_at) VALUES (?, 'gp', 'ar', 'Dinsdag', ?, ?, ?, ?, ?)",
        (P[2], status, KEY_PERSON.id, confirmed_at - 3600, confirmed_at - 1800, confirmed_at),
    )


async def seed_community(db) -> None:
    async with db.transaction() as conn:
        await add_user(conn, HELPER.id, HELPER.first_name, "nl", "nl", "helper")
        await add_user(conn, KEY_PERSON.id, KEY_PERSON.first_name, "ti", "ti", "key_person")
        await add_user(conn, NEWCOMER.id, NEWCOMER.first_name, "en", "en")
        await add_user(conn, ARABIC_ORGANISER.id, ARABIC_ORGANISER.first_name, "ar", "ar",
                       "organiser")  # fmt: skip
        for n, user_id in enumerate(P):
            if n <= 7:
                await add_user(conn, user_id, NAMES[user_id], "ar", "ar")
            else:
                await add_user(conn, user_id, NAMES[user_id], None, "nl")
        for user_id in R:
            await add_user(conn, user_id, NAMES[user_id], "uk", "uk")

        cafe_e = await add_cafe(conn, at(2026, 10, 6))
        for n in (0, 1, 2, 8, 9):
            await add_signup(conn, cafe_e, P[n], came=True)
        await add_signup(conn, cafe_e, P[3], came=False)

        cafe_a = await add_cafe(conn, at(2026, 11, 3))
        for n in range(8):
            await add_signup(conn, cafe_a, P[n], came=n <= 5)
        await add_signup(conn, cafe_a, HELPER.id, came=True, kind="host")

        cafe_b = await add_cafe(conn, at(2026, 11, 17))
        for n in (0, 1, 8, 9, 10, 11):
            await add_signup(conn, cafe_b, P[n], came=True)
        await add_signup(conn, cafe_b, P[12], came=False, status="waiting")
        await add_signup(conn, cafe_b, P[13], came=False, status="cancelled")
        await add_signup(conn, cafe_b, P[14], came=False)
        await add_signup(conn, cafe_b, KEY_PERSON.id, came=True, kind="host")

        cancelled = await add_cafe(conn, at(2026, 11, 24), status="cancelled")
        for n in range(4):
            await add_signup(conn, cancelled, P[n], came=False)

        cafe_december = await add_cafe(conn, at(2026, 12, 1, 0, 30))
        await add_signup(conn, cafe_december, P[5], came=True)
        upcoming = await add_cafe(conn, at(2026, 12, 8))
        await add_signup(conn, upcoming, P[6], came=False)

        cafe_f = await add_cafe(conn, at(2025, 10, 7))
        for n in range(7):
            await add_signup(conn, cafe_f, R[n], came=n <= 4)
        cafe_g = await add_cafe(conn, at(2025, 12, 2))
        for n in range(6):
            await add_signup(conn, cafe_g, R[n], came=True)

        hid, kid = HELPER.id, KEY_PERSON.id
        await add_question(conn, "housing", at(2026, 11, 2, 10), answers=[(hid, 1, 0, 1, 0)])
        await add_question(conn, "housing", at(2026, 11, 5, 10), answers=[(kid, 2, 1, 0, 0)])
        await add_question(
            conn, "housing", at(2026, 11, 8, 10), answers=[(hid, 3, 0, 0, 0), (kid, 10, 1, 0, 0)]
        )
        await add_question(conn, "work", at(2026, 11, 10, 10), answers=[(hid, 5, 0, 1, 0)])
        await add_question(
            conn, "work", at(2026, 11, 12, 10), answers=[(hid, 0.5, 0, 0, 1), (hid, 8, 0, 0, 0)]
        )
        await add_question(conn, "health", at(2026, 11, 20, 10), status="open")
        await add_question(conn, "other", at(2026, 11, 21, 10))
        await add_question(conn, "housing", at(2026, 11, 25, 10), status="open")
        await add_question(conn, "housing", at(2026, 11, 26, 10), status="open")
        await add_question(conn, "housing", None, status="draft")
        await add_question(conn, "health", at(2026, 11, 23, 10), status="hidden")
        await add_question(conn, "papers", at(2026, 12, 1, 0, 30), status="open")

        for day in (2, 9, 16, 23, 30):
            await add_tip(conn, at(2026, 11, day, 12))
        await add_tip(conn, at(2026, 11, 10, 12), status="hidden", review="author")
        await add_tip(conn, at(2026, 11, 11, 12), status="hidden", review="report")
        await add_tip(conn, None, status="draft")

        await add_accompaniment(conn, "confirmed", at(2026, 11, 4, 12))
        await add_accompaniment(conn, "confirmed", at(2026, 11, 18, 12))
        await add_accompaniment(conn, "confirmed", at(2026, 10, 18, 12))
        await add_accompaniment(conn, "accepted", at(2026, 11, 19, 12))


async def add_feedback(conn, cafe_starts_at: int, answers) -> None:
    """answers: (mood, topic or None, word or None) per person, as if they had tapped them."""
    cursor = await conn.execute("SELECT id FROM cafes WHERE starts_at = ?", (cafe_starts_at,))
    (cafe_id,) = await cursor.fetchone()
    for mood, topic, word in answers:
        await conn.execute(
            "INSERT INTO cafe_feedback (cafe_id, user_id, mood, theme_topic, theme_word,"
            " created_at) VALUES (?, NULL, ?, ?, ?, 0)",
            (cafe_id, mood, topic, word),
        )


async def seed_feedback(db) -> None:
    """The morning-after answers of November: 10 felt good, 2 okay, 1 not good; housing was
    asked for by 5, health by 2; "Dutch songs" was written by 5 (so it is shown), "bikes" by 1.
    """
    cafe_a = [("good", "housing", None)] * 5 + [("good", None, "Dutch songs")]
    cafe_a += [("okay", "health", None)] * 2 + [("bad", None, "bikes")]
    async with db.transaction() as conn:
        await add_feedback(conn, at(2026, 11, 3), cafe_a)
        await add_feedback(conn, at(2026, 11, 17), [("good", None, "dutch songs")] * 4)
