"""Referrals and disputes as commands answer them: the same documents the view folds, folded
here from the aggregate's own stored events, so a command's answer and a GET agree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from projections import referral_document as doc
from projections.records import EventRecord, to_record
from services.api.presenters import deadline_entries
from services.api.schemas.referrals import DisputeOut, ReferralOut
from services.application import Saved

Change = Callable[[doc.Document, dict[str, Any]], None]
OPEN = frozenset({"draft", "approved", "sent", "acknowledged", "accepted"})


def folded(
    app: Any,
    saved: Saved,
    first: Callable[[EventRecord], doc.Document],
    changes: Mapping[str, Change],
) -> doc.Document:
    aggregate = saved.aggregate
    stored = app.recorder.select_events(aggregate.id, lte=aggregate.version)
    records = [to_record(app.mapper.to_domain_event(s), 0) for s in stored]
    document = first(records[0])
    for record in records[1:]:
        change = changes.get(record.type)
        if change is not None:
            change(document, record.data)
    return dict(document, version=aggregate.version, position=saved.position)


def referral_out(app: Any, saved: Saved, now: datetime) -> ReferralOut:
    referral = saved.aggregate
    document = folded(app, saved, doc.drafted, doc.REFERRAL_CHANGES)
    deadlines = deadline_entries(referral.deadlines.values(), now, referral.status in OPEN)
    document.update(deadlines=deadlines, overdue=any(d["overdue"] for d in deadlines))
    return ReferralOut.model_validate(document)


def dispute_out(app: Any, saved: Saved) -> DisputeOut:
    return DisputeOut.model_validate(folded(app, saved, doc.opened, doc.DISPUTE_CHANGES))
