"""Catalogue matching: inflection, both scripts, exact model numbers, the best match wins."""

from __future__ import annotations

import pytest

from profiling.entities import CatalogIndex, CatalogItem

CASES: list[tuple[str, list[str]]] = [
    # names as written in the catalogue, any case
    ("Есть Dyson V15 Detect?", ["dyson-v15"]),
    ("dyson v11 в наличии?", ["dyson-v11"]),
    ("Roborock S8 или Dreame L10s Ultra?", ["roborock-s8", "dreame-l10s"]),
    ("iPhone 15 Pro", ["iphone-15-pro"]),
    ("iphone 15", ["iphone-15"]),
    ("iPhone 15 Pro Max есть?", ["iphone-15-pro"]),  # the longest name the words allow
    ("Samsung Galaxy S24 vs iPhone 15", ["galaxy-s24", "iphone-15"]),
    ("do you have airpods pro 2?", ["airpods-pro-2"]),
    ("Xiaomi Redmi Note 13", ["redmi-note-13"]),
    # a part of the name that still identifies the item
    ("Galaxy S24 сколько стоит", ["galaxy-s24"]),
    ("WH-1000XM5 in black?", ["sony-xm5"]),
    ("wh1000xm5", ["sony-xm5"]),
    ("Dyson V15 или V11?", ["dyson-v15", "dyson-v11"]),
    ("Dreame L10s", ["dreame-l10s"]),
    ("Redmi Note 13 на 256", ["redmi-note-13"]),
    # Russian inflection and Cyrillic spellings of Latin names
    ("хочу дайсон в15", ["dyson-v15"]),
    ("пылесосом дайсон V11 доволен", ["dyson-v11"]),
    ("у дайсона v15 какая мощность?", ["dyson-v15"]),
    ("а роборока нет?", ["roborock-s8"]),  # the only Roborock: the brand names it
    ("роборок с8", ["roborock-s8"]),
    ("Роборок С8 или дриме", ["roborock-s8", "dreame-l10s"]),
    ("айфон 15", ["iphone-15"]),
    ("айфона 15 про", ["iphone-15-pro"]),
    ("два айфона 15", ["iphone-15"]),
    ("самсунг галакси s24", ["galaxy-s24"]),
    ("сони WH-1000XM5", ["sony-xm5"]),
    ("сяоми редми", ["redmi-note-13"]),
    ("чайник бош есть?", ["bosch-twk"]),
    ("Bosch TWK kettle", ["bosch-twk"]),
    # services
    ("нужна генеральная уборка", ["general"]),
    ("сколько стоит генеральную уборку заказать", ["general"]),
    ("после генеральной уборки", ["general"]),
    ("поддерживающую уборку раз в неделю", ["regular"]),
    ("мытьё окон", ["windows"]),
    ("а мытья окон у вас нет?", ["windows"]),
    ("химчистку дивана можно?", ["sofa"]),
    ("do you do general cleaning or window cleaning?", ["general", "windows"]),
    ("sofa dry cleaning price", ["sofa"]),
    # not a match
    ("Dyson V12", []),  # another model: not one of ours
    ("роборок с7", []),
    ("дайсон", []),  # two Dysons: ambiguous
    ("iPhone 14", []),
    ("уборку", []),  # shared by two services
    ("Pro 2", []),
    ("15", []),
    ("сумма заказа", []),  # «сумма» is not «сяоми»
    ("сон и сын", []),
    ("привет, как дела?", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_match(catalog: CatalogIndex, text: str, expected: list[str]) -> None:
    assert [m.key for m in catalog.match(text)] == expected


def test_mention_fields(catalog: CatalogIndex) -> None:
    text = "Есть Roborock S8?"
    (mention,) = catalog.match(text)
    assert mention.name == "Roborock S8"
    assert mention.text == text[mention.start : mention.end] == "Roborock S8"
    assert mention.score == 1.0


def test_partial_names_score_lower(catalog: CatalogIndex) -> None:
    full = catalog.match("Dyson V15 Detect")[0].score
    partial = catalog.match("Dyson V15")[0].score
    brand = catalog.match("роборок")[0].score
    assert full == 1.0 > partial > brand > 0


def test_alias_in_another_language() -> None:
    index = CatalogIndex.build([CatalogItem("kettle", ("чайник Bosch TWK", "Bosch TWK kettle"))])
    mention = index.match("need a Bosch TWK kettle")[0]
    assert (mention.key, mention.name) == ("kettle", "Bosch TWK kettle")


def test_empty_catalogue() -> None:
    index = CatalogIndex.build([])
    assert index.match("Dyson V15") == []
    assert len(index) == 0


ONE_DYSON = CatalogIndex.build([CatalogItem("dyson", ("Dyson V15 Detect",))])


@pytest.mark.parametrize(
    "text", ["пылесосом дайсон доволен", "у дайсона есть гарантия?", "Dyson", "ДАЙСОН"]
)
def test_brand_alone_names_the_only_item_of_that_brand(text: str) -> None:
    (mention,) = ONE_DYSON.match(text)
    assert mention.key == "dyson"
    assert 0 < mention.score < 0.5


def test_large_catalogue_still_finds_the_exact_model() -> None:
    # 500 items, ten per brand: the brand alone is ambiguous, the model token decides.
    items = [CatalogItem(f"k{i}", (f"Brand{i % 50} X{i} Pro",)) for i in range(500)]
    index = CatalogIndex.build(items)
    assert [m.key for m in index.match("нужен brand7 x7 pro")] == ["k7"]
    assert index.match("нужен brand7") == []
    assert index.match("привет, как дела?") == []
