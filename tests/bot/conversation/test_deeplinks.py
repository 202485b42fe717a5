"""Deep-link payload parsing and building (pure)."""

from __future__ import annotations

import base64

import pytest

from bot.conversation.deeplinks import (
    PayloadKind,
    build_payload,
    parse_payload,
    personal_payload,
    start_link,
)


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


# -- links to the shop: a personal token, a website visitor ---------------------------------


@pytest.mark.parametrize(
    ("payload", "token", "visitor", "campaign", "stored_as"),
    [
        ("l-0123456789abcdef01234567", "0123456789abcdef01234567", None, None, None),
        ("v-2f1c9a7e-5b3d", None, "2f1c9a7e-5b3d", None, None),
        ("v-abc_c-spring_a-ig", None, "abc", "spring", "c-spring_a-ig"),
        (
            "c-spring_l-0123456789abcdef01234567",
            "0123456789abcdef01234567",
            None,
            "spring",
            "c-spring",
        ),
    ],
)
def test_link_and_visitor_keys(
    payload: str,
    token: str | None,
    visitor: str | None,
    campaign: str | None,
    stored_as: str | None,
) -> None:
    parsed = parse_payload(payload)
    assert parsed.problem is None
    assert (parsed.link_token, parsed.visitor_id, parsed.campaign) == (token, visitor, campaign)
    # The ad source is stored under the campaign part only: a personal token never becomes one.
    assert parsed.campaign_payload == stored_as
    assert parsed.is_sourced == (campaign is not None)


@pytest.mark.parametrize(
    "payload",
    ["l-short", "l-0123456789ABCDEF01234567", "v-" + "x" * 49, "l-" + "0" * 23],
)
def test_malformed_link_or_visitor_keys_are_organic(payload: str) -> None:
    parsed = parse_payload(payload)
    assert parsed.kind is PayloadKind.INVALID
    assert parsed.link_token is None and parsed.visitor_id is None


def test_personal_payload_and_start_link() -> None:
    assert personal_payload("0123456789abcdef01234567") == "l-0123456789abcdef01234567"
    with pytest.raises(ValueError):
        personal_payload("nope")
    assert start_link("@MyShopBot", "c-x") == "https://t.me/MyShopBot?start=c-x"
    assert start_link("MyShopBot", "c-x") == "https://t.me/MyShopBot?start=c-x"
