"""`python -m bot` runs the bot, like `barista run`; `python -m bot shell` etc. also work."""

from __future__ import annotations

import sys

from bot.cli import main

raise SystemExit(main(sys.argv[1:] or ["run"]))
