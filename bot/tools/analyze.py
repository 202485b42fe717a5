"""`barista analyze`: batch analysis of a JSONL log of customer messages.

Input, one JSON object per line:

    {"text": "...", "id": any, "user": str | int, "ts": unix seconds | ISO 8601,
     "direction": "in" | "out"}

Only `text` is required; `user` must be a string or an integer (`"7"` and `7` are two users).
Output, one JSON object per non-blank input line, in input order:

* a message object: `type: "message"`, `line` (1-based physical line number), `id` (echoed
  exactly as given; the line number when the line has no `id`), `user` (echoed when given),
  `direction`, `ts` (the unix seconds used, see below), `lang`, `sentiment`, `polarity`,
  `irritation`, `waiting_complaint`, `intent`, `intent_confidence`, `questions`, `formality`,
  `polite`, `urgent`, `chars`. With `--profiles`, incoming messages of a user also carry their
  timing in that user's conversation: `gap_s`, `latency_s`, `new_dialog`;
* an error object for a line that cannot be used: `{"line": N, "error": "...", "id": ...}`
  (`id` only when the line is a JSON object that has one). The run goes on.

With `--profiles`, after all message objects, one `type: "profile"` object per user in
first-seen order: the user (echoed), message and reply counts, and the engine's assessment
(segments with scores, confidence and reasons, hotness, churn, active hours, advice) as of the
latest timestamp in the file; active hours are in the shop's time zone (TIMEZONE_OFFSET_MINUTES
of the settings, unless the caller passes its own engine). Profile objects never have a
`sentiment` key, so a consumer can tell them from message objects by that alone. Lines without
`user` are analysed but belong to no profile; `out` lines (the shop's replies) are analysed
too and feed the reply latency of their user's profile.

Time: a line without `ts` is placed `SYNTHETIC_STEP_S` after the latest time seen so far in
the file (the first one at `SYNTHETIC_START`), so the clock never runs backwards and gaps stay
plausible (a minute apart: no false bursts, a new dialog only after 30 quiet lines). An ISO
time without an offset is taken as UTC. Numbers above `MAX_TS` are rejected: they are almost
always milliseconds.

It streams: lines are read, analysed and written in order, a bounded batch at a time; the only
memory that grows is one profile state per user, and only with `--profiles`. With `jobs` > 1
the text analysis (JSON decoding, checks, `analyze`, JSON encoding) runs in that many worker
processes, a chunk of `CHUNK_LINES` lines per task with at most two chunks per worker in
flight, while this process keeps everything that depends on the order of the lines (the
clock, the profiles, the output), so the output is the same as with one process. Output is
UTF-8 JSON, non-ASCII characters as they are. Exit code 0 even with bad lines (a one-line
summary goes to stderr); 2 when INPUT or OUTPUT cannot be opened.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

from profiling.assess.explain import assessment_to_dict
from profiling.engine import EngineConfig, ProfileEngine
from profiling.profile.state import ProfileState
from profiling.text.signals import analyze_message  # noqa: F401  (loaded before the clock)
from profiling.text.summary import SUMMARY_FIELDS, summary_values
from profiling.text.vocabulary import DEFAULT_ANALYZER_CONFIG, AnalyzerConfig
from profiling.types import MessageSignals

if TYPE_CHECKING:
    from concurrent.futures import Future

# 2024-01-01 09:00 UTC, a Monday morning: where a log without any timestamps starts.
SYNTHETIC_START = 1_704_099_600.0
SYNTHETIC_STEP_S = 60.0
# Unix seconds beyond this (year 5138) are a millisecond timestamp fed by mistake.
MAX_TS = 1e11
STDIO = "-"
DIRECTIONS = frozenset({"in", "out"})
CHUNK_LINES = 512  # lines per task of a worker process (`jobs` > 1)
WRITE_LINES = 256  # output lines joined into one write
_MISSING = object()

Write = Callable[[str], Any]
Flush = Callable[[], None]


class LineError(Exception):
    """A line that cannot be analysed; becomes an error object in the output."""

    def __init__(self, message: str, line_id: Any = _MISSING) -> None:
        super().__init__(message)
        self.line_id = line_id


@dataclass(slots=True)
class SyntheticClock:
    """Resolves each line's time and remembers the latest one (the "now" of profiles)."""

    latest: float | None = None

    def resolve(self, raw: Any) -> float:
        if raw is None:
            ts = SYNTHETIC_START if self.latest is None else self.latest + SYNTHETIC_STEP_S
        else:
            ts = parse_ts(raw)
        if self.latest is None or ts > self.latest:
            self.latest = ts
        return ts


