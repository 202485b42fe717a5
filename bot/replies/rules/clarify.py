"""When the bot could not tell what the customer wants: the second miss in a row changes
the strategy — say so plainly and offer the shop's topics as buttons; from the third, the
shop's contacts too. Repeating "could you clarify?" is how a customer is lost."""

from __future__ import annotations

from bot.replies.base import Reply
from bot.replies.knowledge import Knowledge
from bot.replies.rules.grounded import contacts_line
from profiling.types import Lang

_SAY = {
    Lang.RU: "Кажется, я не понял, что вам нужно. Выберите, что ближе, — или напишите иначе.",
    Lang.EN: "I'm not sure I understood what you need. Pick the closest — or put it another way.",
}
# For a customer in a hurry: the same, in a few words.
_SAY_SHORT = {Lang.RU: "Не понял вас. Выберите:", Lang.EN: "I didn't catch that. Pick one:"}
_PEOPLE = {
    Lang.RU: "Если удобнее поговорить с человеком: {contacts}.",
    Lang.EN: "If you'd rather talk to a person: {contacts}.",
}


def options_for(knowledge: Knowledge | None) -> tuple[str, ...]:
    """The topics this shop can answer (`bot.replies.base.OPTIONS` keys): a services shop
    is not asked about deliveries and returns."""
    if knowledge is None:
        return ("order", "delivery", "returns", "person")
    if knowledge.shop.kind == "services":
        return ("prices", "booking", "person")
    options = ["order"]
    if knowledge.policies.delivery is not None:
        options.append("delivery")
    if knowledge.policies.returns is not None:
        options.append("returns")
    if knowledge.catalog:
        options.append("catalog")
    options.append("person")
    return tuple(options)


def clarify(knowledge: Knowledge | None, lang: Lang, *, misses: int, short: bool = False) -> Reply:
    """The reply after `misses` unanswered messages in a row (≥ 1 before this one)."""
    said = (_SAY_SHORT if short else _SAY)[lang]
    if misses >= 2 and knowledge is not None and (contacts := contacts_line(knowledge, lang)):
        said = f"{said} {_PEOPLE[lang].format(contacts=contacts)}"
    return Reply(said, options=options_for(knowledge), missed=True)
