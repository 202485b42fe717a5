"""The shop's knowledge file: what the bot may say about the shop, validated on load.

A shop describes itself in one YAML file (`SHOP_KNOWLEDGE_FILE`): who it is, how to reach it,
its policies, FAQ, catalogue, promotions, selling points and answers to doubts. The pydantic
models below are the schema, and their field descriptions are its documentation. Every
user-facing text is a `Text`: one string for both languages or `{ru: …, en: …}`.

Loading never lets a half-valid file through: `load_knowledge` raises `KnowledgeError` whose
message is one line naming the file and the first bad field in dotted form
(`shop.yaml: catalog.3.price: Input should be greater than or equal to 0`), because a shop
owner reads it in a terminal, not a traceback. No aiogram, no database: this is plain data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from profiling.types import Lang

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
DEFAULT_EXAMPLE = EXAMPLES_DIR / "electronics.yaml"


class KnowledgeError(Exception):
    """The knowledge file is missing, not YAML, or breaks the schema; `str()` is one line."""

    def __init__(self, path: str, location: str, message: str) -> None:
        self.path, self.location, self.message = path, location, message
        where = f"{path}: {location}: " if location else f"{path}: "
        super().__init__(where + " ".join(message.split()))


class _Model(BaseModel):
    # Unknown keys are errors: a misspelt `pirce:` must not silently drop the price.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LocalizedText(_Model):
    ru: str = Field(min_length=1, description="The text in Russian.")
    en: str = Field(min_length=1, description="The text in English.")


def _coerce_text(value: Any) -> Any:
    # One plain string serves both languages; numbers are accepted as text ("24/7" is a
    # string to YAML, but `hours: 10` is not, and an owner should not have to quote it).
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("text_empty", "Text should not be empty")
        return {"ru": value, "en": value}
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return {"ru": str(value), "en": str(value)}
    if isinstance(value, dict | LocalizedText):
        return value
    raise PydanticCustomError(
        "text_type", "Input should be a string or a mapping {ru: ..., en: ...}"
    )


Text = Annotated[LocalizedText, BeforeValidator(_coerce_text)]


def _matching(pattern: str, explanation: str) -> AfterValidator:
    # pydantic's own message quotes the regular expression; a shop owner needs words.
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(
                "format", "Input should be {explanation}", {"explanation": explanation}
            )
        return value

    return AfterValidator(check)


Url = Annotated[str, _matching(r"https?://\S+", "a link starting with https://")]
Slug = Annotated[
    str,
    Field(max_length=64),
    _matching(r"[\w.\-]+", "letters, digits, '-', '_' or '.' without spaces"),
]
Email = Annotated[str, _matching(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an e-mail address")]
Currency = Annotated[str, _matching(r"[A-Z]{3}", "a three-letter currency code such as RUB")]
# `phone: 84951234567` is a number to YAML; it is still a phone number.
Phone = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def text(value: LocalizedText | str | None, lang: Lang | str) -> str:
    """The text in the customer's language ("" for a missing optional text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.ru if str(lang) == Lang.RU else value.en


# --- shop and contacts ---------------------------------------------------------------------


class Shop(_Model):
    name: Text = Field(description="The shop's name as customers know it.")
    kind: Literal["goods", "services"] = Field(
        description="`goods` ships products; `services` books visits (no delivery, no returns)."
    )
    tone: Literal["formal", "friendly"] = Field(
        default="friendly", description="How the bot addresses customers by default."
    )
    description: Text | None = Field(default=None, description="One or two sentences about you.")
    site_url: Url | None = Field(default=None, description="The shop's website.")
    order_url: Url | None = Field(
        default=None, description="Where to order or book online (a page or a form)."
    )
    order_instructions: Text | None = Field(
        default=None, description="How to order or book when there is no link, or in addition."
    )
    currency: Currency = Field(default="RUB", description="ISO 4217 code of every price.")


class Contacts(_Model):
    phone: Phone | None = Field(default=None, description="Phone for customers, as written.")
    email: Email | None = Field(default=None, description="E-mail for customers.")
    address: Text | None = Field(default=None, description="Office, shop or showroom address.")
    hours: Text | None = Field(default=None, description="Opening or support hours.")
    messengers: dict[str, str] = Field(
        default_factory=dict,
        description="Messenger name → handle or link: `whatsapp: '+7 …'`, `telegram: '@shop'`.",
    )
    manager: Text | None = Field(
        default=None, description="The manager's name the bot may hand customers to."
    )


