"""Versioned, tolerant serialization of the profile state to JSON-safe dicts.

The stored form is every field of `ProfileState` by name plus a "version" key. Reading is
forgiving on purpose, because a profile is years of a customer's history:
* an older version is upgraded one step at a time (`MIGRATIONS`);
* keys missing from an older dict take their defaults;
* unknown keys (written by a newer version) are ignored, so a rollback loses nothing;
* a damaged value loses that one field, not the whole profile.

Conversion is driven by the field annotations, so a new field needs no code here unless it
has a type no field had before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from profiling.types import Lang

if TYPE_CHECKING:
    # Only for annotations: the state imports this module, and the class comes in as `cls`.
    from profiling.state import ProfileState

Migration = Callable[[dict[str, Any]], dict[str, Any]]
# Stored version -> the step that turns a dict of that version into the next one. Version 1
# is the first stored format; a later `ProfileState.VERSION` registers its step here.
MIGRATIONS: dict[int, Migration] = {}

# topics hold [mentions, dialogs, last dialog number]; overrides hold [value, ts].
_ENTRY_SIZES = {"topics": 3, "overrides": 2}


@functools.cache
def _field_kinds(cls: type) -> dict[str, str]:
    """Field name -> its annotation as written (a string: `from __future__ import annotations`)."""
    return {f.name: str(f.type) for f in fields(cls)}


def state_to_dict(state: ProfileState) -> dict[str, Any]:
    """A JSON-safe dict (str keys; numbers, strings, lists, dicts) with the version."""
    out: dict[str, Any] = {"version": state.VERSION}
    for name in _field_kinds(type(state)):
        value = getattr(state, name)
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
    state = cls()
    for name, kind in _field_kinds(cls).items():
        if name not in data:
            continue
        try:
            setattr(state, name, _coerce(name, kind, data[name]))
        except (TypeError, ValueError, AttributeError):
            continue  # a damaged value loses that one field, not the whole profile
    return state


def migrate(data: dict[str, Any], target_version: int) -> dict[str, Any]:
    """Bring a stored dict up to `target_version`, one version at a time.

    Keys absent from older dicts need no step: they simply take their defaults.
    """
    version = int(data.get("version", 1))
    while version < target_version:
        data = MIGRATIONS[version](data)
        version += 1
    return data


def _coerce(name: str, kind: str, value: Any) -> Any:
    """Convert a stored JSON value to the field's type, or raise if it cannot be."""
    if value is None:
        if kind.endswith("| None"):
            return None
        raise ValueError("null for a non-nullable field")
    kind = kind.removesuffix(" | None")
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind == "str":
        return str(value)
    if kind == "Lang":
        return Lang(value)
    if kind == "list[str]":
        return [str(v) for v in value]
    if kind == "list[float]":  # the 24-bin hour histogram
        hours = [float(v) for v in value][:24]
        return hours + [0.0] * (24 - len(hours))
    if kind == "dict[str, int]":
        return {str(k): int(v) for k, v in value.items()}
    if kind == "dict[str, float]":
        return {str(k): float(v) for k, v in value.items()}
    if kind == "dict[str, list[float]]":
        # Entries of the wrong shape are dropped one by one.
        size = _ENTRY_SIZES[name]
        out = {str(k): [float(x) for x in v] for k, v in value.items()}
        return {k: v for k, v in out.items() if len(v) == size}
    raise TypeError(f"no converter for {kind}")
