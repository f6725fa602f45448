"""Referral rules on the aggregate itself (given events, when a command, then events or an
error): who may take each step, in which status, with which materials and reasons, and the time
limits counted on the Chinese working-day calendar. The given state is built by the aggregate's
own commands; `given` collects what they recorded, so a test sees only what its command adds.

The few rules that live in the command handlers (an unknown sender or lead, passing a referral
on, the dispute a rejection opens and the settling its decision brings, who may see a referral)
are tested at the end, on the register held in memory."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.calendar import SHANGHAI
from domain.dispute import INTERIM
from domain.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from domain.mechanism import MECHANISMS
from domain.referral import Referral
from domain.referral_rules import check_rereferable
from domain.referral_states import ReferralStatus
from services.handlers.disputes import DisputeHandlers
from services.handlers.referrals import ReferralHandlers
from tests.unit.domain_fixtures import (
    BRIGADE,
    BUREAU,
    CALENDAR,
    CITY_LEGAL,
    DET_OFFICE,
    DETACHMENT,
    GOV,
    LEGAL,
    MARKET,
    NOW,
    OFFICE,
    PATHS,
    POLICE,
    REGION,
    XIQING,
    actor,
    new_events,
    path_of,
    registered_district,
    the_new_event,
)

MARKET_PATH = PATHS[MARKET.code]
S = ReferralStatus
DEFAULT = MECHANISMS["default"]
MATERIALS = [
    {"kind": "referral_letter", "title": "移送函"},
    {"kind": "source_material", "title": "现场检查记录"},
    {"kind": "preliminary_evidence", "title": "现场照片"},
]
DETERMINATION = {"kind": "determination", "title": "市场监管部门认定意见"}
APPRAISAL = {"kind": "appraisal", "title": "危险化学品鉴定结论"}
REQUEST_LETTER = {"kind": "request_letter", "title": "协助调查函"}

WANG = actor("wang-fang", OFFICE, "officer")
WU = actor("wu-gang", OFFICE, "officer")
ZHOU = actor("zhou-jun", OFFICE, "unit_head", "officer")  # heads the office, not the bureau
QIAN = actor("qian-min", BUREAU, "deputy_director")
ZHAO = actor("zhao-qiang", BUREAU, "director")
SUN = actor("sun-li", LEGAL, "legal_head")
ZHU = actor("zhu-xia", MARKET, "officer", "liaison")
LU = actor("lu-yu", MARKET, "director")
JIANG = actor("jiang-hai", BRIGADE, "officer")
CHU = actor("chu-yan", BRIGADE, "unit_head", "officer")
ZHENG = actor("zheng-hua", DETACHMENT, "unit_head", "officer")
CHEN = actor("chen-jie", DET_OFFICE, "officer")
HE = actor("he-jing", GOV, "supervisor")  # oversees the district, acts for no party
LIN = actor("lin-feng", XIQING, "director", "officer")

# Who drafts and sends, and who approves, for each sender; who acknowledges, and who decides,
# for each receiver.
SENDERS = {BUREAU.code: (WANG, QIAN), BRIGADE.code: (JIANG, CHU)}
RECEIVERS = {MARKET.code: (ZHU, LU), DETACHMENT.code: (ZHENG, ZHENG)}


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A Shanghai wall-clock moment: at(2026, 9, 30, 15) is 30 September 2026, 15:00."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def end_of(year: int, month: int, day: int) -> datetime:
    """The end of a working day, when a "N working days" deadline falls due."""
    return datetime(year, month, day, 23, 59, 59, tzinfo=SHANGHAI)


# Builders: each state reached by the aggregate's own commands -------------------------------------


def request(**changes: Any) -> dict[str, Any]:
    """A jurisdiction referral from the district bureau to market regulation, found an hour
    before NOW."""
    drafted_request: dict[str, Any] = {
        "kind": "jurisdiction",
        "from_agency": BUREAU.code,
        "to_agency": MARKET.code,
        "summary": "无营业执照经营危险化学品",
        "found_at": NOW - timedelta(hours=1),
        "place": {"region": REGION, "address": "中塘镇工业园区"},
        "materials": [dict(m) for m in MATERIALS],
    }
    drafted_request.update(changes)
    return drafted_request


def assistance(**changes: Any) -> dict[str, Any]:
    """What `drafted` takes for the 中塘 brigade asking the detachment for help (协查)."""
    return {
        "by": JIANG,
        "sender": BRIGADE,
        "receiver": DETACHMENT,
        "kind": "assistance",
        "summary": "请求协助调查危险化学品储存情况",
        "materials": [dict(REQUEST_LETTER)],
        **changes,
    }


def drafted(
    *,
    by=WANG,
    sender=BUREAU,
    receiver=MARKET,
    mechanism=DEFAULT,
    at=NOW,
    lead_region=None,
    **changes,
) -> Referral:
    """Drafted at `at` by `by` in `sender`'s name; `changes` change the request."""
    changes.setdefault("found_at", at - timedelta(hours=1))
    changes.setdefault("to_agency", receiver.code if receiver else "tj-bh-nowhere")
    referral = Referral.draft(
        referral_id=uuid4(),
        actor=by,
        actor_path=path_of(by),
        sender=sender,
        receiver=receiver,
        request=request(**changes),  # type: ignore[arg-type]
        lead_region=lead_region,
        mechanism=mechanism,
        calendar=CALENDAR,
        at=at,
    )
    return referral


def approved(**draft: Any) -> Referral:
    referral = drafted(**draft)
    _, head = SENDERS[referral.from_agency]
    mechanism = MECHANISMS[referral.mechanism]
    referral.approve(actor=head, path=path_of(head), mechanism=mechanism, at=draft.get("at", NOW))
    return referral


def sent(*, sent_at: datetime | None = None, **draft: Any) -> Referral:
    referral = approved(**draft)
    officer, _ = SENDERS[referral.from_agency]
    referral.send(
        actor=officer,
        path=path_of(officer),
        mechanism=MECHANISMS[referral.mechanism],
        calendar=CALENDAR,
        at=sent_at or draft.get("at", NOW),
    )
    return referral


def acknowledged(**draft: Any) -> Referral:
    referral = sent(**draft)
    officer, _ = RECEIVERS[referral.to_agency]
    referral.acknowledge(actor=officer, path=path_of(officer), at=sent_moment(referral))
    return referral


def accepted(**draft: Any) -> Referral:
    referral = acknowledged(**draft)
    referral.accept(actor=LU, path=MARKET_PATH, at=NOW)
    return referral


def rejected(**draft: Any) -> Referral:
    referral = acknowledged(**draft)
    referral.reject(actor=LU, path=MARKET_PATH, reason="不属于本部门职责", at=NOW)
    return referral


def disputed(bodies: list[str] | None = None, **draft: Any) -> Referral:
    """Rejected by market regulation, then disputed by the bureau before the default ladder's
    bodies (the legal department, then the district government)."""
    referral = rejected(**draft)
    referral.dispute(
        actor=QIAN,
        path=path_of(QIAN),
        dispute_id=uuid4(),
        bodies=[LEGAL.code, GOV.code] if bodies is None else bodies,
        grounds="无证经营危险化学品属市场监管部门查处",
        at=NOW,
    )
    return referral


