"""The notice, the party's statement and hearing request, and the hearing (seed 004 §三(二)2,
§五)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.approval_chains import Form
from domain.calendar import SHANGHAI
from domain.case import Case
from domain.errors import DomainError
from tests.unit.case_steps_fixtures import (
    FINE,
    LEGAL_HEAD,
    MEMBER,
    PRESIDER,
    SHA,
    hearing_notified,
    noticed,
    panelist,
    served,
)
from tests.unit.domain_fixtures import (
    LEGAL,
    NOW,
    OFFICE,
    actor,
    filed,
    places,
    registered,
    sequence,
)


def error_of(act, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        act(*args, **kwargs)
    return error.value.code


def notify(case, at=NOW, presider=PRESIDER, members=(MEMBER,), hearing_at=None, who=LEGAL_HEAD):
    case.notify_hearing(
        actor=who,
        legal=LEGAL.code,
        hearing_at=hearing_at or at + timedelta(days=8),
        place="区局听证室",
        presider=presider,
        members=list(members),
        investigators={"wang-fang"},
        sequence=sequence("听通"),
        at=at,
    )


def test_the_notice_needs_the_matters_form_approved():
    case, officer = filed()
    act = case.issue_notice
    assert error_of(act, actor=officer, penalty=FINE, sequence=sequence("告"), at=NOW) == (
        "case.form_not_approved"
    )


def test_the_matters_form_is_for_a_filed_case():
    case, officer = registered()
    submit = case.submit_form
    assert error_of(submit, actor=officer, form=Form.MATTERS, places=places(OFFICE), at=NOW) == (
        "case.not_filed"
    )


def test_the_notice_is_numbered_and_proposes_a_penalty():
    case, officer = noticed()
    assert case.documents[-1]["kind"] == "notice"
    assert case.documents[-1]["number"] == "津滨应急告〔2026〕1号"
    assert case.notice["penalty"] == FINE
    act = case.issue_notice
    assert error_of(act, actor=officer, penalty=FINE, sequence=sequence("告"), at=NOW) == (
        "case.notice_issued"
    )


def test_a_fine_has_an_amount():
    case, officer = filed()
    from tests.unit.case_steps_fixtures import DEPUTY, UNIT_HEAD, approve

    approve(case, officer, Form.MATTERS, UNIT_HEAD, DEPUTY)
    bad = {"kind": "fine", "amount_fen": None}
    act = case.issue_notice
    assert error_of(act, actor=officer, penalty=bad, sequence=sequence("告"), at=NOW) == (
        "case.fine_amount"
    )


def test_a_hearing_is_asked_only_after_the_notice_is_served():
    case, officer = noticed()
    assert error_of(case.request_hearing, actor=officer, legal=LEGAL.code, at=NOW) == (
        "case.notice_not_served"
    )


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (datetime(2026, 10, 12, 23, 59, tzinfo=SHANGHAI), None),
        (datetime(2026, 10, 13, 0, 1, tzinfo=SHANGHAI), "case.hearing_request_late"),
    ],
)
def test_the_hearing_request_window_is_5_working_days_across_national_day(at, code):
    # Served Tuesday 29 September: 30 Sep, 8, 9, 10 (a working Saturday) and 12 October.
    case, officer = served(at=datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI))
    if code is None:
        case.request_hearing(actor=officer, legal=LEGAL.code, at=at)
        assert case.deadlines["hearing_request"]["due_at"].date().isoformat() == "2026-10-12"
    else:
        assert error_of(case.request_hearing, actor=officer, legal=LEGAL.code, at=at) == code


def test_a_hearing_is_asked_once():
    case, officer = served()
    case.request_hearing(actor=officer, legal=LEGAL.code, at=NOW)
    assert error_of(case.request_hearing, actor=officer, legal=LEGAL.code, at=NOW) == (
        "case.hearing_requested"
    )


def test_the_service_sets_the_window_and_the_notice_settles_once_it_is_over():
    case, _ = served()  # Monday 23 November: the window ends on Monday 30 November
    window = case.deadlines["hearing_request"]
    assert window["start"] == datetime(2026, 11, 23, tzinfo=SHANGHAI)
    assert window["met_at"] is None
    running = datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI)
    assert not case.notice_settled(running)
    assert case.notice_settled(running + timedelta(minutes=2))


def test_the_window_ending_on_a_holiday_moves_past_the_spring_festival():
    # Served Thursday 12 February 2026: 13, 14 (a working Saturday), 24, 25 and 26 February.
    case, _ = served(at=datetime(2026, 2, 12, 10, 0, tzinfo=SHANGHAI))
    assert case.deadlines["hearing_request"]["due_at"].date().isoformat() == "2026-02-26"


def test_a_statement_is_recorded_with_its_record():
    case, officer = served()
    act = case.record_statement
    kwargs = {"actor": officer, "hearing_waived": False, "at": NOW}
    assert error_of(act, statement=" ", record_sha256=None, **kwargs) == "case.statement_required"
    assert error_of(act, statement="无异议", record_sha256="x", **kwargs) == (
        "case.record_hash_malformed"
    )
    act(statement="无异议", record_sha256=SHA, **kwargs)
    assert case.notice["statement"]["record_sha256"] == SHA
    assert not case.notice_settled(NOW)  # no waiver, and the window still runs


@pytest.mark.parametrize(
    ("notice", "code"),
    [
        (timedelta(days=7) - timedelta(minutes=1), "case.hearing_notice_short"),
        (timedelta(days=7), None),
    ],
)
def test_the_party_is_notified_7_days_before_the_hearing(notice, code):
    case, officer = served()
    case.request_hearing(actor=officer, legal=LEGAL.code, at=NOW)
    if code is None:
        notify(case, hearing_at=NOW + notice)
        assert case.documents[-1]["kind"] == "hearing_notice"
    else:
        assert error_of(notify, case, hearing_at=NOW + notice) == code


def test_the_hearing_is_the_legal_departments():
    case, officer = served()
    assert error_of(notify, case) == "case.hearing_not_requested"
    case.request_hearing(actor=officer, legal=LEGAL.code, at=NOW)
    outsider = actor("zhou-jun", OFFICE, "unit_head")
    assert error_of(notify, case, who=outsider) == "case.not_legal_department"


def test_the_legal_department_head_presides():
    case, officer = served()
    case.request_hearing(actor=officer, legal=LEGAL.code, at=NOW)
    assert error_of(notify, case, presider=MEMBER, members=[PRESIDER]) == (
        "case.presider_not_legal_head"
    )


def test_no_investigator_sits_on_the_panel():
    case, officer = served()
    case.request_hearing(actor=officer, legal=LEGAL.code, at=NOW)
    investigator = panelist("wang-fang", "officer", agency=OFFICE.code)
    assert error_of(notify, case, members=[MEMBER, investigator]) == "case.investigator_on_panel"


def recusal(case, officer="li-na", at=NOW):
    case.request_recusal(
        actor=LEGAL_HEAD, legal=LEGAL.code, officer=officer, reason="与当事人有亲属关系", at=at
    )


def decide(case, granted=True, replacement=None, at=NOW):
    case.decide_recusal(
        actor=LEGAL_HEAD,
        legal=LEGAL.code,
        granted=granted,
        reason="理由成立",
        replacement=replacement,
        investigators={"wang-fang"},
        at=at,
    )


def hold(case, at):
    case.hold_hearing(actor=LEGAL_HEAD, legal=LEGAL.code, record_sha256=SHA, opinion="维持", at=at)


def test_a_hearing_with_a_recusal_granted_replaces_the_member():
    case, _ = hearing_notified()
    assert error_of(recusal, case, officer="nobody") == "case.not_on_panel"
    recusal(case)
    assert error_of(recusal, case) == "case.recusal_pending"
    held_at = NOW + timedelta(days=8)
    assert error_of(hold, case, held_at) == "case.recusal_pending"
    investigator = panelist("wang-fang", "officer", agency=OFFICE.code)
    assert error_of(decide, case, replacement=investigator) == "case.investigator_on_panel"
    assert error_of(decide, case, replacement=None) == "case.replacement_required"
    decide(case, replacement=panelist("zhang-wei", "officer"))
    assert [m["officer"] for m in case.hearing["panel"]["members"]] == ["zhang-wei"]
    assert error_of(hold, case, held_at - timedelta(minutes=1)) == "case.hearing_not_due"
    hold(case, held_at)
    assert case.notice_settled(held_at)
    assert error_of(hold, case, held_at) == "case.hearing_held"


def test_a_presiders_replacement_is_a_legal_department_head_too():
    case, _ = hearing_notified()
    recusal(case, officer="sun-li")
    assert error_of(decide, case, replacement=panelist("zhang-wei", "officer")) == (
        "case.presider_not_legal_head"
    )
    decide(case, granted=False)
    assert case.hearing["panel"]["presider"]["officer"] == "sun-li"
    assert error_of(decide, case) == "case.recusal_not_pending"


def test_a_service_stored_before_v2_is_read_with_no_time_limits():
    first_shape = {"number": "津滨应急告〔2026〕1号", "receipt": {}, "by": {}, "at": NOW}
    Case.DocumentServed.upcast_v1_v2(first_shape)
    assert first_shape["deadlines"] == []


def test_the_notices_service_carries_the_hearing_window():
    case, _ = served()
    (served_event,) = [e for e in case.collect_events() if type(e).__name__ == "DocumentServed"]
    assert [d["name"] for d in served_event.deadlines] == ["hearing_request"]
    assert case.DocumentServed.class_version == 2


@pytest.mark.parametrize(
    ("stated_at", "ends_at_due"),
    [
        (datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI), False),
        (datetime(2026, 12, 1, 0, 1, tzinfo=SHANGHAI), True),
    ],
)
def test_a_waiver_ends_the_window_which_is_never_overdue(stated_at, ends_at_due):
    case, officer = served()
    case.record_statement(
        actor=officer, statement="无异议", record_sha256=None, hearing_waived=True, at=stated_at
    )
    window = case.deadlines["hearing_request"]
    assert window["met_at"] == (window["due_at"] if ends_at_due else stated_at)
    assert case.notice["statement"]["hearing_waived"]
