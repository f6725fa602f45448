"""Simple procedure (简易程序): on-the-spot decisions within the limits, reported within 5 days."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.calendar import SHANGHAI
from domain.errors import DomainError
from tests.unit.domain_fixtures import CALENDAR, NOW, actor, registered, sequence


def decide(case, officer, kind="fine", fen=None, at=NOW, seq=None):
    seq = seq or sequence("简罚")
    case.decide_on_the_spot(
        actor=officer,
        penalty_kind=kind,
        amount_fen=fen,
        sequence=seq,
        calendar=CALENDAR,
        pending_transfers=(),
        at=at,
    )
    return seq


@pytest.mark.parametrize(
    ("party", "fen"),
    [("person", 200_00), ("organisation", 3_000_00), ("person", 1), ("organisation", 50_00)],
)
def test_fines_within_the_limit_are_decided_on_the_spot(party, fen):
    case, officer = registered(procedure="simple", detail_args={"party_kind": party})
    decide(case, officer, fen=fen)
    assert case.status == "decided"
    assert case.penalty == {"kind": "fine", "amount_fen": fen}


@pytest.mark.parametrize(("party", "fen"), [("person", 200_01), ("organisation", 3_000_01)])
def test_fines_over_the_limit_are_refused(party, fen):
    case, officer = registered(procedure="simple", detail_args={"party_kind": party})
    with pytest.raises(DomainError) as error:
        decide(case, officer, fen=fen)
    assert error.value.code == "case.simple_procedure_limit"
    assert case.status == "registered"


def test_a_warning_is_decided_on_the_spot():
    case, officer = registered(procedure="simple")
    decide(case, officer, kind="warning")
    assert case.penalty == {"kind": "warning", "amount_fen": None}


def test_the_decision_takes_the_next_simple_procedure_number():
    seq = sequence("简罚")
    for expected in (1, 2):
        case, officer = registered(procedure="simple")
        decide(case, officer, kind="warning", seq=seq)
        assert case.number == f"津滨应急简罚〔2026〕{expected}号"


def test_a_refused_decision_takes_no_number():
    seq = sequence("简罚")
    case, officer = registered(procedure="simple", detail_args={"party_kind": "person"})
    with pytest.raises(DomainError):
        decide(case, officer, fen=500_00, seq=seq)
    assert seq.last == 0


def test_only_simple_procedure_cases_are_decided_on_the_spot():
    case, officer = registered(procedure="general")
    with pytest.raises(DomainError) as error:
        decide(case, officer, kind="warning")
    assert error.value.code == "case.wrong_procedure"


def test_another_units_officer_cannot_decide():
    case, _ = registered(procedure="simple")
    from tests.unit.domain_fixtures import BRIGADE

    with pytest.raises(DomainError) as error:
        decide(case, actor("jiang-hai", BRIGADE), kind="warning")
    assert error.value.code == "case.not_handling_unit"


def test_the_decision_is_reported_and_filed_within_5_working_days():
    # Decided on Friday 2026-09-25: the five working days after it are 28, 29, 30 September,
    # then 8 and 9 October after the National Day holidays.
    friday = datetime(2026, 9, 25, 15, 0, tzinfo=SHANGHAI)
    case, officer = registered(
        procedure="simple",
        at=datetime(2026, 9, 25, 14, 0, tzinfo=SHANGHAI),
        details=_details_before(friday),
    )
    decide(case, officer, kind="warning", at=friday)
    due = case.deadlines["report_and_file"]
    assert due["due_at"] == datetime(2026, 10, 9, 23, 59, 59, tzinfo=SHANGHAI)
    assert due["rule"] == "5 working days"


def test_a_late_report_is_recorded_as_late():
    case, officer = registered(procedure="simple")
    decide(case, officer, kind="warning")
    late = datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI)
    case.report_decision(actor=officer, at=late)
    reported = case.collect_events()[-1]
    assert type(reported).__name__ == "DecisionReported"
    assert reported.late is True
    assert case.status == "reported"


def test_a_report_on_time_is_not_late():
    case, officer = registered(procedure="simple")
    decide(case, officer, kind="warning")
    case.report_decision(actor=officer, at=NOW)
    assert case.collect_events()[-1].late is False


def _details_before(moment):
    from tests.unit.domain_fixtures import details

    d = details("simple")
    d["occurred_at"] = moment.replace(hour=9)
    return d
