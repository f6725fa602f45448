"""Registering a case from each source, and who may register one."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

import pytest

from domain.calendar import SHANGHAI
from domain.case import Case
from domain.errors import DomainError
from domain.values import Certificate
from tests.unit.domain_fixtures import (
    CALENDAR,
    DET_OFFICE,
    DETACHMENT,
    LEGAL,
    NOW,
    OFFICE,
    PATHS,
    accident_details,
    actor,
    details,
    event_names,
    registered,
)


def register(officer, unit, case_details, at=NOW):
    return Case.register(
        case_id=uuid4(),
        actor=officer,
        unit=PATHS[unit.code],
        details=case_details,
        calendar=CALENDAR,
        at=at,
    )


@pytest.mark.parametrize(
    "source",
    ["inspection", "random_check", "complaint", "superior_assignment", "referral"],
)
def test_registers_a_general_case_from_each_source(source):
    reference = "referral-123" if source == "referral" else None
    case = register(
        actor("wang-fang", OFFICE),
        OFFICE,
        details(source={"kind": source, "reference": reference, "handed_over_at": None}),
    )
    assert case.status == "registered"
    assert case.handling_unit == OFFICE.code
    assert case.agency == "tj-bh-yjj", "an internal office acts in its bureau's name"
    assert event_names(case) == ["Registered"]


def test_a_case_from_a_referral_names_the_referral():
    with pytest.raises(DomainError) as error:
        register(
            actor("wang-fang", OFFICE),
            OFFICE,
            details(source={"kind": "referral", "reference": None, "handed_over_at": None}),
        )
    assert error.value.code == "case.source_reference_required"


def test_an_officer_without_a_certificate_cannot_register():
    with pytest.raises(DomainError) as error:
        register(actor("wei-dong", OFFICE, certificate=None), OFFICE, details())
    assert error.value.code == "officer.certificate_invalid"


def test_an_officer_whose_certificate_expired_cannot_register():
    expired = Certificate("津应急执00009", date(2026, 11, 22))
    with pytest.raises(DomainError) as error:
        register(actor("old-hand", OFFICE, certificate=expired), OFFICE, details())
    assert error.value.code == "officer.certificate_invalid"


def test_a_certificate_is_valid_through_its_last_day_in_shanghai():
    last_day = Certificate("津应急执00009", date(2026, 11, 23))
    late_evening = datetime(2026, 11, 23, 23, 30, tzinfo=SHANGHAI)
    case = register(actor("a", OFFICE, certificate=last_day), OFFICE, details(), at=late_evening)
    assert case.status == "registered"


def test_a_legal_department_does_not_handle_cases():
    with pytest.raises(DomainError) as error:
        register(actor("li-na", LEGAL), LEGAL, details())
    assert error.value.code == "case.unit_cannot_handle"


def test_a_violation_cannot_have_occurred_in_the_future():
    future = details()
    future["occurred_at"] = datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(DomainError) as error:
        register(actor("wang-fang", OFFICE), OFFICE, future)
    assert error.value.code == "case.time_in_future"


def test_accident_cases_are_filed_by_the_detachment():
    handed = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(DomainError) as error:
        register(actor("wang-fang", OFFICE), OFFICE, accident_details(handed))
    assert error.value.code == "case.accident_not_detachment"


def test_accident_cases_come_from_an_investigation_report():
    with pytest.raises(DomainError) as error:
        register(actor("chen-jie", DET_OFFICE), DET_OFFICE, details("accident"))
    assert error.value.code == "case.accident_source_mismatch"


def test_an_accident_case_records_the_reports_handover():
    no_handover = accident_details(NOW)
    no_handover["source"]["handed_over_at"] = None
    with pytest.raises(DomainError) as error:
        register(actor("chen-jie", DET_OFFICE), DET_OFFICE, no_handover)
    assert error.value.code == "case.handover_required"


def test_an_accident_case_is_due_for_filing_5_working_days_after_the_handover():
    # Handed over on Wednesday 2026-09-30: 1-7 October are National Day holidays and
    # Saturday 10 October is worked, so the five working days are 8, 9, 10, 12, 13 October.
    handed = datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)
    case = register(
        actor("chen-jie", DET_OFFICE),
        DET_OFFICE,
        accident_details(handed),
        at=datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI),
    )
    filing = case.deadlines["filing"]
    assert filing["due_at"] == datetime(2026, 10, 13, 23, 59, 59, tzinfo=SHANGHAI)
    assert filing["rule"] == "5 working days"
    assert filing["provisional"] is False


def test_a_detachment_may_register_an_accident_case_itself():
    handed = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    case = register(actor("zheng-hua", DETACHMENT), DETACHMENT, accident_details(handed))
    assert case.procedure == "accident"


def test_a_general_case_has_no_deadline_until_it_is_filed():
    case, _ = registered()
    assert case.deadlines == {}
