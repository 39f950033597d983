"""The callback codec and the splitting of long texts."""

import pytest

from bot import ui


def test_encode_and_decode_round_trip():
    data = ui.encode("lang", "nl")
    assert data == "1|lang|nl"
    assert ui.decode(data) == ui.Press("lang", ("nl",))


@pytest.mark.parametrize("data", [None, "", "garbage", "0|lang|nl", "2|lang", "1|"])
def test_foreign_or_old_data_does_not_decode(data):
    assert ui.decode(data) is None


@pytest.mark.parametrize(
    "data", ["1|cafe_cancel|" + "9" * 20, "1|mod|hide|" + "9" * 30, "1|cafe_cancel|١٢", "1|x|²"]
)
def test_a_number_we_could_not_have_made_does_not_decode(data):
    assert ui.decode(data) is None


def test_the_largest_id_sqlite_stores_still_decodes():
    assert ui.decode(f"1|cafe_cancel|{ui.MAX_ID}") == ui.Press("cafe_cancel", (str(ui.MAX_ID),))


def test_shorten_cuts_at_a_word_and_says_so():
    text = "word " * 1000
    short = ui.shorten(text, 100)
    assert len(short) <= 100 and short.endswith("word…")
    assert ui.shorten("short", 100) == "short"


def test_callback_data_stays_within_telegrams_limit():
    with pytest.raises(ValueError):
        ui.encode("x", "a" * 70)
    with pytest.raises(ValueError):
        ui.encode("x", "a|b")


def test_a_short_text_is_not_split():
    assert ui.split_text("hello") == ["hello"]


def test_a_long_text_splits_at_paragraphs_and_loses_nothing():
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(20)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = ui.split_text(text)
    assert len(parts) > 1
    assert all(len(part) <= ui.MAX_MESSAGE_CHARS for part in parts)
    assert all(part.startswith("Paragraph") for part in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )


def test_a_text_without_breaks_still_splits_within_the_limit():
    text = "x" * 10000
    parts = ui.split_text(text)
    assert [len(part) for part in parts] == [4096, 4096, 1808]
    assert "".join(parts) == text


def test_sentences_are_kept_whole_when_there_are_no_paragraphs():
    text = " ".join(f"Sentence number {n} ends here." for n in range(400))
    parts = ui.split_text(text)
    assert all(part.endswith("ends here.") for part in parts)
