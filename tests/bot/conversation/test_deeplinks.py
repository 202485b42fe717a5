"""Deep-link payload parsing and building (pure)."""

from __future__ import annotations

import base64

import pytest

from bot.conversation.deeplinks import PayloadKind, build_payload, parse_payload, start_link


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("payload", "kind", "campaign", "ad", "creative"),
    [
        (None, PayloadKind.ORGANIC, None, None, None),
        ("", PayloadKind.ORGANIC, None, None, None),
        ("c-summer_a-ig1", PayloadKind.KEY_VALUE, "summer", "ig1", None),
        ("a-ig1_c-summer_cr-v2", PayloadKind.KEY_VALUE, "summer", "ig1", "v2"),
        ("c-black-friday", PayloadKind.KEY_VALUE, "black-friday", None, None),
        ("instagram", PayloadKind.SLUG, "instagram", None, None),
        (b64("c=Лето 2026&a=stories"), PayloadKind.ENCODED, "Лето 2026", "stories", None),
        (b64("campaign=x&creative=y"), PayloadKind.ENCODED, "x", None, "y"),
        ("c-a_c-b", PayloadKind.INVALID, None, None, None),  # repeated key
        ("x-1_y-2", PayloadKind.INVALID, None, None, None),  # unknown keys
        ("c-summer_a-", PayloadKind.INVALID, None, None, None),  # empty value
        ("bad payload!", PayloadKind.INVALID, None, None, None),
        ("привет", PayloadKind.INVALID, None, None, None),
        ("a" * 65, PayloadKind.INVALID, None, None, None),
        (b64("x=1") + "_", PayloadKind.INVALID, None, None, None),
    ],
)
def test_parse_payload(
    payload: str | None,
    kind: PayloadKind,
    campaign: str | None,
    ad: str | None,
    creative: str | None,
) -> None:
    parsed = parse_payload(payload)
    assert parsed.kind is kind
    assert (parsed.campaign, parsed.ad, parsed.creative) == (campaign, ad, creative)
    assert parsed.is_sourced == (
        kind in (PayloadKind.KEY_VALUE, PayloadKind.ENCODED, PayloadKind.SLUG)
    )
    if kind is PayloadKind.INVALID:
        assert parsed.problem


@pytest.mark.parametrize(
    ("campaign", "ad", "creative"),
    [
        ("summer", "ig1", "v2"),
        ("summer", None, None),
        ("Лето", "сторис", None),
        ("50%+1 & more", "a=b", None),
        ("with space", None, "x_y"),
    ],
)
def test_build_round_trips(campaign: str | None, ad: str | None, creative: str | None) -> None:
    payload = build_payload(campaign, ad, creative)
    assert len(payload) <= 64
    parsed = parse_payload(payload)
    assert (parsed.campaign, parsed.ad, parsed.creative) == (campaign, ad, creative)


def test_build_rejects_empty_and_too_long() -> None:
    with pytest.raises(ValueError, match="at least"):
        build_payload()
    with pytest.raises(ValueError, match="64"):
        build_payload("Очень длинное название кампании " * 3)


def test_start_link() -> None:
    assert start_link("shop_bot", "c-x") == "https://t.me/shop_bot?start=c-x"
