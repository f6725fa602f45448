"""The one approval mechanism on a filed case: a form submitted, signed step by step by its
chain, approved or returned; the case's gravity chooses the chain (seed 004 §三, §四)."""

from __future__ import annotations

import pytest

from domain.approval_chains import Form
from domain.errors import DomainError
from tests.unit.domain_fixtures import (
    BUREAU,
    DET_OFFICE,
    DETACHMENT,
    LEGAL,
    NOW,
    OFFICE,
    SUPERVISION,
    actor,
    filed,
    places,
    registered,
)

REVIEWER = actor("li-na", LEGAL, "legal_reviewer", certificate=None)
LEGAL_HEAD = actor("sun-li", LEGAL, "legal_head", certificate=None)
SUPERVISION_HEAD = actor("bai-lu", SUPERVISION, "unit_head", certificate=None)
INSPECTION_HEAD = actor("feng-tao", DET_OFFICE, "unit_head", certificate=None)
DETACHMENT_HEAD = actor("zheng-hua", DETACHMENT, "unit_head", certificate=None)
DEPUTY = actor("qian-min", BUREAU, "deputy_director", certificate=None)


def submit(case, officer, form=Form.LEGAL_REVIEW, unit=OFFICE):
    case.submit_form(actor=officer, form=form, places=places(unit), at=NOW)


def sign(case, who, form=Form.LEGAL_REVIEW, approve=True, opinion="同意"):
    case.sign_form(actor=who, form=form, approve=approve, opinion=opinion, at=NOW)


def outcome(case, form=Form.LEGAL_REVIEW):
    return case.forms[str(form)]["outcome"]


def error_of(act, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        act(*args, **kwargs)
    return error.value.code


def test_an_ordinary_cases_legal_review_is_signed_by_a_legal_reviewer():
    case, officer = filed()
    submit(case, officer)
    assert error_of(sign, case, DEPUTY) == "case.not_the_approver"
    sign(case, REVIEWER)
    assert outcome(case) == "approved"
    assert case.form_approved(Form.LEGAL_REVIEW)
    assert type(case.collect_events()[-1]).__name__ == "FormApproved"


def test_a_major_cases_legal_review_needs_the_legal_department_head():
    case, officer = filed()
    case.classify(actor=officer, gravity="major", reason="拟罚款数额较大", at=NOW)
    submit(case, officer)
    assert error_of(sign, case, REVIEWER) == "case.not_the_approver"
    sign(case, LEGAL_HEAD)
    assert case.form_approved(Form.LEGAL_REVIEW)


def test_a_form_approved_under_another_gravity_no_longer_counts():
    case, officer = filed()
    submit(case, officer)
    sign(case, REVIEWER)
    case.classify(actor=officer, gravity="major", reason="发现新的违法事实", at=NOW)
    assert not case.form_approved(Form.LEGAL_REVIEW)
    assert error_of(case.require_form, Form.LEGAL_REVIEW, what="a decision") == (
        "case.form_not_approved"
    )


def test_the_detachments_first_review_is_signed_by_both_office_heads_in_any_order():
    case, officer = filed(DET_OFFICE)
    case.classify(actor=officer, gravity="major", reason="重大", at=NOW)
    submit(case, officer, Form.MATTERS, DET_OFFICE)
    sign(case, SUPERVISION_HEAD, Form.MATTERS)
    assert error_of(sign, case, DETACHMENT_HEAD, Form.MATTERS) == "case.not_the_approver"
    sign(case, INSPECTION_HEAD, Form.MATTERS)
    sign(case, DETACHMENT_HEAD, Form.MATTERS)
    assert outcome(case, Form.MATTERS) == "pending"
    sign(case, DEPUTY, Form.MATTERS)
    assert outcome(case, Form.MATTERS) == "approved"


def test_one_person_signs_one_step_of_a_form():
    case, officer = filed(DET_OFFICE)
    submit(case, officer, Form.LEGAL_REVIEW, DET_OFFICE)
    both = actor("bai-lu", SUPERVISION, "unit_head", "legal_reviewer", certificate=None)
    sign(case, both)
    twice = actor("bai-lu", LEGAL, "legal_reviewer", certificate=None)
    assert error_of(sign, case, twice) == "case.signed_twice"


def test_nobody_signs_their_own_submission():
    case, _ = filed()
    reviewer_officer = actor("zhou-jun", OFFICE, "unit_head", "officer")
    submit(case, reviewer_officer, Form.MATTERS)
    assert error_of(sign, case, reviewer_officer, Form.MATTERS) == "case.self_approval"


def test_a_returned_form_needs_an_opinion_and_may_be_submitted_again():
    case, officer = filed()
    submit(case, officer)
    assert error_of(sign, case, REVIEWER, approve=False, opinion=" ") == "case.opinion_required"
    sign(case, REVIEWER, approve=False, opinion="法律依据引用错误")
    assert outcome(case) == "returned"
    assert error_of(sign, case, REVIEWER) == "case.form_not_pending"
    submit(case, officer)
    assert outcome(case) == "pending"
    assert all(s["decision"] is None for s in case.forms["legal_review"]["steps"])


def test_a_pending_or_approved_form_is_not_submitted_twice():
    case, officer = filed()
    submit(case, officer)
    assert error_of(submit, case, officer) == "case.form_submitted"
    sign(case, REVIEWER)
    assert error_of(submit, case, officer) == "case.form_submitted"


def test_only_the_handling_unit_submits():
    case, _ = filed()
    assert error_of(submit, case, actor("chen-jie", DET_OFFICE)) == "case.not_handling_unit"


def test_a_case_is_classified_once_filed_and_an_accident_case_stays_one():
    case, officer = registered()
    assert error_of(case.classify, actor=officer, gravity="major", reason="r", at=NOW) == (
        "case.not_filed"
    )
    case, officer = filed()
    assert error_of(case.classify, actor=officer, gravity="accident", reason="r", at=NOW) == (
        "case.accident_gravity"
    )
    assert error_of(case.classify, actor=officer, gravity="major", reason=" ", at=NOW) == (
        "case.reason_required"
    )
    case.classify(actor=officer, gravity="major", reason="拟吊销许可证", at=NOW)
    assert case.gravity == "major"
