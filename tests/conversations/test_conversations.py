"""The conversation suite: every dialog of `dialogs.py` played through the production
Dispatcher with its knowledge file, each as one test; every property of every reply must hold.
The bot's known failures are in `failing_dialogs.py` (not collected; see bench/conversations.py).
"""

from __future__ import annotations

import pytest

from bot.app import Application
from tests.conversations.dialogs import DIALOGS
from tests.conversations.failing_dialogs import FAILING_DIALOGS
from tests.conversations.script import Dialog, Say, run_dialog
from tests.factories import ManualClock
from tests.fakes.bot_api import FakeBotApi

ELECTRONICS = [dialog for dialog in DIALOGS if dialog.setup.knowledge == "electronics"]
CLEANING = [dialog for dialog in DIALOGS if dialog.setup.knowledge == "cleaning"]


async def _play(app: Application, api: FakeBotApi, clock: ManualClock, dialog: Dialog) -> None:
    result = await run_dialog(app, api, clock, dialog)
    assert len(result.turns) == sum(isinstance(turn, Say) for turn in dialog.turns)
    assert result.checks, "a dialog that checks nothing"
    assert not result.failed, result.transcript()


@pytest.mark.parametrize("dialog", ELECTRONICS, ids=[dialog.id for dialog in ELECTRONICS])
async def test_electronics_dialog(
    dialog: Dialog, app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    """electronics.yaml is the default knowledge file: the shared `app` fixture."""
    await _play(app, bot_api, clock, dialog)


@pytest.mark.parametrize("dialog", CLEANING, ids=[dialog.id for dialog in CLEANING])
async def test_cleaning_dialog(
    dialog: Dialog, cleaning_app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    await _play(cleaning_app, bot_api, clock, dialog)


def test_the_suite_is_at_least_40_dialogs_half_in_each_language() -> None:
    languages = [dialog.lang for dialog in DIALOGS]
    assert len(DIALOGS) >= 40
    assert abs(languages.count("ru") - languages.count("en")) <= 2


def test_every_dialog_has_a_unique_id_and_a_known_failure_is_not_in_the_suite() -> None:
    ids = [dialog.id for dialog in (*DIALOGS, *FAILING_DIALOGS)]
    assert len(ids) == len(set(ids))
    assert all(dialog.why for dialog in FAILING_DIALOGS)