# --- policies ------------------------------------------------------------------------------


class Policy(_Model):
    summary: Text = Field(description="The answer in one or two sentences.")
    details: Text | None = Field(default=None, description="The fine print, for careful readers.")
    keywords: tuple[str, ...] = Field(
        default=(), description="Extra words customers use for this topic (helps search)."
    )


class DeliveryArea(_Model):
    area: Text = Field(description="Where: a city, a region, «по всей России».")
    days_min: int = Field(ge=0, description="Fastest delivery, in days.")
    days_max: int = Field(ge=0, description="Slowest delivery, in days.")
    price: Money | None = Field(default=None, description="Price of delivery; 0 is free.")
    free_from: Money | None = Field(default=None, description="Order total that makes it free.")
    note: Text | None = None
    cities: tuple[str, ...] = Field(
        default=(),
        description="Cities and towns this area covers, any spelling: «Химки», Khimki. A city "
        "named in the `area` text needs no listing.",
    )
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO country code (`RU`): the area covers every city of that country not "
        "covered by another area («по всей России»).",
    )

    @model_validator(mode="after")
    def _days_in_order(self) -> DeliveryArea:
        if self.days_max < self.days_min:
            raise PydanticCustomError("days", "days_max should not be less than days_min")
        return self


class PickupPoint(_Model):
    address: Text = Field(description="Where the point is.")
    hours: Text | None = Field(default=None, description="When it is open.")


class Delivery(Policy):
    areas: tuple[DeliveryArea, ...] = Field(default=(), description="Areas, times and prices.")
    pickup: tuple[PickupPoint, ...] = Field(
        default=(), description="Pickup points; leave out when there are none."
    )


class Returns(Policy):
    days: int | None = Field(default=None, ge=0, description="Days to return a purchase.")


class Warranty(Policy):
    months: int | None = Field(default=None, ge=0, description="Warranty period in months.")


class Payment(Policy):
    methods: tuple[Text, ...] = Field(default=(), description="Cards, cash, installments…")


class Insurance(Policy):
    amount: Money | None = Field(default=None, description="Insured amount, in the currency.")


class Policies(_Model):
    """Each policy is optional: a cleaning service has no delivery and no returns."""

    delivery: Delivery | None = None
    returns: Returns | None = None
    warranty: Warranty | None = None
    payment: Payment | None = None
    insurance: Insurance | None = Field(default=None, description="For services: damage cover.")
    guarantees: Policy | None = Field(
        default=None, description="For services: what you do when the customer is unhappy."
    )

    def items(self) -> Iterator[tuple[str, Policy]]:
        """(name, policy) of every policy the shop has, in a fixed order."""
        for name in type(self).model_fields:
            policy = getattr(self, name)
            if policy is not None:
                yield name, policy


# --- FAQ, catalogue, promotions, selling points, objections --------------------------------


class FaqEntry(_Model):
    id: Slug | None = Field(default=None, description="A stable name; default `faq-<number>`.")
    questions: tuple[Text, ...] = Field(
        min_length=1, description="Ways customers ask it; the more variants, the better search."
    )
    answer: Text
    tags: tuple[str, ...] = Field(default=(), description="Topics, for grouping and search.")


class Item(_Model):
    """A product or, for a services shop, a service."""

    sku: Slug = Field(description="Your article number; other entries refer to it.")
    name: Text
    aliases: tuple[str, ...] = Field(
        default=(), description="Other spellings customers use, Cyrillic or Latin: «дайсон»."
    )
    category: Slug = Field(description="Category name, shared by similar items: `phones`.")
    price: Money
    old_price: Money | None = Field(default=None, description="The crossed-out price.")
    unit: Text = Field(
        default=LocalizedText(ru="шт", en="pc"), description="«шт», «за м²», «за визит»."
    )
    features: tuple[Text, ...] = Field(default=(), description="Key points, one line each.")
    description: Text | None = None
    accessories: tuple[Slug, ...] = Field(default=(), description="SKUs that go with it.")
    related: tuple[Slug, ...] = Field(default=(), description="SKUs to compare it with.")
    in_stock: bool = True
    url: Url | None = None

    @model_validator(mode="after")
    def _old_price_above_price(self) -> Item:
        if self.old_price is not None and self.old_price <= self.price:
            raise PydanticCustomError("old_price", "old_price should be greater than price")
        return self