def answered(**draft: Any) -> Referral:
    referral = acknowledged(**assistance(**draft))
    referral.answer(actor=ZHENG, path=path_of(ZHENG), answer="已协助调查", at=sent_moment(referral))
    return referral


def settle(referral: Referral, lead: str = DETACHMENT.code) -> None:
    """The dispute's decision, taken by the legal department: `lead` must handle it."""
    decision = {"lead": lead, "assisting": [], "joint": [], "reasons": "依职责分工"}
    by = {"officer": SUN.officer_id, "agency": SUN.agency_code, "name": SUN.name}
    referral.settle(dispute_id=uuid4(), decision=decision, by=by, at=NOW)  # type: ignore[arg-type]


def sent_moment(referral: Referral) -> datetime:
    met: datetime = referral.deadlines["send"]["met_at"]
    return met


def given(referral: Referral) -> Referral:
    """The events so far are the given state: collected, so only the next command's show."""
    referral.collect_events()
    return referral


def extend(referral: Referral, until: datetime, reason="样品检测需要较长时间", who=ZHENG, when=NOW):
    referral.extend_answer(actor=who, path=path_of(who), reason=reason, until=until, at=when)


# Drafting -----------------------------------------------------------------------------------------


def test_a_referral_is_made_in_the_bureaus_name_by_its_office():
    drafted_event = the_new_event(drafted(), "Drafted")
    assert drafted_event.kind == "jurisdiction"
    assert (drafted_event.from_agency, drafted_event.to_agency) == (BUREAU.code, MARKET.code)
    assert drafted_event.drafted_in == OFFICE.code
    assert drafted_event.mechanism == "default"
    assert drafted_event.by == {"officer": "wang-fang", "agency": OFFICE.code, "name": "wang-fang"}
    assert drafted_event.details["materials"] == MATERIALS
    assert drafted().status == "draft"


def test_criminal_referrals_are_refused_for_now():
    with pytest.raises(Invalid) as error:
        drafted(receiver=POLICE, kind="criminal")
    assert error.value.code == "referral.kind_not_supported"


def test_an_unknown_kind_is_refused():
    with pytest.raises(Invalid) as error:
        drafted(kind="complaint")
    assert error.value.code == "referral.kind_unknown"


def test_a_finding_cannot_lie_in_the_future():
    with pytest.raises(Invalid) as error:
        drafted(found_at=NOW + timedelta(minutes=5))
    assert error.value.code == "referral.time_in_future"
    assert drafted(found_at=NOW).status == "draft", "found the moment it is drafted"


@pytest.mark.parametrize(
    ("receiver", "code"),
    [
        (None, "referral.receiver_unknown"),
        (BUREAU, "referral.receiver_is_sender"),
        (LEGAL, "referral.receiver_not_competent"),
        (OFFICE, "referral.receiver_not_competent"),
    ],
)
def test_the_receiver_is_another_agency_acting_in_its_own_name(receiver, code):
    with pytest.raises(Invalid) as error:
        drafted(receiver=receiver)
    assert error.value.code == code


@pytest.mark.parametrize(("sender", "by"), [(OFFICE, WANG), (LEGAL, SUN), (DET_OFFICE, CHEN)])
def test_an_internal_office_does_not_refer_in_its_own_name(sender, by):
    """不得以内设机构…的名义移送 (seed 003 §三(一)4): the office refers in its agency's name."""
    with pytest.raises(Forbidden) as error:
        drafted(by=by, sender=sender)
    assert error.value.code == "referral.sender_not_competent"


def test_no_agency_refers_in_the_name_of_another():
    with pytest.raises(Forbidden) as error:
        drafted(by=ZHU, sender=BUREAU, receiver=DETACHMENT)
    assert error.value.code == "referral.not_your_agency"


def test_a_brigade_does_not_refer_in_the_bureaus_name():
    """The brigade lies under the bureau in the tree, but acts in its own name."""
    with pytest.raises(Forbidden) as error:
        drafted(by=JIANG, sender=BUREAU)
    assert error.value.code == "referral.not_your_agency"


def test_a_brigade_refers_in_its_own_name_approved_by_its_head_not_the_bureaus():
    referral = given(drafted(by=JIANG, sender=BRIGADE))
    assert referral.from_agency == BRIGADE.code
    with pytest.raises(Forbidden) as error:
        referral.approve(actor=QIAN, path=path_of(QIAN), mechanism=DEFAULT, at=NOW)
    assert error.value.code == "referral.not_your_agency", "the bureau is not the brigade"
    referral.approve(actor=CHU, path=path_of(CHU), mechanism=DEFAULT, at=NOW)
    assert the_new_event(referral, "Approved").by["officer"] == "chu-yan"


@pytest.mark.parametrize(
    ("material", "code"),
    [
        ({"kind": "hearsay", "title": "传闻"}, "referral.material_kind_unknown"),
        ({"kind": "other", "title": "  "}, "referral.material_title_required"),
        ({"kind": "other"}, "referral.material_title_required"),
    ],
)
def test_a_material_has_a_known_kind_and_a_title(material, code):
    with pytest.raises(Invalid) as error:
        drafted(materials=[*MATERIALS, material])
    assert error.value.code == code
    referral = given(drafted())
    with pytest.raises(Invalid) as error:
        referral.attach_material(actor=WANG, path=path_of(WANG), material=material, at=NOW)
    assert error.value.code == code
    assert new_events(referral) == []


# The lead of a cross-region matter (seed 001): the agency where it occurred -----------------------


def test_the_receiver_leads_by_default_and_in_the_place_that_is_no_remark():
    details = the_new_event(drafted(), "Drafted").details
    assert (details["lead_agency"], details["lead_outside_place"]) == (MARKET.code, False)


def test_a_lead_named_outside_the_place_is_marked():
    referral = drafted(lead_agency=XIQING.code, lead_region=XIQING.region)  # 西青区
    assert referral.details["lead_agency"] == XIQING.code
    assert referral.details["lead_outside_place"] is True


def test_a_lead_named_in_the_place_is_no_remark():
    referral = drafted(receiver=XIQING, lead_agency=MARKET.code, lead_region=REGION)
    assert referral.details["lead_agency"] == MARKET.code
    assert referral.details["lead_outside_place"] is False


def test_a_receiver_outside_the_place_leading_is_marked():
    referral = drafted(receiver=XIQING)
    assert referral.details["lead_agency"] == XIQING.code
    assert referral.details["lead_outside_place"] is True


# A violation in progress (seed 000 §三(二)(1)) ----------------------------------------------------


def test_a_violation_in_progress_is_stopped_and_the_receiver_told_with_the_draft():
    referral = drafted(violation_in_progress=True)
    events = referral.collect_events()
    assert [type(e).__name__ for e in events] == ["Drafted", "InProgressNotified"]
    notified = events[1]
    assert (notified.at, notified.by["agency"]) == (NOW, OFFICE.code)
    assert referral.details["violation_in_progress"] is True
    assert referral.details["stop_ordered_at"] == NOW


