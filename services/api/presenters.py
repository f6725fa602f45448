"""Resources as the API shows them: the document its kind's one fold makes, with its deadlines
judged now. A command's answer folds the events it just saved; a GET reads what the view
folded from the same events, so the two agree."""

from __future__ import annotations

from fastapi import Response

from domain.values import Actor
from projections.case_document import CASE
from projections.case_steps import with_step
from projections.crime_transfer_document import CRIME_TRANSFER
from projections.deadlines import judged, judged_windows, with_states
from projections.dispute_document import DISPUTE
from projections.fold import Document, Resource
from projections.meeting_document import MEETING
from projections.referral_document import REFERRAL
from services.api.schemas.cases import CaseOut
from services.api.schemas.crime_transfers import CrimeTransferOut
from services.api.schemas.meetings import MeetingOut
from services.api.schemas.referrals import DisputeOut, ReferralOut
from services.application import Liandong, Saved


def answered(app: Liandong, saved: Saved, resource: Resource) -> Document:
    """The document a command answers with, its deadlines on the store's calendar."""
    document = saved.document(resource)
    is_open = resource.fold.lifecycle.is_open(document["status"])
    deadlines = document["deadlines"].values()
    document["deadlines"] = judged(deadlines, app.calendar(), app.clock(), is_open)
    document["overdue"] = any(d["overdue"] for d in document["deadlines"])
    return document


def shown(
    app: Liandong, actor: Actor, resource: Resource, document: Document | None, response: Response
) -> Document:
    """The document GET shows, with its ETag; as if it did not exist when the actor may not
    see it (the one visibility rule)."""
    app.access.require(actor, resource.audience(document) if document else [], resource.noun)
    assert document is not None
    response.headers["ETag"] = f'"{document["version"]}"'
    return document


def case_out(app: Liandong, saved: Saved) -> CaseOut:
    return CaseOut.model_validate(with_step(answered(app, saved, CASE)))


def referral_out(app: Liandong, saved: Saved) -> ReferralOut:
    return ReferralOut.model_validate(answered(app, saved, REFERRAL))


def dispute_out(app: Liandong, saved: Saved) -> DisputeOut:
    return DisputeOut.model_validate(answered(app, saved, DISPUTE))


def crime_transfer_out(app: Liandong, saved: Saved) -> CrimeTransferOut:
    document = answered(app, saved, CRIME_TRANSFER)
    document["windows"] = judged_windows(document["windows"].values(), app.calendar())
    return CrimeTransferOut.model_validate(document)


def meeting_out(app: Liandong, saved: Saved) -> MeetingOut:
    document = answered(app, saved, MEETING)
    document["deadlines"] = with_states(document["deadlines"], True)
    return MeetingOut.model_validate(document)
