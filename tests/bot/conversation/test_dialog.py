"""The dialog state: what the bot asked, learned and said; JSON round trip; damaged input."""

from __future__ import annotations

import pytest

from bot.conversation.dialog import SAID_MEMORY, DialogState


def test_asking_and_learning() -> None:
    state = DialogState()
    state.replied("Пришлите номер заказа.", asks="order_number", topic="order")
    assert state.awaiting == "order_number" and state.asked == {"order_number": 1}
    state.learn("order_number", "58213")
    assert state.awaiting is None and state.knows("order_number")
    assert state.said_before("Пришлите номер заказа.")
    state.replied("Заказ 58213 доставлен.")
    assert not state.said_before("Пришлите номер заказа.")
    assert state.last_topic == "order"  # a reply without a topic keeps the last one


def test_round_trip_and_bounded_memory() -> None:
    state = DialogState()
    for n in range(SAID_MEMORY + 4):
        state.replied(f"reply {n}")
    state.learn("city", "Казань")
    again = DialogState.from_dict(state.to_dict())
    assert again == DialogState.from_dict(again.to_dict())
    assert len(again.said) == SAID_MEMORY and again.said[-1] == f"reply {SAID_MEMORY + 3}"
    assert again.slots == {"city": "Казань"}


@pytest.mark.parametrize(
    "data",
    [
        None,
        "nonsense",
        {},
        {"v": 99, "awaiting": "order_number"},
        {"v": 1, "awaiting": "launch codes", "slots": [], "said": "x", "asked": {"city": "two"}},
    ],
)
def test_damaged_or_foreign_state_is_an_empty_one(data: object) -> None:
    state = DialogState.from_dict(data)  # type: ignore[arg-type]
    assert state.awaiting is None and state.slots == {} and state.asked == {}


def test_unknown_slots_are_refused() -> None:
    with pytest.raises(ValueError):
        DialogState().learn("favourite colour", "blue")


def test_misses_count_unanswered_replies_in_a_row_and_survive_a_restart() -> None:
    state = DialogState()
    state.replied("Уточните?", missed=True)
    state.replied("Выберите:", missed=True)
    assert DialogState.from_dict(state.to_dict()).misses == 2
    state.replied("Доставка: 1–3 дня.")
    assert state.misses == 0
