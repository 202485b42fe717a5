"""Phone numbers as people and Telegram write them, in one comparable form."""

from __future__ import annotations

import pytest

from bot.shop.phones import normalize_phone


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+7 999 123-45-67", "RU", "+79991234567"),
        ("8 (999) 123-45-67", "RU", "+79991234567"),
        ("89991234567", "RU", "+79991234567"),
        ("9991234567", "RU", "+79991234567"),
        ("79991234567", "RU", "+79991234567"),  # Telegram's shared contacts lack the plus
        ("+44 20 7946 0958", "RU", "+442079460958"),
        ("447911123456", "RU", "+447911123456"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("12345", "RU", None),
        ("not a phone", "RU", None),
        ("", "RU", None),
        ("+7 999 123-45-67" * 3, "RU", None),
    ],
)
def test_normalize_phone(raw: str, region: str, expected: str | None) -> None:
    assert normalize_phone(raw, region) == expected
