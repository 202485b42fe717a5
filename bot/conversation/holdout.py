"""The experiment's groups: HOLDOUT_PERCENT of new customers get the "blind" bot — the same
facts without adapting to them — for their whole life, so the lift of adaptation can be
measured. The choice is a deterministic function of who they are (a hash of channel and
external id): the same person lands in the same group on every instance and after a restart,
and the group is stored on the customer when they are created."""

from __future__ import annotations

import hashlib

# The hash is read as a number in [0, SCALE): percentages with two decimals.
SCALE = 10_000


def in_holdout(channel: str, external_id: str, percent: float) -> bool:
    """Whether this customer belongs to the holdout group at `percent` (0..100)."""
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"{channel}:{external_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % SCALE < round(percent * SCALE / 100)
