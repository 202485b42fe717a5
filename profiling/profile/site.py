"""What the customer's visits to the shop's website do to the profile.

The shop reports site events (`profiling.types.SiteEvent`); each is folded into a small
`SiteState` kept on the profile (`ProfileState.site`, None until the first event), O(1) in
the history and bounded in size: at most MAX_PRODUCTS products and MAX_SESSION_CATEGORIES
categories are remembered, keys are cut to MAX_KEY_CHARS characters.

What is read from the site, each one a level that fades with its own half-life:
* price and information pages viewed, and the time spent on them ("dwell": the time until the
  next event of the same visit, at most MAX_DWELL_S; a visit ends after SESSION_GAP_S without
  events) → price-sensitive, researcher;
* views of one product and comparisons (two products of one category in one visit, or a
  compare page) → doubting buyer;
* returns, contacts, warranty or support pages within PROBLEM_WINDOW_S after a purchase → a
  likely problem (before a purchase, returns and warranty pages are research);
* cart and checkout → lead hotness; an open cart (`cart_open_since`) for a later check-in;
* the latest device → shorter answers for someone on a phone.

The site levels are expressed as of `SiteState.at`, which only moves forward; the message
levels of the profile are left alone, so a visit never costs the per-message path anything.
Events may come late or in an old batch: a late event is weighed by the decay since it
happened, joins the current visit only if it falls within it, and has no dwell of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from profiling.profile.half_lives import DAY, HalfLives
from profiling.profile.timing import decay_factor
from profiling.types import SiteEvent

if TYPE_CHECKING:
    # Only for annotations: the state module imports this one.
    from profiling.profile.state import ProfileState

# A site event counts this much in the hour histograms (a message counts 1): a visit says
# when the customer is around, a little less surely than a message they wrote.
SITE_HOUR_WEIGHT = 0.5
# Evidence, in messages, that a site event gives the segments: coming to the site at all (the
# first event of a visit) says more than one more click; and at most one visit gives: twenty
# page views in a row are one look at the shop, not twenty messages. The hours follow the
# same cap: the events past it are not counted there either.
SITE_VISIT_EVIDENCE = 0.5
SITE_EVIDENCE = 0.25
SESSION_EVIDENCE_CAP = 1.0
SESSION_GAP_S = 1800.0  # 30 minutes without events end a visit, like a dialog
MAX_DWELL_S = 600.0  # a tab left open over lunch is not ten minutes of reading
PROBLEM_WINDOW_S = 14 * DAY  # returns or contacts this soon after a purchase: a problem
MAX_PRODUCTS = 16
MAX_SESSION_CATEGORIES = 16
MAX_KEY_CHARS = 64
# Cart level added by an add to cart and by a started checkout (read by lead hotness).
ADD_TO_CART_LEVEL = 0.5
CHECKOUT_LEVEL = 1.0

PRICE_PAGES = frozenset({"prices", "price", "pricing", "price-list", "pricelist", "tariffs"})
INFO_PAGES = frozenset(
    {"faq", "delivery", "shipping", "insurance", "reviews", "terms", "conditions", "payment"}
)
COMPARE_PAGES = frozenset({"compare", "comparison"})
# Problem level a visit adds within PROBLEM_WINDOW_S after a purchase: returns and warranty
# pages say more than a look at the contacts.
SUPPORT_PAGES: dict[str, float] = {
    "returns": 0.8,
    "return": 0.8,
    "refund": 0.8,
    "warranty": 0.8,
    "guarantee": 0.8,
    "contacts": 0.5,
    "contact": 0.5,
    "support": 0.5,
    "help": 0.5,
}
# Of those, the pages a prospect reads before buying ("can I return it?"): research then.
PREPURCHASE_PAGES = frozenset({"returns", "return", "refund", "warranty", "guarantee"})
PRODUCT_VIEW_KINDS = frozenset({"product_view", "page_view"})
# Site kinds that are conversions, and the target action each one records.
TARGET_KINDS: dict[str, str] = {"lead_submitted": "lead", "booking_created": "booking"}
DEVICES = frozenset({"mobile", "desktop", "tablet"})


@dataclass(slots=True)
class SiteState:
    """What the site has shown about one customer; decayed levels are as of `at`."""

    events: int = 0
    at: float = 0.0
    # Evidence in messages (see SITE_EVIDENCE): all of it, and decayed with the long term.
    evidence_total: float = 0.0
    evidence: float = 0.0
    # The latest event (the cursor visits and dwell are measured from) and its visit.
    last_at: float | None = None
    last_page: str | None = None
    sessions: int = 0
    session_start: float | None = None
    session_evidence: float = 0.0
    # category -> a product viewed in the current visit; a second one is a comparison.
    session_cats: dict[str, str] = field(default_factory=dict)
    compared_session: int = 0  # the last visit a comparison was counted in
    # product key -> [views, decayed, as of the last view; time of the last view]
    products: dict[str, list[float]] = field(default_factory=dict)
    price_views: float = 0.0
    price_dwell: float = 0.0
    info_views: float = 0.0
    info_dwell: float = 0.0
    compares: float = 0.0
    support_views: float = 0.0  # returns / contacts visits soon after a purchase
    problem: float = 0.0
    cart: float = 0.0
    cart_items: int = 0
    cart_open_since: float | None = None
    cart_closed_at: float | None = None  # the latest checkout or purchase
    device: str | None = None
    device_at: float | None = None

    def copy(self) -> SiteState:
        """An independent copy (no list or dict shared with this one)."""
        return replace(
            self,
            session_cats=dict(self.session_cats),
            products={k: list(v) for k, v in self.products.items()},
        )

    def advance(self, ts: float, hl: HalfLives) -> None:
        """Decay every level from `at` to `ts` (no-op going back)."""
        dt = ts - self.at
        if dt <= 0.0:
            return
        self.at = ts
        fi = decay_factor(dt, hl.site_interest_s)
        self.price_views *= fi
        self.price_dwell *= fi
        self.info_views *= fi
        self.info_dwell *= fi
        self.compares *= fi
        fp = decay_factor(dt, hl.problem_s)
        self.problem *= fp
        self.support_views *= fp
        self.cart *= decay_factor(dt, hl.intents_s)
        self.evidence *= decay_factor(dt, hl.long_term_s)


@dataclass(slots=True)
class SiteSnapshot:
    """The site levels read at one moment (see `read_site`); treat as read-only."""

    events: int
    evidence_total: float
    evidence: float  # decayed to now: the site's share of the recent evidence
    price_views: float
    price_dwell_s: float
    info_views: float
    info_dwell_s: float
    compares: float
    top_product_views: float  # views of the most viewed product, decayed
    support_views: float
    problem: float
    cart: float
    cart_open_s: float | None  # how long the cart has been open without a checkout
    mobile: float  # 1 when the latest visit was from a phone, fading with the long term


def clean_key(value: object) -> str | None:
    """A page, product, category or device name as the profile keeps it, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    return text[:MAX_KEY_CHARS] if text else None


