"""Handler tests run the production dispatcher against the fake Bot API in-process: `settings`
here are those of an application built with `bot_session=InProcessBotApi(bot_api)`, so no
test in this folder opens a socket to reach Telegram."""

from __future__ import annotations

import pytest

from bot.settings import Settings


@pytest.fixture
def settings(in_process_settings: Settings) -> Settings:
    return in_process_settings
