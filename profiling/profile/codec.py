"""Versioned, tolerant serialization of the profile state to JSON-safe dicts.

The stored form is every stored field of `ProfileState` by name plus a "version" key.
Reading is forgiving on purpose, because a profile is years of a customer's history:
* an older version is upgraded one step at a time (`MIGRATIONS`); a missing, damaged or
  absurd version number is read as 1, the first stored format;
* keys missing from an older dict take their defaults;
* unknown keys (written by a newer version) are ignored, so a rollback loses nothing;
* a damaged value loses that one field (or that one entry of a map), not the whole profile:
  non-finite numbers, wrong types, booleans spelled "false" are refused, counts are clamped
  to >= 0 and levels and averages to their ranges, so nothing read can crash a score;
* a missing or damaged `at` (the moment the decayed sums are expressed at) is taken from
  the latest event time, so the next update does not decay years of history to nothing.

Conversion is driven by the field annotations, so a new field needs no code here unless it
has a type no field had before. Fields marked `DERIVED` are rebuilt on load, never stored.
The site part (`ProfileState.site`, a `SiteState` or None) is stored as a nested dict of its
own fields and read the same tolerant way.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from profiling.profile.active_hours import WEEK_BINS, week_to_day
from profiling.profile.site import MAX_PRODUCTS, MAX_SESSION_CATEGORIES, SiteState
from profiling.types import Lang

if TYPE_CHECKING:
    # Only for annotations: the state imports this module, and the class comes in as `cls`.
    from profiling.profile.state import ProfileState

# Field metadata of a cache rebuilt from other fields on load (and therefore not stored).
DERIVED: Mapping[str, bool] = {"derived": True}

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# topics hold [mentions, dialogs, last dialog number]; overrides hold [value, ts, messages];
# the site's products hold [views, time of the last view].
_ENTRY_SIZES = {"topics": 3, "overrides": 3, "products": 2}
# Maps that stay bounded even when a damaged or hand-written dict holds more.
_MAP_LIMITS = {"products": MAX_PRODUCTS, "session_cats": MAX_SESSION_CATEGORIES}
_LIST_SIZES = {"week_hours": WEEK_BINS}
# Decayed sums and levels that cannot be negative (an int field is always a count >= 0).
_NON_NEGATIVE = frozenset(
    {
        "lt_n", "lt_chars", "lt_log_gap", "lt_gaps", "lt_log_latency", "lt_latencies",
        "lt_questions", "lt_terms", "lt_urgent", "lt_dialogs", "lt_log_dialog_gap",
        "lt_dialog_gaps", "interest_dialogs", "price_dialogs", "act_fast", "act_slow",
        "negativity", "waiting", "problem", "bad_orders", "threat", "d_chars", "d_log_gap",
        "d_log_latency", "d_terms",
    }
)  # fmt: skip
_LEVEL_RANGES = {"irritation": (0.0, 1.0), "length_pref": (-1.0, 1.0)}
# The mean of a log1p(seconds) sum can not exceed a century; a larger one would overflow
# expm1 when the average is read.
_MAX_LOG_MEAN = math.log1p(100 * 365 * 86_400.0)
# (sum field, weight field, lowest mean, highest mean): a sum is clamped so that its mean
# over its weight stays in range.
_MEAN_RANGES: tuple[tuple[str, str, float, float], ...] = (
    ("lt_log_gap", "lt_gaps", 0.0, _MAX_LOG_MEAN),
    ("d_log_gap", "d_gaps", 0.0, _MAX_LOG_MEAN),
    ("lt_log_latency", "lt_latencies", 0.0, _MAX_LOG_MEAN),
    ("d_log_latency", "d_latencies", 0.0, _MAX_LOG_MEAN),
    ("lt_log_dialog_gap", "lt_dialog_gaps", 0.0, _MAX_LOG_MEAN),
    ("lt_questions", "lt_n", 0.0, 1.0),
    ("lt_urgent", "lt_n", 0.0, 1.0),
    ("lt_formality", "lt_n", -1.0, 1.0),
    ("lt_polarity", "lt_n", -1.0, 1.0),
    ("d_formality", "d_msgs", -1.0, 1.0),
    ("d_polarity", "d_msgs", -1.0, 1.0),
)
# Site levels that cannot be negative, and the site times a lost site `at` is recovered from.
_SITE_NON_NEGATIVE = (
    "evidence_total", "evidence", "session_evidence", "price_views", "price_dwell",
    "info_views", "info_dwell", "compares", "support_views", "problem", "cart",
)  # fmt: skip
_SITE_TIMES = ("last_at", "device_at", "cart_open_since", "cart_closed_at", "session_start")
# Event times from which a lost `at` is recovered (the latest one wins).
_EVENT_TIMES = (
    "created_at", "last_incoming_at", "last_outgoing_at", "last_order_at",
    "last_purchase_at", "last_target_at", "length_pref_at", "d_started_at",
)  # fmt: skip
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 → v2: the hour-of-day histogram becomes an hour-of-week one; overrides count.

    A v1 hour bin is spread evenly over the seven weekdays (nothing was known about days),
    expressed, like every v1 decayed quantity, as of `at`. A v1 override is taken as set at
    the current message count.
    """
    out = dict(data)
    hours = out.pop("hours", None)
    if isinstance(hours, list) and len(hours) == 24:
        try:
            day = [_finite(h) for h in hours]
        except (TypeError, ValueError):
            day = None
        if day is not None:
            out["week_hours"] = [max(0.0, day[h]) / 7.0 for _ in range(7) for h in range(24)]
            out["hist_at"] = out.get("at", 0.0)
    overrides = out.get("overrides")
    if isinstance(overrides, dict):
        count = out.get("messages_total", 0)
        out["overrides"] = {
            k: [*v, count] if isinstance(v, list) and len(v) == 2 else v
            for k, v in overrides.items()
        }
    out["version"] = 2
    return out


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """v2 → v3: `site` was added; a v2 profile has seen no site events (None)."""
    out = dict(data)
    out["version"] = 3
    return out


