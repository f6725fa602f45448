"""The decision's time limit extended to 90 and 180 days (seed 004 §三 案件延期审批) and the
simple procedure's fine paid at the bank and confirmed (seed 004 §三(二)1)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.approval_chains import Form
from domain.calendar import SHANGHAI
from domain.errors import DomainError
from tests.unit.domain_fixtures import (
    BRIGADE,
    BUREAU,
    CALENDAR,
    LEGAL,
    NOW,
    OFFICE,
    actor,
    details,
    filed,
    places,
    registered,
    sequence,
)

LEGAL_HEAD = actor("sun-li", LEGAL, "legal_head", certificate=None)
DIRECTOR = actor("zhao-qiang", BUREAU, "director", certificate=None)
DEPUTY = actor("qian-min", BUREAU, "deputy_director", certificate=None)
OFFICE_HEAD = actor("zhou-jun", OFFICE, "unit_head", certificate=None)
MINUTE = timedelta(minutes=1)


def error_of(act, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        act(*args, **kwargs)
    return error.value.code


def request(case, officer, reason="需补充鉴定", at=NOW):
    case.request_extension(
        actor=officer, reason=reason, places=places(OFFICE), calendar=CALENDAR, at=at
    )


def sign(case, who, form=Form.EXTENSION, approve=True, opinion="同意", at=NOW):
    case.sign_form(actor=who, form=form, approve=approve, opinion=opinion, at=at)


def extended(at=NOW):
    facts = details()
    facts["occurred_at"] = at - timedelta(days=3)
    case, officer = filed(at=at, details=facts)
    request(case, officer, at=at)
    sign(case, LEGAL_HEAD, at=at)
    sign(case, DIRECTOR, at=at)
    return case, officer


def by_committee(case, who=DIRECTOR, met_on="2026-11-23", record="党委会纪要〔2026〕9号", at=NOW):
    case.extend_by_committee(
        actor=who,
        met_on=met_on,
        record=record,
        reason="案情重大复杂",
        places=places(OFFICE),
        calendar=CALENDAR,
        at=at,
    )


def names(case):
    return [type(e).__name__ for e in case.collect_events()]


def test_the_extension_is_consented_by_legal_then_approved_by_the_director():
    case, officer = filed()
    case.collect_events()
    request(case, officer)
    assert names(case) == ["ExtensionRequested", "FormSubmitted"]
    assert error_of(sign, case, DIRECTOR) == "case.not_the_approver"
    sign(case, LEGAL_HEAD)
    sign(case, DIRECTOR)
    assert names(case) == ["FormSigned", "FormApproved", "DecisionPeriodExtended"]
    decision = case.deadlines["decision"]
    assert decision["rule"] == "90 days"
    assert decision["start"] == NOW
    assert decision["due_at"] == CALENDAR.add_calendar_days(NOW, 90).due_at


def test_a_returned_extension_keeps_thirty_days_and_may_be_asked_again():
    case, officer = filed()
    request(case, officer)
    sign(case, LEGAL_HEAD, approve=False, opinion="理由不充分")
    assert case.deadlines["decision"]["rule"] == "30 days"
    request(case, officer, at=NOW + MINUTE)
    assert case.forms["extension"]["outcome"] == "pending"


def test_the_extension_needs_a_reason():
    case, officer = filed()
    assert error_of(request, case, officer, reason="  ") == "case.reason_required"


def test_the_form_cannot_be_submitted_without_its_reason():
    case, officer = filed()
    submit = case.submit_form
    code = error_of(submit, actor=officer, form=Form.EXTENSION, places=places(OFFICE), at=NOW)
    assert code == "case.extension_reason_required"


def test_only_a_filed_case_is_extended():
    case, officer = registered()
    assert error_of(request, case, officer) == "case.not_filed"


def test_only_one_ninety_day_extension():
    case, officer = extended()
    assert error_of(request, case, officer, at=NOW + MINUTE) == "case.extended"


def test_the_request_is_late_a_minute_after_the_thirty_days():
    case, officer = filed()
    due = case.deadlines["decision"]["due_at"]
    request(case, officer, at=due)
    assert case.collect_events()[-2].late is False
    case, officer = filed()
    request(case, officer, at=due + MINUTE)
    assert case.collect_events()[-2].late is True


def test_ninety_days_ending_in_the_spring_festival_move_to_the_next_working_day():
    filed_at = datetime(2025, 11, 17, 10, 0, tzinfo=SHANGHAI)  # + 90 days = 2026-02-15
    case, _ = extended(at=filed_at)
    due = case.deadlines["decision"]["due_at"]
    assert due.date().isoformat() == "2026-02-24"


def test_the_committee_extends_to_180_days_after_the_ninety():
    case, _ = extended()
    case.collect_events()
    by_committee(case)
    event = case.collect_events()[-1]
    assert type(event).__name__ == "ExtendedByCommittee"
    assert event.committee == {"met_on": "2026-11-23", "record": "党委会纪要〔2026〕9号"}
    assert case.deadlines["decision"]["rule"] == "180 days"


def test_180_days_ending_in_national_day_move_to_the_eighth():
    filed_at = datetime(2026, 4, 6, 10, 0, tzinfo=SHANGHAI)  # + 180 days = 2026-10-03
    case, _ = extended(at=filed_at)
    by_committee(case, met_on="2026-04-06", at=filed_at)
    assert case.deadlines["decision"]["due_at"].date().isoformat() == "2026-10-08"


def test_the_committee_comes_only_after_the_ninety_days():
    case, _ = filed()
    assert error_of(by_committee, case) == "case.not_extended"


def test_only_one_committee_extension():
    case, _ = extended()
    by_committee(case)
    assert error_of(by_committee, case) == "case.extended"


def test_only_the_bureaus_director_records_the_committee():
    case, _ = extended()
    assert error_of(by_committee, case, who=DEPUTY) == "auth.role_missing"
    town_director = actor("kong-wen", BRIGADE, "director", certificate=None)
    assert error_of(by_committee, case, who=town_director) == "case.not_the_bureau_director"


def test_the_committee_needs_its_record_and_a_past_meeting_date():
    case, _ = extended()
    assert error_of(by_committee, case, record=" ") == "case.committee_record_required"
    assert error_of(by_committee, case, met_on="2026-11-24") == "case.in_future"
    assert error_of(by_committee, case, met_on="23/11/2026") == "case.date_invalid"


def test_the_committee_record_is_late_a_minute_after_the_ninety_days():
    case, _ = extended()
    due = case.deadlines["decision"]["due_at"]
    by_committee(case, at=due)
    assert case.collect_events()[-1].late is False
    case, _ = extended()
    by_committee(case, at=due + MINUTE)
    assert case.collect_events()[-1].late is True


# The payment (缴款核准) ---------------------------------------------------------------------


def decided(fen=50_000, kind="fine"):
    case, officer = registered(procedure="simple")
    case.decide_on_the_spot(
        actor=officer,
        penalty_kind=kind,
        amount_fen=fen,
        sequence=sequence("简罚"),
        calendar=CALENDAR,
        pending_transfers=(),
        at=NOW,
    )
    return case, officer


def pay(case, officer, fen=50_000, paid_at=NOW, at=NOW, **bank):
    confirmation = {
        "bank": "中国银行",
        "branch": "滨海新区支行",
        "reference": "BOC20261123001",
        "amount_fen": fen,
        "paid_at": paid_at,
        **bank,
    }
    case.record_payment(actor=officer, confirmation=confirmation, places=places(OFFICE), at=at)


def test_the_paid_fine_is_confirmed_by_the_unit_head():
    case, officer = decided()
    case.collect_events()
    pay(case, officer)
    assert names(case) == ["FinePaid", "FormSubmitted"]
    assert case.payment["slip"] is None and case.payment["reference"] == "BOC20261123001"
    sign(case, OFFICE_HEAD, form=Form.PAYMENT)
    assert case.form_approved(Form.PAYMENT)


def test_the_amount_paid_is_the_fine():
    case, officer = decided()
    assert error_of(pay, case, officer, fen=49_999) == "case.payment_amount_mismatch"


@pytest.mark.parametrize("field", ["bank", "branch", "reference"])
def test_the_payment_needs_the_banks_confirmation(field):
    case, officer = decided()
    assert error_of(pay, case, officer, **{field: " "}) == "case.bank_required"


def test_a_warning_has_no_payment():
    case, officer = decided(fen=None, kind="warning")
    assert error_of(pay, case, officer) == "case.no_fine"


def test_the_payment_is_recorded_once():
    case, officer = decided()
    pay(case, officer)
    assert error_of(pay, case, officer) == "case.fine_paid"


def test_the_payment_cannot_be_in_the_future():
    case, officer = decided()
    assert error_of(pay, case, officer, paid_at=NOW + MINUTE) == "case.payment_in_future"


def test_only_a_decided_case_records_a_payment():
    case, officer = filed()
    assert error_of(pay, case, officer) == "case.not_decided"


def test_the_payment_form_needs_the_payment():
    case, officer = decided()
    submit = case.submit_form
    code = error_of(submit, actor=officer, form=Form.PAYMENT, places=places(OFFICE), at=NOW)
    assert code == "case.payment_unrecorded"
