"""Value types shared by the whole profiling engine.

Everything here is an immutable, dependency-free value: the text analysers produce them,
the profile state consumes them, and `storage/` and `bot/` only pass them around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Lang(StrEnum):
    RU = "ru"
    EN = "en"


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Intent(StrEnum):
    ORDER_STATUS = "order_status"
    DELIVERY = "delivery"
    RETURN_REFUND = "return_refund"
    COMPLAINT = "complaint"
    WARRANTY = "warranty"
    PRICE = "price"  # price, discount, promo code
    PRODUCT_QUESTION = "product_question"
    COMPARISON = "comparison"
    BOOKING = "booking"
    HUMAN_REQUEST = "human_request"
    GREETING = "greeting"
    THANKS = "thanks"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """Polarity of one message.

    `polarity` is in -1..1, `irritation` in 0..1 (how annoyed the writer is, which is not the
    same as negative: "the parcel is damaged" is negative but calm). `cues` are the lexicon
    entries and rules that fired, for explanations.
    """

    label: Sentiment
    polarity: float
    irritation: float
    waiting_complaint: bool = False
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IntentResult:
    intent: Intent
    confidence: float
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MessageSignals:
    """Everything the engine reads from the text of one message (no timing here)."""

    lang: Lang
    chars: int
    words: int
    questions: int  # question marks or interrogative openings
    exclamations: int
    repeated_punct: int  # runs such as "??", "!!!", "?!"
    caps_ratio: float  # share of upper-case letters among letters, 0..1
    emoji: int
    formality: float  # -1 very informal .. +1 very formal
    polite: bool  # politeness formulas: please, пожалуйста, будьте добры
    terminology: int  # professional terms from the configured vocabulary
    sentiment: SentimentResult
    intent: IntentResult
    asks_more_detail: bool = False  # "подробнее", "tell me more": a short answer missed
    asks_shorter: bool = False  # "короче", "too long": a long answer missed
    topics: tuple[str, ...] = ()  # product or subject keys the message is about
    # «срочно», "asap", "right now": the customer says they are in a hurry. Added for the
    # urgent segment; `analyze_message` fills it from the style cues.
    urgent: bool = False
    # «больше не закажу», "never ordering again", "cancel my account": the customer says they
    # will stop buying here. Filled from the style cues for the churn score.
    threatens_to_leave: bool = False
    # Whether the text itself showed its language (enough words in one script) rather than
    # `lang` falling back to the caller's hint: only then may the profile's language change.
    lang_clear: bool = True
    # «не понял», «в смысле?», «что?», "what do you mean?", "I don't get it": the customer did
    # not follow the bot's answer. Added last, with a default, so older callers keep working.
    asks_clarification: bool = False

    @property
    def is_question(self) -> bool:
        return self.questions > 0


@dataclass(frozen=True, slots=True)
class Reason:
    """One signal that moved a score: what it is, its measured value, its signed effect.

    `code` keys a sentence template in `profiling.assess.explain`; `value` is the measured value of
    the signal (in its own unit), `contribution` the signed change it made to the score.
    """

    code: str
    value: float
    contribution: float


@dataclass(frozen=True, slots=True)
class SourceContext:
    """First-touch ad context, used for cold-start priors (e.g. a discount campaign)."""

    campaign: str | None = None
    ad: str | None = None
    creative: str | None = None
    tags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class SiteEvent:
    """One thing the customer did on the shop's website, as the shop reported it.

    `kind` is one of page_view, product_view, add_to_cart, remove_from_cart,
    checkout_started, search, lead_submitted, booking_created (another kind still counts as
    a visit); `ts` is unix seconds; `page` the shop's lower-case page name ("prices", "faq",
    "returns", "contacts", "delivery", "insurance", "reviews", "product", "cart", ...);
    `product_key` the SKU or the lower-cased product name; `device` "mobile", "desktop" or
    "tablet". `price` is carried for later use: the profile does not read it yet.
    """

    kind: str
    ts: float
    page: str | None = None
    product_key: str | None = None
    category: str | None = None
    price: float | None = None
    device: str | None = None
