"""Site events in the profile state: visits, dwell, products, cart, device, late events,
bounded memory, orders reported as new, serialization and copies."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from profiling.engine import EngineConfig, ProfileEngine
from profiling.errors import InvalidTimestamp
from profiling.profile.site import (
    MAX_DWELL_S,
    MAX_PRODUCTS,
    MAX_SESSION_CATEGORIES,
    SESSION_EVIDENCE_CAP,
    SITE_EVIDENCE,
    SITE_HOUR_WEIGHT,
    SITE_VISIT_EVIDENCE,
    SiteState,
    page_name,
)
from profiling.profile.state import ProfileState
from profiling.types import Intent, SiteEvent, SourceContext
from tests.factories import DAY, HOUR, MIN, T0, make_signals

NAN = float("nan")
INF = float("inf")
# A state written by the previous version (2) of the code, before the site existed.
STATE_V2 = Path(__file__).with_name("state_v2.json")


def _page(ts: float, page: str | None, **fields: object) -> SiteEvent:
    return SiteEvent("page_view", ts, page=page, **fields)  # type: ignore[arg-type]


def _view(ts: float, product: str, category: str | None = None) -> SiteEvent:
    return SiteEvent("product_view", ts, product_key=product, category=category)


def _site(state: ProfileState) -> SiteState:
    assert state.site is not None
    return state.site


def _fed(*events: SiteEvent, engine: ProfileEngine | None = None) -> ProfileState:
    engine = engine or ProfileEngine()
    state = engine.new_state(now=T0)
    for event in events:
        engine.observe_site_event(state, event)
    return state


def _busy(engine: ProfileEngine) -> ProfileState:
    """Messages, an order and every kind of site event."""
    state = engine.new_state(now=T0, source=SourceContext(campaign="cleaning"))
    engine.observe_incoming(state, make_signals(40, intent=Intent.PRICE), T0)
    events = [
        _page(T0 + MIN, "prices", device="mobile"),
        _page(T0 + 5 * MIN, "faq"),
        _view(T0 + 6 * MIN, "kettle-a1", "kettles"),
        _view(T0 + 7 * MIN, "kettle-b2", "kettles"),
        SiteEvent("add_to_cart", T0 + 8 * MIN, product_key="kettle-b2"),
        SiteEvent("search", T0 + 9 * MIN),
        SiteEvent("lead_submitted", T0 + 10 * MIN),
    ]
    for event in events:
        engine.observe_site_event(state, event)
    engine.observe_order(state, T0 + DAY, "delivered", new_order=True)
    engine.observe_site_event(state, _page(T0 + 2 * DAY, "returns", device="desktop"))
    return state


# ------------------------------------------------------------------ visits and dwell
# (page offsets in minutes within the visit(s), expected (price dwell, info dwell) in seconds)
DWELL_CASES = [
    # The time until the next event is the dwell of the page before it.
    ([(0, "prices"), (4, "faq"), (6, "insurance")], (240.0, 120.0)),
    # Capped at ten minutes: a tab left open is not reading.
    ([(0, "prices"), (25, "faq")], (MAX_DWELL_S, 0.0)),
    # 30 minutes of quiet end the visit: no dwell across visits.
    ([(0, "prices"), (31, "faq"), (33, "cart")], (0.0, 120.0)),
    # The last page of a visit has no known dwell.
    ([(0, "faq"), (2, "prices")], (0.0, 120.0)),
    # Page names are the shop's, in any case, with slashes or sub-pages.
    ([(0, "/Prices/"), (3, "FAQ/cleaning"), (4, None)], (180.0, 60.0)),
]


@pytest.mark.parametrize(("pages", "dwell"), DWELL_CASES)
def test_dwell_is_the_time_until_the_next_event_of_the_visit(
    pages: list[tuple[float, str | None]], dwell: tuple[float, float]
) -> None:
    state = _fed(*(_page(T0 + m * MIN, page) for m, page in pages))
    site = _site(state)
    # Read back at the last event: the week-long half-life has barely started.
    at = T0 + pages[-1][0] * MIN
    assert site.at == at
    assert site.price_dwell == pytest.approx(dwell[0], rel=1e-2)
    assert site.info_dwell == pytest.approx(dwell[1], rel=1e-2)


def test_visits_are_counted_and_evidence_is_capped_per_visit() -> None:
    # Twelve page views in one visit, then one more a day later.
    events = [_page(T0 + i * MIN, "home") for i in range(12)] + [_page(T0 + DAY, "home")]
    site = _site(_fed(*events))
    assert site.sessions == 2
    assert site.events == 13
    # A visit counts more than a click, and one visit at most SESSION_EVIDENCE_CAP.
    assert site.evidence_total == pytest.approx(SESSION_EVIDENCE_CAP + SITE_VISIT_EVIDENCE)


@pytest.mark.parametrize(
    ("raw", "name"),
    [("prices", "prices"), (" FAQ ", "faq"), ("/faq/cleaning", "faq"), ("", None), (None, None)],
)
def test_page_names(raw: str | None, name: str | None) -> None:
    assert page_name(raw) == name


# ------------------------------------------------------------------ products and comparisons
def test_repeated_views_of_one_product_decay_with_the_site_half_life() -> None:
    engine = ProfileEngine()
    hl = engine.config.half_lives.site_interest_s
    site = _site(_fed(*(_view(T0 + d * DAY, "kettle-x1") for d in range(3)), engine=engine))
    views, last = site.products["kettle-x1"]
    assert last == T0 + 2 * DAY
    expected = 1.0 + 0.5 ** (DAY / hl) + 0.5 ** (2 * DAY / hl)
    assert views == pytest.approx(expected)


# (events, comparisons counted)
COMPARE_CASES = [
    # Two products of one category in one visit: one comparison.
    ([_view(T0, "a", "kettles"), _view(T0 + MIN, "b", "kettles")], 1.0),
    # ... counted once per visit however many there are.
    ([_view(T0 + i * MIN, f"p{i}", "kettles") for i in range(5)], 1.0),
    # The same product twice is not a comparison, nor two categories.
    ([_view(T0, "a", "kettles"), _view(T0 + MIN, "a", "kettles")], 0.0),
    ([_view(T0, "a", "kettles"), _view(T0 + MIN, "b", "grinders")], 0.0),
    # Two visits apart (31 minutes of quiet) compare nothing.
    ([_view(T0, "a", "kettles"), _view(T0 + 31 * MIN, "b", "kettles")], 0.0),
    # An explicit compare page is a comparison.
    ([_page(T0, "compare")], 1.0),
    # Without a category nothing is known to be comparable.
    ([_view(T0, "a"), _view(T0 + MIN, "b")], 0.0),
]


@pytest.mark.parametrize(("events", "compares"), COMPARE_CASES)
def test_comparisons_within_one_visit(events: list[SiteEvent], compares: float) -> None:
    assert _site(_fed(*events)).compares == pytest.approx(compares, abs=0.01)


def test_memory_stays_bounded_under_ten_thousand_distinct_products() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    rng = random.Random(7)
    ts = T0
    viewed = ""
    for i in range(10_000):
        ts += rng.choice((5.0, 40.0, 400.0, 3 * HOUR))
        kind = rng.choice(("product_view", "page_view", "add_to_cart", "search"))
        event = SiteEvent(
            kind,
            ts,
            page=rng.choice(("prices", "faq", None, f"landing-{i}")),
            product_key=f"product-{i}-" + "x" * 100,  # long keys are cut
            category=f"category-{i}",
            device=rng.choice(("mobile", "desktop", None)),
        )
        engine.observe_site_event(state, event)
        if kind in ("product_view", "page_view"):
            viewed = f"product-{i}-"
    site = _site(state)
    assert site.events == 10_000
    assert len(site.products) <= MAX_PRODUCTS
    assert len(site.session_cats) <= MAX_SESSION_CATEGORIES
    assert all(len(k) <= 64 for k in site.products)
    # The most recent product is among those kept, its key cut to 64 characters.
    assert viewed + "x" * (64 - len(viewed)) in site.products
    assert len(json.dumps(state.to_dict())) < 8_000
    engine.assess(state, ts)


# ------------------------------------------------------------------ late and out-of-order
def _mixed_events() -> list[SiteEvent]:
    """Five daily visits of three events (within a visit's evidence cap)."""
    events = []
    for d in range(5):
        day = T0 + d * DAY
        events += [
            _page(day, "prices"),
            _page(day + 3 * MIN, "faq"),
            _view(day + 5 * MIN, "kettle-x1", "kettles"),
        ]
    return events


def test_out_of_order_events_count_the_same_views_and_never_go_back() -> None:
    ordered = _fed(*_mixed_events())
    shuffled_events = _mixed_events()
    random.Random(3).shuffle(shuffled_events)
    shuffled = _fed(*shuffled_events)
    a, b = _site(ordered), _site(shuffled)
    last = max(e.ts for e in _mixed_events())
    assert a.at == b.at == last
    assert a.last_at == b.last_at == last
    # Counts are weighed by how old each event is, whatever the order they came in.
    assert b.price_views == pytest.approx(a.price_views)
    assert b.info_views == pytest.approx(a.info_views)
    assert b.products["kettle-x1"] == pytest.approx(a.products["kettle-x1"])
    assert b.events == a.events == 15
    assert sum(shuffled.week_hours) == pytest.approx(sum(ordered.week_hours))
    # Late events have no dwell: what the order lost can only be less.
    assert b.price_dwell <= a.price_dwell


def test_an_old_batch_never_moves_the_clocks_back() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for i in range(3):
        engine.observe_incoming(state, make_signals(60), T0 + 10 * DAY + i * MIN)
    at, hist_at, last_in = state.at, state.hist_at, state.last_incoming_at
    lt_n = state.lt_n
    engine.observe_site_event(state, _page(T0 + 12 * DAY, "faq"))
    for i in range(5):  # a batch from a week and a half ago arrives now
        engine.observe_site_event(state, _page(T0 + i * MIN, "prices"))
    assert (state.at, state.hist_at, state.last_incoming_at) == (at, hist_at, last_in)
    assert state.lt_n == lt_n  # the messages' decayed sums are untouched
    site = _site(state)
    assert site.at == site.last_at == T0 + 12 * DAY
    # Twelve days old at a week's half-life: each weighs 2^(−12/7).
    assert site.price_views == pytest.approx(5 * 0.5 ** (12 / 7), rel=1e-3)
    assert site.price_dwell == 0.0  # late events have no dwell
    engine.assess(state, T0 + 12 * DAY)


@pytest.mark.parametrize("bad", [NAN, INF, -INF, "yesterday", None])
def test_non_finite_times_are_refused_before_anything_changes(bad: object) -> None:
    engine = ProfileEngine()
    state = _busy(engine)
    before = state.to_dict()
    with pytest.raises(InvalidTimestamp):
        engine.observe_site_event(state, SiteEvent("page_view", bad, page="prices"))  # type: ignore[arg-type]
    assert state.to_dict() == before


@pytest.mark.parametrize(
    "event",
    [
        SiteEvent("", T0),
        SiteEvent("some_future_kind", T0, page="prices"),
        SiteEvent(None, T0, page=12, product_key=3.5, category=[], device="fridge"),  # type: ignore[arg-type]
        SiteEvent("remove_from_cart", T0),
        SiteEvent("checkout_started", T0),
        SiteEvent("product_view", T0, price=NAN),
    ],
)
def test_odd_events_never_crash(event: SiteEvent) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_site_event(state, event)
    assert _site(state).events == 1
    assert state.device is None
    json.dumps(state.to_dict(), allow_nan=False)
    engine.assess(state, T0 + MIN)


# ------------------------------------------------------------------ cart, device, targets
# (events as (minutes, kind), whether the cart is open at the end, since when (minutes))
CART_CASES = [
    ([(0, "add_to_cart")], 0),
    ([(0, "add_to_cart"), (5, "add_to_cart")], 0),
    ([(0, "add_to_cart"), (5, "checkout_started")], None),
    ([(0, "add_to_cart"), (1, "remove_from_cart")], None),
    ([(0, "add_to_cart"), (1, "add_to_cart"), (2, "remove_from_cart")], 0),
    # A new add after a checkout opens a new cart.
    ([(0, "add_to_cart"), (5, "checkout_started"), (60, "add_to_cart")], 60),
    # A late add to cart from before the checkout does not reopen it.
    ([(0, "add_to_cart"), (5, "checkout_started"), (2, "add_to_cart")], None),
    # A late checkout after the add closes it.
    ([(5, "add_to_cart"), (9, "checkout_started"), (3, "add_to_cart")], None),
]


@pytest.mark.parametrize(("steps", "open_since"), CART_CASES)
def test_an_abandoned_cart_is_readable_from_the_state(
    steps: list[tuple[float, str]], open_since: float | None
) -> None:
    state = _fed(*(SiteEvent(kind, T0 + m * MIN, product_key="kettle") for m, kind in steps))
    expected = None if open_since is None else T0 + open_since * MIN
    assert state.cart_open_since == expected


@pytest.mark.parametrize(
    ("order", "closes"),
    [
        (lambda e, s, ts: e.observe_order(s, ts, "created"), True),
        (lambda e, s, ts: e.observe_order(s, ts, "paid", new_order=True), True),
        (lambda e, s, ts: e.observe_target_action(s, ts, "purchase"), True),
        (lambda e, s, ts: e.observe_order(s, ts, "cancelled"), False),
        (lambda e, s, ts: e.observe_target_action(s, ts, "lead"), False),
    ],
)
def test_an_order_closes_the_cart(order: object, closes: bool) -> None:
    engine = ProfileEngine()
    state = _fed(SiteEvent("add_to_cart", T0, product_key="kettle"), engine=engine)
    assert callable(order)
    order(engine, state, T0 + HOUR)
    assert (state.cart_open_since is None) is closes
    # An order the shop reports before a late add to cart also keeps it closed.
    engine.observe_site_event(state, SiteEvent("add_to_cart", T0 + MIN, product_key="kettle"))
    assert (state.cart_open_since is None) is closes


def test_the_latest_device_is_readable_and_late_events_do_not_change_it() -> None:
    state = _fed(
        _page(T0, "home", device="desktop"),
        _page(T0 + HOUR, "home", device="Mobile"),
        _page(T0 + 2 * HOUR, "home"),  # no device: keeps the last known one
        _page(T0 + 30 * MIN, "home", device="tablet"),  # late
    )
    assert state.device == "mobile"
    assert _fed().device is None


@pytest.mark.parametrize(
    ("kind", "target"), [("lead_submitted", "lead"), ("booking_created", "booking")]
)
def test_leads_and_bookings_on_the_site_are_target_actions(kind: str, target: str) -> None:
    engine = ProfileEngine()
    via_site = _fed(SiteEvent(kind, T0 + MIN), engine=engine)
    direct = engine.new_state(now=T0)
    engine.observe_target_action(direct, T0 + MIN, target)
    for state in (via_site, direct):
        assert state.targets_total == 1
        assert state.last_target_kind == target
        assert state.last_target_at == T0 + MIN
    assert (
        engine.assess(via_site, T0 + 2 * MIN).hotness == engine.assess(direct, T0 + 2 * MIN).hotness
    )


# ------------------------------------------------------------------ active hours
def test_site_visits_count_in_the_hour_histograms_at_half_a_message() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(), T0)
    engine.observe_site_event(state, _page(T0, "home"))
    hour = int(T0 % DAY // HOUR)
    assert state.hours[hour] == pytest.approx(1.0 + SITE_HOUR_WEIGHT)
    assert sum(state.week_hours) == pytest.approx(1.0 + SITE_HOUR_WEIGHT)
    # Twenty more page views of that visit: only those within its evidence cap count.
    for i in range(20):
        engine.observe_site_event(state, _page(T0 + i, "catalog"))
    counted = 1 + (SESSION_EVIDENCE_CAP - SITE_VISIT_EVIDENCE) / SITE_EVIDENCE
    assert counted == 3
    assert sum(state.week_hours) == pytest.approx(1.0 + counted * SITE_HOUR_WEIGHT, rel=1e-3)


MONDAY = 1_704_067_200.0  # 2024-01-01 00:00 UTC


def test_active_hours_and_the_contact_slot_follow_site_visits() -> None:
    engine = ProfileEngine(EngineConfig(utc_offset_minutes=0))
    state = engine.new_state(now=MONDAY)
    for day in range(3):  # messages at 13:00 on three weekdays
        engine.observe_incoming(state, make_signals(), MONDAY + day * DAY + 13 * HOUR)
    before = engine.assess(state, MONDAY + 3 * DAY)
    assert before.active_hours == (13,)
    lunch = engine.next_contact_slot(state, MONDAY + 3 * DAY + 10 * HOUR)
    assert lunch == MONDAY + 3 * DAY + 13 * HOUR
    for day in range(3, 12):  # then the site, every evening at 19:00, for nine days
        for i in range(2):
            engine.observe_site_event(
                state, _page(MONDAY + day * DAY + 19 * HOUR + i * MIN, "catalog")
            )
    now = MONDAY + 12 * DAY
    after = engine.assess(state, now)
    assert after.active_hours[0] == 19
    assert 13 in after.active_hours
    # Friday 12 January, 10:00: before the visits the lunch hour was best, now the evening
    # of the visits is (its neighbouring hour, 18:00, counts too).
    friday_morning = MONDAY + 11 * DAY + 10 * HOUR
    slot = engine.next_contact_slot(state, friday_morning)
    assert slot in (MONDAY + 11 * DAY + 18 * HOUR, MONDAY + 11 * DAY + 19 * HOUR)
    # Someone who never wrote: their visits alone say when to write to them.
    site_only = engine.new_state(now=MONDAY)
    for day in range(5):
        engine.observe_site_event(site_only, _page(MONDAY + day * DAY + 19 * HOUR, "catalog"))
    assert engine.assess(site_only, MONDAY + 5 * DAY).active_hours == (19,)
    next_monday = MONDAY + 7 * DAY
    assert engine.next_contact_slot(site_only, next_monday + 10 * HOUR) == next_monday + 19 * HOUR


# ------------------------------------------------------------------ orders reported as new
# (statuses reported in order with their new_order flag, orders counted)
NEW_ORDER_CASES = [
    ([("created", None), ("paid", None), ("delivered", None)], 1),  # the heuristic
    ([("paid", None), ("paid", None)], 1),
    ([("paid", True), ("delivered", False)], 1),
    ([("paid", True), ("paid", True)], 2),  # two orders reported paid at once
    ([("created", False)], 0),  # a known order's status: never a new order
    ([("created", True), ("created", False), ("delivered", None)], 1),
    ([("cancelled", True)], 1),  # a new order whatever its status
    ([("processing", True), ("shipped", False)], 1),
]


@pytest.mark.parametrize(("statuses", "orders"), NEW_ORDER_CASES)
def test_new_order_flag_decides_what_counts_as_an_order(
    statuses: list[tuple[str, bool | None]], orders: int
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for i, (status, new) in enumerate(statuses):
        if new is None:
            engine.observe_order(state, T0 + i * HOUR, status)  # the old call still works
        else:
            engine.observe_order(state, T0 + i * HOUR, status, new_order=new)
    assert state.orders_total == orders


# ------------------------------------------------------------------ serialization
def test_round_trip_with_site_is_equal_and_json_safe() -> None:
    state = _busy(ProfileEngine())
    data = state.to_dict()
    assert data["version"] == ProfileState.VERSION == 3
    assert isinstance(data["site"], dict)
    restored = ProfileState.from_dict(json.loads(json.dumps(data, allow_nan=False)))
    assert restored == state
    assert restored.site is not None and restored.site.products == _site(state).products
    assert restored.to_dict() == data


def test_a_state_written_by_version_2_loads_without_site() -> None:
    data = json.loads(STATE_V2.read_text())
    assert data["version"] == 2 and "site" not in data
    state = ProfileState.from_dict(data)
    assert state.site is None
    assert state.cart_open_since is None and state.device is None
    assert state.messages_total == 2 and state.orders_total == 1
    assert state.overrides["researcher"][0] == 0.9
    # It keeps working, now with site events too, and is written back as version 3.
    engine = ProfileEngine()
    engine.observe_site_event(state, _page(state.at + HOUR, "returns", device="mobile"))
    engine.assess(state, state.at + 2 * HOUR)
    written = state.to_dict()
    assert written["version"] == 3
    assert ProfileState.from_dict(json.loads(json.dumps(written))) == state


def _damaged_site(**changes: object) -> dict[str, object]:
    data = _busy(ProfileEngine()).to_dict()
    site = dict(data["site"])  # type: ignore[call-overload]
    site.update(changes)
    data["site"] = site
    return data


# (stored site part, check on the loaded state)
SITE_DAMAGE_CASES = [
    (_damaged_site(problem=NAN), lambda st: st.site.problem == 0.0),
    (_damaged_site(price_views=-3.0), lambda st: st.site.price_views == 0.0),
    (_damaged_site(events="many"), lambda st: st.site.events == 0),
    (_damaged_site(device=7), lambda st: st.site.device is None),
    (
        _damaged_site(products={"ok": [2.0, T0], "bad": [1.0], "nan": [NAN, T0]}),
        lambda st: st.site.products == {"ok": [2.0, T0]},
    ),
    (
        _damaged_site(products={f"p{i}": [1.0, T0] for i in range(100)}),
        lambda st: len(st.site.products) == MAX_PRODUCTS,
    ),
    (_damaged_site(session_cats={"a": "x", "b": 3}), lambda st: st.site.session_cats == {"a": "x"}),
    (_damaged_site(at=None), lambda st: st.site.at == T0 + 2 * DAY),  # the latest site time
    (_damaged_site(cart_open_since="soon"), lambda st: st.cart_open_since is None),
    ({"site": "garbage", "messages_total": 3}, lambda st: st.site is None),
    ({"site": [1, 2], "version": 2}, lambda st: st.site is None),
    ({"site": None, "version": 3}, lambda st: st.site is None),
]


@pytest.mark.parametrize(("data", "check"), SITE_DAMAGE_CASES)
def test_a_damaged_site_part_loses_only_what_is_damaged(
    data: dict[str, object], check: object
) -> None:
    state = ProfileState.from_dict(data)
    assert callable(check) and check(state)
    json.dumps(state.to_dict(), allow_nan=False)
    engine = ProfileEngine()
    engine.observe_site_event(state, _page(T0 + 3 * DAY, "prices"))
    engine.assess(state, T0 + 3 * DAY)


def test_copy_shares_no_site_container() -> None:
    state = _busy(ProfileEngine())
    clone = state.copy()
    assert clone == state
    site, cloned = _site(state), _site(clone)
    assert cloned is not site
    for f in dataclasses.fields(site):
        value = getattr(site, f.name)
        if isinstance(value, list | dict):
            assert getattr(cloned, f.name) is not value, f.name
    for key, entry in site.products.items():
        assert cloned.products[key] is not entry
    engine = ProfileEngine()
    engine.observe_site_event(clone, _view(T0 + 3 * DAY, "kettle-a1", "kettles"))
    engine.observe_site_event(clone, _view(T0 + 3 * DAY + MIN, "kettle-c3", "kettles"))
    assert clone.to_dict() != state.to_dict()
    assert state == ProfileState.from_dict(state.to_dict())
    assert _fed().copy().site is None
