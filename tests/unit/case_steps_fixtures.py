"""Builders for the notice and decision tests: a filed case taken to each point of its main
line."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from domain.approval_chains import Form
from domain.case import Case
from tests.unit.domain_fixtures import (
    BUREAU,
    CALENDAR,
    LEGAL,
    NOW,
    OFFICE,
    actor,
    details,
    filed,
    places,
    sequence,
)

UNIT_HEAD = actor("zhou-jun", OFFICE, "unit_head", certificate=None)
DEPUTY = actor("qian-min", BUREAU, "deputy_director", certificate=None)
DIRECTOR = actor("zhao-qiang", BUREAU, "director", certificate=None)
REVIEWER = actor("li-na", LEGAL, "legal_reviewer")
LEGAL_HEAD = actor("sun-li", LEGAL, "legal_head")
FINE = {"kind": "fine", "amount_fen": 500000, "rectification": True}
SHA = "a" * 64


def panelist(officer: str, *roles: str, agency: str = LEGAL.code) -> dict[str, Any]:
    return {"officer": officer, "agency": agency, "name": officer, "roles": list(roles)}


PRESIDER = panelist("sun-li", "legal_head", "officer")
MEMBER = panelist("li-na", "legal_reviewer", "officer")


def approve(case: Case, officer: Any, form: Form, *signers: Any, at: datetime = NOW) -> None:
    case.submit_form(actor=officer, form=form, places=places(OFFICE), at=at)
    for signer in signers:
        case.sign_form(actor=signer, form=form, approve=True, opinion="同意", at=at)


def noticed(major: bool = False, at: datetime = NOW) -> tuple[Case, Any]:
    violation = dict(details(), occurred_at=at - timedelta(days=3))
    case, officer = filed(at=at, details=violation)
    if major:
        case.classify(actor=officer, gravity="major", reason="拟罚款数额较大", at=at)
    approve(case, officer, Form.MATTERS, UNIT_HEAD, DEPUTY, at=at)
    case.issue_notice(actor=officer, penalty=FINE, sequence=sequence("告"), at=at)
    return case, officer


def serve(case: Case, officer: Any, kind: str, at: datetime) -> None:
    number = next(d["number"] for d in reversed(case.documents) if d["kind"] == kind)
    receipt = {
        "recipient": "张三",
        "signed_on": at.date().isoformat(),
        "sha256": SHA,
        "size": 10,
        "uri": "s3://r",
    }
    case.serve(actor=officer, number=number, receipt=receipt, calendar=CALENDAR, at=at)


def served(major: bool = False, at: datetime = NOW) -> tuple[Case, Any]:
    case, officer = noticed(major, at)
    serve(case, officer, "notice", at)
    return case, officer


def hearing_notified(at: datetime = NOW) -> tuple[Case, Any]:
    case, officer = served(at=at)
    case.request_hearing(actor=officer, legal=LEGAL.code, at=at)
    case.notify_hearing(
        actor=LEGAL_HEAD,
        legal=LEGAL.code,
        hearing_at=at + timedelta(days=8),
        place="区局听证室",
        presider=PRESIDER,
        members=[MEMBER],
        investigators={"wang-fang"},
        sequence=sequence("听通"),
        at=at,
    )
    return case, officer


def settled(major: bool = False, at: datetime = NOW) -> tuple[Case, Any]:
    """Served and the party waived its hearing after stating its defence."""
    case, officer = served(major, at)
    case.record_statement(
        actor=officer,
        statement="对违法事实无异议",
        record_sha256=None,
        hearing_waived=True,
        at=at,
    )
    return case, officer


def review_meeting(case: Case, **changes: Any) -> dict[str, Any]:
    meeting = {"id": uuid4(), "kind": "case_review", "case_id": case.id, "minutes_issued": True}
    return {**meeting, **changes}