def test_a_violation_not_in_progress_is_not_notified_ahead():
    referral = drafted()
    assert new_events(referral) == ["Drafted"]
    assert "stop_ordered_at" not in referral.details


# Materials per mechanism (domain/mechanism.py) ----------------------------------------------------


@pytest.mark.parametrize("missing", ["referral_letter", "source_material", "preliminary_evidence"])
def test_a_referral_without_its_standard_materials_is_not_approved(missing):
    referral = given(drafted(materials=[m for m in MATERIALS if m["kind"] != missing]))
    with pytest.raises(Invalid) as error:
        referral.approve(actor=QIAN, path=path_of(QIAN), mechanism=DEFAULT, at=NOW)
    assert error.value.code == "referral.materials_incomplete"
    assert missing in error.value.detail
    assert new_events(referral) == []
    material = next(m for m in MATERIALS if m["kind"] == missing)
    referral.attach_material(actor=WANG, path=path_of(WANG), material=material, at=NOW)  # type: ignore[arg-type]
    assert the_new_event(referral, "MaterialAttached").material == material
    referral.approve(actor=QIAN, path=path_of(QIAN), mechanism=DEFAULT, at=NOW)
    assert new_events(referral) == ["Approved"]


@pytest.mark.parametrize("name", ["default", "binhai", "pingdingshan"])
def test_the_standard_materials_suffice_except_under_licheng(name):
    referral = given(drafted(mechanism=MECHANISMS[name]))
    assert referral.mechanism == name
    referral.approve(actor=QIAN, path=path_of(QIAN), mechanism=MECHANISMS[name], at=NOW)
    assert new_events(referral) == ["Approved"]


@pytest.mark.parametrize(
    ("carried", "missing"),
    [
        ([], ["appraisal", "determination"]),
        ([DETERMINATION], ["appraisal"]),
        ([APPRAISAL], ["determination"]),
    ],
)
def test_licheng_asks_the_determination_and_the_appraisal_too(carried, missing):
    licheng = MECHANISMS["licheng"]
    referral = drafted(mechanism=licheng, materials=[*MATERIALS, *carried])
    with pytest.raises(Invalid) as error:
        referral.approve(actor=QIAN, path=path_of(QIAN), mechanism=licheng, at=NOW)
    assert error.value.code == "referral.materials_incomplete"
    assert all(kind in error.value.detail for kind in missing)


def test_a_licheng_referral_with_every_material_is_approved_and_sent():
    licheng = MECHANISMS["licheng"]
    referral = given(drafted(mechanism=licheng))
    for material in (DETERMINATION, APPRAISAL):
        referral.attach_material(actor=WANG, path=path_of(WANG), material=material, at=NOW)  # type: ignore[arg-type]
    referral.approve(actor=QIAN, path=path_of(QIAN), mechanism=licheng, at=NOW)
    referral.send(actor=WANG, path=path_of(WANG), mechanism=licheng, calendar=CALENDAR, at=NOW)
    assert new_events(referral) == ["MaterialAttached", "MaterialAttached", "Approved", "Sent"]
    assert {m["kind"] for m in referral.materials} == {
        "referral_letter",
        "source_material",
        "preliminary_evidence",
        "determination",
        "appraisal",
    }


def test_sending_checks_the_materials_again():
    """Approved under the default mechanism, it is still judged by the one it is sent under."""
    referral = given(approved())
    with pytest.raises(Invalid) as error:
        referral.send(
            actor=WANG,
            path=path_of(WANG),
            mechanism=MECHANISMS["licheng"],
            calendar=CALENDAR,
            at=NOW,
        )
    assert error.value.code == "referral.materials_incomplete"
    assert new_events(referral) == []


@pytest.mark.parametrize("name", sorted(MECHANISMS))
def test_an_assistance_request_needs_its_request_letter(name):
    mechanism = MECHANISMS[name]
    referral = drafted(**assistance(materials=[], mechanism=mechanism))
    with pytest.raises(Invalid) as error:
        referral.approve(actor=CHU, path=path_of(CHU), mechanism=mechanism, at=NOW)
    assert error.value.code == "referral.materials_incomplete"
    assert "request_letter" in error.value.detail


# The lifecycle, step by step (domain/referral_states.py) ------------------------------------------


