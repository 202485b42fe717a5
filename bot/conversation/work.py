"""What a unit of work touches besides its own customer: profiles fed by facts from outside
the chat (orders, site events) and signals to the CRM.

A `Work` lives inside one transaction of the core. Profiles are loaded once per unit (so a
fact fed by the shop and the bot's reply in the same unit change one state), handed to the
write-behind cache only after the commit, and dropped with the unit if it fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins.planner import plan_triggers, shop_triggers
from bot.clock import as_utc
from bot.conversation.pipeline import MessagePipeline
from profiling.engine import Assessment
from profiling.profile.state import ProfileState
from profiling.types import SiteEvent
from storage.models import Customer
from storage.repositories import checkins

# An order within a week of a check-in counts as its conversion.
CONVERSION_WINDOW_S = 7 * 86_400.0


@dataclass(frozen=True, slots=True)
class OrderFact:
    """An order's status as the shop reported it."""

    at: datetime
    status: str
    new_order: bool  # the first status the bot hears of this order
    order_id: str | None = None  # the shop's number (check-ins name it)
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SiteFact:
    """Something the customer did on the shop's website."""

    event: SiteEvent

    @property
    def at(self) -> float:
        return self.event.ts


Fact = OrderFact | SiteFact


def _fact_ts(fact: Fact) -> float:
    return fact.at if isinstance(fact, SiteFact) else as_utc(fact.at).timestamp()


class SignalWatch(Protocol):
    """Turns an assessment into CRM signals (outbox rows in the unit's session)."""

    async def check(
        self, session: AsyncSession, customer: Customer, assessment: Assessment, now: datetime
    ) -> list[str]: ...

    def committed(self, session: AsyncSession) -> None:
        """The session's transaction committed: its signal changes are now true."""
        ...


@dataclass(slots=True)
class _Touched:
    customer: Customer
    state: ProfileState
    assessment: Assessment | None = None


class Work:
    def __init__(
        self,
        session: AsyncSession,
        *,
        pipeline: MessagePipeline,
        now: datetime,
        watch: SignalWatch | None = None,
    ) -> None:
        self.session = session
        self.pipeline = pipeline
        self.now = as_utc(now)
        self.watch = watch
        self._touched: dict[int, _Touched] = {}

    async def customer(self, customer_id: int) -> Customer | None:
        return await self.session.get(Customer, customer_id)

    async def profile(self, customer: Customer) -> ProfileState:
        """The customer's state for this unit, loaded once."""
        assert customer.id is not None
        touched = self._touched.get(customer.id)
        if touched is None:
            state, _source = await self.pipeline.load_profile(
                self.session, customer, self.now.timestamp()
            )
            touched = self._touched[customer.id] = _Touched(customer, state)
        return touched.state

    def assessed(self, customer: Customer, assessment: Assessment | None) -> None:
        """Remember the latest assessment of a profile this unit changed (saved after the
        commit)."""
        assert customer.id is not None
        self._touched[customer.id].assessment = assessment

    async def feed(self, customer: Customer, facts: Sequence[Fact]) -> Assessment | None:
        """Fold facts into the customer's profile (oldest first), assess it and let the
        signal watch see the result. None for a customer who objected to profiling."""
        if customer.profiling_opt_out or not facts:
            return None
        state = await self.profile(customer)
        engine = self.pipeline.engine
        for fact in sorted(facts, key=_fact_ts):
            if isinstance(fact, SiteFact):
                engine.observe_site_event(state, fact.event)
            else:
                engine.observe_order(
                    state, as_utc(fact.at).timestamp(), fact.status, new_order=fact.new_order
                )
        assessment = engine.assess(state, max(self.now.timestamp(), state.at))
        self.assessed(customer, assessment)
        await self.signal(customer, assessment)
        await self._plan_checkins(customer, state, facts)
        return assessment

    async def _plan_checkins(
        self, customer: Customer, state: ProfileState, facts: Sequence[Fact]
    ) -> None:
        """A delivered order: ask how the purchase is, a few days later; an abandoned cart:
        a nudge some hours later; a new order: the cart nudge is moot."""
        config = self.pipeline.checkins
        if config is None or not config.enabled or customer.checkins_opt_out:
            return
        triggers = shop_triggers(facts, config)
        customer_id: int = customer.id  # type: ignore[assignment]
        if any(isinstance(f, OrderFact) and f.new_order for f in facts):
            await checkins.cancel_for(
                self.session, customer_id, reason="converted", now=self.now, triggers=["cart"]
            )
            # An order soon after a check-in is that check-in's outcome.
            await checkins.record_outcome(
                self.session,
                customer_id,
                outcome="converted",
                at=self.now,
                within_s=CONVERSION_WINDOW_S,
            )
            triggers = [t for t in triggers if t.kind != "cart"]
        await plan_triggers(
            self.session,
            customer_id=customer_id,
            state=state,
            triggers=triggers,
            config=config,
            now=self.now,
        )

    async def signal(self, customer: Customer, assessment: Assessment | None) -> None:
        if self.watch is not None and assessment is not None:
            await self.watch.check(self.session, customer, assessment, self.now)

    async def commit(self) -> None:
        await self.session.commit()
        self.committed()

    def committed(self) -> None:
        """After a successful commit: the changed profiles go to the cache, the signals
        become true."""
        self.pipeline.committed(self.session)
        if self.watch is not None:
            self.watch.committed(self.session)
        for touched in self._touched.values():
            if touched.assessment is not None:
                self.pipeline.save_profile(
                    touched.customer, touched.state, touched.assessment, self.now
                )
