"""Human handoff: the bot calls a person into a customer's chat, and gives the dialog back.

triggers.py  when to call a person (pure): an explicit request, irritation, a question that
             failed twice, a hot lead — with the thresholds of the settings
card.py      what the operators read (pure): the context card, relayed messages, wording
facts.py     what the card is made of, read from storage
service.py   `HandoffDesk`: the core's helper inside its units (open, find, take, close) and
             the posts in the operator chat (the card, the customer's messages, notes)
sweeper.py   the periodic task that times out handoffs nobody picked up
values.py    the values that cross the edges: an operator's message, its outcome, a handoff
"""