def test_the_sender_drafts_approves_and_sends():
    referral = approved()
    referral.send(actor=WANG, path=PATHS[OFFICE.code], mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    assert new_events(referral) == ["Drafted", "Approved", "Sent"]
    assert referral.status == "sent"


def test_a_referral_goes_from_draft_to_its_reported_outcome():
    referral = given(drafted())
    assert referral.status == "draft"
    referral.approve(actor=QIAN, path=path_of(QIAN), mechanism=DEFAULT, at=NOW)
    assert (new_events(referral), referral.status) == (["Approved"], "approved")
    referral.send(actor=WANG, path=path_of(WANG), mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    assert (new_events(referral), referral.status) == (["Sent"], "sent")
    referral.acknowledge(actor=ZHU, path=MARKET_PATH, at=NOW)
    assert (new_events(referral), referral.status) == (["Acknowledged"], "acknowledged")
    referral.accept(actor=LU, path=MARKET_PATH, at=NOW)
    assert (new_events(referral), referral.status) == (["Accepted"], "accepted")
    referral.report_outcome(actor=ZHU, path=MARKET_PATH, outcome="已立案查处，罚款五万元", at=NOW)
    assert (new_events(referral), referral.status) == (["OutcomeReported"], "concluded")
    assert referral.handler == MARKET.code
    assert referral.outcome == "已立案查处，罚款五万元"


def test_the_outcome_is_recorded_with_who_reported_it():
    referral = given(accepted())
    referral.report_outcome(actor=ZHU, path=MARKET_PATH, outcome="已立案查处", at=NOW)
    reported = the_new_event(referral, "OutcomeReported")
    assert (reported.outcome, reported.by["officer"], reported.at) == ("已立案查处", "zhu-xia", NOW)


def test_a_draft_is_not_sent_before_its_approval():
    with pytest.raises(Conflict) as error:
        drafted().send(actor=WANG, path=path_of(WANG), mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    assert error.value.code == "referral.not_approved"


def test_a_referral_is_approved_once_and_then_takes_no_more_materials():
    referral = given(approved())
    with pytest.raises(Conflict) as error:
        referral.approve(actor=ZHAO, path=path_of(ZHAO), mechanism=DEFAULT, at=NOW)
    assert error.value.code == "referral.not_draft"
    material = {"kind": "other", "title": "补充材料"}
    with pytest.raises(Conflict) as error:
        referral.attach_material(actor=WANG, path=path_of(WANG), material=material, at=NOW)  # type: ignore[arg-type]
    assert error.value.code == "referral.not_draft"
    assert new_events(referral) == []


def test_a_draft_is_not_acknowledged_by_the_receiver():
    with pytest.raises(Conflict) as error:
        approved().acknowledge(actor=ZHU, path=MARKET_PATH, at=NOW)
    assert error.value.code == "referral.not_sent"


def test_a_referral_is_acknowledged_once():
    with pytest.raises(Conflict) as error:
        acknowledged().acknowledge(actor=ZHU, path=MARKET_PATH, at=NOW)
    assert error.value.code == "referral.not_sent"


@pytest.mark.parametrize("act", ["accept", "reject"])
def test_the_receiver_acknowledges_before_it_accepts_or_rejects(act):
    referral = sent()
    with pytest.raises(Conflict) as error:
        if act == "accept":
            referral.accept(actor=LU, path=MARKET_PATH, at=NOW)
        else:
            referral.reject(actor=LU, path=MARKET_PATH, reason="不属于本部门职责", at=NOW)
    assert error.value.code == "referral.not_acknowledged"


@pytest.mark.parametrize("given_state", [accepted, rejected, disputed])
@pytest.mark.parametrize("act", ["accept", "reject"])
def test_a_decided_referral_is_not_decided_again(given_state, act):
    """Not "not acknowledged" but "already decided": the receiver has decided."""
    referral = given_state()
    with pytest.raises(Conflict) as error:
        if act == "accept":
            referral.accept(actor=LU, path=MARKET_PATH, at=NOW)
        else:
            referral.reject(actor=LU, path=MARKET_PATH, reason="不属于本部门职责", at=NOW)
    assert error.value.code == "referral.already_decided"


def test_accepting_a_concluded_referral_names_the_real_rule():
    """The receiver has decided already: not "not acknowledged" but "already decided"."""
    referral = approved()
    referral.send(actor=WANG, path=PATHS[OFFICE.code], mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    referral.acknowledge(actor=ZHU, path=MARKET_PATH, at=NOW)
    referral.accept(actor=LU, path=MARKET_PATH, at=NOW)
    referral.report_outcome(actor=ZHU, path=MARKET_PATH, outcome="已立案查处", at=NOW)
    for act in (referral.accept, lambda **kw: referral.reject(reason="不属于本部门", **kw)):
        with pytest.raises(DomainError) as error:
            act(actor=LU, path=MARKET_PATH, at=NOW)
        assert error.value.code == "referral.already_decided"


@pytest.mark.parametrize("given_state", [acknowledged, rejected])
def test_the_outcome_is_reported_only_after_acceptance(given_state):
    with pytest.raises(Conflict) as error:
        given_state().report_outcome(actor=ZHU, path=MARKET_PATH, outcome="已查处", at=NOW)
    assert error.value.code == "referral.not_accepted"


def test_the_outcome_is_reported_once():
    referral = accepted()
    referral.report_outcome(actor=ZHU, path=MARKET_PATH, outcome="已查处", at=NOW)
    with pytest.raises(Conflict) as error:
        referral.report_outcome(actor=LU, path=MARKET_PATH, outcome="再次通报", at=NOW)
    assert error.value.code == "referral.not_accepted"


def test_an_outcome_says_something():
    with pytest.raises(Invalid) as error:
        accepted().report_outcome(actor=ZHU, path=MARKET_PATH, outcome=" ", at=NOW)
    assert error.value.code == "referral.outcome_required"


# Rejection ----------------------------------------------------------------------------------------


def test_a_rejection_records_its_reason():
    referral = given(acknowledged())
    referral.reject(actor=LU, path=MARKET_PATH, reason="不属于本部门职责", at=NOW)
    rejection = the_new_event(referral, "Rejected")
    assert (rejection.reason, rejection.by["officer"]) == ("不属于本部门职责", "lu-yu")
    assert (referral.status, referral.rejection) == ("rejected", "不属于本部门职责")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(reason):
    referral = given(acknowledged())
    with pytest.raises(Invalid) as error:
        referral.reject(actor=LU, path=MARKET_PATH, reason=reason, at=NOW)
    assert error.value.code == "referral.reason_required"
    assert new_events(referral) == []
    assert referral.status == "acknowledged"


# Who takes each step ------------------------------------------------------------------------------


@pytest.mark.parametrize("head", [QIAN, ZHAO])
def test_the_sending_agencys_heads_approve(head):
    referral = given(drafted())
    referral.approve(actor=head, path=path_of(head), mechanism=DEFAULT, at=NOW)
    assert the_new_event(referral, "Approved").by["officer"] == head.officer_id
    assert referral.status == "approved"


def test_an_officer_does_not_approve():
    with pytest.raises(Forbidden) as error:
        drafted().approve(actor=WU, path=path_of(WU), mechanism=DEFAULT, at=NOW)
    assert error.value.code == "auth.role_missing"


def test_the_head_of_an_internal_office_is_not_the_agencys_head():
    """部门相关负责人 (seed 000 §三(二)(3)): the bureau's leaders, not its office's head."""
    with pytest.raises(Forbidden) as error:
        drafted().approve(actor=ZHOU, path=path_of(ZHOU), mechanism=DEFAULT, at=NOW)
    assert error.value.code == "referral.not_agency_head"


def test_the_receivers_head_does_not_approve_for_the_sender():
    with pytest.raises(Forbidden) as error:
        drafted().approve(actor=LU, path=MARKET_PATH, mechanism=DEFAULT, at=NOW)
    assert error.value.code == "referral.not_your_agency"


def test_only_the_sender_sends():
    referral = approved()
    with pytest.raises(Forbidden) as error:
        referral.send(actor=ZHU, path=MARKET_PATH, mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    assert error.value.code == "referral.not_your_agency"


def test_only_the_sender_attaches_materials():
    material = {"kind": "determination", "title": "认定意见"}
    with pytest.raises(Forbidden) as error:
        drafted().attach_material(actor=ZHU, path=MARKET_PATH, material=material, at=NOW)  # type: ignore[arg-type]
    assert error.value.code == "referral.not_your_agency"


def test_the_receivers_officer_acknowledges_not_the_sender():
    referral = given(sent())
    with pytest.raises(Forbidden) as error:
        referral.acknowledge(actor=WANG, path=path_of(WANG), at=NOW)
    assert error.value.code == "referral.not_your_agency"
    referral.acknowledge(actor=ZHU, path=MARKET_PATH, at=NOW)
    assert the_new_event(referral, "Acknowledged").by["agency"] == MARKET.code
    assert referral.status == "acknowledged"


def test_a_supervisor_above_both_does_not_act_for_either():
    with pytest.raises(Forbidden) as error:
        sent().acknowledge(actor=HE, path=path_of(HE), at=NOW)
    assert error.value.code == "referral.not_your_agency"


def test_only_the_receivers_head_accepts():
    referral = given(acknowledged())
    with pytest.raises(Forbidden) as error:
        referral.accept(actor=ZHU, path=MARKET_PATH, at=NOW)
    assert error.value.code == "auth.role_missing"
    with pytest.raises(Forbidden) as error:
        referral.accept(actor=QIAN, path=path_of(QIAN), at=NOW)
    assert error.value.code == "referral.not_your_agency"
    referral.accept(actor=LU, path=MARKET_PATH, at=NOW)
    assert new_events(referral) == ["Accepted"]
    assert (referral.status, referral.handler) == ("accepted", MARKET.code)


def test_only_the_receivers_head_rejects():
    referral = acknowledged()
    with pytest.raises(Forbidden) as error:
        referral.reject(actor=ZHU, path=MARKET_PATH, reason="不属于本部门职责", at=NOW)
    assert error.value.code == "auth.role_missing"
    with pytest.raises(Forbidden) as error:
        referral.reject(actor=ZHAO, path=path_of(ZHAO), reason="不属于本部门职责", at=NOW)
    assert error.value.code == "referral.not_your_agency"


def test_the_handler_reports_the_outcome_not_the_sender():
    with pytest.raises(Forbidden) as error:
        accepted().report_outcome(actor=WANG, path=path_of(WANG), outcome="已查处", at=NOW)
    assert error.value.code == "referral.not_your_agency"


# Assistance (协查) --------------------------------------------------------------------------------


def test_an_assistance_request_is_answered_in_writing():
    referral = given(acknowledged(**assistance()))
    referral.answer(actor=ZHENG, path=path_of(ZHENG), answer="已协助调查，情况属实", at=NOW)
    answer = the_new_event(referral, "Answered")
    assert (answer.answer, answer.late, answer.by["agency"]) == (
        "已协助调查，情况属实",
        False,
        DETACHMENT.code,
    )
    assert referral.status == "answered"
    assert referral.deadlines["answer"]["met_at"] == NOW


def test_the_asker_does_not_answer_its_own_request():
    """The brigade lies under the detachment, but does not speak for it."""
    referral = sent(**assistance())
    with pytest.raises(Forbidden) as error:
        referral.acknowledge(actor=JIANG, path=path_of(JIANG), at=NOW)
    assert error.value.code == "referral.not_your_agency"
    referral.acknowledge(actor=ZHENG, path=path_of(ZHENG), at=NOW)
    with pytest.raises(Forbidden) as error:
        referral.answer(actor=JIANG, path=path_of(JIANG), answer="已协助", at=NOW)
    assert error.value.code == "referral.not_your_agency"


def test_an_assistance_request_is_answered_not_rejected():
    with pytest.raises(Conflict) as error:
        acknowledged(**assistance()).reject(
            actor=ZHENG, path=path_of(ZHENG), reason="人手不足", at=NOW
        )
    assert error.value.code == "referral.wrong_kind"


@pytest.mark.parametrize("text", ["", "  "])
def test_an_answer_says_something(text):
    with pytest.raises(Invalid) as error:
        acknowledged(**assistance()).answer(actor=ZHENG, path=path_of(ZHENG), answer=text, at=NOW)
    assert error.value.code == "referral.answer_required"


def test_an_assistance_request_is_acknowledged_before_it_is_answered():
    with pytest.raises(Conflict) as error:
        sent(**assistance()).answer(actor=ZHENG, path=path_of(ZHENG), answer="已协助", at=NOW)
    assert error.value.code == "referral.not_acknowledged"


def test_an_assistance_request_is_answered_once():
    with pytest.raises(Conflict) as error:
        answered().answer(actor=ZHENG, path=path_of(ZHENG), answer="补充答复", at=NOW)
    assert error.value.code == "referral.already_decided"


def test_a_jurisdiction_referral_is_not_answered():
    with pytest.raises(Conflict) as error:
        acknowledged().answer(actor=ZHU, path=MARKET_PATH, answer="已查处", at=NOW)
    assert error.value.code == "referral.wrong_kind"


def test_a_jurisdiction_referral_has_no_answer_to_extend():
    with pytest.raises(Conflict) as error:
        extend(acknowledged(), end_of(2026, 12, 31), reason="需要检测", who=ZHU)
    assert error.value.code == "referral.wrong_kind"


# The send deadline: 3 or 5 working days by mechanism, 24 hours when urgent ------------------------


def send_deadline(found: datetime, mechanism: str = "default", **changes: Any) -> dict[str, Any]:
    """The time limit the Drafted event sets for a referral found at `found`, drafted an hour
    later."""
    referral = drafted(
        found_at=found, at=found + timedelta(hours=1), mechanism=MECHANISMS[mechanism], **changes
    )
    [deadline] = the_new_event(referral, "Drafted").deadlines
    return dict(deadline)


def test_a_referral_is_sent_within_3_working_days_by_default():
    deadline = send_deadline(at(2026, 11, 23, 9))  # a Monday
    assert deadline == {
        "name": "send",
        "start": at(2026, 11, 23, 9),
        "due_at": end_of(2026, 11, 26),
        "rule": "3 working days",
        "provisional": False,
    }


@pytest.mark.parametrize(
    ("name", "rule", "due"),
    [
        ("binhai", "3 working days", end_of(2026, 11, 26)),
        ("pingdingshan", "3 working days", end_of(2026, 11, 26)),
        ("licheng", "5 working days", end_of(2026, 11, 30)),
    ],
)
def test_each_mechanism_sets_its_own_number_of_working_days(name, rule, due):
    deadline = send_deadline(at(2026, 11, 23, 9), name)  # a Monday
    assert (deadline["rule"], deadline["due_at"]) == (rule, due)


def test_licheng_gives_5_working_days():
    deadline = send_deadline(at(2026, 11, 23, 9), "licheng")
    assert (deadline["due_at"], deadline["rule"]) == (end_of(2026, 11, 30), "5 working days")


@pytest.mark.parametrize(
    ("finding", "due"),
    [
        # Wednesday before National Day: 8, 9 and Saturday 10 October (worked).
        (at(2026, 9, 30, 15), end_of(2026, 10, 10)),
        # Friday 18 September: Sunday the 20th is worked, then 21 and 22.
        (at(2026, 9, 18, 16), end_of(2026, 9, 22)),
        # Thursday before Mid-Autumn and National Day: 28, 29, 30 September.
        (at(2026, 9, 24, 10), end_of(2026, 9, 30)),
        # Friday before the Spring Festival: Saturday 14 February (worked), 24, 25.
        (at(2026, 2, 13, 11), end_of(2026, 2, 25)),
        # Thursday 12 February: 13, Saturday 14 (worked), then 24 after the holiday.
        (at(2026, 2, 12, 11), end_of(2026, 2, 24)),
    ],
)
def test_3_working_days_skip_the_holidays_and_count_the_worked_weekends(finding, due):
    deadline = send_deadline(finding)
    assert (deadline["due_at"], deadline["provisional"]) == (due, False)


@pytest.mark.parametrize(
    ("finding", "due"),
    [
        # 8, 9, Saturday 10, 12, 13 October.
        (at(2026, 9, 30, 15), end_of(2026, 10, 13)),
        # Saturday 14 February (worked), 24, 25, 26, 27.
        (at(2026, 2, 13, 11), end_of(2026, 2, 27)),
        # 26, 27, Saturday 28 February (worked), 2 and 3 March.
        (at(2026, 2, 25, 11), end_of(2026, 3, 3)),
    ],
)
def test_5_working_days_skip_the_holidays_and_count_the_worked_weekends(finding, due):
    deadline = send_deadline(finding, "licheng")
    assert (deadline["due_at"], deadline["rule"]) == (due, "5 working days")


def test_a_deadline_reaching_into_a_year_without_a_schedule_is_provisional():
    # Wednesday 30 December 2026: the 2027 holidays are not published yet, so 1 January counts.
    deadline = send_deadline(at(2026, 12, 30, 9))
    assert (deadline["due_at"], deadline["provisional"]) == (end_of(2027, 1, 4), True)


@pytest.mark.parametrize("name", ["default", "licheng"])
def test_an_urgent_referral_is_sent_within_24_hours_holiday_or_not(name):
    deadline = send_deadline(at(2026, 9, 30, 15), name, urgent=True)
    assert (deadline["due_at"], deadline["rule"]) == (at(2026, 10, 1, 15), "24 hours")
    assert deadline["provisional"] is False


# Sending late: sent all the same, marked late -----------------------------------------------------

EVERY_MATERIAL = [*MATERIALS, DETERMINATION, APPRAISAL]


def sent_after_finding(
    found: datetime, sent_at: datetime, mechanism: str = "default", **changes: Any
) -> Referral:
    referral = given(
        approved(
            found_at=found,
            at=found + timedelta(hours=1),
            mechanism=MECHANISMS[mechanism],
            materials=[dict(m) for m in EVERY_MATERIAL],
            **changes,
        )
    )
    referral.send(
        actor=WANG,
        path=path_of(WANG),
        mechanism=MECHANISMS[mechanism],
        calendar=CALENDAR,
        at=sent_at,
    )
    return referral


@pytest.mark.parametrize(
    ("sent_at", "late"),
    [
        (at(2026, 10, 10, 20), False),  # the worked Saturday, before its end
        (end_of(2026, 10, 10), False),  # the deadline's last second
        (at(2026, 10, 11, 0, 0, 1), True),
        (at(2026, 10, 12, 9), True),
    ],
)
def test_a_late_referral_is_sent_but_marked_late(sent_at, late):
    referral = sent_after_finding(at(2026, 9, 30, 15), sent_at)
    sent_event = the_new_event(referral, "Sent")
    assert (sent_event.late, sent_event.at, sent_event.deadlines) == (late, sent_at, [])
    assert referral.status == "sent"
    assert referral.sent_late is late
    assert referral.deadlines["send"]["met_at"] == sent_at


@pytest.mark.parametrize(
    ("sent_at", "late"), [(at(2026, 11, 24, 9), False), (at(2026, 11, 24, 9, 1), True)]
)
def test_an_urgent_referral_sent_after_24_hours_is_late(sent_at, late):
    referral = sent_after_finding(at(2026, 11, 23, 9), sent_at, urgent=True)
    assert the_new_event(referral, "Sent").late is late


@pytest.mark.parametrize(("name", "late"), [("default", True), ("licheng", False)])
def test_a_week_later_is_late_by_default_but_not_under_licheng(name, late):
    """Sent on Monday 30 November: within 5 working days of Monday the 23rd, not within 3."""
    referral = sent_after_finding(at(2026, 11, 23, 9), at(2026, 11, 30, 17), name)
    assert the_new_event(referral, "Sent").late is late


def test_a_referral_sent_at_once_meets_its_send_deadline():
    referral = sent()
    assert referral.deadlines["send"]["met_at"] == NOW
    assert referral.sent_late is False


# The answer deadline: 5 working days of receipt, 24 hours when urgent -----------------------------


def answer_deadline(sent_at: datetime, **changes: Any) -> dict[str, Any]:
    """The answer's time limit the Sent event of an assistance request sets."""
    referral = given(approved(**assistance(at=sent_at, **changes)))
    referral.send(
        actor=JIANG,
        path=path_of(JIANG),
        mechanism=MECHANISMS[referral.mechanism],
        calendar=CALENDAR,
        at=sent_at,
    )
    [deadline] = the_new_event(referral, "Sent").deadlines
    assert referral.deadlines["answer"] == deadline
    return dict(deadline)


@pytest.mark.parametrize(
    ("sent_at", "due"),
    [
        (at(2026, 11, 23, 10), end_of(2026, 11, 30)),
        (at(2026, 9, 30, 15), end_of(2026, 10, 13)),  # over National Day
        (at(2026, 2, 13, 11), end_of(2026, 2, 27)),  # over the Spring Festival
        (at(2026, 2, 25, 11), end_of(2026, 3, 3)),  # the worked Saturday 28 February
    ],
)
def test_an_assistance_request_is_answered_within_5_working_days_of_receipt(sent_at, due):
    deadline = answer_deadline(sent_at)
    assert deadline == {
        "name": "answer",
        "start": sent_at,
        "due_at": due,
        "rule": "5 working days",
        "provisional": False,
    }


@pytest.mark.parametrize("name", sorted(MECHANISMS))
def test_the_answer_deadline_is_5_working_days_under_every_mechanism(name):
    deadline = answer_deadline(at(2026, 11, 23, 10), mechanism=MECHANISMS[name])
    assert deadline["due_at"] == end_of(2026, 11, 30)


def test_no_answer_is_due_before_the_request_is_sent():
    referral = drafted(**assistance())
    assert set(referral.deadlines) == {"send"}
    assert referral.details["on_scene_requested"] is False


def test_urgent_assistance_asks_for_presence_on_the_scene_within_24_hours():
    deadline = answer_deadline(at(2026, 9, 30, 15), urgent=True)
    assert (deadline["due_at"], deadline["rule"]) == (at(2026, 10, 1, 15), "24 hours")
    assert drafted(**assistance(urgent=True)).details["on_scene_requested"] is True


def test_an_urgent_referral_does_not_ask_for_presence_on_the_scene():
    assert drafted(urgent=True).details["on_scene_requested"] is False


def acknowledged_assistance(sent_at: datetime | None = None) -> Referral:
    """Sent on 30 September 2026 unless told (answer due at the end of 13 October), and
    acknowledged."""
    return given(acknowledged(**assistance(at=sent_at or at(2026, 9, 30, 15))))


@pytest.mark.parametrize(
    ("answered_at", "late"), [(end_of(2026, 11, 30), False), (at(2026, 12, 1, 8), True)]
)
def test_a_late_answer_is_marked_late(answered_at, late):
    referral = acknowledged_assistance(at(2026, 11, 23, 10))
    referral.answer(actor=ZHENG, path=path_of(ZHENG), answer="已协助调查", at=answered_at)
    answer = the_new_event(referral, "Answered")
    assert (answer.late, answer.at) == (late, answered_at)
    assert referral.deadlines["answer"]["met_at"] == answered_at


# Extending the answer: once, with a reason, to a later date ---------------------------------------


def test_the_asked_agency_extends_the_answer_once():
    referral = acknowledged_assistance()
    extend(referral, end_of(2026, 10, 23), when=at(2026, 10, 9, 10))
    extension = the_new_event(referral, "AnswerExtended")
    assert extension.reason == "样品检测需要较长时间"
    assert extension.deadline == {
        "name": "answer",
        "start": end_of(2026, 10, 23),
        "due_at": end_of(2026, 10, 23),
        "rule": "fixed",
        "provisional": False,
    }
    assert referral.extended is True
    assert referral.deadlines["answer"]["due_at"] == end_of(2026, 10, 23)
    with pytest.raises(Conflict) as error:
        extend(referral, end_of(2026, 10, 30), when=at(2026, 10, 12, 10))
    assert error.value.code == "referral.already_extended"
    assert new_events(referral) == []


def test_an_answer_within_the_extension_is_on_time():
    referral = acknowledged_assistance()
    extend(referral, end_of(2026, 10, 23), when=at(2026, 10, 9, 10))
    referral.answer(actor=ZHENG, path=path_of(ZHENG), answer="检测完毕", at=at(2026, 10, 20, 10))
    assert new_events(referral) == ["AnswerExtended", "Answered"]
    assert referral.deadlines["answer"]["met_at"] == at(2026, 10, 20, 10)


def test_an_answer_after_the_extension_is_late():
    referral = acknowledged_assistance()
    extend(referral, end_of(2026, 10, 23), when=at(2026, 10, 9, 10))
    referral.collect_events()
    referral.answer(actor=ZHENG, path=path_of(ZHENG), answer="检测完毕", at=at(2026, 10, 26, 9))
    assert the_new_event(referral, "Answered").late is True


def test_an_answer_may_be_extended_before_the_request_is_acknowledged():
    referral = given(sent(**assistance(at=at(2026, 9, 30, 15))))
    extend(referral, end_of(2026, 10, 23), when=at(2026, 10, 9, 10))
    assert new_events(referral) == ["AnswerExtended"]
    assert referral.status == "sent"


@pytest.mark.parametrize("until", [end_of(2026, 10, 13), at(2026, 10, 12, 18)])
def test_the_new_date_lies_after_the_current_one(until):
    referral = acknowledged_assistance()
    with pytest.raises(Invalid) as error:
        extend(referral, until, when=at(2026, 10, 9, 10))
    assert error.value.code == "referral.extension_not_later"
    assert referral.extended is False


@pytest.mark.parametrize("reason", ["", " "])
def test_an_extension_gives_its_reason(reason):
    with pytest.raises(Invalid) as error:
        extend(acknowledged_assistance(), end_of(2026, 10, 23), reason=reason)
    assert error.value.code == "referral.reason_required"


def test_only_the_asked_agency_extends():
    with pytest.raises(Forbidden) as error:
        extend(acknowledged_assistance(), end_of(2026, 10, 23), who=JIANG)
    assert error.value.code == "referral.not_your_agency"


def test_an_answered_request_is_not_extended():
    with pytest.raises(Conflict) as error:
        extend(answered(), end_of(2026, 12, 31))
    assert error.value.code == "referral.not_open"


# Disputing a rejection ----------------------------------------------------------------------------


def test_the_sender_disputes_a_rejection_before_the_ladders_bodies():
    referral = given(rejected())
    dispute_id = uuid4()
    referral.dispute(
        actor=QIAN,
        path=path_of(QIAN),
        dispute_id=dispute_id,
        bodies=[LEGAL.code, GOV.code],
        grounds="属市场监管职责",
        at=NOW,
    )
    dispute = the_new_event(referral, "Disputed")
    assert (dispute.dispute_id, dispute.bodies, dispute.grounds) == (
        str(dispute_id),
        [LEGAL.code, GOV.code],
        "属市场监管职责",
    )
    assert (referral.status, referral.dispute_id) == ("disputed", str(dispute_id))
    assert referral.observers == [LEGAL.code, GOV.code]


@pytest.mark.parametrize("given_state", [acknowledged, accepted, disputed])
def test_only_a_rejected_referral_is_disputed(given_state):
    with pytest.raises(Conflict) as error:
        given_state().dispute(
            actor=QIAN,
            path=path_of(QIAN),
            dispute_id=uuid4(),
            bodies=[],
            grounds="再次提请",
            at=NOW,
        )
    assert error.value.code == "referral.not_rejected"


def test_only_the_sender_disputes_a_rejection():
    with pytest.raises(Forbidden) as error:
        rejected().dispute(
            actor=LU, path=MARKET_PATH, dispute_id=uuid4(), bodies=[], grounds="属应急职责", at=NOW
        )
    assert error.value.code == "referral.not_your_agency"


@pytest.mark.parametrize("grounds", ["", "  "])
def test_a_dispute_states_its_grounds(grounds):
    referral = given(rejected())
    with pytest.raises(Invalid) as error:
        referral.dispute(
            actor=QIAN, path=path_of(QIAN), dispute_id=uuid4(), bodies=[], grounds=grounds, at=NOW
        )
    assert error.value.code == "dispute.grounds_required"
    assert new_events(referral) == []


# Settled by the dispute's decision ----------------------------------------------------------------


def test_a_decision_settles_the_referral_with_the_designated_handler():
    referral = given(disputed())
    settle(referral, lead=DETACHMENT.code)  # neither party: the detachment
    settled = the_new_event(referral, "Settled")
    assert settled.decision["lead"] == DETACHMENT.code
    assert settled.by["agency"] == LEGAL.code
    assert (referral.status, referral.handler) == ("accepted", DETACHMENT.code)
    assert referral.decision["lead"] == DETACHMENT.code


def test_the_designated_handler_reports_the_outcome_not_the_receiver():
    referral = disputed()
    settle(referral, lead=DETACHMENT.code)
    given(referral)
    with pytest.raises(Forbidden) as error:
        referral.report_outcome(actor=ZHU, path=MARKET_PATH, outcome="已查处", at=NOW)
    assert error.value.code == "referral.not_your_agency"
    referral.report_outcome(actor=ZHENG, path=path_of(ZHENG), outcome="已立案查处", at=NOW)
    assert new_events(referral) == ["OutcomeReported"]
    assert referral.status == "concluded"


@pytest.mark.parametrize("given_state", [rejected, accepted])
def test_only_a_disputed_referral_is_settled(given_state):
    with pytest.raises(Conflict) as error:
        settle(given_state())
    assert error.value.code == "referral.not_disputed"


# Passing a referral on (domain/referral_rules.py check_rereferable) -------------------------------


@pytest.mark.parametrize("status", [S.REJECTED, S.DISPUTED])
def test_a_rejected_or_disputed_status_bars_passing_it_on(status):
    with pytest.raises(Conflict) as error:
        check_rereferable(status)
    assert error.value.code == "referral.disputed_cannot_rerefer"


@pytest.mark.parametrize("status", [s for s in S if s not in (S.REJECTED, S.DISPUTED)])
def test_no_other_status_bars_passing_it_on(status):
    assert check_rereferable(status) is None


@pytest.mark.parametrize("given_state", [rejected, disputed])
def test_a_rejected_or_disputed_referral_is_not_referred_on(given_state):
    referral = given_state()
    with pytest.raises(Conflict) as error:
        check_rereferable(referral.status, was_disputed=referral.dispute_id is not None)
    assert error.value.code == "referral.disputed_cannot_rerefer"


def test_a_referral_settled_by_a_dispute_stays_with_the_designated_handler():
    referral = disputed()
    settle(referral, lead=MARKET.code)
    assert referral.status == "accepted"
    with pytest.raises(Conflict) as error:
        check_rereferable(referral.status, was_disputed=referral.dispute_id is not None)
    assert error.value.code == "referral.disputed_cannot_rerefer"


def test_an_accepted_referral_may_be_referred_on():
    referral = accepted()
    assert check_rereferable(referral.status, was_disputed=referral.dispute_id is not None) is None
    onward = drafted(by=ZHU, sender=MARKET, receiver=DETACHMENT, onward_from=str(referral.id))
    assert the_new_event(onward, "Drafted").details["onward_from"] == str(referral.id)


# Rules that live in the command handler (services/handlers/referrals.py) and in who may see a
# referral (services/access.py, projections/referral_document.py), on the register held in
# memory: no database, no container.


def test_an_unknown_sender_is_refused():
    with pytest.raises(Invalid) as error:
        ReferralHandlers(registered_district()).draft(WANG, request(from_agency="tj-bh-nowhere"))  # type: ignore[arg-type]
    assert error.value.code == "referral.sender_unknown"


def test_an_unknown_lead_is_refused():
    with pytest.raises(Invalid) as error:
        ReferralHandlers(registered_district()).draft(WANG, request(lead_agency="tj-nowhere"))  # type: ignore[arg-type]
    assert error.value.code == "referral.lead_unknown"


def test_the_leads_region_is_read_from_the_register_not_the_request():
    acts = ReferralHandlers(registered_district())
    inside = acts.draft(WANG, request(lead_agency=MARKET.code, to_agency=XIQING.code))  # type: ignore[arg-type]
    assert inside.aggregate.details["lead_outside_place"] is False
    claimed = request(to_agency=XIQING.code, lead_region=REGION)
    assert acts.draft(WANG, claimed).aggregate.details["lead_outside_place"] is True  # type: ignore[arg-type]


def test_only_the_receiver_passes_a_referral_on():
    app = registered_district()
    earlier = accepted()
    app.save(earlier)
    acts = ReferralHandlers(app)
    with pytest.raises(Forbidden) as error:
        acts.draft(WANG, request(to_agency=DETACHMENT.code, onward_from=str(earlier.id)))  # type: ignore[arg-type]
    assert error.value.code == "referral.not_receiver"
    onward = request(
        from_agency=MARKET.code, to_agency=DETACHMENT.code, onward_from=str(earlier.id)
    )
    passed = acts.draft(ZHU, onward).aggregate  # type: ignore[arg-type]
    assert (passed.from_agency, passed.details["onward_from"]) == (MARKET.code, str(earlier.id))


@pytest.mark.parametrize("given_state", [rejected, disputed])
def test_the_handler_refuses_to_pass_on_a_rejected_or_disputed_referral(given_state):
    app = registered_district()
    earlier = given_state()
    app.save(earlier)
    onward = request(
        from_agency=MARKET.code, to_agency=DETACHMENT.code, onward_from=str(earlier.id)
    )
    with pytest.raises(Conflict) as error:
        ReferralHandlers(app).draft(ZHU, onward)  # type: ignore[arg-type]
    assert error.value.code == "referral.disputed_cannot_rerefer"


def test_disputing_a_rejection_opens_a_dispute_between_sender_and_receiver_on_its_ladder():
    app = registered_district()
    referral = rejected()
    app.save(referral)
    saved = ReferralHandlers(app).dispute(QIAN, referral.id, grounds="属市场监管职责")
    assert (saved.aggregate.status, saved.aggregate.observers) == (
        "disputed",
        [LEGAL.code, GOV.code],
    )
    dispute = DisputeHandlers(app).dispute(LU, UUID(saved.aggregate.dispute_id))
    assert dispute.parties == [BUREAU.code, MARKET.code]
    assert [r["agency"] for r in dispute.rungs] == [None, LEGAL.code, GOV.code]
    assert dispute.details["ladder"] == "referral"
    assert dispute.details["referral_id"] == str(referral.id)
    assert dispute.details["interim"] == INTERIM


def test_the_decision_on_a_disputed_referral_settles_the_referral():
    app = registered_district()
    referral = rejected()
    app.save(referral)
    saved = ReferralHandlers(app).dispute(QIAN, referral.id, grounds="属市场监管职责")
    dispute_id = UUID(saved.aggregate.dispute_id)
    DisputeHandlers(app).escalate(QIAN, dispute_id, reason="协商不成")
    DisputeHandlers(app).decide(SUN, dispute_id, {"handler": DETACHMENT.code})
    settled = ReferralHandlers(app).referral(ZHENG, referral.id)  # the handler now sees it
    assert (settled.status, settled.handler) == ("accepted", DETACHMENT.code)
    assert settled.decision["lead"] == DETACHMENT.code


def test_a_draft_is_the_senders_alone():
    app = registered_district()
    referral = approved()
    app.save(referral)
    acts = ReferralHandlers(app)
    assert acts.referral(WANG, referral.id).status == "approved"
    for receiver in (ZHU, LU):
        with pytest.raises(NotFound) as error:
            acts.referral(receiver, referral.id)
        assert error.value.code == "referral.not_found"
    with pytest.raises(NotFound) as error:
        acts.acknowledge(ZHU, referral.id)
    assert error.value.code == "referral.not_found"


def test_the_receiver_sees_a_draft_at_once_when_told_of_a_violation_in_progress():
    app = registered_district()
    referral = drafted(violation_in_progress=True)
    app.save(referral)
    seen = ReferralHandlers(app).referral(ZHU, referral.id)
    assert (seen.status, seen.details["stop_ordered_at"]) == ("draft", NOW)


def test_only_the_two_ends_their_offices_and_those_above_both_see_a_sent_referral():
    app = registered_district()
    referral = sent()
    app.save(referral)
    acts = ReferralHandlers(app)
    for insider in (WANG, ZHOU, ZHU, LU, HE):
        assert acts.referral(insider, referral.id).id == referral.id
    for outsider in (JIANG, CHU, ZHENG, LIN):
        with pytest.raises(NotFound) as error:
            acts.referral(outsider, referral.id)
        assert error.value.code == "referral.not_found"


def test_the_bodies_deciding_a_dispute_about_it_see_the_referral():
    """Here the city's legal body, which sees nothing of the district otherwise."""
    app = registered_district()
    tang = actor("tang-ning", CITY_LEGAL, "legal_head")
    referral = disputed(bodies=[CITY_LEGAL.code])
    other = rejected()
    app.save(referral, other)
    assert ReferralHandlers(app).referral(tang, referral.id).status == "disputed"
    with pytest.raises(NotFound) as error:
        ReferralHandlers(app).referral(tang, other.id)
    assert error.value.code == "referral.not_found", "it sees only what is disputed before it"


def test_an_unknown_referral_is_not_found():
    with pytest.raises(NotFound) as error:
        ReferralHandlers(registered_district()).referral(WANG, uuid4())
    assert error.value.code == "referral.not_found"
