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

It streams: lines are read, analysed and written one at a time; the only memory that grows is
one profile state per user, and only with `--profiles`. Exit code 0 even with bad lines (a
one-line summary goes to stderr); 2 when INPUT or OUTPUT cannot be opened.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from profiling.assess.explain import assessment_to_dict
from profiling.engine import EngineConfig, ProfileEngine
from profiling.profile.state import ProfileState
from profiling.types import MessageSignals

# 2024-01-01 09:00 UTC, a Monday morning: where a log without any timestamps starts.
SYNTHETIC_START = 1_704_099_600.0
SYNTHETIC_STEP_S = 60.0
# Unix seconds beyond this (year 5138) are a millisecond timestamp fed by mistake.
MAX_TS = 1e11
STDIO = "-"
DIRECTIONS = frozenset({"in", "out"})
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


def parse_ts(raw: Any) -> float:
    """Unix seconds from a number or an ISO 8601 string; `ValueError` with a reason."""
    if isinstance(raw, bool):
        raise ValueError("bad ts: a boolean is not a time")
    if isinstance(raw, int | float):
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

    def _state(self, user: Any, ts: float) -> ProfileState:
        entry = self._states.get(user)
        if entry is None:
            entry = (user, self.engine.new_state(now=ts, source=None))
            self._states[user] = entry
        return entry[1]

    def incoming(self, user: Any, signals: MessageSignals, ts: float) -> dict[str, Any]:
        timing = self.engine.observe_incoming(self._state(user, ts), signals, ts)
        return {
            "gap_s": None if timing.gap_s is None else round(timing.gap_s, 3),
            "latency_s": None if timing.latency_s is None else round(timing.latency_s, 3),
            "new_dialog": timing.new_dialog,
        }

    def outgoing(self, user: Any, ts: float, chars: int) -> None:
        self.engine.observe_outgoing(self._state(user, ts), ts, chars)

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


def _check_user(obj: dict[str, Any]) -> Any:
    user = obj.get("user")
    # A str and an int are distinct users ("7" is not 7); floats, lists and objects have
    # no reliable identity, so they are refused instead of guessed at.
    if user is not None and (isinstance(user, bool) or not isinstance(user, str | int)):
        raise LineError("bad user: expected a string or an integer", obj.get("id", _MISSING))
    return user


class Analyzer:
    """Turns one input line into one output object; holds the clock and the profiles."""

    def __init__(self, engine: ProfileEngine, profiles: bool) -> None:
        self.engine = engine
        self.clock = SyntheticClock()
        self.book = ProfileBook(engine) if profiles else None

    def process(self, lineno: int, line: str) -> dict[str, Any]:
        try:
            return self._message(lineno, line)
        except LineError as exc:
            error: dict[str, Any] = {"line": lineno, "error": str(exc)}
            if exc.line_id is not _MISSING:
                error["id"] = exc.line_id
            return error

    def _message(self, lineno: int, line: str) -> dict[str, Any]:
        obj = _read_line(line)
        line_id = obj.get("id", _MISSING)
        text = obj.get("text")
        if text is None:
            raise LineError("missing text", line_id)
        if type(text) is not str:
            raise LineError("text must be a string", line_id)
        if not text.strip():
            raise LineError("empty text", line_id)
        direction = obj.get("direction", "in")
        if direction not in DIRECTIONS:
            raise LineError('bad direction: expected "in" or "out"', line_id)
        user = _check_user(obj)
        try:
            ts = self.clock.resolve(obj.get("ts"))
        except ValueError as exc:
            raise LineError(str(exc), line_id) from None

        signals = self.engine.analyze(text)
        sentiment = signals.sentiment
        out: dict[str, Any] = {
            "type": "message",
            "line": lineno,
            "id": lineno if line_id is _MISSING else line_id,
        }
        if user is not None:
            out["user"] = user
        out.update(
            direction=direction,
            ts=ts,
            lang=signals.lang.value,
            sentiment=sentiment.label.value,
            polarity=round(sentiment.polarity, 3),
            irritation=round(sentiment.irritation, 3),
            waiting_complaint=sentiment.waiting_complaint,
            intent=signals.intent.intent.value,
            intent_confidence=round(signals.intent.confidence, 3),
            questions=signals.questions,
            formality=round(signals.formality, 3),
            polite=signals.polite,
            urgent=signals.urgent,
            chars=signals.chars,
        )
        if self.book is not None and user is not None:
            if direction == "in":
                out.update(self.book.incoming(user, signals, ts))
            else:
                self.book.outgoing(user, ts, len(text))
        return out

    def profile_objects(self) -> Iterator[dict[str, Any]]:
        if self.book is None or self.clock.latest is None:
            return iter(())
        return self.book.objects(self.clock.latest)


def default_engine() -> ProfileEngine:
    """The engine `barista run` would use: the shop's time zone from the settings."""
    from bot.settings import SettingsError, load_settings

    try:
        offset = load_settings().timezone_offset_minutes
    except SettingsError:
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
        if line.strip():
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
) -> int:
    """Analyse the JSONL at `input_path` ("-": stdin) into `output_path` (None or "-":
    stdout). Returns the process exit code."""
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
        analyzer = Analyzer(engine or default_engine(), profiles)
        to_stdout = output_path is None or output_path == STDIO
        return _run(analyzer, source, write, flush, to_stdout=to_stdout)


def _fail(message: str) -> None:
    print(f"barista analyze: {message}", file=sys.stderr)


def _run(
    analyzer: Analyzer,
    source: IO[bytes] | IO[str],
    write: Write,
    flush: Flush,
    *,
    to_stdout: bool,
) -> int:
    # One encoder for the whole run: json.dumps(obj, ensure_ascii=False) builds a new one on
    # every call, a measurable share of the per-line cost at 10k+ lines per second.
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    started = time.perf_counter()
    processed = errors = 0
    try:
        for lineno, line in iter_lines(source):
            if line is None:
                obj: dict[str, Any] = {"line": lineno, "error": "not valid UTF-8"}
            else:
                obj = analyzer.process(lineno, line)
            processed += 1
            errors += "error" in obj
            write(dumps(obj) + "\n")
        for profile in analyzer.profile_objects():
            write(dumps(profile) + "\n")
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
        f"barista analyze: {processed} lines processed, {errors} errors, "
        f"{elapsed:.2f} s, {rate:,.0f} msgs/s",
        file=sys.stderr,
    )
    return 0