class AppliesTo(_Model):
    skus: tuple[Slug, ...] = ()
    categories: tuple[Slug, ...] = ()

    @property
    def everything(self) -> bool:
        return not self.skus and not self.categories


class Promotion(_Model):
    id: Slug = Field(description="A stable name: `accessories-10`.")
    title: Text
    text: Text = Field(description="What the customer gets and how.")
    discount_percent: Decimal | None = Field(default=None, gt=0, le=100)
    discount_amount: Money | None = None
    code: str | None = Field(default=None, description="A promo code, when one is needed.")
    applies_to: AppliesTo = Field(
        default_factory=AppliesTo, description="SKUs and categories; empty: everything."
    )
    with_purchase_of: AppliesTo | None = Field(
        default=None, description="Only together with these SKUs or categories."
    )
    campaigns: tuple[Slug, ...] = Field(
        default=(),
        description="Ad campaigns (from deep links) whose customers get it; empty: everyone.",
    )
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Promotion:
        if self.discount_percent is not None and self.discount_amount is not None:
            raise PydanticCustomError(
                "discount", "give discount_percent or discount_amount, not both"
            )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise PydanticCustomError("dates", "valid_to should not be before valid_from")
        return self

    def active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Experience(_Model):
    """What to raise with a doubting customer."""

    years: int | None = Field(default=None, ge=0, description="Years in business.")
    team: Text | None = Field(default=None, description="Who does the work and how vetted.")
    insurance_amount: Money | None = Field(default=None, description="Insured amount.")
    points: tuple[Text, ...] = Field(default=(), description="Other selling points.")


class Objection(_Model):
    id: Slug = Field(description="A stable name: `too-expensive`.")
    doubts: tuple[Text, ...] = Field(
        min_length=1, description="How customers voice the doubt: «а если сломается?»"
    )
    answer: Text = Field(description="The answer that removes it.")


class Knowledge(_Model):
    """The whole file. Only `shop` is required."""

    shop: Shop
    contacts: Contacts = Field(default_factory=Contacts)
    policies: Policies = Field(default_factory=Policies)
    faq: tuple[FaqEntry, ...] = ()
    categories: dict[Slug, Text] = Field(
        default_factory=dict, description="Category → its name for customers (optional)."
    )
    catalog: tuple[Item, ...] = ()
    promotions: tuple[Promotion, ...] = ()
    experience: Experience | None = None
    objections: tuple[Objection, ...] = ()
    _by_sku: dict[str, Item] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> Knowledge:
        # Checked here rather than in the loader so `Knowledge.model_validate` is just as
        # strict; the location goes into the message because a model-level error has none.
        first = next(_reference_errors(self), None)
        if first is not None:
            where, what = first
            raise PydanticCustomError(
                "reference", "{where}: {what}", {"where": where, "what": what}
            )
        # The responder looks items up per message; a dict built once keeps that O(1).
        self._by_sku.update((item.sku, item) for item in self.catalog)
        return self

    def product(self, sku: str) -> Item | None:
        return self._by_sku.get(sku)

    def find_products_by_category(self, category: str) -> list[Item]:
        return [item for item in self.catalog if item.category == category]

    def promotions_for(
        self,
        *,
        sku: str | None = None,
        category: str | None = None,
        campaign: str | None = None,
        today: date,
    ) -> list[Promotion]:
        """Promotions active `today` that this customer may get and that concern the item.

        Campaign-tied promotions need `campaign` to match one of theirs (case-insensitive)
        and come first. With a `sku` or `category`, a promotion counts when it applies to it,
        to everything, or is unlocked by buying it (`with_purchase_of`: a phone buyer hears
        about the accessory discount).
        """
        item = self.product(sku) if sku else None
        wanted = campaign.casefold() if campaign else None
        found: list[Promotion] = []
        for promo in self.promotions:
            if not promo.active_on(today):
                continue
            if promo.campaigns and wanted not in {c.casefold() for c in promo.campaigns}:
                continue
            if (sku or category) and not (
                promo.applies_to.everything
                or _concerns(self, promo.applies_to, item, sku, category)
                or (
                    promo.with_purchase_of is not None
                    and _concerns(self, promo.with_purchase_of, item, sku, category)
                )
            ):
                continue
            found.append(promo)
        found.sort(key=lambda p: not p.campaigns)  # stable: file order within each group
        return found