_NUMBERS = (int, float)  # (a tuple: `int | float` would build a union on every call)


def parse_ts(raw: Any) -> float:
    """Unix seconds from a number or an ISO 8601 string; `ValueError` with a reason."""
    if isinstance(raw, bool):
        raise ValueError("bad ts: a boolean is not a time")
    if isinstance(raw, _NUMBERS):
        ts = float(raw)
        if not math.isfinite(ts) or ts < 0:
            raise ValueError(f"bad ts: {raw!r} is not a unix time in seconds")
        if ts > MAX_TS:
            raise ValueError(f"bad ts: {raw!r} looks like milliseconds, expected seconds")
        return ts
    if isinstance(raw, str):
        try:
            moment = datetime.fromisoformat(raw.strip())
        except ValueError:
            raise ValueError(f"bad ts: {raw[:40]!r} is not ISO 8601") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    raise ValueError("bad ts: expected unix seconds or an ISO 8601 string")


class ProfileBook:
    """One profile state per user, in first-seen order."""

    def __init__(self, engine: ProfileEngine) -> None:
        self.engine = engine
        self._states: dict[Any, tuple[Any, ProfileState]] = {}

    def state(self, user: Any, ts: float) -> ProfileState:
        entry = self._states.get(user)
        if entry is None:
            entry = (user, self.engine.new_state(now=ts, source=None))
            self._states[user] = entry
        return entry[1]

    def outgoing(self, user: Any, ts: float, chars: int) -> None:
        self.engine.observe_outgoing(self.state(user, ts), ts, chars)

    def objects(self, now: float) -> Iterator[dict[str, Any]]:
        for user, state in self._states.values():
            assessment = self.engine.assess(state, now)
            obj: dict[str, Any] = {
                "type": "profile",
                "user": user,
                "messages": state.messages_total,
                "replies": state.outgoing_total,
                "dialogs": state.dialogs_total,
            }
            obj.update(assessment_to_dict(assessment))
            # The absent `sentiment` key is how consumers tell profiles from messages.
            if "sentiment" in obj:
                obj["mood"] = obj.pop("sentiment")
            yield obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# NaN and Infinity are Python extensions to JSON: an `id` of NaN echoed back would make our
# own output invalid JSON, so such lines are refused. Built once: json.loads with arguments
# builds a new decoder per call.
_decode = json.JSONDecoder(parse_constant=_reject_constant).decode


def _read_line(line: str) -> dict[str, Any]:
    try:
        obj = _decode(line)
    except ValueError as exc:  # JSONDecodeError, NaN, or an integer too long to convert
        raise LineError(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise LineError("invalid JSON: nested too deeply") from None
    if type(obj) is not dict:
        raise LineError(f"expected a JSON object, got {type(obj).__name__}")
    return obj


_USER_TYPES = (str, int)


def _check_user(obj: dict[str, Any]) -> Any:
    user = obj.get("user")
    # A str and an int are distinct users ("7" is not 7); floats, lists and objects have
    # no reliable identity, so they are refused instead of guessed at.
    if user is not None and (type(user) is bool or not isinstance(user, _USER_TYPES)):
        raise LineError("bad user: expected a string or an integer", obj.get("id", _MISSING))
    return user


# -- one line -> its analysis ------------------------------------------------------------------
#
# A line is analysed in two steps. `analyze_line` needs nothing but the line and the engine, so
# it can run in a worker process: it decodes and checks the line (all but the time) and
# analyses the text, and gives back either a finished error line or a `Pending` message whose
# JSON is written except for its time. `Finisher.finish` runs in this process, in input
# order: it resolves the time on the clock, feeds the profiles and completes the line.

# JSON of the fields written by hand below, exactly as `json.dumps(..., ensure_ascii=False)`
# writes them (", " and ": " separators): strings through the encoder's own C function,
# integers and floats by `repr`, everything else through the full encoder.
_dumps = json.JSONEncoder(ensure_ascii=False).encode
_quote: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]
_float = float.__repr__
_BOOL = {True: "true", False: "false"}
# The analysis fields of a message line, in `profiling.text.summary`'s order: the JSON
# formats of its values ("%r" of a float is its `repr`, as in JSON; booleans are mapped).
_FORMATS = ('"%s"', '"%s"', "%r", "%r", "%s", '"%s"', "%r", "%d", "%r", "%s", "%s", "%d", "%s")
_TAIL = "".join(f', "{name}": {fmt}' for name, fmt in zip(SUMMARY_FIELDS, _FORMATS, strict=True))
_BOOL_AT = tuple(i for i, fmt in enumerate(_FORMATS) if fmt == "%s")

