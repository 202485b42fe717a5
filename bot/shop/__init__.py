"""The shop integration: customers, orders, site events, tracked links, conversions."""
