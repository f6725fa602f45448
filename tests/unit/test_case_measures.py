"""Compulsory measures (行政强制措施, seed 004 §二(二)): approved by the unit's chain, taken 24
hours after notice, or on the spot in an emergency and reported within 24 hours; lifted when
the hazard is removed or at once when the head disapproves; a brigade's with the detachment."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.approval_chains import Form
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
    actor,
    filed,
    places,
    registered,
    sequence,
)

OFFICE_HEAD = actor("zhou-jun", OFFICE, "unit_head", certificate=None)
DIRECTOR = actor("zhao-qiang", BUREAU, "director", certificate=None)
TOWN_DEPUTY = actor("wei-dong", BRIGADE, "deputy_director", certificate=None)
DETACHMENT_OFFICER = actor("feng-tao", DET_OFFICE)
DETACHMENT_UNITS = frozenset({DETACHMENT.code, DET_OFFICE.code, SUPERVISION.code})
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def error_of(act, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        act(*args, **kwargs)
    return error.value.code


def propose(case, officer, unit=OFFICE, kind="power_cut", grounds="拒不执行停产停业决定"):
    measure_id = uuid4()
    case.propose_measure(
        actor=officer,
        measure_id=measure_id,
        kind=kind,
        grounds=grounds,
        places=places(unit),
        at=NOW,
    )
    return measure_id


def sign(case, who, measure_id, approve=True, opinion="同意", at=NOW):
    case.sign_form(
        actor=who,
        form=Form.MEASURE,
        approve=approve,
        opinion=opinion,
        subject=str(measure_id),
        at=at,
    )


def approved(case, officer, unit=OFFICE):
    measure_id = propose(case, officer, unit)
    for signer in (OFFICE_HEAD, DIRECTOR) if unit == OFFICE else (TOWN_DEPUTY,):
        sign(case, signer, measure_id)
    case.issue_measure_decision(
        actor=officer, measure_id=measure_id, sequence=sequence("强措"), at=NOW
    )
    return measure_id


def notified(case, officer, unit=OFFICE):
    measure_id = approved(case, officer, unit)
    case.notify_measure(actor=officer, measure_id=measure_id, notified_at=NOW, at=NOW)
    return measure_id


def take(case, officer, measure_id, at, together_with=(), units=DETACHMENT_UNITS):
    case.take_measure(
        actor=officer,
        measure_id=measure_id,
        together_with=list(together_with),
        detachment_units=units,
        calendar=CALENDAR,
        at=at,
    )


def emergency(case, officer, unit=OFFICE, together_with=()):
    measure_id = uuid4()
    case.take_on_the_spot(
        actor=officer,
        measure_id=measure_id,
        kind="seal",
        grounds="现场存在重大事故隐患，有发生事故的现实危险",
        together_with=list(together_with),
        detachment_units=DETACHMENT_UNITS,
        places=places(unit),
        calendar=CALENDAR,
        at=NOW,
    )
    return measure_id


def status(case, measure_id):
    return case.measures[str(measure_id)]["status"]


def test_a_measure_is_approved_by_the_office_head_then_the_director():
    case, officer = filed()
    measure_id = propose(case, officer)
    form = case.forms[f"measure:{measure_id}"]
    assert [s["title"] for s in form["steps"]] == ["室负责人审核签署", "局长批准"]
    sign(case, OFFICE_HEAD, measure_id)
    sign(case, DIRECTOR, measure_id)
    assert case.form_approved(Form.MEASURE, str(measure_id))
    case.issue_measure_decision(
        actor=officer, measure_id=measure_id, sequence=sequence("强措"), at=NOW
    )
    assert case.documents[-1]["number"] == "津滨应急强措〔2026〕1号"
    again = error_of(
        case.issue_measure_decision,
        actor=officer,
        measure_id=measure_id,
        sequence=sequence("强措"),
        at=NOW,
    )
    assert again == "case.measure_decision_issued"


def test_a_measure_needs_a_known_kind_grounds_and_a_filed_case():
    case, officer = filed()
    assert error_of(propose, case, officer, kind="demolish") == "case.measure_kind_unknown"
    assert error_of(propose, case, officer, grounds=" ") == "case.grounds_required"
    unfiled, officer = registered()
    assert error_of(propose, unfiled, officer) == "case.not_filed"


def test_no_decision_before_approval_and_no_notice_before_the_decision():
    case, officer = filed()
    measure_id = propose(case, officer)
    code = error_of(
        case.issue_measure_decision,
        actor=officer,
        measure_id=measure_id,
        sequence=sequence("强措"),
        at=NOW,
    )
    assert code == "case.form_not_approved"
    code = error_of(
        case.notify_measure, actor=officer, measure_id=measure_id, notified_at=NOW, at=NOW
    )
    assert code == "case.measure_decision_required"
    unknown = error_of(
        case.notify_measure, actor=officer, measure_id=uuid4(), notified_at=NOW, at=NOW
    )
    assert unknown == "case.measure_unknown"


def test_a_measure_is_taken_no_earlier_than_24_hours_after_the_notice():
    case, officer = filed()
    measure_id = notified(case, officer)
    early = NOW + 24 * HOUR - MINUTE
    assert error_of(take, case, officer, measure_id, early) == "case.measure_notice_period"
    take(case, officer, measure_id, NOW + 24 * HOUR)
    assert status(case, measure_id) == "in_force"


def test_a_measure_without_notice_is_not_taken():
    case, officer = filed()
    measure_id = approved(case, officer)
    later = NOW + 48 * HOUR
    assert error_of(take, case, officer, measure_id, later) == "case.measure_notice_period"


def test_a_notice_does_not_lie_in_the_future():
    case, officer = filed()
    measure_id = approved(case, officer)
    code = error_of(
        case.notify_measure, actor=officer, measure_id=measure_id, notified_at=NOW + MINUTE, at=NOW
    )
    assert code == "case.time_in_future"


def test_a_brigade_takes_its_measure_with_the_detachment_and_files_it():
    case, officer = filed(BRIGADE)
    measure_id = notified(case, officer, BRIGADE)
    at = NOW + 24 * HOUR
    alone = error_of(take, case, officer, measure_id, at)
    assert alone == "case.measure_without_detachment"
    other = actor("jiang-hai", BRIGADE)
    assert (
        error_of(take, case, officer, measure_id, at, [other]) == "case.measure_without_detachment"
    )
    take(case, officer, measure_id, at, [DETACHMENT_OFFICER])
    assert case.measures[str(measure_id)]["together_with"][0]["officer"] == "feng-tao"
    filing = case.deadlines[f"measure_filing:{measure_id}"]
    assert filing["rule"] == "3 working days"
    case.lift_measure(actor=officer, measure_id=measure_id, reason="hazard_removed", at=at)
    closing = error_of(case.close, actor=officer, reason="已整改", pending_transfers=[], at=at)
    assert closing == "case.measure_not_filed"
    case.file_measure(actor=officer, measure_id=measure_id, at=at)
    twice = error_of(case.file_measure, actor=officer, measure_id=measure_id, at=at)
    assert twice == "case.measure_filed"
    case.close(actor=officer, reason="隐患已消除", pending_transfers=[], at=at)


def test_a_brigade_measure_filed_after_3_working_days_is_late():
    case, officer = filed(BRIGADE)
    measure_id = emergency(case, officer, BRIGADE, [DETACHMENT_OFFICER])
    due = case.deadlines[f"measure_filing:{measure_id}"]["due_at"]
    case.collect_events()
    case.file_measure(actor=officer, measure_id=measure_id, at=due + MINUTE)
    assert case.collect_events()[-1].late is True


def test_an_office_measure_is_not_filed_with_the_legal_department():
    case, officer = filed()
    measure_id = emergency(case, officer)
    code = error_of(case.file_measure, actor=officer, measure_id=measure_id, at=NOW)
    assert code == "case.measure_filed"


def test_an_emergency_measure_is_reported_within_24_hours():
    case, officer = filed()
    measure_id = emergency(case, officer)
    assert status(case, measure_id) == "in_force"
    report = case.deadlines[f"measure_report:{measure_id}"]
    assert report["due_at"] == NOW + 24 * HOUR
    case.collect_events()
    case.report_measure(
        actor=officer, measure_id=measure_id, places=places(OFFICE), at=NOW + 24 * HOUR
    )
    reported, submitted = case.collect_events()
    assert (type(reported).__name__, reported.late) == ("MeasureReported", False)
    assert type(submitted).__name__ == "FormSubmitted"
    again = error_of(
        case.report_measure, actor=officer, measure_id=measure_id, places=places(OFFICE), at=NOW
    )
    assert again == "case.measure_reported"


def test_an_emergency_measure_reported_a_minute_late_is_late():
    case, officer = filed()
    measure_id = emergency(case, officer)
    case.collect_events()
    at = NOW + 24 * HOUR + MINUTE
    case.report_measure(actor=officer, measure_id=measure_id, places=places(OFFICE), at=at)
    assert case.collect_events()[0].late is True


def test_an_emergency_measure_the_head_disapproves_is_lifted_at_once():
    case, officer = filed()
    measure_id = emergency(case, officer)
    case.report_measure(actor=officer, measure_id=measure_id, places=places(OFFICE), at=NOW)
    case.collect_events()
    sign(case, OFFICE_HEAD, measure_id, approve=False, opinion="不应当采取强制措施")
    returned, lifted = case.collect_events()
    assert type(returned).__name__ == "FormReturned"
    assert (type(lifted).__name__, lifted.reason) == ("MeasureLifted", "disapproved")
    assert status(case, measure_id) == "lifted"


def test_an_approved_emergency_measure_gets_its_decision_after_the_fact():
    case, officer = filed()
    measure_id = emergency(case, officer)
    case.report_measure(actor=officer, measure_id=measure_id, places=places(OFFICE), at=NOW)
    sign(case, OFFICE_HEAD, measure_id)
    sign(case, DIRECTOR, measure_id)
    assert status(case, measure_id) == "in_force"
    case.issue_measure_decision(
        actor=officer, measure_id=measure_id, sequence=sequence("强措"), at=NOW
    )
    assert case.measures[str(measure_id)]["decision"] == "津滨应急强措〔2026〕1号"


def test_a_measure_not_an_emergency_is_not_reported():
    case, officer = filed()
    measure_id = notified(case, officer)
    take(case, officer, measure_id, NOW + 24 * HOUR)
    code = error_of(
        case.report_measure, actor=officer, measure_id=measure_id, places=places(OFFICE), at=NOW
    )
    assert code == "case.measure_reported"


def test_lifting_needs_a_measure_in_force_and_the_hazard_removed():
    case, officer = filed()
    measure_id = approved(case, officer)
    code = error_of(
        case.lift_measure, actor=officer, measure_id=measure_id, reason="hazard_removed", at=NOW
    )
    assert code == "case.measure_not_in_force"
    taken = emergency(case, officer)
    code = error_of(case.lift_measure, actor=officer, measure_id=taken, reason="tired", at=NOW)
    assert code == "case.lift_reason"
    case.lift_measure(actor=officer, measure_id=taken, reason="hazard_removed", at=NOW)
    code = error_of(
        case.lift_measure, actor=officer, measure_id=taken, reason="hazard_removed", at=NOW
    )
    assert code == "case.measure_lifted"


def test_a_taken_measure_is_not_taken_again():
    case, officer = filed()
    measure_id = notified(case, officer)
    take(case, officer, measure_id, NOW + 24 * HOUR)
    assert error_of(take, case, officer, measure_id, NOW + 48 * HOUR) == "case.measure_taken"


def test_the_case_does_not_close_while_a_measure_is_in_force():
    case, officer = filed()
    measure_id = emergency(case, officer)
    code = error_of(case.close, actor=officer, reason="结案", pending_transfers=[], at=NOW)
    assert code == "case.measure_in_force"
    case.lift_measure(actor=officer, measure_id=measure_id, reason="hazard_removed", at=NOW)
    case.close(actor=officer, reason="结案", pending_transfers=[], at=NOW)
    assert error_of(propose, case, officer) == "case.closed"


def test_only_the_handling_units_officers_take_measures():
    case, _ = filed()
    stranger = actor("jiang-hai", BRIGADE)
    assert error_of(propose, case, stranger) == "case.not_handling_unit"


def test_a_measure_id_is_used_once():
    case, officer = filed()
    measure_id = propose(case, officer)
    code = error_of(
        case.propose_measure,
        actor=officer,
        measure_id=measure_id,
        kind="seal",
        grounds="重复",
        places=places(OFFICE),
        at=NOW,
    )
    assert code == "case.measure_exists"


def test_a_brigade_measure_filed_at_the_end_of_the_third_working_day_is_on_time():
    case, officer = filed(BRIGADE)
    measure_id = emergency(case, officer, BRIGADE, [DETACHMENT_OFFICER])
    due = case.deadlines[f"measure_filing:{measure_id}"]["due_at"]
    assert due.isoformat() == "2026-11-26T23:59:59+08:00"
    case.collect_events()
    case.file_measure(actor=officer, measure_id=measure_id, at=due)
    assert case.collect_events()[-1].late is False
