"""Retrieval over the bundled knowledge files: what a customer's question finds."""

from __future__ import annotations

import pytest

from bot.replies.knowledge import EXAMPLES_DIR, Knowledge, load_knowledge
from bot.replies.retrieval import MIN_SCORE, EntryKind, Hit, KnowledgeIndex
from profiling.types import Lang

RU, EN = Lang.RU, Lang.EN


@pytest.fixture(scope="module")
def indexes() -> dict[str, KnowledgeIndex]:
    return {
        name: KnowledgeIndex.build(load_knowledge(EXAMPLES_DIR / f"{name}.yaml"))
        for name in ("electronics", "cleaning")
    }


@pytest.mark.parametrize(
    ("shop", "lang", "question", "kind", "key"),
    [
        ("electronics", RU, "сколько стоит доставка в Казань", EntryKind.POLICY, "delivery"),
        ("electronics", EN, "How long does shipping to Kazan take?", EntryKind.POLICY, "delivery"),
        ("electronics", EN, "do you have pickup points?", EntryKind.POLICY, "delivery"),
        ("electronics", EN, "can I return it?", EntryKind.POLICY, "returns"),
        ("electronics", RU, "можно вернуть, если не подошло?", EntryKind.POLICY, "returns"),
        ("electronics", RU, "можно в рассрочку?", EntryKind.POLICY, "payment"),
        ("electronics", RU, "дайсон в15", EntryKind.PRODUCT, "VC-V15"),
        ("electronics", EN, "dyson v15 price", EntryKind.PRODUCT, "VC-V15"),
        ("electronics", RU, "роборок", EntryKind.PRODUCT, "RV-S8"),
        ("electronics", RU, "а дриме есть в наличии?", EntryKind.PRODUCT, "RV-L10S"),
        ("electronics", RU, "наушники сони", EntryKind.PRODUCT, "HP-XM5"),
        ("electronics", RU, "самсунг а55", EntryKind.PRODUCT, "PH-A55"),
        ("electronics", RU, "чехол для ультры", EntryKind.PRODUCT, "CS-S24U"),
        ("electronics", EN, "which phone has the best camera", EntryKind.PRODUCT, "PH-S24U"),
        ("electronics", EN, "robot vacuum that mops", EntryKind.PRODUCT, "RV-S8"),
        ("electronics", RU, "а если сломается?", EntryKind.OBJECTION, "breaks"),
        ("electronics", RU, "как с вами связаться, телефон", EntryKind.CONTACT, "phone"),
        ("electronics", RU, "где вы находитесь", EntryKind.CONTACT, "address"),
        ("electronics", RU, "когда вы открыты", EntryKind.CONTACT, "hours"),
        ("electronics", EN, "is it original, not a fake?", EntryKind.FAQ, "original"),
        ("cleaning", RU, "есть страховка?", EntryKind.POLICY, "insurance"),
        ("cleaning", EN, "are you insured?", EntryKind.POLICY, "insurance"),
        ("cleaning", RU, "мойка окон", EntryKind.PRODUCT, "WIN"),
        ("cleaning", EN, "window cleaning", EntryKind.PRODUCT, "WIN"),
        ("cleaning", RU, "сколько стоит генералка", EntryKind.PRODUCT, "GEN"),
        ("cleaning", RU, "химчистка дивана цена", EntryKind.PRODUCT, "SOFA"),
        ("cleaning", RU, "а вдруг что-то пропадёт", EntryKind.OBJECTION, "strangers"),
        ("cleaning", RU, "клинеры проверенные?", EntryKind.EXPERIENCE, "experience"),
        ("cleaning", RU, "что нужно подготовить к уборке", EntryKind.FAQ, "what-to-prepare"),
        ("cleaning", RU, "если не понравится, переделаете?", EntryKind.POLICY, "guarantees"),
    ],
)
def test_a_question_finds_its_entry_first(
    indexes: dict[str, KnowledgeIndex],
    shop: str,
    lang: Lang,
    question: str,
    kind: EntryKind,
    key: str,
) -> None:
    hits = indexes[shop].search(question, lang=lang)
    assert hits, question
    assert (hits[0].kind, hits[0].key) == (kind, key), hits
    assert hits[0].score >= MIN_SCORE


