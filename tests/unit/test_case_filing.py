"""Filing approval (立案审批): the chain of each kind of unit, seed 004 §二."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.calendar import SHANGHAI
from domain.errors import DomainError
from tests.unit.domain_fixtures import (
    BRIGADE,
    BUREAU,
    CALENDAR,
    DET_OFFICE,
    DETACHMENT,
    NOW,
    OFFICE,
    SUPERVISION,
    accident_details,
    actor,
    places,
    registered,
    sequence,
)

OFFICE_HEAD = actor("zhou-jun", OFFICE, "unit_head", "officer")
DEPUTY = actor("qian-min", BUREAU, "deputy_director")
DETACHMENT_HEAD = actor("zheng-hua", DETACHMENT, "unit_head")
DET_OFFICE_HEAD = actor("feng-tao", DET_OFFICE, "unit_head")
SUPERVISION_HEAD = actor("bai-lu", SUPERVISION, "unit_head")
BRIGADE_HEAD = actor("chu-yan", BRIGADE, "unit_head")
TOWN_DEPUTY = actor("wei-dong", BRIGADE, "deputy_director", certificate=None)


def requested(unit=OFFICE, **kwargs):
    case, officer = registered(unit, **kwargs)
    case.request_filing(actor=officer, places=places(unit), at=NOW)
    return case, officer


def review(case, who, approve=True, opinion="同意"):
    case.review_filing(actor=who, approve=approve, opinion=opinion, at=NOW)


def approve(case, who, approve=True, opinion="同意立案", seq=None):
    case.approve_filing(
        actor=who,
        approve=approve,
        opinion=opinion,
        sequence=seq or sequence(),
        calendar=CALENDAR,
        at=NOW,
    )


def steps(case):
    return [(s["name"], s["role"], tuple(s["agencies"])) for s in case.approval]


def test_a_bureau_office_case_is_reviewed_by_its_head_and_approved_by_the_deputy_director():
    case, _ = requested(OFFICE)
    assert steps(case) == [
        ("review", "unit_head", (OFFICE.code,)),
        ("approval", "deputy_director", (BUREAU.code,)),
    ]
    review(case, OFFICE_HEAD)
    approve(case, DEPUTY)
    assert case.status == "filed"
    assert case.number == "津滨应急罚〔2026〕1号"


def test_a_detachment_office_case_has_a_first_review_then_the_detachment_head():
    case, _ = requested(DET_OFFICE)
    assert steps(case) == [
        ("first_review", "unit_head", (SUPERVISION.code,)),
        ("first_review", "unit_head", (DET_OFFICE.code,)),
        ("review", "unit_head", (DETACHMENT.code,)),
        ("approval", "deputy_director", (BUREAU.code,)),
    ]
    review(case, DET_OFFICE_HEAD)
    with pytest.raises(DomainError) as error:
        review(case, DETACHMENT_HEAD)
    assert error.value.code == "case.not_the_approver", "the first review needs both heads"
    review(case, SUPERVISION_HEAD)
    review(case, DETACHMENT_HEAD)
    approve(case, DEPUTY)
    assert case.status == "filed"


def test_a_brigade_case_is_approved_by_the_towns_deputy_head():
    case, _ = requested(BRIGADE)
    assert steps(case) == [
        ("review", "unit_head", (BRIGADE.code,)),
        ("approval", "deputy_director", (BRIGADE.code,)),
    ]
    review(case, BRIGADE_HEAD)
    with pytest.raises(DomainError) as error:
        approve(case, DEPUTY)
    assert error.value.code == "case.not_the_approver", "the bureau does not approve for a town"
    approve(case, TOWN_DEPUTY)
    assert case.status == "filed"


def test_an_accident_case_is_signed_by_the_detachment_head_and_approved_by_the_deputy():
    handed = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    case, _ = requested(DET_OFFICE, procedure="accident", details=accident_details(handed))
    assert steps(case) == [
        ("review", "unit_head", (DETACHMENT.code,)),
        ("approval", "deputy_director", (BUREAU.code,)),
    ]
    review(case, DETACHMENT_HEAD)
    approve(case, DEPUTY)
    assert case.deadlines["filing"]["met_at"] == NOW


def test_a_late_accident_filing_request_is_marked_late():
    handed = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    case, officer = registered(DET_OFFICE, details=accident_details(handed))
    case.request_filing(actor=officer, places=places(DET_OFFICE), at=NOW)
    assert case.collect_events()[-1].late is True


def test_steps_are_signed_in_order():
    case, _ = requested(OFFICE)
    with pytest.raises(DomainError) as error:
        approve(case, DEPUTY)
    assert error.value.code == "case.not_at_this_step"


def test_only_the_steps_signer_may_sign():
    case, _ = requested(OFFICE)
    with pytest.raises(DomainError) as error:
        review(case, actor("wu-gang", OFFICE, "officer"))
    assert error.value.code == "case.not_the_approver"
    with pytest.raises(DomainError) as error:
        review(case, BRIGADE_HEAD)
    assert error.value.code == "case.not_the_approver"


def test_nobody_approves_their_own_request():
    case, _ = registered(OFFICE)
    head = actor("zhou-jun", OFFICE, "unit_head", "officer")
    case.request_filing(actor=head, places=places(OFFICE), at=NOW)
    with pytest.raises(DomainError) as error:
        review(case, head)
    assert error.value.code == "case.self_approval"


def test_a_refusal_needs_an_opinion_and_returns_the_case():
    case, officer = requested(OFFICE)
    with pytest.raises(DomainError) as error:
        review(case, OFFICE_HEAD, approve=False, opinion=" ")
    assert error.value.code == "case.opinion_required"
    review(case, OFFICE_HEAD, approve=False, opinion="证据不足，补充调查")
    assert case.status == "registered"
    case.request_filing(actor=officer, places=places(OFFICE), at=NOW)
    assert case.status == "awaiting_approval"
    assert all(s["decision"] is None for s in case.approval)


def test_a_refused_approval_takes_no_number():
    case, _ = requested(OFFICE)
    review(case, OFFICE_HEAD)
    seq = sequence()
    approve(case, DEPUTY, approve=False, opinion="不属于本机关管辖", seq=seq)
    assert case.status == "registered"
    assert case.number is None
    assert seq.last == 0


def test_a_filed_case_is_due_for_decision_30_days_after_filing():
    case, _ = requested(OFFICE)
    review(case, OFFICE_HEAD)
    approve(case, DEPUTY)
    decision = case.deadlines["decision"]
    assert decision["rule"] == "30 days"
    # 2026-11-23 + 30 days = Wednesday 2026-12-23, a working day.
    assert decision["due_at"] == datetime(2026, 12, 23, 23, 59, 59, tzinfo=SHANGHAI)


def test_filing_is_requested_only_once():
    case, officer = requested(OFFICE)
    with pytest.raises(DomainError) as error:
        case.request_filing(actor=officer, places=places(OFFICE), at=NOW)
    assert error.value.code == "case.not_registered"


def test_simple_cases_are_not_filed_through_approval():
    case, officer = registered(OFFICE, procedure="simple")
    with pytest.raises(DomainError) as error:
        case.request_filing(actor=officer, places=places(OFFICE), at=NOW)
    assert error.value.code == "case.wrong_procedure"


def test_an_office_without_a_bureau_above_has_no_approval_chain():
    from domain.approval import Places
    from domain.values import AgencyPath

    case, officer = registered(OFFICE)
    with pytest.raises(DomainError) as error:
        case.request_filing(actor=officer, places=Places(AgencyPath([OFFICE])), at=NOW)
    assert error.value.code == "case.approval_chain_unavailable"
