"""The decision's prerequisites, the decision, stamp, payment slip, payment and record filing
(seed 004 §三(一)2-3, §四, §七, §八)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.approval_chains import Form
from domain.calendar import SHANGHAI
from domain.errors import DomainError
from projections.case_steps import current_step
from tests.unit.case_steps_fixtures import (
    DEPUTY,
    DIRECTOR,
    FINE,
    LEGAL_HEAD,
    REVIEWER,
    UNIT_HEAD,
    approve,
    review_meeting,
    serve,
    served,
    settled,
)
from tests.unit.domain_fixtures import (
    CALENDAR,
    CITY_LEGAL,
    DET_OFFICE,
    DETACHMENT,
    LEGAL,
    NOW,
    OFFICE,
    SUPERVISION,
    accident_details,
    actor,
    filed,
    places,
    registered,
    sequence,
)

DETACHMENT_HEAD = actor("zheng-hua", DETACHMENT, "unit_head", certificate=None)
SUPERVISION_HEAD = actor("bai-lu", SUPERVISION, "unit_head", certificate=None)

PENALTY = {"kind": "fine", "amount_fen": 500000, "description": "罚款人民币伍仟元"}


def error_of(act, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        act(*args, **kwargs)
    return error.value.code


def decide(case, officer, meeting=None, at=NOW, penalty=PENALTY):
    case.decide(actor=officer, penalty=penalty, meeting=meeting, calendar=CALENDAR, at=at)


def ready(major=False, at=NOW):
    """Settled, legally reviewed, decision form approved: the case may be decided."""
    case, officer = settled(major, at)
    approve(case, officer, Form.LEGAL_REVIEW, LEGAL_HEAD if major else REVIEWER, at=at)
    approve(case, officer, Form.DECISION, UNIT_HEAD, DIRECTOR if major else DEPUTY, at=at)
    return case, officer


def test_a_decision_needs_the_notice_settled():
    case, officer = filed()
    assert error_of(decide, case, officer) == "case.notice_pending"
    case, officer = served()
    assert error_of(decide, case, officer) == "case.notice_pending"


def test_the_decision_form_needs_the_notice_settled():
    case, officer = served()
    assert error_of(approve, case, officer, Form.DECISION) == "case.notice_pending"


def test_a_decision_is_refused_without_legal_review():
    case, officer = settled()
    assert error_of(decide, case, officer) == "case.legal_review_missing"


def test_a_decision_needs_the_decision_form():
    case, officer = settled()
    approve(case, officer, Form.LEGAL_REVIEW, REVIEWER)
    assert error_of(decide, case, officer) == "case.decision_form_missing"


def test_a_major_decision_needs_a_case_review_meeting_with_issued_minutes():
    case, officer = ready(major=True)
    assert error_of(decide, case, officer) == "case.case_review_missing"
    unissued = review_meeting(case, minutes_issued=False)
    assert error_of(decide, case, officer, unissued) == "case.case_review_missing"
    other = review_meeting(case, case_id=None)
    assert error_of(decide, case, officer, other) == "case.case_review_missing"
    meeting = review_meeting(case)
    decide(case, officer, meeting)
    assert case.decision["meeting_id"] == meeting["id"]


def test_the_decision_bears_the_case_number_and_meets_its_deadline():
    case, officer = ready()
    decide(case, officer)
    assert case.status == "decided"
    assert case.documents[-1] == {**case.documents[-1], "kind": "decision", "number": case.number}
    assert case.deadlines["decision"]["met_at"] == NOW
    assert "record_filing" not in case.deadlines
    assert error_of(decide, case, officer) == "case.not_filed"


def test_a_decision_after_30_days_is_late():
    case, officer = ready()
    due = case.deadlines["decision"]["due_at"]
    decide(case, officer, at=due + timedelta(minutes=1))
    assert case.collect_events()[-1].late is True


def test_a_penalty_is_known_and_a_fine_has_its_amount():
    case, officer = ready()
    bad = {"kind": "fine", "amount_fen": 0, "description": "罚款"}
    assert error_of(decide, case, officer, penalty=bad) == "case.fine_amount"
    unknown = {"kind": "jail", "amount_fen": None, "description": "x"}
    assert error_of(decide, case, officer, penalty=unknown) == "case.penalty_unknown"


def stamp(case, who=LEGAL_HEAD):
    case.stamp_decision(actor=who, legal=LEGAL.code, at=NOW)


def slip(case, number="1200000001"):
    case.issue_payment_slip(actor=LEGAL_HEAD, legal=LEGAL.code, slip_number=number, at=NOW)


def pay(case, officer, amount=500000, paid_at=NOW):
    confirmation = {
        "bank": "中国工商银行",
        "branch": "滨海新区分行",
        "reference": "ICBC-0001",
        "amount_fen": amount,
        "paid_at": paid_at,
    }
    case.record_payment(actor=officer, confirmation=confirmation, places=places(OFFICE), at=NOW)


def test_stamp_slip_and_payment_follow_one_another():
    case, officer = ready()
    assert error_of(stamp, case) == "case.not_decided"
    decide(case, officer)
    assert error_of(stamp, case, actor("zhou-jun", OFFICE, "unit_head")) == (
        "case.not_legal_department"
    )
    assert error_of(slip, case) == "case.decision_not_stamped"
    stamp(case)
    assert error_of(stamp, case) == "case.decision_stamped"
    assert error_of(pay, case, officer) == "case.slip_missing"
    slip(case)
    assert case.decision["slip"]["amount_fen"] == 500000
    assert error_of(slip, case) == "case.slip_issued"
    assert error_of(pay, case, officer, amount=499999) == "case.payment_amount_mismatch"
    future = NOW + timedelta(minutes=1)
    assert error_of(pay, case, officer, paid_at=future) == "case.payment_in_future"
    case.collect_events()
    pay(case, officer)
    assert [event.__class__.__name__ for event in case.collect_events()] == ["FinePaid"]
    assert case.payment["slip"] == "1200000001" and case.payment["amount_fen"] == 500000
    assert error_of(pay, case, officer) == "case.fine_paid"


def test_a_warning_has_no_payment_slip():
    case, officer = ready()
    decide(case, officer, penalty={"kind": "warning", "amount_fen": None, "description": "警告"})
    stamp(case)
    assert error_of(slip, case) == "case.no_fine"


def test_an_ordinary_decision_is_not_filed_for_the_record():
    case, officer = ready()
    decide(case, officer)
    act = case.file_record
    assert error_of(act, actor=officer, filed_with=CITY_LEGAL.code, at=NOW) == (
        "case.record_filing_not_required"
    )


@pytest.mark.parametrize(
    ("filed_at", "late"),
    [
        (datetime(2026, 10, 8, 23, 59, tzinfo=SHANGHAI), False),
        (datetime(2026, 10, 9, 0, 1, tzinfo=SHANGHAI), True),
    ],
)
def test_record_filing_10_days_ending_in_national_day_moves_to_the_next_working_day(filed_at, late):
    decided_at = datetime(2026, 9, 25, 10, 0, tzinfo=SHANGHAI)  # + 10 days: 5 October
    case, officer = ready(major=True, at=decided_at)
    decide(case, officer, review_meeting(case), at=decided_at)
    assert case.deadlines["record_filing"]["due_at"].date().isoformat() == "2026-10-08"
    case.file_record(actor=officer, filed_with=CITY_LEGAL.code, at=filed_at)
    assert case.collect_events()[-1].late is late
    act = case.file_record
    assert error_of(act, actor=officer, filed_with=CITY_LEGAL.code, at=filed_at) == (
        "case.record_filed"
    )


def test_an_accident_decision_needs_the_legality_review_after_the_decision_form():
    case, officer = registered(DET_OFFICE, details=accident_details(NOW - timedelta(days=1)))
    unit = places(DET_OFFICE)
    case.request_filing(actor=officer, places=unit, at=NOW)
    case.review_filing(actor=DETACHMENT_HEAD, approve=True, opinion="同意", at=NOW)
    approve_filing = case.approve_filing
    approve_filing(
        actor=DEPUTY, approve=True, opinion="同意", sequence=sequence(), calendar=CALENDAR, at=NOW
    )
    assert case.gravity == "accident"

    def approve_accident(form, *signers):
        case.submit_form(actor=officer, form=form, places=unit, at=NOW)
        for signer in signers:
            case.sign_form(actor=signer, form=form, approve=True, opinion="同意", at=NOW)

    approve_accident(Form.MATTERS, DETACHMENT_HEAD, DEPUTY)
    case.issue_notice(actor=officer, penalty=FINE, sequence=sequence("告"), at=NOW)
    serve(case, officer, "notice", NOW)
    case.record_statement(
        actor=officer, statement="无异议", record_sha256=None, hearing_waived=True, at=NOW
    )
    approve_accident(Form.LEGAL_REVIEW, SUPERVISION_HEAD, LEGAL_HEAD)
    submit = case.submit_form
    assert error_of(submit, actor=officer, form=Form.LEGALITY_REVIEW, places=unit, at=NOW) == (
        "case.decision_form_missing"
    )
    approve_accident(Form.DECISION, DETACHMENT_HEAD, DEPUTY)
    meeting = review_meeting(case)
    assert error_of(decide, case, officer, meeting) == "case.legality_review_missing"
    approve_accident(Form.LEGALITY_REVIEW, LEGAL_HEAD)
    decide(case, officer, meeting)
    assert case.decision["meeting_id"] == meeting["id"]


def test_a_decided_case_is_not_reported_and_its_fine_is_paid_through_its_slip():
    case, officer = ready()
    decide(case, officer)
    assert error_of(case.report_decision, actor=officer, at=NOW) == "case.not_on_the_spot"
    stamp(case)
    assert error_of(pay, case, officer) == "case.slip_missing"


def test_a_decided_warning_has_no_payment():
    case, officer = ready()
    decide(case, officer, penalty={"kind": "warning", "amount_fen": None, "description": "警告"})
    assert error_of(pay, case, officer) == "case.no_fine"


def test_a_decided_case_steps_through_stamp_payment_and_record_filing():
    doc = {
        "status": "decided",
        "documents": [{"kind": "decision"}],
        "deadlines": {"record_filing": {"name": "record_filing"}},
        "decision": {
            "penalty": {"kind": "fine"},
            "stamped": None,
            "record_filing": None,
        },
        "payment": None,
    }
    assert current_step(doc) == "stamp"
    doc["decision"]["stamped"] = {"by": {}}
    assert current_step(doc) == "execution"
    doc["payment"] = {"reference": "BOC1", "slip": "1200000001"}
    assert current_step(doc) == "decision_record_filing"
    doc["decision"]["record_filing"] = {"filed_with": "tj-yjj-fgc"}
    assert current_step(doc) == "executed"
