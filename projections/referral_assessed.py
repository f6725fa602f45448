"""What the yearly assessment reads of a referral beyond its time limits, kept in columns of
the referral view's table: when the receiver should have acknowledged it and did (抄告), and a
rejection a dispute's decision later settled (against the rejecting agency, or not); the
view itself keeps when it was settled (`settled_key`, from the event)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from projections.deadlines import utc_key
from projections.fold import Document

# Seed 000 §三(二): the receiver acknowledges "promptly" (及时抄告); the assessment reads that
# as within a day (24 hours) of the referral reaching it.
ACKNOWLEDGE_HOURS = 24


def _ack_due_key(doc: Document) -> str | None:
    if doc["sent_at"] is None:
        return None
    return utc_key(datetime.fromisoformat(doc["sent_at"]) + timedelta(hours=ACKNOWLEDGE_HOURS))


def _ack_key(doc: Document) -> str | None:
    return utc_key(doc["acknowledged_at"]) if doc["acknowledged_at"] else None


def _rejected_by(doc: Document) -> str | None:
    """The receiver that rejected it, once a dispute's decision settled the rejection."""
    return doc["to_agency"] if doc["rejection"] and doc["decision"] else None


def _settled_against(doc: Document) -> int | None:
    """1 when the decision made the rejecting agency handle it: it refused without a valid
    reason (seed 000 §三(二): 无正当理由不得拒绝接受)."""
    rejecter = _rejected_by(doc)
    return None if rejecter is None else int(doc["decision"]["lead"] == rejecter)


ASSESSED: Mapping[str, Callable[[Document], Any]] = {
    "ack_due_key": _ack_due_key,
    "ack_key": _ack_key,
    "rejected_by": _rejected_by,
    "settled_against": _settled_against,
}
