"""Cutting long replies into parts Telegram accepts, without breaking HTML."""

from __future__ import annotations

from bot.channels.telegram.split import TELEGRAM_TEXT_LIMIT, split_text


def test_split_text_keeps_short_text_whole() -> None:
    assert split_text("short") == ["short"]
    assert split_text("x" * 5000, limit=4096) == ["x" * 4096, "x" * 904]


def test_the_default_limit_is_telegrams() -> None:
    assert TELEGRAM_TEXT_LIMIT == 4096
    assert [len(p) for p in split_text("y" * 4097)] == [4096, 1]


def test_blank_text_has_no_parts() -> None:
    assert split_text("") == [] and split_text(" \n ") == []


def test_split_text_prefers_paragraphs_and_keeps_entities_whole() -> None:
    text = "a" * 3000 + "\n\n" + "b " * 400 + "&amp;" + "c" * 2000
    parts = split_text(text, limit=4096)
    assert parts[0] == "a" * 3000
    assert all(p.count("&amp;") == text.count("&amp;") or "&amp" not in p for p in parts)
    entity_cut = split_text("x" * 4093 + "&amp;tail", limit=4096)
    assert entity_cut[0] == "x" * 4093 and entity_cut[1].startswith("&amp;")


def test_a_cut_never_lands_inside_a_tag() -> None:
    parts = split_text("x" * 4090 + '<a href="https://example.com">link</a>', limit=4096)
    assert parts[0] == "x" * 4090 and parts[1].startswith("<a href=")


def test_long_text_splits_at_line_then_word_boundaries() -> None:
    lines = split_text(("word " * 10 + "\n") * 200, limit=1000)
    assert all(len(p) <= 1000 for p in lines)
    assert all(p.endswith("word") for p in lines[:-1])  # cut at a line break, then trimmed
    words = split_text("word " * 500, limit=1000)
    assert {w for p in words for w in p.split()} == {"word"}  # no word cut in half
