"""SQLModel tables, one module per aggregate, all re-exported here.

Timestamps are timezone-aware UTC datetimes (SQLModel enforces it).

Only the columns that queries filter or sort on are real columns; the rest of a profile lives
in the versioned JSON state that `profiling.profile.state.ProfileState` serialises.
"""

from storage.models.analytics import SegmentFeedback, SegmentSnapshot, Survey
from storage.models.checkin import Checkin
from storage.models.customer import Customer
from storage.models.dialog import Conversion, Dialog
from storage.models.handoff import Handoff, HandoffPost
from storage.models.message import Message
from storage.models.outbox import OutboxEvent, SignalState
from storage.models.privacy import Consent, ErasureLog
from storage.models.profile import Profile
from storage.models.shop import ShopCustomer, ShopOrder, SiteEvent, SiteVisitor
from storage.models.sources import AdSource, SourceTouch

__all__ = [
    "AdSource",
    "Checkin",
    "Consent",
    "Conversion",
    "Customer",
    "Dialog",
    "ErasureLog",
    "Handoff",
    "HandoffPost",
    "Message",
    "OutboxEvent",
    "Profile",
    "SegmentFeedback",
    "SegmentSnapshot",
    "ShopCustomer",
    "ShopOrder",
    "SignalState",
    "SiteEvent",
    "SiteVisitor",
    "SourceTouch",
    "Survey",
]
