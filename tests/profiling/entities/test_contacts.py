"""Phones and e-mails: shapes, and numbers that are not phones."""

from __future__ import annotations

import pytest

from profiling.entities import find_emails, find_phones

PHONES: list[tuple[str, list[str]]] = [
    ("Мой номер +7 (916) 123-45-67", ["+79161234567"]),
    ("звоните 8 916 123 45 67", ["89161234567"]),
    ("8-916-123-45-67, после 18:00", ["89161234567"]),
    ("89161234567", ["89161234567"]),
    ("9161234567", ["9161234567"]),
    ("Call me on +44 20 7946 0958", ["+442079460958"]),
    ("UK mobile 07946 095 858 please", ["07946095858"]),
    ("(555) 123-4567 is my cell", ["5551234567"]),
    ("+1 555 123 4567 or +7 916 000 11 22", ["+15551234567", "+79160001122"]),
    ("+7 916 123-45-67 2 штуки", ["+79161234567"]),  # the quantity after it is not its own
    ("+44 7700 900123", ["+447700900123"]),  # twelve digits: not cut
    # not phones
    ("Заказ №58213", []),
    ("1234567890", []),  # a bare ten digits not starting with 9: an order number more likely
    ("30 000 ₽", []),
    ("15.03.2026 в 18:30", []),
    ("Dyson V15 Detect", []),
    ("+7 916 12", []),
    ("card 4276 1234 5678 9012 3456", []),  # 20 digits: too long for a phone
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phones(text: str, expected: list[str]) -> None:
    assert [p.number for p in find_phones(text)] == expected


def test_phone_span_is_the_written_number() -> None:
    text = "Мой номер +7 (916) 123-45-67, жду"
    (phone,) = find_phones(text)
    assert text[phone.start : phone.end] == phone.text == "+7 (916) 123-45-67"


EMAILS: list[tuple[str, list[str]]] = [
    ("пишите на Ivan.Petrov@Mail.ru", ["ivan.petrov@mail.ru"]),
    ("my email: john+shop@example.co.uk.", ["john+shop@example.co.uk"]),
    ("a@b.c is not one, but x_y@sub.domain.com is", ["x_y@sub.domain.com"]),
    ("@barista_bot привет", []),
    ("no email here", []),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_emails(text: str, expected: list[str]) -> None:
    assert [e.address for e in find_emails(text)] == expected