def page_name(value: object) -> str | None:
    """The shop's page name: lower case, without slashes, the first path part ("faq/x")."""
    text = clean_key(value)
    if text is None:
        return None
    text = text.strip("/").split("/", 1)[0]
    return text or None


def add_site_event(
    state: ProfileState, event: SiteEvent, ts: float, hl: HalfLives
) -> tuple[float, str | None]:
    """Fold one site event at `ts` (already checked) into `state.site`.

    Returns the weight the event has in the hour histograms (SITE_HOUR_WEIGHT, 0 once its
    visit reached its cap) and the target action it stands for ("lead", "booking") or None;
    the caller counts the one and records the other.
    """
    site = state.site
    if site is None:
        site = state.site = SiteState(at=ts)
    kind = clean_key(event.kind) or "page_view"
    page = page_name(event.page)
    late = site.at - ts  # > 0 for an event older than what the site levels are at
    site.advance(ts, hl)
    session = _visit(site, ts, page)
    evidence = _count_evidence(site, session, decay_factor(late, hl.long_term_s))
    w_interest = decay_factor(late, hl.site_interest_s)
    if page is not None:
        _read_page(state, site, page, ts, session, w_interest, decay_factor(late, hl.problem_s))
    product = clean_key(event.product_key)
    if product is not None and kind in PRODUCT_VIEW_KINDS:
        _view_product(site, product, ts, hl)
        category = clean_key(event.category)
        if category is not None and session:
            _compare_within_visit(site, category, product, session, w_interest)
    if kind == "add_to_cart":
        site.cart += ADD_TO_CART_LEVEL * decay_factor(late, hl.intents_s)
        _open_cart(site, ts, state.last_purchase_at)
    elif kind == "remove_from_cart":
        _remove_from_cart(site, ts)
    elif kind == "checkout_started":
        site.cart += CHECKOUT_LEVEL * decay_factor(late, hl.intents_s)
        close_cart(site, ts)
    device = clean_key(event.device)
    if device in DEVICES and (site.device_at is None or ts >= site.device_at):
        site.device = device
        site.device_at = ts
    site.events += 1
    return (SITE_HOUR_WEIGHT if evidence > 0.0 else 0.0), TARGET_KINDS.get(kind)


