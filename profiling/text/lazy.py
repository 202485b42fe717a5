"""Result types whose rarely read fields are worked out on first read.

The analysers return the frozen dataclasses of `profiling.types`, but some of their fields
(explanation cues, the caps ratio) are read by nobody on the way from a message to a reply or
to a line of `barista analyze`. `lazy_variant(base, compute)` makes a subclass of `base` that
keeps one `_source` value (what the analyser had at hand) and computes each field named in
`compute` from it when that field is first read, then keeps it in the field's own slot.

A variant is a `base` in every way that code can see: `isinstance`, every field with the value
an eager analysis gives, `==` and `hash` against plain instances, `dataclasses.replace` and
`fields`, its repr (the class name is the base's), and pickling (which gives a plain `base`).

`setters(variant)` gives the slot setters, in field order, with which the analysers fill an
instance (a lazy field with `LATER`) without the dataclass `__init__` (a frozen dataclass sets
each field through `object.__setattr__`, by keyword, which costs several times more).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")
Setter = Callable[[Any, Any], None]

__all__ = ["LATER", "lazy_variant", "setters"]


class _Later:
    __slots__ = ()

    def __repr__(self) -> str:
        return "LATER"


# What the analysers set a lazy field to: "compute me from the source when first read".
LATER: Any = _Later()


def _lazy_field(slot: Any, compute: Callable[[Any], Any], source: Any) -> property:
    get = slot.__get__
    put = slot.__set__
    get_source = source.__get__

    def read(self: Any) -> Any:
        value = get(self, None)
        if value is LATER:  # not read yet (a test, not a try: raising costs microseconds)
            value = compute(get_source(self, None))
            put(self, value)
        return value

    # The setter is what the dataclass `__init__` (and so `dataclasses.replace`) calls; plain
    # assignment still raises `FrozenInstanceError` (the base's `__setattr__`).
    return property(read, put)


def lazy_variant(base: type[T], compute: Mapping[str, Callable[[Any], Any]]) -> type[T]:
    """A subclass of the frozen, slotted dataclass `base` whose fields named in `compute` are
    `compute[name](source)` on first read, `source` being set with `setters(variant)[0]`."""
    names = tuple(f.name for f in fields(base))  # type: ignore[arg-type]
    unknown = set(compute) - set(names)
    if unknown:
        raise ValueError(f"not fields of {base.__name__}: {sorted(unknown)}")

    def __eq__(self: Any, other: object) -> bool:
        if not isinstance(other, base):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in names)

    def __reduce__(self: Any) -> tuple[Any, ...]:
        return base, tuple(getattr(self, name) for name in names)

    namespace: dict[str, Any] = {
        "__slots__": ("_source",),
        "__doc__": f"A `{base.__name__}` with fields computed on first read: " + ", ".join(compute),
        "__eq__": __eq__,
        "__hash__": base.__hash__,
        "__reduce__": __reduce__,
        "__module__": base.__module__,
    }
    variant = type(base.__name__, (base,), namespace)
    source = variant.__dict__["_source"]
    for name, fn in compute.items():
        setattr(variant, name, _lazy_field(base.__dict__[name], fn, source))
    variant.__qualname__ = base.__qualname__
    return variant


def setters(variant: type) -> tuple[Setter, ...]:
    """(the `_source` setter, then the setter of every field of the base, in field order)."""
    base = variant.__mro__[1]
    return (
        variant.__dict__["_source"].__set__,
        *(base.__dict__[f.name].__set__ for f in fields(base)),
    )
