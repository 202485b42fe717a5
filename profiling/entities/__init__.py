"""Entities in customer messages: order numbers, catalogue products and services, cities,
dates and times, quantities, money, phones and e-mails, Russian and English.

Pure functions over one message; `extract_entities` runs them all without letting two
claim the same words. Build a `CatalogIndex` and `OrderNumberFormats` once per shop.
"""

from profiling.entities.catalog import CatalogIndex
from profiling.entities.contacts import find_emails, find_phones
from profiling.entities.extract import (
    EXPECT_CITY,
    EXPECT_ORDER_NUMBER,
    EXPECT_QUANTITY,
    EXPECTABLE,
    extract_entities,
)
from profiling.entities.numbers import find_money, find_quantities
from profiling.entities.orders import OrderNumberFormats, find_order_numbers
from profiling.entities.places import find_cities, russian_name, same_place
from profiling.entities.times import find_times
from profiling.entities.types import (
    CatalogItem,
    CityMention,
    Email,
    Entities,
    Money,
    OrderNumber,
    Phone,
    ProductMention,
    Quantity,
    TimeMention,
)

__all__ = [
    "EXPECTABLE",
    "EXPECT_CITY",
    "EXPECT_ORDER_NUMBER",
    "EXPECT_QUANTITY",
    "CatalogIndex",
    "CatalogItem",
    "CityMention",
    "Email",
    "Entities",
    "Money",
    "OrderNumber",
    "OrderNumberFormats",
    "Phone",
    "ProductMention",
    "Quantity",
    "TimeMention",
    "extract_entities",
    "find_cities",
    "find_emails",
    "find_money",
    "find_order_numbers",
    "find_phones",
    "find_quantities",
    "find_times",
    "russian_name",
    "same_place",
]
