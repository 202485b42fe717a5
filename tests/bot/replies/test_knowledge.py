"""The knowledge file: the bundled examples, every kind of bad input as one line, helpers."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.replies.knowledge import (
    DEFAULT_EXAMPLE,
    EXAMPLES_DIR,
    Knowledge,
    KnowledgeError,
    LocalizedText,
    load_knowledge,
    text,
)
from profiling.types import Lang

TODAY = date(2026, 12, 2)

MINIMAL: dict[str, Any] = {
    "shop": {"name": "Shop", "kind": "goods"},
    "catalog": [
        {"sku": "PH-1", "name": "Phone", "category": "phones", "price": 100, "accessories": []},
        {"sku": "CS-1", "name": "Case", "category": "accessories", "price": 10},
    ],
    "promotions": [
        {"id": "p", "title": "T", "text": "X", "applies_to": {"categories": ["accessories"]}}
    ],
}


@pytest.fixture(scope="module")
def electronics() -> Knowledge:
    return load_knowledge(None)


@pytest.fixture(scope="module")
def cleaning() -> Knowledge:
    return load_knowledge(EXAMPLES_DIR / "cleaning.yaml")


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("name", ["electronics.yaml", "cleaning.yaml"])
def test_examples_load_with_30_to_60_entries(name: str) -> None:
    k = load_knowledge(EXAMPLES_DIR / name)
    contacts = sum(1 for v in k.contacts.model_dump().values() if v)
    entries = (
        len(k.faq)
        + len(k.catalog)
        + len(k.promotions)
        + len(k.objections)
        + len(list(k.policies.items()))
        + contacts
        + (k.experience is not None)
    )
    assert 30 <= entries <= 60


def test_none_loads_the_bundled_electronics_example(electronics: Knowledge) -> None:
    assert DEFAULT_EXAMPLE.name == "electronics.yaml"
    assert electronics.shop.kind == "goods"
    assert electronics.policies.delivery is not None
    assert electronics.policies.delivery.pickup
    assert electronics.policies.returns is not None and electronics.policies.returns.days == 14
    assert electronics.policies.warranty is not None
    assert electronics.policies.warranty.months == 12


def test_a_services_shop_has_no_delivery_or_pickup(cleaning: Knowledge) -> None:
    assert cleaning.shop.kind == "services"
    assert cleaning.policies.delivery is None
    assert cleaning.policies.returns is None
    assert cleaning.policies.insurance is not None
    assert cleaning.policies.insurance.amount == 1_000_000
    assert cleaning.experience is not None and cleaning.experience.years == 8
    assert cleaning.shop.order_url is not None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda d: d["catalog"][1].update(price="cheap"),
            "catalog.1.price: Input should be a valid decimal",
            id="wrong-type",
        ),
        pytest.param(
            lambda d: d["catalog"][1].update(price=-5),
            "catalog.1.price: Input should be greater than or equal to 0",
            id="negative-price",
        ),
        pytest.param(
            lambda d: d["catalog"][0].update(colour="red"),
            "catalog.0.colour: Extra inputs are not permitted",
            id="unknown-field",
        ),
        pytest.param(
            lambda d: d.update(contcts={}),
            "contcts: Extra inputs are not permitted",
            id="unknown-section",
        ),
        pytest.param(
            lambda d: d["catalog"][0].update(accessories=["CS-1", "CS-9"]),
            "catalog.0.accessories.1: unknown sku 'CS-9'",
            id="unknown-accessory",
        ),
        pytest.param(
            lambda d: d["catalog"][0].update(related=["NOPE"]),
            "catalog.0.related.0: unknown sku 'NOPE'",
            id="unknown-related",
        ),
        pytest.param(
            lambda d: d["promotions"][0]["applies_to"].update(categories=["toys"]),
            "promotions.0.applies_to.categories.0: unknown category 'toys'",
            id="unknown-promo-category",
        ),
        pytest.param(
            lambda d: d["catalog"][1].update(sku="PH-1"),
            "catalog.1.sku: duplicate sku 'PH-1'",
            id="duplicate-sku",
        ),
        pytest.param(
            lambda d: d["shop"].pop("kind"),
            "shop.kind: Field required",
            id="missing-required",
        ),
        pytest.param(
            lambda d: d.pop("shop"),
            "shop: Field required",
            id="missing-section",
        ),
        pytest.param(
            lambda d: d["shop"].update(kind="shop"),
            "shop.kind: Input should be 'goods' or 'services'",
            id="bad-choice",
        ),
        pytest.param(
            lambda d: d["shop"].update(name=["a", "b"]),
            "shop.name: Input should be a string or a mapping {ru: ..., en: ...}",
            id="text-wrong-type",
        ),
        pytest.param(
            lambda d: d["shop"].update(name={"ru": "Магазин"}),
            "shop.name.en: Field required",
            id="text-missing-language",
        ),
        pytest.param(
            lambda d: d["shop"].update(site_url="shop.ru"),
            "shop.site_url: Input should be a link starting with https://",
            id="bad-url",
        ),
        pytest.param(
            lambda d: d["catalog"][1].update(sku="CS 1"),
            "catalog.1.sku: Input should be letters, digits, '-', '_' or '.' without spaces",
            id="bad-sku",
        ),
        pytest.param(
            lambda d: d.update(contacts={"email": "shop at mail.ru"}),
            "contacts.email: Input should be an e-mail address",
            id="bad-email",
        ),
        pytest.param(
            lambda d: d["shop"].update(currency="rub"),
            "shop.currency: Input should be a three-letter currency code such as RUB",
            id="bad-currency",
        ),
        pytest.param(
            lambda d: d.update(policies={"delivery": {"summary": "X", "areas": [{"area": "M"}]}}),
            "policies.delivery.areas.0.days_min: Field required (and 1 more error)",
            id="nested-missing",
        ),
        pytest.param(
            lambda d: d["catalog"][1].update(old_price=5),
            "catalog.1: old_price should be greater than price",
            id="old-price-below-price",
        ),
        pytest.param(
            lambda d: d["promotions"][0].update(valid_from="2026-05-01", valid_to="2026-04-01"),
            "promotions.0: valid_to should not be before valid_from",
            id="dates-reversed",
        ),
        pytest.param(
            lambda d: (d["catalog"][0].update(price=-1), d["catalog"][1].update(price=-1)),
            "catalog.0.price: Input should be greater than or equal to 0 (and 1 more error)",
            id="several-errors",
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_field(tmp_path: Path, change: Any, expected: str) -> None:
    data = copy.deepcopy(MINIMAL)
    change(data)
    path = _write(tmp_path, data)
    assert _error(path) == f"{path}: {expected}"


def test_the_minimal_file_is_valid(tmp_path: Path) -> None:
    k = load_knowledge(_write(tmp_path, MINIMAL))
    assert k.product("PH-1") is not None
    assert k.policies.delivery is None
    assert k.shop.currency == "RUB"


def test_numbers_are_accepted_where_text_is_expected(tmp_path: Path) -> None:
    data = copy.deepcopy(MINIMAL)
    data["contacts"] = {"phone": 84951234567, "hours": 24}
    k = load_knowledge(_write(tmp_path, data))
    assert k.contacts.phone == "84951234567"
    assert text(k.contacts.hours, Lang.EN) == "24"


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text("shop:\n  name: Shop\n  kind: [goods\ncatalog: []\n", encoding="utf-8")
    message = _error(path)
    assert message.startswith(f"{path}: line 4, column ")
    assert "invalid YAML" in message


def test_a_key_given_twice_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text("shop:\n  name: A\n  kind: goods\n  name: B\n", encoding="utf-8")
    assert _error(path) == f"{path}: line 4, column 3: invalid YAML: the key 'name' is given twice"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    assert _error(path) == f"{path}: file not found"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the file is empty"),
        ("- shop\n", "the top level should be sections: shop, contacts, …"),
    ],
)
def test_empty_or_not_a_mapping(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(content, encoding="utf-8")
    assert _error(path) == f"{path}: {expected}"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (LocalizedText(ru="Доставка", en="Delivery"), Lang.RU, "Доставка"),
        (LocalizedText(ru="Доставка", en="Delivery"), Lang.EN, "Delivery"),
        (LocalizedText(ru="Доставка", en="Delivery"), "en", "Delivery"),
        ("ТехноДом", Lang.EN, "ТехноДом"),
        (None, Lang.RU, ""),
    ],
)
def test_text_picks_the_language(value: Any, lang: Lang | str, expected: str) -> None:
    assert text(value, lang) == expected


def test_one_string_serves_both_languages(electronics: Knowledge) -> None:
    phone = electronics.product("HP-XM5")
    assert phone is not None
    assert text(phone.name, Lang.RU) == text(phone.name, Lang.EN) == "Sony WH-1000XM5"
    assert text(phone.unit, Lang.RU) == "шт"
    assert text(electronics.shop.name, Lang.EN) == "TechnoDom"


def test_product_and_category_lookups(electronics: Knowledge) -> None:
    assert electronics.product("nope") is None
    v15 = electronics.product("VC-V15")
    assert v15 is not None and v15.price == 64990
    assert {i.sku for i in electronics.find_products_by_category("phones")} == {
        "PH-A55",
        "PH-S24U",
    }
    assert electronics.find_products_by_category("toys") == []


def _ids(promotions: list[Any]) -> list[str]:
    return [p.id for p in promotions]


def test_a_phone_buyer_hears_of_the_accessory_discount(electronics: Knowledge) -> None:
    assert _ids(electronics.promotions_for(sku="PH-A55", today=TODAY)) == ["accessories-with-phone"]
    assert _ids(electronics.promotions_for(sku="CS-A55", today=TODAY)) == ["accessories-with-phone"]
    assert _ids(electronics.promotions_for(category="headphones", today=TODAY)) == [
        "free-delivery-headphones"
    ]
    assert electronics.promotions_for(sku="KT-XI2", today=TODAY) == []


def test_campaign_promotions_need_the_campaign_and_their_dates(electronics: Knowledge) -> None:
    assert electronics.promotions_for(sku="RV-S8", today=TODAY) == []
    assert _ids(electronics.promotions_for(sku="RV-S8", campaign="Robots", today=TODAY)) == [
        "vacuum-week"
    ]
    late = date(2027, 2, 1)
    assert electronics.promotions_for(sku="RV-S8", campaign="robots", today=late) == []


def test_cleaning_campaign_discount_comes_first(cleaning: Knowledge) -> None:
    assert _ids(cleaning.promotions_for(sku="GEN", campaign="cleaning", today=TODAY)) == [
        "general-20"
    ]
    assert cleaning.promotions_for(sku="GEN", campaign="other", today=TODAY) == []
    everything = cleaning.promotions_for(campaign="cleaning", today=TODAY)
    assert _ids(everything) == ["general-20", "first-regular"]
    spring = date(2027, 4, 10)
    assert _ids(cleaning.promotions_for(category="windows", today=spring)) == ["windows-spring"]
    assert cleaning.promotions_for(category="windows", today=TODAY) == []


def test_model_validate_is_as_strict_as_the_loader() -> None:
    data = copy.deepcopy(MINIMAL)
    data["catalog"][0]["accessories"] = ["X"]
    with pytest.raises(ValueError, match=r"catalog\.0\.accessories\.0: unknown sku 'X'"):
        Knowledge.model_validate(data)