def _visit(site: SiteState, ts: float, page: str | None) -> int:
    """The visit (session number) `ts` belongs to, 0 for an older, closed one.

    An event in order moves the cursor: it starts a visit after SESSION_GAP_S of quiet, or
    gives the previous page its dwell. A late event joins the current visit if it falls
    within it and otherwise belongs to a visit long closed.
    """
    last = site.last_at
    if last is None or ts >= last:
        if last is None or ts - last > SESSION_GAP_S:
            site.sessions += 1
            site.session_start = ts
            site.session_evidence = 0.0
            site.session_cats = {}
        else:
            _dwell(site, site.last_page, min(ts - last, MAX_DWELL_S))
        site.last_at = ts
        site.last_page = page
        return site.sessions
    start = site.session_start
    if start is not None and ts >= start - SESSION_GAP_S:
        site.session_start = min(start, ts)
        return site.sessions
    return 0


def _dwell(site: SiteState, page: str | None, seconds: float) -> None:
    if page in PRICE_PAGES:
        site.price_dwell += seconds
    elif page in INFO_PAGES:
        site.info_dwell += seconds


def _count_evidence(site: SiteState, session: int, weight: float) -> float:
    """Count the event as evidence (capped per visit); returns how much it counted."""
    evidence = SITE_EVIDENCE
    if session == site.sessions:  # the current visit: capped (a closed one is not tracked)
        if site.session_evidence == 0.0:
            evidence = SITE_VISIT_EVIDENCE
        evidence = max(0.0, min(evidence, SESSION_EVIDENCE_CAP - site.session_evidence))
        site.session_evidence += evidence
    site.evidence_total += evidence
    site.evidence += evidence * weight
    return evidence


def _read_page(
    state: ProfileState,
    site: SiteState,
    page: str,
    ts: float,
    session: int,
    w_interest: float,
    w_problem: float,
) -> None:
    """What a page view says: price interest, research, a comparison or a problem."""
    if page in PRICE_PAGES:
        site.price_views += w_interest
    elif page in INFO_PAGES:
        site.info_views += w_interest
    elif page in COMPARE_PAGES:
        if not session or site.compared_session != session:
            site.compares += w_interest
            site.compared_session = session or site.compared_session
    elif page in SUPPORT_PAGES:
        bought = state.last_purchase_at
        if bought is not None and 0.0 <= ts - bought <= PROBLEM_WINDOW_S:
            site.problem += SUPPORT_PAGES[page] * w_problem
            site.support_views += w_problem
        elif page in PREPURCHASE_PAGES:
            site.info_views += w_interest


