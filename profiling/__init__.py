"""Barista's profiling engine: pure behavioural analysis of customers.

No I/O, no clock, no aiogram: text and timestamps come in as arguments, values come out.
`profiling.engine.ProfileEngine` is the facade the application uses.
"""
