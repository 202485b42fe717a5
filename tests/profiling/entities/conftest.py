"""A small realistic catalogue (an electronics shop and a cleaning service) and a fixed "now"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from profiling.entities import CatalogIndex, CatalogItem

ELECTRONICS = (
    CatalogItem("dyson-v15", ("Dyson V15 Detect",), "vacuum"),
    CatalogItem("dyson-v11", ("Dyson V11",), "vacuum"),
    CatalogItem("roborock-s8", ("Roborock S8",), "vacuum"),
    CatalogItem("dreame-l10s", ("Dreame L10s Ultra",), "vacuum"),
    CatalogItem("iphone-15", ("iPhone 15",), "phone"),
    CatalogItem("iphone-15-pro", ("iPhone 15 Pro",), "phone"),
    CatalogItem("galaxy-s24", ("Samsung Galaxy S24",), "phone"),
    CatalogItem("airpods-pro-2", ("AirPods Pro 2",), "audio"),
    CatalogItem("sony-xm5", ("Sony WH-1000XM5",), "audio"),
    CatalogItem("redmi-note-13", ("Xiaomi Redmi Note 13",), "phone"),
    CatalogItem("bosch-twk", ("чайник Bosch TWK", "Bosch TWK kettle"), "kitchen"),
)
CLEANING = (
    CatalogItem("general", ("генеральная уборка", "general cleaning"), "service"),
    CatalogItem("regular", ("поддерживающая уборка", "regular cleaning"), "service"),
    CatalogItem("windows", ("мытьё окон", "window cleaning"), "service"),
    CatalogItem("sofa", ("химчистка дивана", "sofa dry cleaning"), "service"),
)

# Wednesday 2 December 2026, 10:30 in Moscow (UTC+3).
MSK = timezone(timedelta(hours=3))
OFFSET = 180
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=MSK).timestamp()


def at(day: int, hour: int = 0, minute: int = 0, month: int = 12, year: int = 2026) -> float:
    """A Moscow moment as unix seconds, for expected values."""
    return datetime(year, month, day, hour, minute, tzinfo=MSK).timestamp()


@pytest.fixture(scope="session")
def catalog() -> CatalogIndex:
    return CatalogIndex.build(ELECTRONICS + CLEANING)