@pytest.mark.parametrize(
    ("shop", "lang", "question"),
    [
        ("electronics", RU, "какая завтра погода"),
        ("electronics", EN, "what's the weather in Paris"),
        ("electronics", RU, "расскажи анекдот про кота"),
        ("electronics", EN, "tell me a joke"),
        ("electronics", RU, "спасибо большое"),
        ("electronics", RU, "как дела?"),
        ("electronics", RU, "кофемашина есть?"),  # not sold here
        ("cleaning", RU, "доставка"),  # a services shop has no delivery
        ("cleaning", RU, "хорошо, до свидания"),
        ("cleaning", EN, "who won the football yesterday"),
        ("cleaning", RU, ""),
        ("cleaning", RU, "👍"),
    ],
)
def test_an_unrelated_message_finds_nothing_above_the_threshold(
    indexes: dict[str, KnowledgeIndex], shop: str, lang: Lang, question: str
) -> None:
    assert indexes[shop].search(question, lang=lang) == []
    # Even without the threshold, nothing scores like a real match does.
    loose = indexes[shop].search(question, lang=lang, min_score=0.0)
    assert all(hit.score < MIN_SCORE for hit in loose), loose


def test_hits_are_ordered_limited_and_carry_the_entry(
    indexes: dict[str, KnowledgeIndex],
) -> None:
    hits = indexes["cleaning"].search("химчистка дивана цена", lang=RU, k=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score
    first = hits[0]
    assert isinstance(first, Hit)
    assert first.entry.sku == "SOFA"  # type: ignore[union-attr]


def test_kinds_filter(indexes: dict[str, KnowledgeIndex]) -> None:
    hits = indexes["electronics"].search("скидка на чехол", lang=RU, kinds=[EntryKind.PROMOTION])
    assert hits[0].key == "accessories-with-phone"
    assert all(h.kind is EntryKind.PROMOTION for h in hits)
    only_faq = indexes["electronics"].search("дайсон в15", lang=RU, kinds=["faq"])
    assert all(h.kind is EntryKind.FAQ for h in only_faq)


def test_a_contact_hit_names_the_field_and_carries_all_contacts(
    indexes: dict[str, KnowledgeIndex],
) -> None:
    hit = indexes["electronics"].search("ваш телефон", lang=RU, kinds=["contact"])[0]
    assert hit.key == "phone"
    assert hit.entry.phone == "+7 495 123-45-67"  # type: ignore[union-attr]


def test_a_misdetected_language_still_finds_the_answer(
    indexes: dict[str, KnowledgeIndex],
) -> None:
    hits = indexes["cleaning"].search("есть страховка?", lang=EN)
    assert (hits[0].kind, hits[0].key) == (EntryKind.POLICY, "insurance")


def test_russian_and_english_entries_are_indexed_separately(
    indexes: dict[str, KnowledgeIndex],
) -> None:
    # The English index knows the English wording, the Russian one the Russian wording.
    assert indexes["electronics"].search("refund", lang=EN)[0].key == "returns"
    assert indexes["electronics"].search("возврат", lang=RU)[0].key == "returns"


def test_an_empty_knowledge_file_searches_to_nothing() -> None:
    index = KnowledgeIndex.build(Knowledge.model_validate({"shop": {"name": "X", "kind": "goods"}}))
    assert len(index) == 0
    assert index.search("доставка", lang=RU) == []


def test_every_entry_is_indexed(indexes: dict[str, KnowledgeIndex]) -> None:
    knowledge = load_knowledge(EXAMPLES_DIR / "cleaning.yaml")
    contacts = sum(1 for value in knowledge.contacts.model_dump().values() if value)
    expected = (
        len(knowledge.faq)
        + len(list(knowledge.policies.items()))
        + len(knowledge.catalog)
        + len(knowledge.promotions)
        + contacts
        + 1  # experience
        + len(knowledge.objections)
    )
    assert len(indexes["cleaning"]) == expected
