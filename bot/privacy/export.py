"""/mydata: everything stored about a customer as one JSON document — every table's rows (from
`storage.repositories.privacy.export_customer`, which covers any table that refers to the
customer) and the profile's explanation in words, so the document is readable as well as
machine-readable (GDPR access and portability)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from profiling.assess.explain import assessment_to_dict, render_assessment
from profiling.engine import Assessment
from profiling.types import Lang

FORMAT = "barista.mydata/1"


def export_document(
    tables: dict[str, list[dict[str, Any]]],
    *,
    generated_at: datetime,
    shop: str,
    assessment: Assessment | None,
    lang: Lang,
) -> bytes:
    """The JSON document (UTF-8, indented): the rows of every table and the profile's
    explanation."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": generated_at.isoformat(),
        "shop": shop,
        "tables": tables,
    }
    if assessment is not None:
        document["profile_explained"] = {
            "text": render_assessment(assessment, lang),
            "scores": assessment_to_dict(assessment),
        }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def subject_hash(key: bytes, channel: str, external_id: str) -> str:
    """The erasure log's stand-in for the person: a keyed one-way hash of who they were on
    which channel — enough to recognise a repeated request, useless without the key."""
    return hmac.new(key, f"{channel}:{external_id}".encode(), hashlib.sha256).hexdigest()