# (error line) or (raw ts, has id, id, JSON head, JSON tail, user, direction, text length,
# signals if the profiles need them)
Pending = tuple[Any, bool, Any, str, str, Any, str, int, "MessageSignals | None"]
Result = str | Pending


def _json(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return int.__repr__(value)
    return _dumps(value)


def _error_line(lineno: int, message: str, line_id: Any = _MISSING) -> str:
    error: dict[str, Any] = {"line": lineno, "error": message}
    if line_id is not _MISSING:
        error["id"] = line_id
    return _dumps(error) + "\n"


def analyze_line(
    lineno: int, line: str | None, analyze: Callable[[str], MessageSignals], signals: bool
) -> Result:
    """Everything about one input line that does not depend on the lines before it.

    `signals`: keep the `MessageSignals` of incoming messages of a user (for `--profiles`).
    """
    if line is None:
        return _error_line(lineno, "not valid UTF-8")
    try:
        obj = _read_line(line)
        line_id = obj.get("id", _MISSING)
        text = obj.get("text")
        if text is None:
            raise LineError("missing text", line_id)
        if type(text) is not str:
            raise LineError("text must be a string", line_id)
        if not text or text.isspace():  # (what `not text.strip()` says, without a copy)
            raise LineError("empty text", line_id)
        direction = obj.get("direction", "in")
        if direction not in DIRECTIONS:
            raise LineError('bad direction: expected "in" or "out"', line_id)
        user = _check_user(obj)
    except LineError as exc:
        return _error_line(lineno, str(exc), exc.line_id)

    found = analyze(text)
    has_id = line_id is not _MISSING
    head = (
        f'{{"type": "message", "line": {lineno}, "id": {_json(line_id) if has_id else lineno}'
        + ("" if user is None else f', "user": {_json(user)}')
        + f', "direction": "{direction}", "ts": '
    )
    values = list(summary_values(found))
    for i in _BOOL_AT:
        values[i] = _BOOL[values[i]]
    tail = _TAIL % tuple(values)
    keep = found if signals and user is not None and direction == "in" else None
    return (obj.get("ts"), has_id, line_id if has_id else None, head, tail, user, direction,
            len(text), keep)  # fmt: skip


def _round3(value: float | None) -> str:
    return "null" if value is None else _float(round(value, 3))


class Finisher:
    """Completes the lines in input order: holds the clock and the profiles."""

    def __init__(self, engine: ProfileEngine, profiles: bool) -> None:
        self.engine = engine
        self.clock = SyntheticClock()
        self.book = ProfileBook(engine) if profiles else None

    def finish(self, lineno: int, result: Result) -> str:
        """The output line (with its newline) of the analysed line `lineno`."""
        if type(result) is str:
            return result
        raw_ts, has_id, line_id, head, tail, user, direction, n_chars, signals = result
        try:
            ts = self.clock.resolve(raw_ts)
        except ValueError as exc:
            return _error_line(lineno, str(exc), line_id if has_id else _MISSING)
        book = self.book
        if book is None or user is None:
            return f"{head}{_float(ts)}{tail}}}\n"
        if direction == "in":
            assert signals is not None
            timing = book.engine.observe_incoming(book.state(user, ts), signals, ts)
            return (
                f'{head}{_float(ts)}{tail}, "gap_s": {_round3(timing.gap_s)}'
                f', "latency_s": {_round3(timing.latency_s)}'
                f', "new_dialog": {_BOOL[timing.new_dialog]}}}\n'
            )
        book.outgoing(user, ts, n_chars)
        return f"{head}{_float(ts)}{tail}}}\n"

    def profile_objects(self) -> Iterator[dict[str, Any]]:
        if self.book is None or self.clock.latest is None:
            return iter(())
        return self.book.objects(self.clock.latest)


def _is_error(line: str) -> bool:
    return line.startswith('{"line"')


# -- worker processes ---------------------------------------------------------------------------

_worker_analyze: Callable[[str], MessageSignals] | None = None


_ConfigSpec = tuple[tuple[str, ...], dict[str, tuple[str, ...]]]


def _config_spec(config: AnalyzerConfig) -> _ConfigSpec | None:
    """A picklable description of `config` (None: the default one, shared as it is)."""
    if config is DEFAULT_ANALYZER_CONFIG:
        return None
    return tuple(sorted(config.terminology)), {k: tuple(v) for k, v in config.products.items()}


def _start_worker(spec: _ConfigSpec | None) -> None:
    global _worker_analyze
    if spec is None:
        analyzer = DEFAULT_ANALYZER_CONFIG
    else:
        terminology, products = spec
        analyzer = AnalyzerConfig.with_products(products, terminology)
    _worker_analyze = ProfileEngine(EngineConfig(analyzer=analyzer)).analyze


def _analyze_chunk(chunk: list[tuple[int, str | None]], signals: bool) -> list[Result]:
    """The worker's task: `analyze_line` of every line of a chunk."""
    analyze = _worker_analyze
    assert analyze is not None, "worker not started"
    return [analyze_line(lineno, line, analyze, signals) for lineno, line in chunk]


_LOG_LEVELS = frozenset(("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
# What `Settings` accepts for TIMEZONE_OFFSET_MINUTES without a second thought; anything
# else (spaces, a "+", leading zeros, out of range) is left to pydantic.
_PLAIN_OFFSET = re.compile(r"0|-?[1-9][0-9]{0,3}")
_ENV_FILE = ".env"  # as `bot.settings.Settings` reads it: the working directory, UTF-8


def analyze_settings() -> tuple[str, int]:
    """LOG_LEVEL and TIMEZONE_OFFSET_MINUTES, the only settings `barista analyze` reads, as
    `bot.settings.load_settings` gives them, without its start-up cost (pydantic-settings and
    SQLAlchemy: 0.3 s, the time the analysis of 4,000 messages takes).

    Read the way pydantic-settings reads them: the environment (names in any case, an empty
    value is not set) before `.env` (read with python-dotenv, its parser too). A plain valid
    value is taken as is; anything else goes to `load_settings`, so the values and the
    one-line `SettingsError` are exactly its own."""
    wanted = ("log_level", "timezone_offset_minutes")
    found: dict[str, str | None] = {}
    if os.path.exists(_ENV_FILE) and not os.path.isfile(_ENV_FILE):
        return _full_settings()  # a pipe or a folder named .env: as pydantic-settings sees it
    if os.path.exists(_ENV_FILE):
        from dotenv import dotenv_values

        found.update(
            (key.lower(), value)
            for key, value in dotenv_values(_ENV_FILE, encoding="utf-8").items()
            if value != "" and key.lower() in wanted
        )
    found.update(
        (key.lower(), value)
        for key, value in os.environ.items()
        if value != "" and key.lower() in wanted
    )
    level = found.get("log_level", "INFO")
    offset = found.get("timezone_offset_minutes", "180")
    if (
        isinstance(level, str)
        and level.upper() in _LOG_LEVELS
        and isinstance(offset, str)
        and _PLAIN_OFFSET.fullmatch(offset)
        and -720 <= int(offset) <= 840
    ):
        return level.upper(), int(offset)
    return _full_settings()


def _full_settings() -> tuple[str, int]:
    from bot.settings import load_settings

    settings = load_settings()  # the same values, or its SettingsError
    return settings.log_level, settings.timezone_offset_minutes


def default_engine() -> ProfileEngine:
    """The engine `barista run` would use: the shop's time zone from the settings."""
    try:
        offset = analyze_settings()[1]
    except Exception as exc:
        from bot.settings import SettingsError  # already loaded: only it raises one

        if not isinstance(exc, SettingsError):
            raise
        offset = 0  # a broken .env must not stop an offline analysis; hours are then UTC
    return ProfileEngine(EngineConfig(utc_offset_minutes=offset))


def iter_lines(stream: Iterable[bytes] | Iterable[str]) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for every non-blank line; text None when it is not UTF-8."""
    for lineno, raw in enumerate(stream, start=1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield lineno, None
                continue
        else:
            line = raw
        if lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        # json.loads ignores the surrounding whitespace, "\r" of CRLF included.
        if line and not line.isspace():
            yield lineno, line


def _stdout_writer() -> tuple[Write, Flush]:
    # Always UTF-8 whatever the locale says: the output is JSON with ensure_ascii=False.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced sys.stdout (tests, embedding): it takes str
        return sys.stdout.write, sys.stdout.flush
    sys.stdout.flush()
    return (lambda s: buffer.write(s.encode("utf-8"))), buffer.flush


def _silence_stdout() -> None:
    # The reader of our stdout went away (`| head`): point stdout at /dev/null so the
    # interpreter's final flush does not raise a second BrokenPipeError.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        return


def _open_input(input_path: str, stack: ExitStack) -> IO[bytes] | IO[str]:
    if input_path == STDIO:
        return getattr(sys.stdin, "buffer", sys.stdin)
    return stack.enter_context(open(input_path, "rb"))


def _open_output(output_path: str | None, stack: ExitStack) -> tuple[Write, Flush]:
    if output_path is None or output_path == STDIO:
        return _stdout_writer()
    return _file_writer(stack.enter_context(open(output_path, "w", encoding="utf-8", newline="\n")))


def _file_writer(sink: IO[str]) -> tuple[Write, Flush]:
    return sink.write, sink.flush


def run_analyze(
    input_path: str,
    output_path: str | None,
    *,
    profiles: bool,
    engine: ProfileEngine | None = None,
    jobs: int = 1,
) -> int:
    """Analyse the JSONL at `input_path` ("-": stdin) into `output_path` (None or "-":
    stdout), the text analysis in `jobs` worker processes when `jobs` > 1 (the output is
    the same). Returns the process exit code."""
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    with ExitStack() as stack:
        try:
            source = _open_input(input_path, stack)
        except OSError as exc:
            _fail(f"cannot read {input_path}: {exc.strerror or exc}")
            return 2
        try:
            write, flush = _open_output(output_path, stack)
        except OSError as exc:
            _fail(f"cannot write {output_path}: {exc.strerror or exc}")
            return 2
        finisher = Finisher(engine or default_engine(), profiles)
        to_stdout = output_path is None or output_path == STDIO
        return _run(finisher, source, write, flush, to_stdout=to_stdout, jobs=jobs)


def _fail(message: str) -> None:
    print(f"barista analyze: {message}", file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _analysed_in_process(
    finisher: Finisher, lines: Iterator[tuple[int, str | None]]
) -> Iterator[str]:
    analyze = finisher.engine.analyze
    signals = finisher.book is not None
    finish = finisher.finish
    for lineno, line in lines:
        yield finish(lineno, analyze_line(lineno, line, analyze, signals))


def _analysed_in_workers(
    finisher: Finisher, lines: Iterator[tuple[int, str | None]], jobs: int, stack: ExitStack
) -> Iterator[str]:
    """The output lines, in input order, with the analysis done by `jobs` worker processes;
    at most two chunks per worker are in flight, so memory stays bounded."""
    # Imported here: multiprocessing weighs a few MiB that a one-process run does not need.
    from concurrent.futures import ProcessPoolExecutor

    pool = stack.enter_context(
        ProcessPoolExecutor(
            max_workers=jobs,
            initializer=_start_worker,
            initargs=(_config_spec(finisher.engine.config.analyzer),),
        )
    )
    stack.callback(pool.shutdown, wait=False, cancel_futures=True)  # on an early exit
    signals = finisher.book is not None
    finish = finisher.finish
    pending: deque[tuple[list[tuple[int, str | None]], Future[list[Result]]]] = deque()
    while True:
        while len(pending) < 2 * jobs:
            chunk = list(islice(lines, CHUNK_LINES))
            if not chunk:
                break
            pending.append((chunk, pool.submit(_analyze_chunk, chunk, signals)))
        if not pending:
            return
        chunk, future = pending.popleft()
        for (lineno, _), result in zip(chunk, future.result(), strict=True):
            yield finish(lineno, result)


def _run(
    finisher: Finisher,
    source: IO[bytes] | IO[str],
    write: Write,
    flush: Flush,
    *,
    to_stdout: bool,
    jobs: int = 1,
) -> int:
    started = time.perf_counter()
    processed = errors = 0
    try:
        with ExitStack() as stack:
            lines = iter_lines(source)
            if jobs > 1:
                analysed = _analysed_in_workers(finisher, lines, jobs, stack)
            else:
                analysed = _analysed_in_process(finisher, lines)
            batch: list[str] = []
            for out in analysed:
                batch.append(out)
                if len(batch) >= WRITE_LINES:
                    processed += len(batch)
                    errors += sum(map(_is_error, batch))
                    write("".join(batch))
                    batch.clear()
            processed += len(batch)
            errors += sum(map(_is_error, batch))
            if batch:
                write("".join(batch))
        # One encoder for the profiles: json.dumps(obj, ensure_ascii=False) builds a new one
        # on every call.
        for profile in finisher.profile_objects():
            write(_dumps(profile) + "\n")
        flush()
    except BrokenPipeError:
        if to_stdout:
            _silence_stdout()
        return 0
    except OSError as exc:
        _fail(f"I/O error: {exc.strerror or exc}")
        return 2
    elapsed = time.perf_counter() - started
    rate = processed / elapsed if elapsed > 0 else 0.0
    print(
        f"barista analyze: {_plural(processed, 'line')} processed, {_plural(errors, 'error')}, "
        f"{elapsed:.2f} s, {rate:,.0f} msgs/s",
        file=sys.stderr,
    )
    return 0
