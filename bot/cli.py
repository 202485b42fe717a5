"""The `barista` command line: run, shell, db, link, outbox, checkins, analyze,
import-telegram-export."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

# Imports wait for the subcommand that needs them: `barista analyze` reads two settings and
# never touches the database or Telegram, and pydantic-settings, SQLAlchemy and asyncio
# alone take longer to import than the analysis of thousands of messages.

log = logging.getLogger("barista")

# Exit codes: 2 for a setting or input to fix, 1 for a failure at run time (a database or
# Telegram that can't be reached, a rejected token, an unexpected error), 130 for Ctrl-C.
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _fail(message: str, *, debug: bool = False, code: int = EXIT_FAILURE) -> int:
    """Print one line on stderr (a traceback above it only with LOG_LEVEL=DEBUG)."""
    if debug:
        import traceback

        traceback.print_exc(file=sys.stderr)
    print(message, file=sys.stderr)
    return code


def _configure_logging(level: str) -> None:
    # Logs go to stderr so that `shell` and `analyze` output on stdout stays clean.
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic announces each of its plugins at INFO on every start: noise for an operator.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="barista", description="Barista: a behaviour-aware Telegram bot for shops."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="run the bot (long polling, or webhooks when WEBHOOK_URL is set)")

    from bot.tools import shell_help  # constants only: no aiogram, no application

    shell = sub.add_parser(
        "shell",
        help="chat with the bot in the terminal, no token needed",
        description="Chat with the real dispatcher and pipeline as one customer: the same\n"
        "database as `barista run`, no token needed. Type, or pipe a conversation in\n"
        "(`barista shell < chat.txt`) to get a transcript.",
        epilog=shell_help.IN_SHELL_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    shell.add_argument(
        "--user",
        type=int,
        default=shell_help.DEFAULT_USER_ID,
        help="the customer's Telegram user id (default %(default)s)",
    )
    shell.add_argument(
        "--name", default=shell_help.DEFAULT_NAME, help="their first name (default %(default)s)"
    )
    shell.add_argument(
        "--lang",
        default=None,
        help="their Telegram language code, ru or en (default: the DEFAULT_LANGUAGE setting)",
    )
    shell.add_argument(
        "--phone",
        default=shell_help.DEFAULT_PHONE,
        help="the number the 'share my phone number' button sends (default %(default)s)",
    )
    shell.add_argument(
        "--explain",
        action="store_true",
        help="print the profile after each message (default: off)",
    )

    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations (default: to the latest)")
    up.add_argument("revision", nargs="?", default="head")
    down = db_sub.add_parser("downgrade", help="revert migrations to REVISION")
    down.add_argument("revision")
    db_sub.add_parser("current", help="print the applied revision")

    link = sub.add_parser("link", help="build a tracked deep link t.me/<bot>?start=<payload>")
    link.add_argument("--campaign")
    link.add_argument("--ad")
    link.add_argument("--creative")
    link.add_argument(
        "--bot-username",
        default=None,
        help="with or without @ (default: BOT_USERNAME, else asked from Telegram)",
    )

    outbox = sub.add_parser("outbox", help="CRM webhook outbox: list events, re-queue dead ones")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    listing = outbox_sub.add_parser("list", help="list events (default: the dead-lettered)")
    listing.add_argument(
        "--status", choices=["dead", "pending", "delivered", "all"], default="dead"
    )
    listing.add_argument("--limit", type=_positive_int, default=50)
    again = outbox_sub.add_parser("retry", help="re-queue dead events for delivery")
    again.add_argument("webhook_ids", nargs="*", help="webhook ids (msg_…) to re-queue")
    again.add_argument("--all", action="store_true", help="re-queue every dead event")

    checkins = sub.add_parser("checkins", help="proactive check-ins: preview, send the due ones")
    checkins_sub = checkins.add_subparsers(dest="checkins_command", required=True)
    preview = checkins_sub.add_parser("preview", help="list the check-ins due (or planned)")
    preview.add_argument("--at", type=_moment, default=None, help="ISO 8601 (default: now)")
    preview.add_argument("--until", type=_moment, default=None, help="planned up to (ISO 8601)")
    preview.add_argument("--json", action="store_true", help="one JSON object per line")
    send_due = checkins_sub.add_parser("send-due", help="run one sweep as if it were --at")
    send_due.add_argument("--at", type=_moment, default=None, help="ISO 8601 (default: now)")

    analyze = sub.add_parser("analyze", help="analyse a JSONL log of messages")
    analyze.add_argument("input", help="JSONL file, or - for stdin")
    analyze.add_argument("--profiles", action="store_true", help="append one profile per user")
    analyze.add_argument("-o", "--output", default=None, help="output file (default stdout)")
    analyze.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=1,
        help="worker processes for the text analysis (default 1); output order is kept",
    )

    imp = sub.add_parser(
        "import-telegram-export", help="bootstrap profiles from a Telegram Desktop JSON export"
    )
    imp.add_argument("path", help="result.json from Telegram Desktop's export")
    return parser


async def _db(settings: Settings, args: argparse.Namespace) -> int:
    from storage import migrate
    from storage.db import create_engine

    engine = create_engine(settings.database_url)
    try:
        if args.db_command == "upgrade":
            await migrate.upgrade(engine, args.revision)
        elif args.db_command == "downgrade":
            await migrate.downgrade(engine, args.revision)
        print(f"database at revision {await migrate.current_revision(engine) or 'none'}")
    finally:
        await engine.dispose()
    return 0


async def _link(settings: Settings, args: argparse.Namespace) -> int:
    from bot.conversation.deeplinks import build_payload, start_link

    try:
        payload = build_payload(args.campaign, args.ad, args.creative)
    except ValueError as exc:
        print(f"barista link: {exc}", file=sys.stderr)
        return 2
    username = args.bot_username or settings.bot_username
    if username is None:
        from bot.runtime.runner import StartupError, bot_username

        try:
            username = await bot_username(settings)
        except StartupError as exc:
            return _fail(f"barista: {exc}", debug=settings.log_level == "DEBUG")
    print(start_link(username or "<bot>", payload))
    return 0


def _moment(value: str) -> datetime:
    """An ISO 8601 moment; without a zone, UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 moment: {value!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _checkins(settings: Settings, args: argparse.Namespace) -> int:
    import os

    from bot.app import build_application
    from bot.tools import checkins

    at = args.at or datetime.now(UTC)
    if args.checkins_command == "preview":
        from storage import migrate
        from storage.db import create_engine, create_session_factory

        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
            items = await checkins.preview(create_session_factory(engine), at=at, until=args.until)
            print(checkins.format_preview(items, as_json=args.json))
            return 0
        finally:
            await engine.dispose()
    settings.require_token()
    app = build_application(settings, clock=lambda: at)
    try:
        await app.start()
        result = await checkins.send_due(app, at=at, instance=f"cli:{os.getpid()}")
    finally:
        await app.close()
    print(
        f"claimed {result.claimed}, lost {result.lost}; "
        + (", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items())) or "nothing sent")
    )
    return 0


async def _outbox(settings: Settings, args: argparse.Namespace) -> int:
    from bot.tools import outbox
    from storage import migrate
    from storage.db import create_engine, create_session_factory

    if args.outbox_command == "retry" and bool(args.webhook_ids) == bool(args.all):
        print("barista outbox retry: give webhook ids or --all", file=sys.stderr)
        return EXIT_USAGE
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        if args.outbox_command == "list":
            events = await outbox.list_events(factory, status=args.status, limit=args.limit)
            print(outbox.format_events(events))
            return 0
        ids = None if args.all else list(args.webhook_ids)
        count = await outbox.retry(factory, webhook_ids=ids, all_dead=args.all)
        print(f"re-queued {count} dead event{'s' if count != 1 else ''}")
        return 0
    finally:
        await engine.dispose()


async def _run(settings: Settings) -> int:
    from bot.app import build_application
    from bot.runtime.runner import StartupError, serve

    settings.require_token()
    app = build_application(settings)
    try:
        await serve(app)
    except StartupError as exc:
        return _fail(f"barista: {exc}", debug=settings.log_level == "DEBUG")
    return 0


async def _import(settings: Settings, path: str) -> int:
    from bot.app import OFFLINE_TOKEN, build_application
    from bot.tools.telegram_import import import_telegram_export

    app = build_application(settings, token=OFFLINE_TOKEN)
    try:
        await app.start()
        report = await import_telegram_export(app, path)
    finally:
        await app.close()
    print(
        f"imported {report.messages_imported} messages from {report.chats} chats "
        f"({report.customers_created} new customers, {report.messages_skipped} skipped, "
        f"{len(report.errors)} errors)"
    )
    for error in report.errors[:20]:
        print(f"  {error}", file=sys.stderr)
    return 0


def _settings_error() -> type[Exception]:
    from bot.settings import SettingsError

    return SettingsError


def _analyze(args: argparse.Namespace) -> int:
    """`barista analyze`: only the settings it reads, only the modules it runs."""
    from bot.tools.analyze import analyze_settings, run_analyze

    try:
        log_level, _ = analyze_settings()
    except _settings_error() as exc:
        print(f"barista: {exc}", file=sys.stderr)
        return 2
    _configure_logging(log_level)
    debug = log_level == "DEBUG"
    try:
        return run_analyze(args.input, args.output, profiles=args.profiles, jobs=args.jobs)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _unexpected(args.command, exc, debug=debug)


def _unexpected(
    command: str, exc: Exception, *, debug: bool, redact: Callable[[str], str] = str
) -> int:
    if isinstance(exc, ValueError):
        # Bad input files (an export that isn't one) are the user's to fix: one clear line.
        return _fail(redact(f"barista {command}: {exc}"), debug=debug, code=EXIT_USAGE)
    # Anything else is unexpected: one line naming it; the traceback with LOG_LEVEL=DEBUG.
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    line = f"barista {command}: {type(exc).__name__}" + (f": {redact(message)}" if message else "")
    if not debug:
        line += " (LOG_LEVEL=DEBUG shows the traceback)"
    return _fail(line, debug=debug)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "analyze":
        return _analyze(args)
    import asyncio

    from bot.settings import SettingsError, load_settings
    from storage.db import DatabaseUnavailable

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"barista: {exc}", file=sys.stderr)
        return 2
    _configure_logging(settings.log_level if args.command != "shell" else "WARNING")
    from bot.privacy.redaction import install, redactor_for

    # No token, key or customer's phone number in any log line (README, "Privacy").
    redact = redactor_for(settings)
    install(redact)
    debug = settings.log_level == "DEBUG"
    try:
        if args.command == "run":
            settings.require_token()  # fail before anything starts
            return asyncio.run(_run(settings))
        if args.command == "shell":
            from bot.tools.shell import run_shell

            lang = args.lang or settings.default_language.value
            return asyncio.run(
                run_shell(
                    settings,
                    user_id=args.user,
                    first_name=args.name,
                    language_code=lang,
                    explain=args.explain,
                    phone=args.phone,
                )
            )
        if args.command == "db":
            return asyncio.run(_db(settings, args))
        if args.command == "link":
            return asyncio.run(_link(settings, args))
        if args.command == "outbox":
            return asyncio.run(_outbox(settings, args))
        if args.command == "checkins":
            return asyncio.run(_checkins(settings, args))
        if args.command == "import-telegram-export":
            return asyncio.run(_import(settings, args.path))
    except SettingsError as exc:
        return _fail(redact(f"barista: {exc}"), debug=debug, code=EXIT_USAGE)
    except DatabaseUnavailable as exc:
        return _fail(redact(f"barista: {exc}"), debug=debug)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _unexpected(args.command, exc, debug=debug, redact=redact)
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
