"""The app-wide services every handler may receive by parameter name, typed in one place.

`bot.app` passes exactly these to `Dispatcher(**workflow_data)`; aiogram injects each into
any handler or middleware that names it as a parameter.
"""

from __future__ import annotations

from typing import TypedDict

from bot.analytics.service import AnalyticsService
from bot.channels.sender import Sender
from bot.conversation.core import Conversation
from bot.settings import Settings
from bot.status import StatusService


class WorkflowData(TypedDict):
    settings: Settings
    conversation: Conversation
    telegram_sender: Sender
    status: StatusService
    analytics: AnalyticsService