def _concerns(
    knowledge: Knowledge,
    scope: AppliesTo,
    item: Item | None,
    sku: str | None,
    category: str | None,
) -> bool:
    if sku and sku in scope.skus:
        return True
    if item is not None and item.category in scope.categories:
        return True
    if category:
        return category in scope.categories or any(
            (p := knowledge.product(s)) is not None and p.category == category for s in scope.skus
        )
    return False


def _reference_errors(k: Knowledge) -> Iterator[tuple[str, str]]:
    skus: set[str] = set()
    for i, item in enumerate(k.catalog):
        if item.sku in skus:
            yield f"catalog.{i}.sku", f"duplicate sku '{item.sku}'"
        skus.add(item.sku)
    categories = {item.category for item in k.catalog}
    if k.categories:
        for i, item in enumerate(k.catalog):
            if item.category not in k.categories:
                yield f"catalog.{i}.category", f"unknown category '{item.category}'"
    categories |= set(k.categories)
    for i, item in enumerate(k.catalog):
        for field in ("accessories", "related"):
            for j, ref in enumerate(getattr(item, field)):
                if ref not in skus:
                    yield f"catalog.{i}.{field}.{j}", f"unknown sku '{ref}'"
    ids: set[str] = set()
    for i, promo in enumerate(k.promotions):
        if promo.id in ids:
            yield f"promotions.{i}.id", f"duplicate id '{promo.id}'"
        ids.add(promo.id)
        scopes = [("applies_to", promo.applies_to), ("with_purchase_of", promo.with_purchase_of)]
        for name, scope in scopes:
            if scope is None:
                continue
            for j, ref in enumerate(scope.skus):
                if ref not in skus:
                    yield f"promotions.{i}.{name}.skus.{j}", f"unknown sku '{ref}'"
            for j, ref in enumerate(scope.categories):
                if ref not in categories:
                    yield f"promotions.{i}.{name}.categories.{j}", f"unknown category '{ref}'"
    for section, entries in (("faq", k.faq), ("objections", k.objections)):
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if entry.id is not None and entry.id in seen:
                yield f"{section}.{i}.id", f"duplicate id '{entry.id}'"
            seen.add(entry.id or "")


# --- loading -------------------------------------------------------------------------------


# libyaml's parser when PyYAML was built with it: five times faster on a large catalogue.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """Safe YAML that refuses a key given twice: PyYAML would silently keep the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _yaml_error(error: yaml.YAMLError) -> tuple[str, str]:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return "", f"invalid YAML: {problem}"
    return f"line {mark.line + 1}, column {mark.column + 1}", f"invalid YAML: {problem}"


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def load_knowledge(path: str | os.PathLike[str] | None) -> Knowledge:
    """Read and validate the knowledge file; `None` gives the bundled electronics example."""
    source = Path(path) if path is not None else DEFAULT_EXAMPLE
    name = str(path) if path is not None else str(DEFAULT_EXAMPLE)
    try:
        raw = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(name, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KnowledgeError(name, "", f"cannot read the file: {error}") from None
    try:
        data = yaml.load(raw, Loader=_StrictLoader)  # a SafeLoader: no objects
    except yaml.YAMLError as error:
        raise KnowledgeError(name, *_yaml_error(error)) from None
    if data is None:
        raise KnowledgeError(name, "", "the file is empty")
    if not isinstance(data, dict):
        raise KnowledgeError(name, "", "the top level should be sections: shop, contacts, …")
    try:
        return Knowledge.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        more = error.error_count() - 1
        suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
        context = first.get("ctx") or {}
        if first["type"] == "reference":  # a cross-reference carries its own location
            location, message = context["where"], context["what"]
        else:
            location, message = _dotted(first["loc"]), first["msg"]
        raise KnowledgeError(name, location, message + suffix) from None