# Stored version -> the step that turns a dict of that version into the next one.
MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2, 2: _v2_to_v3}


@functools.cache
def _field_kinds(cls: type) -> dict[str, str]:
    """Stored field name -> its annotation as written (a string: postponed annotations)."""
    return {f.name: str(f.type) for f in fields(cls) if not f.metadata.get("derived")}


def state_to_dict(state: ProfileState) -> dict[str, Any]:
    """A JSON-safe dict (str keys; numbers, strings, lists, dicts) with the version."""
    out: dict[str, Any] = {"version": state.VERSION}
    out.update(_fields_to_dict(state))
    site = state.site
    if site is not None:
        out["site"] = _fields_to_dict(site)
    return out


def _fields_to_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _field_kinds(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
        elif isinstance(value, Lang):
            value = value.value
        out[name] = value
    return out


def state_from_dict(cls: type[ProfileState], data: Mapping[str, Any]) -> ProfileState:
    """Rebuild a state saved by any version (see the module notes for what is tolerated)."""
    data = migrate(dict(data), cls.VERSION)
    state, loaded = _load_fields(cls, data)
    _repair(state, loaded)
    return state


def _load_fields(cls: type[Any], data: Mapping[str, Any]) -> tuple[Any, set[str]]:
    """A new `cls` with every field `data` holds in a usable form; the names loaded."""
    obj = cls()
    loaded: set[str] = set()
    for name, kind in _field_kinds(cls).items():
        if name not in data:
            continue
        try:
            setattr(obj, name, _coerce(name, kind, data[name]))
        except (TypeError, ValueError, AttributeError, OverflowError):
            continue  # a damaged value loses that one field, not the whole profile
        loaded.add(name)
    return obj, loaded


def _site_from_dict(value: Any) -> SiteState:
    """The site part, as tolerant as the rest: damage loses a field, never the profile."""
    if not isinstance(value, Mapping):
        raise TypeError("the site part is not a mapping")
    site, loaded = _load_fields(SiteState, value)
    for name in _SITE_NON_NEGATIVE:
        if getattr(site, name) < 0.0:
            setattr(site, name, 0.0)
    if site.device is not None:
        site.device = site.device[:16]
    if "at" not in loaded:
        times = [t for t in (getattr(site, n) for n in _SITE_TIMES) if t is not None]
        site.at = max(times, default=0.0)
    return site


def stored_version(data: Mapping[str, Any]) -> int:
    """The format version of a stored dict; 1 when missing or not a positive integer."""
    raw = data.get("version", 1)
    if isinstance(raw, bool):
        return 1
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return 1
    if not math.isfinite(number) or number != int(number):
        return 1
    return max(1, int(number))


def migrate(data: dict[str, Any], target_version: int) -> dict[str, Any]:
    """Bring a stored dict up to `target_version`, one version at a time.

    Keys absent from older dicts need no step: they simply take their defaults. A dict of a
    newer version is read as it is (its unknown keys are ignored).
    """
    version = stored_version(data)
    while version < target_version:
        data = MIGRATIONS[version](data)
        version += 1
    return data


def _repair(state: ProfileState, loaded: set[str]) -> None:
    """Bring what was read back into range and rebuild derived and lost fields."""
    for name in _NON_NEGATIVE:
        if getattr(state, name) < 0.0:
            setattr(state, name, 0.0)
    for name, (lo, hi) in _LEVEL_RANGES.items():
        setattr(state, name, min(hi, max(lo, getattr(state, name))))
    for total, weight, lo, hi in _MEAN_RANGES:
        w = getattr(state, weight)
        setattr(state, total, min(hi * w, max(lo * w, getattr(state, total))))
    if "at" not in loaded:
        times = [t for t in (getattr(state, n) for n in _EVENT_TIMES) if t is not None]
        state.at = max(times, default=0.0)
    if "hist_at" not in loaded:
        state.hist_at = state.at
    state.hours = week_to_day(state.week_hours)


def _finite(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("a boolean where a number is expected")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def _count(value: Any) -> int:
    number = _finite(value)
    return max(0, int(number))


def _bool(value: Any) -> bool:
    """Strictly: a JSON boolean, 0/1, or "true"/"false" ("false" is not truthy text)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(f"not a boolean: {value!r}")


def _entries(name: str, value: Any) -> dict[str, list[float]]:
    """A map of fixed-size number lists; entries of the wrong shape are dropped one by one."""
    size = _ENTRY_SIZES[name]
    out: dict[str, list[float]] = {}
    for key, entry in value.items():
        if not isinstance(entry, list) or len(entry) != size:
            continue
        try:
            numbers = [_finite(x) for x in entry]
        except (TypeError, ValueError):
            continue
        if name == "overrides":
            numbers[0] = min(1.0, max(0.0, numbers[0]))
            numbers[2] = max(0.0, numbers[2])
        elif name == "products":  # views >= 0, any finite time
            numbers[0] = max(0.0, numbers[0])
        else:  # topics: mentions and dialogs >= 0, the last dialog number >= -1
            numbers = [max(0.0, numbers[0]), max(0.0, numbers[1]), max(-1.0, numbers[2])]
        out[str(key)] = numbers
    return out


def _bounded(name: str, value: dict[str, Any]) -> dict[str, Any]:
    """`value` cut to the size its map may have (the first entries are kept)."""
    limit = _MAP_LIMITS.get(name)
    if limit is None or len(value) <= limit:
        return value
    return dict(list(value.items())[:limit])


def _number_map(value: Any, integral: bool) -> dict[str, Any]:
    """A map of counts or levels; an entry that is not a finite number >= 0 is dropped."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        try:
            number = _finite(item)
        except (TypeError, ValueError, OverflowError):
            continue
        if number >= 0.0:
            out[str(key)] = int(number) if integral else number
    return out


def _coerce(name: str, kind: str, value: Any) -> Any:
    """Convert a stored JSON value to the field's type, or raise if it cannot be."""
    if value is None:
        if kind.endswith("| None"):
            return None
        raise ValueError("null for a non-nullable field")
    kind = kind.removesuffix(" | None")
    if kind == "float":
        return _finite(value)
    if kind == "int":
        return _count(value)
    if kind == "bool":
        return _bool(value)
    if kind == "str":
        if not isinstance(value, str):
            raise TypeError("not a string")
        return value
    if kind == "Lang":
        return Lang(value)
    if kind == "list[str]":
        return [v for v in value if isinstance(v, str)]
    if kind == "list[float]":  # fixed-size histograms; a damaged bin is empty
        size = _LIST_SIZES[name]
        bins = [_bin(v) for v in value][:size]
        return bins + [0.0] * (size - len(bins))
    if kind == "dict[str, int]":
        return _number_map(value, integral=True)
    if kind == "dict[str, float]":
        return _number_map(value, integral=False)
    if kind == "dict[str, list[float]]":
        return _bounded(name, _entries(name, value))
    if kind == "dict[str, str]":
        return _bounded(name, {str(k): v for k, v in value.items() if isinstance(v, str)})
    if kind == "SiteState":
        return _site_from_dict(value)
    raise TypeError(f"no converter for {kind}")


def _bin(value: Any) -> float:
    try:
        return max(0.0, _finite(value))
    except (TypeError, ValueError, OverflowError):
        return 0.0
