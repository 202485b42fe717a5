"""Signals to the shop's CRM: what fires them (hysteresis), the outbox, signed delivery.

events.py      the event types (`SignalType`)
watch.py       threshold crossings with hysteresis, on every assessment, in the core's unit
outbox.py      `enqueue()`: an event row in the caller's transaction (Standard Webhooks shape)
payloads.py    the customer / scores / reasons blocks of a payload's `data`
signing.py     `webhook-id`, `webhook-timestamp`, `webhook-signature` (standardwebhooks)
delivery.py    one signed POST and what its answer means; the backoff
dispatcher.py  claims due events under a lease, delivers them concurrently, records outcomes
describe.py    events as an operator reads them (`barista outbox list`)
"""
