"""Segment features read from the shop's website, and how they mix with those of messages.

A habit segment (researcher, doubting buyer, price-sensitive) is scored from two channels:
what the customer writes and what they do on the site. Each channel has its own features,
whose weights sum to 1 like those of `profiling.assess.segments`, and the channels are mixed
by their share of the recent evidence:

    features = (1 − q) · message features + q · site features,
    q = site evidence / (message evidence + site evidence), both decayed to now

where a message is one unit of evidence and a site event SITE_EVIDENCE (at most
SESSION_EVIDENCE_CAP per visit, see `profiling.profile.site`). The segment's evidence weight
counts both channels, so a visitor who never wrote still moves by what was seen, and with a
confidence that says how much that was. A feature both channels share (the discount ad
source, the recent purchase) appears once, with the sum of its two parts.

Every site code starts with "site_", and its explanation says it comes from the site.
"""

from __future__ import annotations

from profiling.assess.shapes import Feature, ramp
from profiling.profile.half_lives import DAY, HOUR
from profiling.profile.site import SiteSnapshot

# Researcher: information pages read (FAQ, delivery, insurance, reviews, terms), time spent
# on them, comparisons.
W_RES_SITE_INFO = 0.55
W_RES_SITE_DWELL = 0.15
W_RES_SITE_COMPARE = 0.30
# Doubting buyer: one product viewed again and again, comparisons, a cart left open.
W_DB_SITE_REPEAT = 0.40
W_DB_SITE_COMPARE = 0.30
W_DB_SITE_CART = 0.30
# Price-sensitive: time on the prices page, several views of it, a discount ad source.
W_PS_SITE_DWELL = 0.40
W_PS_SITE_VIEWS = 0.40
W_PS_SITE_SOURCE = 0.20
# Ramps: "≥3 views of one product in about a week" (views decay with a week's half-life,
# so three spread over the week read about 2.2), "several views of prices", "a long time on
# the prices page": three minutes on a price list is reading it closely (dwell is capped at
# 10 minutes a page view).
REPEAT_VIEWS = (1.5, 2.5)
PRICE_VIEWS = (1.0, 3.0)
INFO_VIEWS = (0.0, 3.0)
DWELL_S = (20.0, 180.0)
COMPARES = (0.0, 1.5)
ABANDONED_CART_S = (HOUR, DAY)


def site_share(site: SiteSnapshot, recent_messages: float) -> float:
    """q: the site's share of the recent evidence, 0..1."""
    total = recent_messages + site.evidence
    return site.evidence / total if total > 0.0 else 0.0


def site_researcher(site: SiteSnapshot) -> list[Feature]:
    compares = W_RES_SITE_COMPARE * ramp(site.compares, *COMPARES)
    return [
        ("site_info_pages", site.info_views, W_RES_SITE_INFO * ramp(site.info_views, *INFO_VIEWS)),
        (
            "site_info_dwell_s",
            site.info_dwell_s,
            W_RES_SITE_DWELL * ramp(site.info_dwell_s, *DWELL_S),
        ),
        ("site_compares", site.compares, compares),
    ]


def site_doubting(
    site: SiteSnapshot, purchase_recency: float, purchase_penalty: float
) -> list[Feature]:
    """Like the message features, a fresh purchase takes `purchase_penalty` of them away."""
    top = site.top_product_views
    cart_s = site.cart_open_s
    out = [
        ("site_repeat_views", top, W_DB_SITE_REPEAT * ramp(top, *REPEAT_VIEWS)),
        ("site_compares", site.compares, W_DB_SITE_COMPARE * ramp(site.compares, *COMPARES)),
    ]
    if cart_s is not None:
        out.append(
            ("site_abandoned_cart_s", cart_s, W_DB_SITE_CART * ramp(cart_s, *ABANDONED_CART_S))
        )
    if purchase_recency > 0.0:
        positive = sum(f[2] for f in out)
        penalty = -purchase_penalty * purchase_recency * positive
        out.append(("recent_purchase", purchase_recency, penalty))
    return out


def site_price(site: SiteSnapshot, discount_source: bool) -> list[Feature]:
    source = 1.0 if discount_source else 0.0
    return [
        (
            "site_price_dwell_s",
            site.price_dwell_s,
            W_PS_SITE_DWELL * ramp(site.price_dwell_s, *DWELL_S),
        ),
        (
            "site_price_views",
            site.price_views,
            W_PS_SITE_VIEWS * ramp(site.price_views, *PRICE_VIEWS),
        ),
        ("discount_source", source, W_PS_SITE_SOURCE * source),
    ]


def mix(messages: list[Feature], site: list[Feature], q: float) -> list[Feature]:
    """(1 − q) · message features + q · site features, a code shared by both summed once."""
    if q <= 0.0:
        return messages
    merged: dict[str, list[float]] = {}
    for share, feats in ((1.0 - q, messages), (q, site)):
        for code, measured, c in feats:
            entry = merged.get(code)
            if entry is None:
                merged[code] = [measured, share * c]
            else:
                entry[1] += share * c
    return [(code, measured, c) for code, (measured, c) in merged.items()]