def _view_product(site: SiteState, key: str, ts: float, hl: HalfLives) -> None:
    """One more view of a product; the faintest product makes room for a new one."""
    products = site.products
    entry = products.get(key)
    if entry is None:
        if len(products) >= MAX_PRODUCTS:
            faintest = min(
                products,
                key=lambda k: (
                    products[k][0] * decay_factor(ts - products[k][1], hl.site_interest_s)
                ),
            )
            del products[faintest]
        products[key] = [1.0, ts]
        return
    views, last = entry
    if ts >= last:
        entry[0] = views * decay_factor(ts - last, hl.site_interest_s) + 1.0
        entry[1] = ts
    else:  # a late view, expressed as of the last one
        entry[0] = views + decay_factor(last - ts, hl.site_interest_s)


def _compare_within_visit(
    site: SiteState, category: str, product: str, session: int, weight: float
) -> None:
    """Two different products of one category in one visit count once as a comparison."""
    if session != site.sessions:
        return
    seen = site.session_cats.get(category)
    if seen is None:
        if len(site.session_cats) < MAX_SESSION_CATEGORIES:
            site.session_cats[category] = product
    elif seen != product and site.compared_session != session:
        site.compares += weight
        site.compared_session = session


def _open_cart(site: SiteState, ts: float, last_purchase_at: float | None) -> None:
    closed = site.cart_closed_at
    if last_purchase_at is not None and (closed is None or last_purchase_at > closed):
        closed = last_purchase_at
    if closed is not None and ts <= closed:
        return  # a late add to cart that a checkout or an order already followed
    site.cart_items += 1
    if site.cart_open_since is None or ts < site.cart_open_since:
        site.cart_open_since = ts


def _remove_from_cart(site: SiteState, ts: float) -> None:
    since = site.cart_open_since
    if since is None or ts < since:
        return
    site.cart_items = max(0, site.cart_items - 1)
    if site.cart_items == 0:
        site.cart_open_since = None


def close_cart(site: SiteState, ts: float) -> None:
    """A checkout or a purchase at `ts`: the cart opened before it is no longer abandoned."""
    if site.cart_closed_at is None or ts > site.cart_closed_at:
        site.cart_closed_at = ts
    since = site.cart_open_since
    if since is not None and ts >= since:
        site.cart_open_since = None
        site.cart_items = 0


def read_site(site: SiteState, now: float, hl: HalfLives) -> SiteSnapshot:
    """The site levels decayed to `now` (>= `site.at`; earlier reads them as of `at`)."""
    dt = now - site.at
    fi = decay_factor(dt, hl.site_interest_s)
    fp = decay_factor(dt, hl.problem_s)
    top = 0.0
    for views, last in site.products.values():
        top = max(top, views * decay_factor(now - last, hl.site_interest_s))
    since = site.cart_open_since
    mobile = 0.0
    if site.device == "mobile" and site.device_at is not None:
        mobile = decay_factor(now - site.device_at, hl.long_term_s)
    return SiteSnapshot(
        events=site.events,
        evidence_total=site.evidence_total,
        evidence=site.evidence * decay_factor(dt, hl.long_term_s),
        price_views=site.price_views * fi,
        price_dwell_s=site.price_dwell * fi,
        info_views=site.info_views * fi,
        info_dwell_s=site.info_dwell * fi,
        compares=site.compares * fi,
        top_product_views=top,
        support_views=site.support_views * fp,
        problem=site.problem * fp,
        cart=site.cart * decay_factor(dt, hl.intents_s),
        cart_open_s=None if since is None else max(0.0, now - since),
        mobile=mobile,
    )
