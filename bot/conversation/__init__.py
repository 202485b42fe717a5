"""The conversation core: identify the customer, take their turn, own the unit of work."""
