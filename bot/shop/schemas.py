"""The shop API's request and response bodies: pydantic models that validate what comes in
and, through `bot.shop.openapi`, describe the API — one source, so the two cannot drift.

Money is a plain JSON number in the order's currency (1990 means 1,990 roubles). Times are
ISO 8601 with a time zone; a time without one is refused rather than guessed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

# The shop's own ids (customers, orders, events): what its database uses, within reason.
SHOP_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$"
ShopId = Annotated[str, StringConstraints(pattern=SHOP_ID_PATTERN)]
# The site's anonymous visitor id, also carried in `/start v-<visitor_id>`.
VISITOR_ID_PATTERN = r"^[A-Za-z0-9-]{1,48}$"
VisitorId = Annotated[str, StringConstraints(pattern=VISITOR_ID_PATTERN)]
# Campaign, ad and creative names of a tracked link.
LinkName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text64 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text256 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]
Money = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]

OrderStatus = Literal["created", "paid", "shipped", "delivered", "returned", "cancelled"]
EventType = Literal[
    "page_view",
    "product_view",
    "add_to_cart",
    "remove_from_cart",
    "checkout_started",
    "search",
    "lead_submitted",
    "booking_created",
]
Device = Literal["mobile", "desktop", "tablet"]

MAX_ITEMS = 500
MAX_EVENTS = 1000


class _In(BaseModel):
    # Unknown fields are refused: a typo ("stauts") must not be silently ignored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrderItem(_In):
    sku: Text64
    name: Text256
    qty: int = Field(default=1, ge=1, le=100_000)
    price: Money
    category: Text64 | None = None


class OrderIn(_In):
    customer_id: ShopId = Field(description="The shop's id of the customer (PUT /customers first).")
    status: OrderStatus
    total: Money
    currency: str = Field(default="RUB", pattern=r"^[A-Z]{3}$", description="ISO 4217 code.")
    items: list[OrderItem] = Field(default_factory=list, max_length=MAX_ITEMS)
    created_at: AwareDatetime | None = Field(
        default=None, description="When the order was placed; default: when first received."
    )


class StatusChangeOut(_Out):
    status: OrderStatus
    at: datetime


class OrderOut(_Out):
    shop_order_id: str
    customer_id: str
    status: OrderStatus
    total: float
    currency: str
    items: list[OrderItem]
    created_at: datetime
    updated_at: datetime
    status_history: list[StatusChangeOut]
    created: bool = Field(description="True when this request created the order.")
    linked: bool = Field(description="True when the customer is linked to a chat.")


class CustomerIn(_In):
    name: Text256 | None = None
    phone: Annotated[str, StringConstraints(min_length=3, max_length=32)] | None = Field(
        default=None, description="Any common format; stored in E.164 (default region RU)."
    )
    email: (
        Annotated[
            str,
            StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
        ]
        | None
    ) = None


class CustomerOut(_Out):
    shop_customer_id: str
    name: str | None
    phone: str | None
    email: str | None
    linked: bool
    linked_at: datetime | None
    deep_link: str = Field(
        description="t.me link that links the Telegram user who opens it to this customer."
    )
    created: bool


class ErasureOut(_Out):
    shop_customer_id: str
    erased: bool = Field(description="Always true: the customer and everything about them is gone.")
    chats_erased: int = Field(description="Telegram chats linked to the customer, erased too.")
    rows_deleted: int = Field(description="Rows deleted across all tables.")


class ProductRef(_In):
    sku: Text64 | None = None
    name: Text256 | None = None
    category: Text64 | None = None
    price: Money | None = None

    @model_validator(mode="after")
    def _something(self) -> ProductRef:
        if self.sku is None and self.name is None:
            raise ValueError("a product needs a sku or a name")
        return self


class EventSource(_In):
    campaign: LinkName | None = None
    ad: LinkName | None = None
    creative: LinkName | None = None


class SiteEventIn(_In):
    type: EventType
    id: ShopId | None = Field(
        default=None, description="The shop's id of this event: a repeat is stored once."
    )
    customer_id: ShopId | None = None
    visitor_id: VisitorId | None = None
    at: AwareDatetime | None = Field(default=None, description="Default: when received.")
    url: Annotated[str, StringConstraints(max_length=2048)] | None = None
    page: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64),
        ]
        | None
    ) = Field(default=None, description="prices, faq, returns, contacts, insurance, …")
    product: ProductRef | None = None
    device: Device | None = None
    source: EventSource | None = None
    query: Annotated[str, StringConstraints(max_length=256)] | None = Field(
        default=None, description="What was searched (type search)."
    )

    @model_validator(mode="after")
    def _one_subject(self) -> SiteEventIn:
        if (self.customer_id is None) == (self.visitor_id is None):
            raise ValueError("give exactly one of customer_id and visitor_id")
        return self


class EventsOut(_Out):
    accepted: int = Field(description="Events stored by this request.")
    duplicates: int = Field(description="Events with an id stored before, skipped.")
    linked: int = Field(description="Events that reached a chat customer's profile now.")


class LinkIn(_In):
    campaign: LinkName | None = None
    ad: LinkName | None = None
    creative: LinkName | None = None

    @model_validator(mode="after")
    def _something(self) -> LinkIn:
        if not (self.campaign or self.ad or self.creative):
            raise ValueError("a link needs a campaign, an ad or a creative")
        return self


class LinkOut(_Out):
    url: str
    payload: str
    campaign: str | None
    ad: str | None
    creative: str | None
    created_at: datetime


class LinkStatsOut(LinkOut):
    starts: int = Field(description="/start presses through this link.")
    dialogs: int = Field(description="Dialogs that began with this link as the latest touch.")
    conversions: int = Field(description="Target actions after those dialogs (within 7 days).")
    first_touch_conversions: int = Field(
        description="Target actions of customers whose first touch was this link."
    )
    median_seconds_to_conversion: float | None
    revenue: float


class LinksOut(_Out):
    links: list[LinkStatsOut]


class ScoreOut(_Out):
    value: float
    reasons: list[str]


class SegmentOut(_Out):
    segment: str
    score: float = Field(ge=0, le=1)
    confidence: float = Field(ge=0, le=1)
    reasons: list[str]


class OrderSummaryOut(_Out):
    shop_order_id: str
    status: OrderStatus
    total: float
    currency: str
    created_at: datetime


class ProfileOut(_Out):
    shop_customer_id: str
    linked: bool
    language: str | None
    segments: list[SegmentOut]
    hotness: ScoreOut | None
    churn_risk: ScoreOut | None
    active_hours: list[int]
    orders: list[OrderSummaryOut]
    source: EventSource | None


class ErrorOut(_Out):
    error: str = Field(description="A stable code: bad_request, unauthorized, not_found, …")
    message: str
    field: str | None = Field(default=None, description="The offending field, dotted.")
