"""Rectification orders and re-inspection (seed 004 §三(一)1): re-inspected within 10 days after
the enterprise asks or the due date passes, whichever comes first, the result reviewed by the
unit's head; no case closes with an order not re-inspected (一罚了之)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest

from domain.approval_chains import Form
from domain.calendar import SHANGHAI
from domain.errors import DomainError
from tests.unit.domain_fixtures import (
    CALENDAR,
    NOW,
    OFFICE,
    actor,
    details,
    filed,
    places,
    registered,
    sequence,
)

OFFICE_HEAD = actor("zhou-jun", OFFICE, "unit_head", certificate=None)
SEPT = datetime(2026, 9, 14, 10, 0, tzinfo=SHANGHAI)
MINUTE = timedelta(minutes=1)


def filed_in_september():
    september = dict(details(), occurred_at=SEPT - timedelta(days=3))
    return filed(at=SEPT, details=september)


def error_of(act, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        act(*args, **kwargs)
    return error.value.code


def order(case, officer, due, at=NOW, items=("动火作业未履行审批手续",)):
    order_id = uuid4()
    case.order_rectification(
        actor=officer,
        order_id=order_id,
        items=list(items),
        due=due,
        sequence=sequence("责改"),
        calendar=CALENDAR,
        at=at,
    )
    return order_id


def request(case, officer, order_id, asked_at, at=None):
    case.request_reinspection(
        actor=officer, order_id=order_id, asked_at=asked_at, calendar=CALENDAR, at=at or asked_at
    )


def reinspect(case, officer, order_id, at, complied=True, findings="已全部整改"):
    case.reinspect(
        actor=officer,
        order_id=order_id,
        complied=complied,
        findings=findings,
        sequence=sequence("复查"),
        places=places(OFFICE),
        at=at,
    )


def sign(case, order_id, approve=True, opinion="同意"):
    case.sign_form(
        actor=OFFICE_HEAD,
        form=Form.REINSPECTION,
        approve=approve,
        opinion=opinion,
        subject=str(order_id),
        at=NOW,
    )


def due_of(case, order_id):
    return case.deadlines[f"reinspection:{order_id}"]


def test_an_order_is_numbered_and_due_at_the_end_of_its_day():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI))
    entry = case.rectifications[str(order_id)]
    assert entry["due_at"] == datetime(2026, 11, 30, 23, 59, 59, tzinfo=SHANGHAI)
    assert case.documents[-1]["number"] == "津滨应急责改〔2026〕1号"


def test_an_order_lists_items_and_a_due_date_ahead_on_a_filed_case():
    case, officer = filed()
    assert error_of(order, case, officer, NOW, items=()) == "case.rectification_items"
    assert error_of(order, case, officer, NOW, items=(" ",)) == "case.rectification_items"
    yesterday = NOW - timedelta(days=1)
    assert error_of(order, case, officer, yesterday) == "case.rectification_due_passed"
    unfiled, officer = registered()
    assert error_of(order, unfiled, officer, NOW) == "case.not_filed"


def test_ten_days_after_the_due_date_ending_on_national_day_move_to_october_8():
    case, officer = filed_in_september()
    order_id = order(case, officer, datetime(2026, 9, 21, 9, 0, tzinfo=SHANGHAI), at=SEPT)
    due = due_of(case, order_id)
    assert due["due_at"] == datetime(2026, 10, 8, 23, 59, 59, tzinfo=SHANGHAI)
    assert due["rule"] == "10 days"
    case.collect_events()
    reinspect(case, officer, order_id, due["due_at"])
    assert case.collect_events()[0].late is False
    late_case, officer = filed_in_september()
    late_id = order(late_case, officer, datetime(2026, 9, 21, tzinfo=SHANGHAI), at=SEPT)
    late_case.collect_events()
    reinspect(late_case, officer, late_id, due["due_at"] + MINUTE)
    assert late_case.collect_events()[0].late is True


def test_a_request_before_the_due_date_starts_the_ten_days_from_it():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 12, 31, tzinfo=SHANGHAI))
    asked = datetime(2026, 11, 24, 15, 0, tzinfo=SHANGHAI)
    request(case, officer, order_id, asked)
    due = due_of(case, order_id)
    assert due["start"] == asked
    assert due["due_at"] == datetime(2026, 12, 4, 23, 59, 59, tzinfo=SHANGHAI)


def test_a_request_after_the_due_date_leaves_the_earlier_limit():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 11, 25, tzinfo=SHANGHAI))
    before = dict(due_of(case, order_id))
    request(case, officer, order_id, datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI))
    assert due_of(case, order_id) == before


def test_a_request_is_recorded_once_between_the_order_and_now():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 12, 31, tzinfo=SHANGHAI))
    code = error_of(request, case, officer, order_id, NOW + MINUTE, at=NOW)
    assert code == "case.request_time_invalid"
    code = error_of(request, case, officer, order_id, NOW - MINUTE, at=NOW)
    assert code == "case.request_time_invalid"
    request(case, officer, order_id, NOW + MINUTE)
    again = error_of(request, case, officer, order_id, NOW + 2 * MINUTE)
    assert again == "case.reinspection_requested"
    assert error_of(request, case, officer, uuid4(), NOW) == "case.order_unknown"


def test_a_reinspection_states_findings_issues_its_opinion_and_goes_to_the_head():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 11, 30, tzinfo=SHANGHAI))
    assert error_of(reinspect, case, officer, order_id, NOW, findings=" ") == (
        "case.findings_required"
    )
    reinspect(case, officer, order_id, NOW)
    assert case.documents[-1]["number"] == "津滨应急复查〔2026〕1号"
    form = case.forms[f"reinspection:{order_id}"]
    assert [s["title"] for s in form["steps"]] == ["本部门负责人审核"]
    assert error_of(reinspect, case, officer, order_id, NOW) == "case.order_reinspected"


def test_a_returned_reinspection_is_done_again():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 11, 30, tzinfo=SHANGHAI))
    reinspect(case, officer, order_id, NOW)
    sign(case, order_id, approve=False, opinion="复查记录不完整")
    reinspect(case, officer, order_id, NOW, findings="已全部整改，补充现场照片")
    assert case.forms[f"reinspection:{order_id}"]["outcome"] == "pending"


def test_no_fine_and_forget_the_case_closes_only_after_the_approved_reinspection():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 11, 30, tzinfo=SHANGHAI))
    closing = {"actor": officer, "reason": "结案", "pending_transfers": [], "at": NOW}
    assert error_of(case.close, **closing) == "case.reinspection_pending"
    reinspect(case, officer, order_id, NOW, complied=False, findings="仍未整改")
    assert error_of(case.close, **closing) == "case.reinspection_pending"
    sign(case, order_id)
    again = order(case, officer, datetime(2026, 12, 10, tzinfo=SHANGHAI))
    assert error_of(case.close, **closing) == "case.reinspection_pending"
    reinspect(case, officer, again, NOW)
    sign(case, again)
    case.close(**closing)


def test_an_order_id_is_used_once():
    case, officer = filed()
    order_id = order(case, officer, datetime(2026, 11, 30, tzinfo=SHANGHAI))
    code = error_of(
        case.order_rectification,
        actor=officer,
        order_id=order_id,
        items=["再次"],
        due=NOW,
        sequence=sequence("责改"),
        calendar=CALENDAR,
        at=NOW,
    )
    assert code == "case.order_exists"
