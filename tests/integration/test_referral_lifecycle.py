"""A referral's lifecycle (seed 000 §三(二), seed 003 §三(一)): draft → approved by the sending
agency's head → sent → acknowledged (抄告) → accepted or rejected with a reason → the outcome
reported back (结果通报); who may take each step, and who may see the referral at all."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.errors import Conflict, Forbidden, Invalid, NotFound
from tests.districts import event_names
from tests.scenarios import (
    accepted_referral,
    acknowledged_referral,
    assistance_details,
    person,
    referral_acts,
    referral_details,
    rejected_referral,
    sent_assistance,
    sent_referral,
)


def drafted(app, **changes):
    return referral_acts(app).draft(person(app, "wang-fang"), referral_details(app, **changes))


# The whole way ------------------------------------------------------------------------------


def test_a_referral_goes_from_draft_to_its_reported_outcome(demo):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    assert referral_acts(app).referral(person(app, "wang-fang"), referral_id).status == "draft"
    steps = [
        (referral_acts(app).approve, "qian-min", "approved"),
        (referral_acts(app).send, "wang-fang", "sent"),
        (referral_acts(app).acknowledge, "zhu-xia", "acknowledged"),
        (referral_acts(app).accept, "lu-yu", "accepted"),
    ]
    for act, who, status in steps:
        assert act(person(app, who), referral_id).aggregate.status == status
    saved = referral_acts(app).report_outcome(
        person(app, "zhu-xia"), referral_id, outcome="已立案查处，罚款五万元"
    )
    referral = saved.aggregate
    assert referral.status == "concluded"
    assert referral.handler == "tj-bh-scjg"
    assert referral.outcome == "已立案查处，罚款五万元"
    assert event_names(app, referral_id) == [
        "Drafted",
        "Approved",
        "Sent",
        "Acknowledged",
        "Accepted",
        "OutcomeReported",
    ]
    # The sender reads the outcome on its referral (结果通报).
    assert (
        referral_acts(app).referral(person(app, "wang-fang"), referral_id).outcome
        == "已立案查处，罚款五万元"
    )


def test_a_referral_is_made_in_the_bureaus_name_by_its_office(demo):
    referral = drafted(demo.app).aggregate
    assert referral.from_agency == "tj-bh-yjj"
    assert referral.drafted_in == "tj-bh-yjj-zfs"
    assert referral.mechanism == "default"


def test_a_rejection_records_its_reason(demo):
    app = demo.app
    referral_id = rejected_referral(app).aggregate.id
    referral = referral_acts(app).referral(person(app, "qian-min"), referral_id)
    assert referral.status == "rejected"
    assert referral.rejection == "不属于本部门职责"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused(demo, reason):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Invalid) as error:
        referral_acts(app).reject(person(app, "lu-yu"), referral_id, reason=reason)
    assert error.value.code == "referral.reason_required"
    assert referral_acts(app).referral(person(app, "lu-yu"), referral_id).status == "acknowledged"


def test_criminal_referrals_are_refused_for_now(demo):
    app = demo.app
    with pytest.raises(Invalid) as error:
        drafted(app, kind="criminal", to_agency="tj-bh-gaj")
    assert error.value.code == "referral.kind_not_supported"


def test_an_unknown_kind_is_refused(demo):
    with pytest.raises(Invalid) as error:
        drafted(demo.app, kind="complaint")
    assert error.value.code == "referral.kind_unknown"


def test_a_finding_cannot_lie_in_the_future(demo):
    app = demo.app
    with pytest.raises(Invalid) as error:
        drafted(app, found_at=app.clock() + timedelta(minutes=5))
    assert error.value.code == "referral.time_in_future"


@pytest.mark.parametrize(
    ("to_agency", "code"),
    [
        ("tj-bh-nowhere", "referral.receiver_unknown"),
        ("tj-bh-yjj", "referral.receiver_is_sender"),
        ("tj-bh-yjj-fzk", "referral.receiver_not_competent"),
    ],
)
def test_the_receiver_is_another_agency_acting_in_its_own_name(demo, to_agency, code):
    with pytest.raises(Invalid) as error:
        drafted(demo.app, to_agency=to_agency)
    assert error.value.code == code


# Steps in order -----------------------------------------------------------------------------


def test_a_draft_is_not_sent_before_its_approval(demo):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    with pytest.raises(Conflict) as error:
        referral_acts(app).send(person(app, "wang-fang"), referral_id)
    assert error.value.code == "referral.not_approved"


def test_a_referral_is_approved_once_and_then_takes_no_more_materials(demo):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    referral_acts(app).approve(person(app, "qian-min"), referral_id)
    with pytest.raises(Conflict) as error:
        referral_acts(app).approve(person(app, "zhao-qiang"), referral_id)
    assert error.value.code == "referral.not_draft"
    with pytest.raises(Conflict) as error:
        referral_acts(app).attach_material(
            person(app, "wang-fang"), referral_id, {"kind": "other", "title": "补充材料"}
        )
    assert error.value.code == "referral.not_draft"


def test_a_draft_is_not_acknowledged(demo):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    referral_acts(app).approve(person(app, "qian-min"), referral_id)
    with pytest.raises(NotFound) as error:
        referral_acts(app).acknowledge(person(app, "zhu-xia"), referral_id)
    assert error.value.code == "referral.not_found"  # a draft is the sender's alone


@pytest.mark.parametrize("act", ["accept", "reject"])
def test_the_receiver_acknowledges_before_it_accepts_or_rejects(demo, act):
    app = demo.app
    referral_id = sent_referral(app).aggregate.id
    with pytest.raises(Conflict) as error:
        if act == "accept":
            referral_acts(app).accept(person(app, "lu-yu"), referral_id)
        else:
            referral_acts(app).reject(person(app, "lu-yu"), referral_id, reason="不属于本部门职责")
    assert error.value.code == "referral.not_acknowledged"


def test_an_acknowledged_referral_is_acknowledged_once(demo):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Conflict) as error:
        referral_acts(app).acknowledge(person(app, "zhu-xia"), referral_id)
    assert error.value.code == "referral.not_sent"


def test_the_outcome_is_reported_only_after_acceptance(demo):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Conflict) as error:
        referral_acts(app).report_outcome(person(app, "zhu-xia"), referral_id, outcome="已查处")
    assert error.value.code == "referral.not_accepted"


def test_a_rejected_referral_has_no_outcome(demo):
    app = demo.app
    referral_id = rejected_referral(app).aggregate.id
    with pytest.raises(Conflict) as error:
        referral_acts(app).report_outcome(person(app, "zhu-xia"), referral_id, outcome="已查处")
    assert error.value.code == "referral.not_accepted"


def test_an_outcome_says_something(demo):
    app = demo.app
    referral_id = accepted_referral(app)
    with pytest.raises(Invalid) as error:
        referral_acts(app).report_outcome(person(app, "zhu-xia"), referral_id, outcome=" ")
    assert error.value.code == "referral.outcome_required"


def test_the_outcome_is_reported_once(demo):
    app = demo.app
    referral_id = accepted_referral(app)
    referral_acts(app).report_outcome(person(app, "zhu-xia"), referral_id, outcome="已查处")
    with pytest.raises(Conflict) as error:
        referral_acts(app).report_outcome(person(app, "lu-yu"), referral_id, outcome="再次通报")
    assert error.value.code == "referral.not_accepted"


# Who takes each step ------------------------------------------------------------------------


@pytest.mark.parametrize("approver", ["qian-min", "zhao-qiang"])
def test_the_sending_agencys_heads_approve(demo, approver):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    assert (
        referral_acts(app).approve(person(app, approver), referral_id).aggregate.status
        == "approved"
    )


def test_an_officer_does_not_approve(demo):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    with pytest.raises(Forbidden) as error:
        referral_acts(app).approve(person(app, "wu-gang"), referral_id)
    assert error.value.code == "auth.role_missing"


def test_the_head_of_an_internal_office_is_not_the_agencys_head(demo):
    """部门相关负责人 (seed 000 §三(二)(3)): the bureau's leaders, not its office's head."""
    app = demo.app
    referral_id = drafted(app).aggregate.id
    with pytest.raises(Forbidden) as error:
        referral_acts(app).approve(person(app, "zhou-jun"), referral_id)
    assert error.value.code == "referral.not_agency_head"


def test_the_receivers_head_does_not_approve_for_the_sender(demo):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    with pytest.raises(NotFound) as error:
        referral_acts(app).approve(person(app, "lu-yu"), referral_id)
    assert error.value.code == "referral.not_found"  # a draft is the sender's alone


def test_a_brigade_does_not_refer_in_the_bureaus_name(demo):
    """The brigade lies under the bureau in the tree, but acts in its own name."""
    app = demo.app
    with pytest.raises(Forbidden) as error:
        referral_acts(app).draft(person(app, "jiang-hai"), referral_details(app))
    assert error.value.code == "referral.not_your_agency"


def test_a_brigade_refers_in_its_own_name_approved_by_its_head(demo):
    app = demo.app
    saved = referral_acts(app).draft(
        person(app, "jiang-hai"), referral_details(app, from_agency="tj-bh-zt-dd")
    )
    with pytest.raises(Forbidden) as error:
        referral_acts(app).approve(person(app, "qian-min"), saved.aggregate.id)
    assert error.value.code == "referral.not_your_agency", "the bureau is not the brigade"
    assert referral_acts(app).approve(
        person(app, "chu-yan"), saved.aggregate.id
    ).aggregate.status == ("approved")


def test_only_the_sender_sends(demo):
    app = demo.app
    referral_id = drafted(app).aggregate.id
    referral_acts(app).approve(person(app, "qian-min"), referral_id)
    with pytest.raises(NotFound) as error:
        referral_acts(app).send(person(app, "zhu-xia"), referral_id)
    assert error.value.code == "referral.not_found"  # a draft is the sender's alone


def test_the_receivers_officer_acknowledges_not_the_sender(demo):
    app = demo.app
    referral_id = sent_referral(app).aggregate.id
    with pytest.raises(Forbidden) as error:
        referral_acts(app).acknowledge(person(app, "wang-fang"), referral_id)
    assert error.value.code == "referral.not_your_agency"
    saved = referral_acts(app).acknowledge(person(app, "zhu-xia"), referral_id)
    assert saved.aggregate.status == "acknowledged"


def test_only_the_receivers_head_accepts(demo):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Forbidden) as error:
        referral_acts(app).accept(person(app, "zhu-xia"), referral_id)
    assert error.value.code == "auth.role_missing"
    with pytest.raises(Forbidden) as error:
        referral_acts(app).accept(person(app, "qian-min"), referral_id)
    assert error.value.code == "referral.not_your_agency"
    assert (
        referral_acts(app).accept(person(app, "lu-yu"), referral_id).aggregate.status == "accepted"
    )


def test_only_the_receivers_head_rejects(demo):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Forbidden) as error:
        referral_acts(app).reject(person(app, "zhu-xia"), referral_id, reason="不属于本部门职责")
    assert error.value.code == "auth.role_missing"
    with pytest.raises(Forbidden) as error:
        referral_acts(app).reject(person(app, "zhao-qiang"), referral_id, reason="不属于本部门职责")
    assert error.value.code == "referral.not_your_agency"


def test_the_handler_reports_the_outcome_not_the_sender(demo):
    app = demo.app
    referral_id = accepted_referral(app)
    with pytest.raises(Forbidden) as error:
        referral_acts(app).report_outcome(person(app, "wang-fang"), referral_id, outcome="已查处")
    assert error.value.code == "referral.not_your_agency"


# Who sees it --------------------------------------------------------------------------------


@pytest.mark.parametrize("outsider", ["jiang-hai", "chu-yan", "zheng-hua", "lin-feng"])
def test_a_third_agency_is_told_there_is_no_such_referral(demo, outsider):
    app = demo.app
    referral_id = sent_referral(app).aggregate.id
    with pytest.raises(NotFound) as error:
        referral_acts(app).referral(person(app, outsider), referral_id)
    assert error.value.code == "referral.not_found"
    with pytest.raises(NotFound) as error:
        referral_acts(app).acknowledge(person(app, outsider), referral_id)
    assert error.value.code == "referral.not_found"


@pytest.mark.parametrize("insider", ["wang-fang", "zhou-jun", "zhu-xia", "lu-yu", "he-jing"])
def test_both_ends_their_offices_and_a_supervisor_above_both_see_it(demo, insider):
    app = demo.app
    referral_id = sent_referral(app).aggregate.id
    assert referral_acts(app).referral(person(app, insider), referral_id).id == referral_id


def test_a_supervisor_sees_but_does_not_act(demo):
    app = demo.app
    referral_id = sent_referral(app).aggregate.id
    with pytest.raises(Forbidden) as error:
        referral_acts(app).acknowledge(person(app, "he-jing"), referral_id)
    assert error.value.code == "referral.not_your_agency"


def test_an_unknown_referral_is_not_found(demo):
    app = demo.app
    with pytest.raises(NotFound) as error:
        referral_acts(app).referral(person(app, "wang-fang"), uuid4())
    assert error.value.code == "referral.not_found"


# Assistance (协查) ---------------------------------------------------------------------------


def test_an_assistance_request_is_answered_in_writing(demo):
    app = demo.app
    referral_id = sent_assistance(app).aggregate.id
    referral_acts(app).acknowledge(person(app, "zheng-hua"), referral_id)
    saved = referral_acts(app).answer(
        person(app, "zheng-hua"), referral_id, answer="已协助调查，情况属实"
    )
    assert saved.aggregate.status == "answered"
    assert saved.aggregate.deadlines["answer"]["met_at"] == app.clock()
    assert event_names(app, referral_id)[-1] == "Answered"


def test_the_asker_does_not_answer_its_own_request(demo):
    """The brigade lies under the detachment, but does not speak for it."""
    app = demo.app
    referral_id = sent_assistance(app).aggregate.id
    with pytest.raises(Forbidden) as error:
        referral_acts(app).acknowledge(person(app, "jiang-hai"), referral_id)
    assert error.value.code == "referral.not_your_agency"


def test_an_assistance_request_is_answered_not_rejected(demo):
    app = demo.app
    referral_id = sent_assistance(app).aggregate.id
    referral_acts(app).acknowledge(person(app, "zheng-hua"), referral_id)
    with pytest.raises(Conflict) as error:
        referral_acts(app).reject(person(app, "zheng-hua"), referral_id, reason="人手不足")
    assert error.value.code == "referral.wrong_kind"


def test_an_answer_says_something(demo):
    app = demo.app
    referral_id = sent_assistance(app).aggregate.id
    referral_acts(app).acknowledge(person(app, "zheng-hua"), referral_id)
    with pytest.raises(Invalid) as error:
        referral_acts(app).answer(person(app, "zheng-hua"), referral_id, answer="")
    assert error.value.code == "referral.answer_required"


def test_an_assistance_request_is_acknowledged_before_it_is_answered(demo):
    app = demo.app
    referral_id = sent_assistance(app).aggregate.id
    with pytest.raises(Conflict) as error:
        referral_acts(app).answer(person(app, "zheng-hua"), referral_id, answer="已协助")
    assert error.value.code == "referral.not_acknowledged"


def test_a_jurisdiction_referral_is_not_answered(demo):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Conflict) as error:
        referral_acts(app).answer(person(app, "zhu-xia"), referral_id, answer="已查处")
    assert error.value.code == "referral.wrong_kind"


def test_an_assistance_request_needs_its_request_letter(demo):
    app = demo.app
    details = assistance_details(app)
    details["materials"] = []
    saved = referral_acts(app).draft(person(app, "jiang-hai"), details)
    with pytest.raises(Invalid) as error:
        referral_acts(app).approve(person(app, "chu-yan"), saved.aggregate.id)
    assert error.value.code == "referral.materials_incomplete"
