"""Meeting rules on the aggregate itself (given events, when a command, then events or an
error): who convenes each kind of meeting and in whose name, what a call carries, the topics and
materials circulated at least 3 working days ahead (later is allowed and recorded late, a call at
shorter notice is recorded as short notice), each invitee's answer, the meeting held with those
absent without reason recorded, the minutes drafted, signed at a case review, approved by the
convening agency's own head, issued within 5 working days and acknowledged, their follow-up
items, a postponement or a cancellation, and a consultation by letter (seed 000 §三(一), seed 001
§三(一), seed 003 §三(四), seed 004 §三(二)).

The given state is built by the aggregate's own commands; `given` collects what they recorded,
so a test sees only what its command adds. Time limits are counted on the real 2026 holiday
calendar; each example is worked out by hand in its comment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.calendar import SHANGHAI
from domain.errors import Conflict, Forbidden, Invalid, RoleMissing
from domain.meeting import JointMeeting
from domain.meeting_events import Answer, MeetingKind, PassedUpTo
from domain.meeting_states import MEETING_LIFECYCLE
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef
from projections.meeting_document import MEETING_FOLD
from projections.records import to_record
from services.handlers.meetings import MeetingHandlers
from tests.districts import at, end_of
from tests.unit.domain_fixtures import (
    BRIGADE,
    BUREAU,
    CALENDAR,
    CITY,
    CITY_LEGAL,
    DET_OFFICE,
    DETACHMENT,
    GOV,
    JOINT_OFFICE,
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
    registered_district,
    the_new_event,
)

K = MeetingKind
# A district's comprehensive enforcement bureau (seed 003), which the demo tree lacks.
ZONGHE = AgencyRef("tj-bh-zhzfj", AgencyKind.COMPREHENSIVE_ENFORCEMENT_BUREAU, REGION)
TREE = {**PATHS, ZONGHE.code: AgencyPath([ZONGHE, GOV])}

QIAN = actor("qian-min", BUREAU, "deputy_director")  # a head of the bureau
ZHAO = actor("zhao-qiang", BUREAU, "director")
LIU = actor("liu-yang", BUREAU, "officer")  # works in the bureau itself, heads nothing
WANG = actor("wang-fang", OFFICE, "officer")  # the bureau's office: acts in the bureau's name
ZHOU = actor("zhou-jun", OFFICE, "unit_head", "officer")  # heads the office, not the bureau
SUN = actor("sun-li", LEGAL, "legal_head")
MA = actor("ma-jun", JOINT_OFFICE, "unit_head", "liaison")
KONG = actor("kong-wei", BUREAU, "supervisor")  # oversees, acts for nobody
ZHENG = actor("zheng-hua", DETACHMENT, "unit_head", "officer")
FENG = actor("feng-tao", DET_OFFICE, "unit_head", "officer")
CHEN = actor("chen-jie", DET_OFFICE, "officer")  # the detachment's office: speaks for it
JIANG = actor("jiang-hai", BRIGADE, "officer")  # a brigade acts in its own name, no one else's
CHU = actor("chu-yan", BRIGADE, "unit_head", "officer")
ZHU = actor("zhu-xia", MARKET, "officer", "liaison")
LU = actor("lu-yu", MARKET, "director")
QIN = actor("qin-song", POLICE, "officer", "liaison")
GAO = actor("gao-yuan", GOV, "director")
LIN = actor("lin-feng", XIQING, "director", "officer")  # another district, never invited here
DONG = actor("dong-hui", CITY, "director")  # the city bureau
TANG = actor("tang-ning", CITY_LEGAL, "legal_head")  # the city bureau's legal department
HUANG = actor("huang-bin", ZONGHE, "director")

MEETS = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)  # a Friday; NOW is Monday the 23rd
HELD_AT = datetime(2026, 11, 27, 11, 0, tzinfo=SHANGHAI)
POSTPONED_TO = datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI)  # the Thursday after
APPROVED_AT = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
ISSUED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
REPORTED_AT = datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI)
INVITED = (DETACHMENT.code, MARKET.code)
TOPICS = ["研究市场监管局退回移送案件的管辖问题"]
PLACE = {"region": REGION, "address": "区应急局三楼会议室"}
MATERIALS = [{"title": "案件移送函及退回理由", "uri": None, "sha256": None}]
CASE_ID = str(uuid4())
DISPUTE_ID = str(uuid4())


def path(person: Actor) -> AgencyPath:
    """The tree as a rule sees it from where the person works."""
    return TREE[person.agency_code]


# Builders: what the acts carry --------------------------------------------------------------------


def subject(case_id=None, referral_id=None, dispute_id=None) -> dict[str, Any]:
    return {"case_id": case_id, "referral_id": referral_id, "dispute_id": dispute_id}


def agenda(kind: MeetingKind) -> dict[str, Any]:
    """A case review discusses its case; a joint meeting has the dispute on its agenda."""
    if kind == K.CASE_REVIEW:
        return subject(case_id=CASE_ID)
    if kind == K.JOINT_MEETING:
        return subject(dispute_id=DISPUTE_ID)
    return subject()


def rep(person: Actor) -> dict[str, str]:
    return {"officer": person.officer_id, "name": person.name}


def present(agency: AgencyRef, *people: Actor) -> dict[str, Any]:
    return {"agency": agency.code, "officers": [rep(p) for p in people]}


# The convener and both invitees of the default meeting, each there.
EVERYONE = [present(BUREAU, QIAN), present(DETACHMENT, ZHENG), present(MARKET, ZHU)]
# A case review of the bureau with the detachment: two of the bureau's people and one of its.
REVIEWERS = [present(BUREAU, QIAN, SUN), present(DETACHMENT, ZHENG)]
CASE_REVIEW = {"kind": K.CASE_REVIEW, "invitees": (DETACHMENT.code,), "attended": REVIEWERS}


def follow_up(agency: str = DETACHMENT.code, due: str = "2026-12-10", task: str = "送达处罚决定书"):
    return {"task": task, "agency": agency, "due": due}


def settlement(dispute_id: str = DISPUTE_ID, lead: str = MARKET.code) -> dict[str, Any]:
    decision = {"lead": lead, "assisting": [], "joint": [], "reasons": "属市场监管职责"}
    return {"dispute_id": dispute_id, "decision": decision}


def decision(item="1", text="由执法支队送达处罚决定", follow_up=None, settles=None):
    return {"item": item, "text": text, "follow_up": follow_up, "settles": settles}


def passed_up(matter="法律适用问题", to=PassedUpTo.DISTRICT_LEGAL_DEPARTMENT, agency=LEGAL.code):
    return {"matter": matter, "to": to, "agency": agency}


def minutes(*decisions: dict[str, Any], text="经会议研究，形成如下决定", passed=()):
    return {"text": text, "decisions": list(decisions), "passed_up": list(passed)}


FOLLOWED_UP = minutes(decision("1", follow_up=follow_up()))


# Builders: the acts -------------------------------------------------------------------------------


def convene(
    kind: MeetingKind = K.JOINT_MEETING,
    *,
    by: Actor = QIAN,
    invitees=INVITED,
    topics=TOPICS,
    starts_at: datetime = MEETS,
    place=PLACE,
    subject: dict[str, Any] | None = None,
    at: datetime = NOW,
) -> JointMeeting:
    return JointMeeting.convene(
        meeting_id=uuid4(),
        actor=by,
        actor_path=path(by),
        kind=kind,
        invitees=list(invitees),
        topics=list(topics),
        starts_at=starts_at,
        place=dict(place),  # type: ignore[arg-type]
        subject=agenda(kind) if subject is None else subject,  # type: ignore[arg-type]
        calendar=CALENDAR,
        at=at,
    )


def circulate(meeting: JointMeeting, by: Actor = QIAN, at: datetime = NOW, materials=MATERIALS):
    meeting.circulate(actor=by, path=path(by), materials=list(materials), at=at)


def answer(meeting: JointMeeting, who: Actor, answer: Answer, reason=None, representatives=None):
    meeting.answer(
        actor=who,
        path=path(who),
        answer=answer,
        representatives=[rep(who)] if representatives is None else representatives,
        reason=reason,
        at=NOW,
    )


def attends(meeting: JointMeeting, who: Actor) -> None:
    answer(meeting, who, Answer.ATTENDS)


def declines(meeting: JointMeeting, who: Actor, reason="当日另有执法任务") -> None:
    answer(meeting, who, Answer.DECLINES, reason=reason, representatives=[])


def postpone(meeting, to=POSTPONED_TO, reason="主要参会人员出差", by=QIAN, at=NOW):
    meeting.postpone(actor=by, path=path(by), starts_at=to, reason=reason, calendar=CALENDAR, at=at)


def cancel(meeting: JointMeeting, reason: str = "争议双方已协商一致", by: Actor = QIAN) -> None:
    meeting.cancel(actor=by, path=path(by), reason=reason, at=NOW)


def hold(meeting: JointMeeting, attended=None, by: Actor = QIAN, at: datetime = HELD_AT) -> None:
    meeting.hold(
        actor=by, path=path(by), attended=EVERYONE if attended is None else attended, at=at
    )


def draft(meeting: JointMeeting, text=FOLLOWED_UP, by: Actor = QIAN, at: datetime = HELD_AT):
    meeting.draft_minutes(actor=by, path=path(by), minutes=text, at=at)


def sign(meeting: JointMeeting, who: Actor) -> None:
    meeting.sign_minutes(actor=who, path=path(who), at=HELD_AT)


def approve(meeting: JointMeeting, who: Actor = ZHAO, at: datetime = APPROVED_AT):
    meeting.approve_minutes(actor=who, path=path(who), at=at)


def issue(meeting: JointMeeting, by: Actor = QIAN, at: datetime = ISSUED_AT) -> None:
    meeting.issue_minutes(actor=by, path=path(by), at=at)


def acknowledge(meeting: JointMeeting, who: Actor) -> None:
    meeting.acknowledge(actor=who, path=path(who), at=at(2026, 12, 1, 15))


def report(meeting, who=ZHENG, item="1", text="已送达处罚决定书", at=REPORTED_AT):
    meeting.report_follow_up(actor=who, path=path(who), item=item, report=text, at=at)


def answer_letter(meeting: JointMeeting, who: Actor, text="同意函中意见", at=NOW) -> None:
    meeting.answer_letter(actor=who, path=path(who), text=text, at=at)


def conclude(meeting: JointMeeting, conclusion="按多数意见办理", by: Actor = QIAN) -> None:
    meeting.conclude(actor=by, path=path(by), conclusion=conclusion, at=at(2026, 12, 2, 10))


def send_letter(*, by=QIAN, consulted=INVITED, letter="关于危险化学品监管职责的征求意见函"):
    return JointMeeting.send_letter(
        meeting_id=uuid4(),
        actor=by,
        actor_path=path(by),
        consulted=list(consulted),
        topics=TOPICS,
        letter=letter,
        subject=subject(),  # type: ignore[arg-type]
        calendar=CALENDAR,
        at=NOW,
    )


# Builders: each state reached by the aggregate's own commands -------------------------------------


def given(meeting: JointMeeting) -> JointMeeting:
    """The events so far are the given state: collected, so only the next command's show."""
    meeting.collect_events()
    return meeting


def convened(**call: Any) -> JointMeeting:
    return given(convene(**call))


def circulated(**call: Any) -> JointMeeting:
    """Convened and circulated at NOW, each act by whoever called it (钱敏 by default)."""
    meeting = convene(**call)
    circulate(meeting, by=call.get("by", QIAN))
    return given(meeting)


def held(*, attended=None, **call: Any) -> JointMeeting:
    """Circulated at NOW and held on Friday 27 November, everyone there by default."""
    meeting = circulated(**call)
    hold(meeting, attended, by=call.get("by", QIAN))
    return given(meeting)


def drafted(text=FOLLOWED_UP, **call: Any) -> JointMeeting:
    meeting = held(**call)
    draft(meeting, text, by=call.get("by", QIAN))
    return given(meeting)


def signed(**call: Any) -> JointMeeting:
    """A case review's minutes drafted and signed by everyone who was there."""
    meeting = drafted(**{**CASE_REVIEW, **call})
    for who in (QIAN, SUN, ZHENG):
        sign(meeting, who)
    return given(meeting)


def approved(text=FOLLOWED_UP, **call: Any) -> JointMeeting:
    meeting = drafted(text, **call)
    approve(meeting)
    return given(meeting)


def issued(text=FOLLOWED_UP, **call: Any) -> JointMeeting:
    """Issued on Tuesday 1 December with decision 1's follow-up item for the detachment."""
    meeting = approved(text, **call)
    issue(meeting)
    return given(meeting)


def letter_sent(**letter: Any) -> JointMeeting:
    return given(send_letter(**letter))


def deadlines_of(event: Any) -> dict[str, dict[str, Any]]:
    return {d["name"]: dict(d) for d in event.deadlines}


# Convening: by an agency acting in its own name ---------------------------------------------------


def test_a_joint_meeting_is_convened_by_the_bureau_in_its_own_name():
    convening = the_new_event(convene(), "Convened")
    assert (convening.kind, convening.form) == ("joint_meeting", "meeting")
    assert (convening.convener, convening.convened_in) == (BUREAU.code, BUREAU.code)
    assert convening.invitees == [DETACHMENT.code, MARKET.code]
    assert (convening.topics, convening.starts_at, convening.place) == (TOPICS, MEETS, PLACE)
    assert convening.subject == subject(dispute_id=DISPUTE_ID)
    assert convening.short_notice is False
    assert convening.by == {"officer": "qian-min", "agency": BUREAU.code, "name": "qian-min"}
    assert convene().status == "convened"


@pytest.mark.parametrize(
    ("kind", "by", "convener"),
    [
        (K.JOINT_MEETING, WANG, BUREAU),  # the bureau's office
        (K.JOINT_MEETING, MA, BUREAU),  # the joint conference office under the bureau
        (K.CASE_REVIEW, SUN, BUREAU),  # the legal department calls a case review (seed 004)
        (K.CONSULTATION, CHEN, DETACHMENT),  # the detachment's office
        (K.JOINT_CONFERENCE, TANG, CITY),  # an office of the city bureau
    ],
    ids=["bureau-office", "joint-conference-office", "legal", "detachment-office", "city"],
)
def test_an_officer_of_an_internal_office_convenes_in_its_agencys_name(kind, by, convener):
    invitees = [c for c in (MARKET.code, POLICE.code, DETACHMENT.code) if c != convener.code]
    convening = the_new_event(convene(kind, by=by, invitees=invitees), "Convened")
    assert (convening.convener, convening.convened_in) == (convener.code, by.agency_code)


@pytest.mark.parametrize(
    ("kind", "by"),
    [
        (K.JOINT_MEETING, QIAN),  # 区应急局联席会议 (seed 000)
        (K.CONSULTATION, QIAN),  # 工作会商 (seed 000 §三(一))
        (K.CONSULTATION, ZHENG),  # the detachment
        (K.CONSULTATION, LU),  # a functional department (seed 003 §三(四))
        (K.CONSULTATION, HUANG),  # the comprehensive enforcement bureau (seed 003 §三(四))
        (K.CONSULTATION, DONG),  # the city bureau
        (K.JOINT_CONFERENCE, DONG),  # 全市联席会议 (seed 001 §三(一))
        (K.SPECIAL_TOPIC, HUANG),  # 专题会议 on a major case clue (seed 003 §三(四))
        (K.SPECIAL_TOPIC, QIAN),
        (K.CASE_REVIEW, QIAN),  # 案审会 (seed 004)
    ],
    ids=lambda value: getattr(value, "officer_id", value),
)
def test_each_kind_is_convened_by_the_agencies_it_belongs_to(kind, by):
    invitees = [c for c in (MARKET.code, DETACHMENT.code) if c != by.agency_code]
    meeting = convene(kind, by=by, invitees=invitees)
    assert (meeting.kind, meeting.convener) == (kind, by.agency_code)


@pytest.mark.parametrize(
    ("kind", "by"),
    [
        (K.JOINT_MEETING, JIANG),  # a brigade, though it lies under the bureau
        (K.JOINT_MEETING, CHU),  # nor its head
        (K.JOINT_MEETING, ZHENG),  # the detachment
        (K.JOINT_MEETING, LU),  # a functional department
        (K.JOINT_MEETING, DONG),  # the city bureau calls the city-wide conference instead
        (K.CONSULTATION, CHU),  # a brigade does not call a consultation either
        (K.CONSULTATION, QIN),  # public security
        (K.CONSULTATION, GAO),  # the district government
        (K.JOINT_CONFERENCE, QIAN),  # the city-wide conference is the city bureau's
        (K.SPECIAL_TOPIC, ZHENG),
        (K.SPECIAL_TOPIC, LU),
        (K.CASE_REVIEW, ZHENG),  # the bureau's case review, not the detachment's
        (K.CASE_REVIEW, CHU),
    ],
    ids=lambda value: getattr(value, "officer_id", value),
)
def test_no_other_agency_convenes_that_kind(kind, by):
    with pytest.raises(Forbidden) as error:
        convene(kind, by=by, invitees=[XIQING.code])
    assert error.value.code == "meeting.convener_not_competent"


def test_an_internal_office_convenes_only_what_its_agency_may():
    """The detachment's office acts in the detachment's name, which calls no joint meeting."""
    with pytest.raises(Forbidden) as error:
        convene(K.JOINT_MEETING, by=CHEN, invitees=[MARKET.code])
    assert error.value.code == "meeting.convener_not_competent"


def test_convening_needs_a_role_that_acts_for_the_agency():
    with pytest.raises(RoleMissing) as error:
        convene(by=KONG)
    assert error.value.code == "auth.role_missing"


def test_a_meeting_invites_at_least_one_agency():
    with pytest.raises(Invalid) as error:
        convene(invitees=[])
    assert error.value.code == "meeting.invitees_required"


@pytest.mark.parametrize("by", [QIAN, WANG], ids=["bureau", "its-office"])
def test_the_convener_does_not_invite_itself(by):
    """Called from the bureau's office, the meeting is the bureau's: it does not invite it."""
    with pytest.raises(Invalid) as error:
        convene(by=by, invitees=[MARKET.code, BUREAU.code])
    assert error.value.code == "meeting.convener_invited"


def test_an_agency_named_twice_is_invited_once():
    meeting = convene(invitees=[MARKET.code, DETACHMENT.code, MARKET.code])
    assert meeting.invitees == [MARKET.code, DETACHMENT.code]


@pytest.mark.parametrize("topics", [[], [""], ["研究管辖问题", "  "]], ids=["none", "blank", "one"])
def test_a_meeting_has_its_topics_none_blank(topics):
    with pytest.raises(Invalid) as error:
        convene(topics=topics)
    assert error.value.code == "meeting.topics_required"


@pytest.mark.parametrize("starts_at", [NOW, at(2026, 11, 23, 9)], ids=["now", "an-hour-ago"])
def test_a_meeting_is_called_for_a_time_to_come(starts_at):
    with pytest.raises(Invalid) as error:
        convene(starts_at=starts_at)
    assert error.value.code == "meeting.time_in_past"


@pytest.mark.parametrize("address", ["", "  "])
def test_a_meeting_says_where_it_meets(address):
    with pytest.raises(Invalid) as error:
        convene(place={"region": REGION, "address": address})
    assert error.value.code == "meeting.place_required"


def test_a_case_review_names_the_case_it_discusses():
    with pytest.raises(Invalid) as error:
        convene(K.CASE_REVIEW, subject=subject())
    assert error.value.code == "meeting.case_required"
    assert convene(K.CASE_REVIEW).subject["case_id"] == CASE_ID
    assert convene(K.SPECIAL_TOPIC, subject=subject()).status == "convened", "no case needed"


# Notice: materials by the latest day giving 3 working days, minutes within 5 ----------------------


def test_a_meeting_is_given_its_materials_and_minutes_deadlines():
    # Friday 27 November is the 3rd working day after Tuesday the 24th (25, 26, 27): materials
    # by the end of the 24th. Minutes: 30 November, 1, 2, 3, 4 December.
    assert deadlines_of(the_new_event(convene(), "Convened")) == {
        "materials": {
            "name": "materials",
            "start": MEETS,
            "due_at": end_of(2026, 11, 24),
            "rule": "3 working days before",
            "provisional": False,
        },
        "minutes": {
            "name": "minutes",
            "start": MEETS,
            "due_at": end_of(2026, 12, 4),
            "rule": "5 working days",
            "provisional": False,
        },
    }


def test_each_deadline_is_recomputed_from_its_rule_and_start():
    """What a subscriber does when a holiday schedule is published."""
    for deadline in the_new_event(convene(), "Convened").deadlines:
        recomputed = CALENDAR.compute(deadline["rule"], deadline["start"])
        assert (recomputed.due_at, recomputed.rule) == (deadline["due_at"], deadline["rule"])


@pytest.mark.parametrize(
    ("convened_at", "starts_at", "short"),
    [
        # Monday 23rd for Thursday 26th: 24, 25, 26 — three working days' notice.
        (NOW, at(2026, 11, 26, 9), False),
        # Monday 23rd for Wednesday 25th: 24, 25 — two.
        (NOW, at(2026, 11, 25, 9), True),
        # Friday 20th for Wednesday 25th: 23, 24, 25 over the weekend — three.
        (at(2026, 11, 20, 16), at(2026, 11, 25, 9), False),
        # Friday 20th for Tuesday 24th: 23, 24 — two.
        (at(2026, 11, 20, 16), at(2026, 11, 24, 9), True),
        # Monday 23rd for that afternoon.
        (NOW, at(2026, 11, 23, 15), True),
    ],
    ids=["three-days", "two-days", "over-a-weekend", "two-over-a-weekend", "same-day"],
)
def test_a_meeting_called_at_less_than_3_working_days_notice_is_recorded_short_notice(
    convened_at, starts_at, short
):
    meeting = convene(starts_at=starts_at, at=convened_at)
    assert the_new_event(meeting, "Convened").short_notice is short
    assert meeting.status == "convened", "called all the same"


@pytest.mark.parametrize(
    ("starts_at", "due"),
    [
        # Thursday 8 October is the 3rd working day after Monday 28 September (29, 30 September,
        # 8 October: 1–7 October are off); after the 29th it is only the 2nd.
        (at(2026, 10, 8, 9), end_of(2026, 9, 28)),
        # Friday 9 October: 30 September, 8, 9 October after Tuesday 29 September.
        (at(2026, 10, 9, 9), end_of(2026, 9, 29)),
        # Monday 12 October: 9, Saturday 10 (worked), 12 after Thursday 8 October.
        (at(2026, 10, 12, 9), end_of(2026, 10, 8)),
    ],
    ids=["thursday-8", "friday-9", "monday-12"],
)
def test_the_materials_deadline_counts_back_across_national_day(starts_at, due):
    deadline = convene(starts_at=starts_at, at=at(2026, 9, 1, 9)).deadlines["materials"]
    assert (deadline["due_at"], deadline["provisional"]) == (due, False)


@pytest.mark.parametrize(
    ("starts_at", "due"),
    [
        # Tuesday 24 February is the 3rd working day after Thursday 12 February (13, Saturday 14
        # worked, 24: 15–23 February are off).
        (at(2026, 2, 24, 9), end_of(2026, 2, 12)),
        # Wednesday 25 February: 14, 24, 25 after Friday 13 February.
        (at(2026, 2, 25, 9), end_of(2026, 2, 13)),
        # Thursday 26 February: 24, 25, 26 after Monday 23 February, the last day off — the
        # latest day giving 3 working days' notice is a holiday.
        (at(2026, 2, 26, 9), end_of(2026, 2, 23)),
        # Monday 2 March: 27, Saturday 28 February (worked), 2 March after Thursday 26 February.
        (at(2026, 3, 2, 9), end_of(2026, 2, 26)),
    ],
    ids=["tuesday-24", "wednesday-25", "thursday-26", "monday-2-march"],
)
def test_the_materials_deadline_counts_back_across_the_spring_festival(starts_at, due):
    deadline = convene(starts_at=starts_at, at=at(2026, 1, 5, 9)).deadlines["materials"]
    assert (deadline["due_at"], deadline["provisional"]) == (due, False)


@pytest.mark.parametrize(
    ("starts_at", "due"),
    [
        # Monday 28 September: 29, 30 September, 8, 9 and Saturday 10 October (worked).
        (at(2026, 9, 28, 9), end_of(2026, 10, 10)),
        # Wednesday 30 September: 8, 9, Saturday 10, 12, 13 October.
        (at(2026, 9, 30, 9), end_of(2026, 10, 13)),
    ],
    ids=["monday-28-to-a-saturday", "wednesday-30"],
)
def test_the_minutes_deadline_counts_forward_across_national_day(starts_at, due):
    deadline = convene(starts_at=starts_at, at=at(2026, 9, 1, 9)).deadlines["minutes"]
    assert (deadline["due_at"], deadline["provisional"]) == (due, False)


@pytest.mark.parametrize(
    ("starts_at", "due"),
    [
        # Thursday 12 February: 13, Saturday 14 (worked), 24, 25, 26 February.
        (at(2026, 2, 12, 9), end_of(2026, 2, 26)),
        # Friday 13 February: Saturday 14 (worked), 24, 25, 26, 27 February.
        (at(2026, 2, 13, 9), end_of(2026, 2, 27)),
        # On Saturday 14 February, a working day: 24, 25, 26, 27 and Saturday 28 (worked).
        (at(2026, 2, 14, 9), end_of(2026, 2, 28)),
    ],
    ids=["thursday-12", "friday-13", "saturday-14-to-a-saturday"],
)
def test_the_minutes_deadline_counts_forward_across_the_spring_festival(starts_at, due):
    deadline = convene(starts_at=starts_at, at=at(2026, 1, 5, 9)).deadlines["minutes"]
    assert (deadline["due_at"], deadline["provisional"]) == (due, False)


@pytest.mark.parametrize(
    ("starts_at", "materials", "minutes"),
    [
        # Monday 11 January 2027, weekends only: materials after Wednesday 6 January (7, 8, 11);
        # minutes 12, 13, 14, 15, 18 January.
        (at(2027, 1, 11, 9), end_of(2027, 1, 6), end_of(2027, 1, 18)),
        # Monday 4 January 2027: Friday 1 January counts as worked (its holiday is not yet
        # published), so materials after Wednesday 30 December 2026 (31, 1, 4); minutes 5, 6, 7,
        # 8, 11 January.
        (at(2027, 1, 4, 9), end_of(2026, 12, 30), end_of(2027, 1, 11)),
    ],
    ids=["mid-january", "new-years-day-counted"],
)
def test_a_meeting_in_a_year_without_a_published_schedule_gets_provisional_deadlines(
    starts_at, materials, minutes
):
    deadlines = deadlines_of(the_new_event(convene(starts_at=starts_at), "Convened"))
    assert {name: (d["due_at"], d["provisional"]) for name, d in deadlines.items()} == {
        "materials": (materials, True),
        "minutes": (minutes, True),
    }


# Circulating the topics and materials -------------------------------------------------------------


def test_the_convener_circulates_the_materials_to_every_invitee():
    meeting = convened()
    circulate(meeting)
    circulation = the_new_event(meeting, "MaterialsCirculated")
    assert circulation.materials == MATERIALS
    assert circulation.recipients == [DETACHMENT.code, MARKET.code]
    assert (circulation.late, circulation.by["officer"]) == (False, "qian-min")
    assert meeting.status == "circulated"


@pytest.mark.parametrize(
    ("circulated_at", "late"),
    [
        (end_of(2026, 11, 24), False),  # the last moment giving 3 working days' notice
        (at(2026, 11, 25), True),
        (at(2026, 11, 27, 8), True),  # an hour before it meets
    ],
    ids=["on-the-last-day", "the-day-after", "the-morning-of"],
)
def test_materials_circulated_after_their_deadline_are_circulated_but_recorded_late(
    circulated_at, late
):
    meeting = convened()
    circulate(meeting, at=circulated_at)
    assert the_new_event(meeting, "MaterialsCirculated").late is late
    assert meeting.status == "circulated"


def test_the_materials_of_a_meeting_called_at_short_notice_are_necessarily_late():
    """Called on Monday 23rd for Wednesday 25th: the last day giving 3 working days' notice,
    Sunday the 22nd, had passed when it was called."""
    meeting = convened(starts_at=at(2026, 11, 25, 9))
    circulate(meeting)
    assert the_new_event(meeting, "MaterialsCirculated").late is True


def test_an_officer_of_the_conveners_office_acts_in_its_name():
    meeting = convened(by=WANG)
    circulate(meeting, by=WANG)
    hold(meeting, by=WANG)
    draft(meeting, by=WANG)
    assert new_events(meeting) == ["MaterialsCirculated", "Held", "MinutesDrafted"]


@pytest.mark.parametrize("title", ["", "  "])
def test_each_material_has_a_title(title):
    meeting = convened()
    with pytest.raises(Invalid) as error:
        circulate(meeting, materials=[*MATERIALS, {"title": title, "uri": None, "sha256": None}])
    assert error.value.code == "meeting.material_title_required"
    assert new_events(meeting) == []


def test_the_materials_are_circulated_once():
    with pytest.raises(Conflict) as error:
        circulate(circulated())
    assert error.value.code == "meeting.not_convened"


# Only the convener takes the convener's acts ------------------------------------------------------

CONVENERS_ACTS = {
    "circulate": (convened, lambda m, who: circulate(m, by=who)),
    "postpone": (convened, lambda m, who: postpone(m, by=who)),
    "cancel": (convened, lambda m, who: cancel(m, by=who)),
    "hold": (circulated, lambda m, who: hold(m, by=who)),
    "draft_minutes": (held, lambda m, who: draft(m, by=who)),
    "issue_minutes": (approved, lambda m, who: issue(m, by=who)),
    "conclude": (letter_sent, lambda m, who: conclude(m, by=who)),
}


@pytest.mark.parametrize("who", [ZHU, JIANG], ids=["an-invitee", "a-brigade-under-the-bureau"])
@pytest.mark.parametrize("act", list(CONVENERS_ACTS))
def test_only_the_convener_takes_the_conveners_acts(act, who):
    state, take = CONVENERS_ACTS[act]
    meeting = state()
    with pytest.raises(Forbidden) as error:
        take(meeting, who)
    assert error.value.code == "meeting.not_convener"
    assert new_events(meeting) == []


# Answering the invitation -------------------------------------------------------------------------


def test_an_invitee_attends_naming_its_representatives():
    meeting = circulated()
    answer(meeting, ZHENG, Answer.ATTENDS, representatives=[rep(ZHENG), rep(CHEN)])
    answered = the_new_event(meeting, "InvitationAnswered")
    assert (answered.agency, answered.answer) == (DETACHMENT.code, "attends")
    assert answered.representatives == [rep(ZHENG), rep(CHEN)]
    assert answered.reason is None


def test_an_internal_office_answers_for_its_agency():
    meeting = circulated()
    attends(meeting, CHEN)
    answered = the_new_event(meeting, "InvitationAnswered")
    assert (answered.agency, answered.by["officer"]) == (DETACHMENT.code, "chen-jie")


def test_attending_names_who_attends():
    meeting = circulated()
    with pytest.raises(Invalid) as error:
        answer(meeting, ZHENG, Answer.ATTENDS, representatives=[])
    assert error.value.code == "meeting.representatives_required"


@pytest.mark.parametrize("reason", [None, "", "  "], ids=["none", "empty", "blank"])
def test_no_reason_no_decline(reason):
    meeting = circulated()
    with pytest.raises(Invalid) as error:
        declines(meeting, LU, reason=reason)
    assert error.value.code == "meeting.reason_required"
    assert new_events(meeting) == []


def test_an_invitee_declines_with_its_reason():
    meeting = circulated()
    answer(meeting, LU, Answer.DECLINES, reason="当日另有执法任务", representatives=[rep(ZHU)])
    answered = the_new_event(meeting, "InvitationAnswered")
    assert (answered.agency, answered.answer) == (MARKET.code, "declines")
    assert (answered.reason, answered.representatives) == ("当日另有执法任务", [])


@pytest.mark.parametrize(
    "who",
    [QIAN, LIN, JIANG, SUN],
    ids=["the-convener", "another-district", "a-brigade-under-the-invited-detachment", "its-legal"],
)
def test_only_an_invitee_answers(who):
    meeting = circulated()
    with pytest.raises(Forbidden) as error:
        attends(meeting, who)
    assert error.value.code == "meeting.not_invited"


def test_an_invitation_is_answered_before_the_meeting_is_held():
    with pytest.raises(Conflict) as error:
        attends(held(), ZHENG)
    assert error.value.code == "meeting.already_held"


# Postponing and cancelling ------------------------------------------------------------------------


def test_a_postponement_moves_both_deadlines_while_the_materials_are_not_yet_circulated():
    # To Thursday 3 December: materials after Monday 30 November (1, 2, 3 December); minutes 4,
    # 7, 8, 9, 10 December.
    meeting = convened()
    postpone(meeting, to=POSTPONED_TO)
    postponement = the_new_event(meeting, "Postponed")
    assert (postponement.starts_at, postponement.reason) == (POSTPONED_TO, "主要参会人员出差")
    assert {d["name"]: d["due_at"] for d in postponement.deadlines} == {
        "materials": end_of(2026, 11, 30),
        "minutes": end_of(2026, 12, 10),
    }
    assert {d["start"] for d in postponement.deadlines} == {POSTPONED_TO}
    assert (meeting.starts_at, meeting.status) == (POSTPONED_TO, "convened")


def test_materials_circulated_by_the_moved_deadline_are_on_time():
    meeting = convened()
    postpone(meeting, to=POSTPONED_TO)
    circulate(meeting, at=at(2026, 11, 26, 10))  # after the 24th, the first deadline
    assert new_events(meeting) == ["Postponed", "MaterialsCirculated"]
    assert meeting.deadlines["materials"]["due_at"] == end_of(2026, 11, 30)


def test_once_circulated_a_postponement_moves_only_the_minutes_deadline():
    meeting = circulated()
    postpone(meeting, to=POSTPONED_TO)
    postponement = the_new_event(meeting, "Postponed")
    assert [(d["name"], d["due_at"]) for d in postponement.deadlines] == [
        ("minutes", end_of(2026, 12, 10))
    ]
    assert meeting.deadlines["materials"]["due_at"] == end_of(2026, 11, 24)
    assert meeting.status == "circulated"


def test_once_circulated_a_postponement_leaves_the_materials_deadline_met():
    """The meeting's document, folded from its events as every view folds them."""
    meeting = convene()
    circulate(meeting)
    postpone(meeting, to=POSTPONED_TO)
    records = [to_record(e, n) for n, e in enumerate(meeting.collect_events(), start=1)]
    deadlines = MEETING_FOLD.fold(records)["deadlines"]
    assert deadlines["materials"]["met_at"] == NOW.isoformat()
    assert deadlines["materials"]["due_at"] == end_of(2026, 11, 24).isoformat()
    assert (deadlines["minutes"]["due_at"], deadlines["minutes"]["met_at"]) == (
        end_of(2026, 12, 10).isoformat(),
        None,
    )


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_postponement_gives_its_reason(reason):
    meeting = convened()
    with pytest.raises(Invalid) as error:
        postpone(meeting, reason=reason)
    assert error.value.code == "meeting.reason_required"


def test_a_meeting_is_postponed_to_a_time_to_come():
    meeting = circulated()
    with pytest.raises(Invalid) as error:
        postpone(meeting, to=at(2026, 11, 23, 9))
    assert error.value.code == "meeting.time_in_past"


@pytest.mark.parametrize("act", [postpone, cancel], ids=["postpone", "cancel"])
def test_a_held_meeting_is_neither_postponed_nor_cancelled(act):
    with pytest.raises(Conflict) as error:
        act(held())
    assert error.value.code == "meeting.already_held"


def test_a_meeting_is_cancelled_with_its_reason():
    meeting = circulated()
    cancel(meeting, reason="争议双方已协商一致")
    cancellation = the_new_event(meeting, "Cancelled")
    assert (cancellation.reason, cancellation.by["officer"]) == ("争议双方已协商一致", "qian-min")
    assert meeting.status == "cancelled"


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_cancellation_gives_its_reason(reason):
    meeting = convened()
    with pytest.raises(Invalid) as error:
        cancel(meeting, reason=reason)
    assert error.value.code == "meeting.reason_required"
    assert meeting.status == "convened"


EVERY_ACT: dict[str, Callable[[JointMeeting], None]] = {
    "circulate": circulate,
    "answer": lambda m: attends(m, ZHENG),
    "postpone": postpone,
    "cancel": cancel,
    "hold": hold,
    "draft_minutes": draft,
    "sign_minutes": lambda m: sign(m, QIAN),
    "approve_minutes": approve,
    "issue_minutes": issue,
    "acknowledge": lambda m: acknowledge(m, ZHENG),
    "report_follow_up": report,
    "answer_letter": lambda m: answer_letter(m, ZHENG),
    "conclude": conclude,
}


def test_every_act_of_the_lifecycle_table_is_tried_on_a_cancelled_meeting():
    assert set(EVERY_ACT) == set(MEETING_LIFECYCLE.acts)


@pytest.mark.parametrize("act", list(EVERY_ACT))
def test_a_cancelled_meeting_refuses_every_act(act):
    meeting = circulated()
    cancel(meeting)
    given(meeting)
    with pytest.raises(Conflict) as error:
        EVERY_ACT[act](meeting)
    assert error.value.code == "meeting.cancelled"
    assert new_events(meeting) == []


# Holding the meeting ------------------------------------------------------------------------------


def test_a_meeting_is_held_once_its_time_has_come():
    meeting = circulated()
    with pytest.raises(Conflict) as error:
        hold(meeting, at=at(2026, 11, 27, 8, 59))
    assert error.value.code == "meeting.not_yet_due"
    hold(meeting, at=MEETS)
    held_event = the_new_event(meeting, "Held")
    assert held_event.attended == EVERYONE
    assert held_event.absent_without_reason == []
    assert meeting.status == "held"


def test_a_meeting_whose_materials_were_not_circulated_is_not_held():
    with pytest.raises(Conflict) as error:
        hold(convened())
    assert error.value.code == "meeting.materials_not_circulated"


def test_a_meeting_is_held_once():
    with pytest.raises(Conflict) as error:
        hold(held())
    assert error.value.code == "meeting.already_held"


def test_an_invitee_that_declined_with_a_reason_is_not_absent_without_reason():
    meeting = convened()
    declines(meeting, LU, reason="当日另有执法任务")
    circulate(meeting)
    given(meeting)
    hold(meeting, [present(BUREAU, QIAN), present(DETACHMENT, ZHENG)])
    assert the_new_event(meeting, "Held").absent_without_reason == []


def test_an_invitee_neither_present_nor_excused_is_recorded_absent_without_reason():
    """Notified agencies attend or give reasons; one that does neither is accountable (seed
    003 §三(四)): market regulation said it would come and did not, public security never
    answered."""
    meeting = circulated(invitees=(DETACHMENT.code, MARKET.code, POLICE.code))
    attends(meeting, ZHU)
    given(meeting)
    hold(meeting, [present(BUREAU, QIAN), present(DETACHMENT, ZHENG)])
    assert the_new_event(meeting, "Held").absent_without_reason == [MARKET.code, POLICE.code]


@pytest.mark.parametrize(
    "agency", [XIQING, POLICE, BRIGADE], ids=["another-district", "uninvited", "a-brigade"]
)
def test_only_the_convener_and_its_invitees_are_recorded_present(agency):
    meeting = circulated()
    with pytest.raises(Invalid) as error:
        hold(meeting, [*EVERYONE, present(agency, LIN)])
    assert error.value.code == "meeting.attendee_not_invited"


def test_each_agency_present_names_who_represented_it():
    meeting = circulated()
    with pytest.raises(Invalid) as error:
        hold(meeting, [present(BUREAU, QIAN), present(DETACHMENT)])
    assert error.value.code == "meeting.representatives_required"


def test_each_agency_present_is_listed_once():
    meeting = circulated()
    with pytest.raises(Invalid) as error:
        hold(meeting, [*EVERYONE, present(DETACHMENT, CHEN)])
    assert error.value.code == "meeting.attendee_duplicate"


# The minutes: drafted, approved by the convener's own head, issued to every invitee ---------------


def test_the_minutes_are_drafted_approved_and_issued_to_every_invitee():
    meeting = held()
    draft(meeting)
    assert the_new_event(meeting, "MinutesDrafted").minutes == FOLLOWED_UP
    assert meeting.status == "minutes_drafted"
    approve(meeting, QIAN)
    assert the_new_event(meeting, "MinutesApproved").by["officer"] == "qian-min"
    assert meeting.status == "minutes_approved"
    issue(meeting)
    issuing = the_new_event(meeting, "MinutesIssued")
    assert (issuing.recipients, issuing.late) == ([DETACHMENT.code, MARKET.code], False)
    assert meeting.status == "minutes_issued"


def test_a_draft_is_revised_before_approval():
    meeting = drafted()
    revised = minutes(decision("1", text="由执法支队送达处罚决定并报告"))
    draft(meeting, revised)
    assert the_new_event(meeting, "MinutesDrafted").minutes == revised
    assert meeting.minutes == revised


OUT_OF_ORDER = {
    "drafted-before-held": (circulated, draft, "meeting.not_held"),
    "approved-before-drafted": (held, approve, "meeting.no_draft"),
    "issued-before-drafted": (held, issue, "meeting.minutes_not_approved"),
    "issued-before-approved": (drafted, issue, "meeting.minutes_not_approved"),
    "approved-twice": (approved, approve, "meeting.already_approved"),
    "redrafted-once-issued": (issued, draft, "meeting.minutes_issued"),
    "issued-twice": (issued, issue, "meeting.minutes_issued"),
    "acknowledged-before-issued": (
        approved,
        lambda m: acknowledge(m, ZHENG),
        "meeting.minutes_not_issued",
    ),
    "reported-before-issued": (approved, report, "meeting.minutes_not_issued"),
}


@pytest.mark.parametrize("case", list(OUT_OF_ORDER))
def test_the_minutes_are_drafted_then_approved_then_issued(case):
    state, act, code = OUT_OF_ORDER[case]
    meeting = state()
    with pytest.raises(Conflict) as error:
        act(meeting)
    assert error.value.code == code
    assert new_events(meeting) == []


@pytest.mark.parametrize("head", [QIAN, ZHAO], ids=["deputy-director", "director"])
def test_a_head_of_the_convening_agency_approves_its_minutes(head):
    meeting = drafted()
    approve(meeting, head)
    assert the_new_event(meeting, "MinutesApproved").by["officer"] == head.officer_id


@pytest.mark.parametrize(
    "who",
    [ZHOU, WANG, MA, SUN, LIU, ZHENG, LU],
    ids=[
        "the-office-head",
        "an-office-officer",
        "the-joint-office-head",
        "the-legal-head",
        "a-bureau-officer",
        "an-invitees-head",
        "another-invitees-head",
    ],
)
def test_only_a_head_of_the_convening_agency_itself_approves_its_minutes(who):
    meeting = drafted()
    with pytest.raises(Forbidden) as error:
        approve(meeting, who)
    assert error.value.code == "meeting.not_convener_head"
    assert new_events(meeting) == []


def test_the_head_of_a_convening_detachment_approves_not_the_head_of_its_office():
    call = {"invitees": (MARKET.code,), "attended": [present(DETACHMENT, CHEN)]}
    meeting = drafted(kind=K.CONSULTATION, by=CHEN, **call)
    with pytest.raises(Forbidden) as error:
        approve(meeting, FENG)
    assert error.value.code == "meeting.not_convener_head"
    approve(meeting, ZHENG)
    assert new_events(meeting) == ["MinutesApproved"]


@pytest.mark.parametrize(
    ("issued_at", "late"),
    [
        # Friday 27 November: 30 November, 1, 2, 3, 4 December.
        (end_of(2026, 12, 4), False),
        (at(2026, 12, 5, 9), True),
    ],
    ids=["within-5-working-days", "after"],
)
def test_minutes_issued_after_the_5th_working_day_are_issued_but_recorded_late(issued_at, late):
    meeting = approved()
    issue(meeting, at=issued_at)
    assert the_new_event(meeting, "MinutesIssued").late is late
    assert meeting.status == "minutes_issued"


def test_minutes_are_due_5_working_days_after_the_postponed_meeting():
    meeting = convene()
    postpone(meeting, to=POSTPONED_TO)
    circulate(meeting)
    hold(meeting, at=at(2026, 12, 3, 11))
    draft(meeting, at=at(2026, 12, 3, 15))
    approve(meeting, at=at(2026, 12, 7, 10))
    given(meeting)
    issue(meeting, at=at(2026, 12, 9, 10))  # after the 4th, before the 10th
    assert the_new_event(meeting, "MinutesIssued").late is False


# A case review's minutes: signed by everyone present before they are issued -----------------------


def test_everyone_present_at_a_case_review_signs_its_minutes_before_they_are_issued():
    """案审会 (seed 004): 参会人员签字确认."""
    meeting = drafted(**CASE_REVIEW)
    sign(meeting, SUN)  # the legal department, for the bureau
    assert the_new_event(meeting, "MinutesSigned").agency == BUREAU.code
    approve(meeting)
    given(meeting)
    sign(meeting, ZHENG)  # signed after the approval too
    assert the_new_event(meeting, "MinutesSigned").agency == DETACHMENT.code
    with pytest.raises(Conflict) as error:
        issue(meeting)
    assert error.value.code == "meeting.signatures_missing"
    assert "qian-min" in error.value.detail
    sign(meeting, QIAN)
    issue(meeting)
    assert new_events(meeting) == ["MinutesSigned", "MinutesIssued"]


def called(kind: MeetingKind) -> dict[str, Any]:
    """A call of that kind, by an agency that may make it, held with its convener there."""
    if kind == K.JOINT_CONFERENCE:
        invited = (BUREAU.code, XIQING.code)
        return {"kind": kind, "by": DONG, "invitees": invited, "attended": [present(CITY, DONG)]}
    return {"kind": kind, "by": QIAN, "attended": [present(BUREAU, QIAN)]}


@pytest.mark.parametrize("kind", [k for k in K if k != K.CASE_REVIEW])
def test_only_a_case_reviews_minutes_are_signed(kind):
    call = called(kind)
    meeting = drafted(minutes(decision()), **call)
    with pytest.raises(Conflict) as error:
        sign(meeting, call["by"])
    assert error.value.code == "meeting.not_signed"


@pytest.mark.parametrize(
    "who",
    [LIN, JIANG, LU],
    ids=["another-district", "a-brigade-under-the-invited-detachment", "an-agency-not-invited"],
)
def test_only_officers_of_the_agencies_invited_sign(who):
    meeting = drafted(**CASE_REVIEW)
    with pytest.raises(Forbidden) as error:
        sign(meeting, who)
    assert error.value.code == "meeting.signer_not_invited"


@pytest.mark.parametrize("who", [CHEN, ZHAO], ids=["the-invitees-office", "the-conveners-head"])
def test_only_those_present_sign(who):
    meeting = drafted(**CASE_REVIEW)
    with pytest.raises(Forbidden) as error:
        sign(meeting, who)
    assert error.value.code == "meeting.signer_not_present"


def test_each_officer_signs_once():
    meeting = drafted(**CASE_REVIEW)
    sign(meeting, ZHENG)
    with pytest.raises(Conflict) as error:
        sign(meeting, ZHENG)
    assert error.value.code == "meeting.already_signed"
    assert new_events(meeting) == ["MinutesSigned"]


def test_a_redraft_needs_signing_again():
    meeting = signed()
    draft(meeting, minutes(decision("1", text="同意调查报告，处罚金额调整")))
    approve(meeting)
    given(meeting)
    with pytest.raises(Conflict) as error:
        issue(meeting)
    assert error.value.code == "meeting.signatures_missing"
    for who in (QIAN, SUN, ZHENG):
        sign(meeting, who)
    issue(meeting)
    assert new_events(meeting) == ["MinutesSigned"] * 3 + ["MinutesIssued"]


def test_issued_minutes_are_no_longer_signed():
    meeting = signed()
    approve(meeting)
    issue(meeting)
    with pytest.raises(Conflict) as error:
        sign(meeting, QIAN)
    assert error.value.code == "meeting.no_draft"


# What the minutes say -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  "])
def test_the_minutes_have_their_text(text):
    meeting = held()
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision(), text=text))
    assert error.value.code == "meeting.minutes_text_required"


@pytest.mark.parametrize(
    "items", [["1", "1"], ["1", " "], [""]], ids=["twice", "one-blank", "blank"]
)
def test_each_decision_has_its_own_number(items):
    meeting = held()
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(*(decision(i) for i in items)))
    assert error.value.code == "meeting.item_duplicate"


@pytest.mark.parametrize("text", ["", "  "])
def test_a_decision_says_what_was_decided(text):
    meeting = held()
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision("1"), decision("2", text=text)))
    assert error.value.code == "meeting.decision_required"


@pytest.mark.parametrize(
    "agency", [XIQING.code, POLICE.code], ids=["another-district", "uninvited"]
)
def test_a_follow_up_item_is_owned_by_the_convener_or_an_invitee(agency):
    meeting = held()
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision(follow_up=follow_up(agency))))
    assert error.value.code == "meeting.follow_up_not_participant"


@pytest.mark.parametrize("agency", [BUREAU.code, MARKET.code])
def test_the_convener_or_any_invitee_owns_a_follow_up_item(agency):
    meeting = held()
    draft(meeting, minutes(decision(follow_up=follow_up(agency))))
    assert new_events(meeting) == ["MinutesDrafted"]


@pytest.mark.parametrize("task", ["", "  "])
def test_a_follow_up_item_says_what_must_be_done(task):
    meeting = held()
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision(follow_up=follow_up(task=task))))
    assert error.value.code == "meeting.task_required"


def test_a_follow_up_item_is_due_no_earlier_than_the_meeting_day():
    meeting = held()
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision(follow_up=follow_up(due="2026-11-26"))))
    assert error.value.code == "meeting.due_before_meeting"
    draft(meeting, minutes(decision(follow_up=follow_up(due="2026-11-27"))))
    assert new_events(meeting) == ["MinutesDrafted"], "the meeting day itself will do"


def test_a_joint_meeting_settles_the_dispute_on_its_agenda():
    meeting = drafted(minutes(decision("1", text="由市场监管局查处", settles=settlement())))
    assert meeting.settlements == [settlement()]


@pytest.mark.parametrize("kind", [k for k in K if k != K.JOINT_MEETING])
def test_only_a_joint_meeting_settles_a_dispute(kind):
    """Even with the dispute on its agenda, and the city-wide conference too."""
    call = called(kind)
    meeting = held(**call, subject=subject(case_id=CASE_ID, dispute_id=DISPUTE_ID))
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision(settles=settlement())), by=call["by"])
    assert error.value.code == "meeting.cannot_settle"


@pytest.mark.parametrize(
    "on_agenda", [str(uuid4()), None], ids=["another-dispute", "no-dispute-on-the-agenda"]
)
def test_a_joint_meeting_settles_only_the_dispute_on_its_agenda(on_agenda):
    meeting = held(subject=subject(dispute_id=on_agenda))
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision(settles=settlement(DISPUTE_ID))))
    assert error.value.code == "meeting.dispute_not_on_agenda"


@pytest.mark.parametrize("matter", ["", "  "])
def test_a_matter_passed_up_says_what_it_is(matter):
    meeting = held()
    with pytest.raises(Invalid) as error:
        draft(meeting, minutes(decision(), passed=[passed_up(matter)]))
    assert error.value.code == "meeting.matter_required"


def test_matters_the_meeting_cannot_decide_go_up_with_the_minutes():
    """To the district legal department or the city bureau (seed 000 §三(一)(3))."""
    up = [passed_up(), passed_up("跨区管辖问题", PassedUpTo.CITY_BUREAU, CITY.code)]
    meeting = held()
    draft(meeting, minutes(decision(), passed=up))
    assert the_new_event(meeting, "MinutesDrafted").minutes["passed_up"] == up


# Acknowledging the minutes ------------------------------------------------------------------------


def test_each_invitee_acknowledges_the_minutes_once():
    meeting = issued()
    acknowledge(meeting, CHEN)  # the detachment's office, for the detachment
    assert the_new_event(meeting, "MinutesAcknowledged").agency == DETACHMENT.code
    with pytest.raises(Conflict) as error:
        acknowledge(meeting, ZHENG)
    assert error.value.code == "meeting.already_acknowledged"
    acknowledge(meeting, ZHU)
    assert the_new_event(meeting, "MinutesAcknowledged").agency == MARKET.code
    assert meeting.acknowledged == {DETACHMENT.code, MARKET.code}


@pytest.mark.parametrize("who", [QIAN, LIN, JIANG], ids=["the-convener", "another", "a-brigade"])
def test_only_an_invitee_acknowledges_the_minutes(who):
    meeting = issued()
    with pytest.raises(Forbidden) as error:
        acknowledge(meeting, who)
    assert error.value.code == "meeting.not_invited"


def test_minutes_are_acknowledged_once_issued():
    meeting = approved()
    with pytest.raises(Conflict) as error:
        acknowledge(meeting, ZHENG)
    assert error.value.code == "meeting.minutes_not_issued"


# Follow-up items: tracked until their agency reports them done ------------------------------------


def test_issuing_the_minutes_starts_each_follow_up_item_due_at_the_end_of_its_day():
    text = minutes(
        decision("1", follow_up=follow_up()),
        decision("2", text="各单位加强信息共享"),
        decision("3", text="市场监管局牵头排查", follow_up=follow_up(MARKET.code, "2026-12-31")),
    )
    meeting = approved(text)
    issue(meeting)
    deadlines = deadlines_of(the_new_event(meeting, "MinutesIssued"))
    assert deadlines == {
        "follow_up:1": {
            "name": "follow_up:1",
            "start": end_of(2026, 12, 10),
            "due_at": end_of(2026, 12, 10),
            "rule": "fixed",
            "provisional": False,
        },
        "follow_up:3": {
            "name": "follow_up:3",
            "start": end_of(2026, 12, 31),
            "due_at": end_of(2026, 12, 31),
            "rule": "fixed",
            "provisional": False,
        },
    }
    assert set(meeting.follow_ups) == {"1", "3"}


def test_the_agency_responsible_reports_its_follow_up_item_done():
    meeting = issued()
    report(meeting, CHEN)  # the detachment's office, for the detachment
    done = the_new_event(meeting, "FollowUpDone")
    assert (done.item, done.agency, done.report) == ("1", DETACHMENT.code, "已送达处罚决定书")
    assert (done.late, done.by["officer"]) == (False, "chen-jie")


@pytest.mark.parametrize(
    "who", [QIAN, ZHU, JIANG], ids=["the-convener", "another-invitee", "a-brigade-under-it"]
)
def test_only_the_agency_responsible_reports_a_follow_up_item_done(who):
    meeting = issued()
    with pytest.raises(Forbidden) as error:
        report(meeting, who)
    assert error.value.code == "meeting.not_follow_up_owner"


@pytest.mark.parametrize("item", ["2", "9"], ids=["a-decision-without-one", "no-such-decision"])
def test_only_a_follow_up_item_of_the_minutes_is_reported(item):
    meeting = issued(minutes(decision("1", follow_up=follow_up()), decision("2")))
    with pytest.raises(Invalid) as error:
        report(meeting, item=item)
    assert error.value.code == "meeting.follow_up_unknown"


def test_a_follow_up_item_is_reported_done_once():
    meeting = issued()
    report(meeting)
    with pytest.raises(Conflict) as error:
        report(meeting)
    assert error.value.code == "meeting.follow_up_already_done"
    assert new_events(meeting) == ["FollowUpDone"]


@pytest.mark.parametrize("text", ["", "  "])
def test_a_report_says_what_was_done(text):
    meeting = issued()
    with pytest.raises(Invalid) as error:
        report(meeting, text=text)
    assert error.value.code == "meeting.report_required"


@pytest.mark.parametrize(
    ("reported_at", "late"),
    [(end_of(2026, 12, 10), False), (at(2026, 12, 11), True)],
    ids=["on-its-day", "the-day-after"],
)
def test_a_follow_up_item_reported_after_its_due_day_is_recorded_late(reported_at, late):
    meeting = issued()
    report(meeting, at=reported_at)
    assert the_new_event(meeting, "FollowUpDone").late is late


# A consultation by letter (函告) ------------------------------------------------------------------


def test_a_consultation_by_letter_goes_to_every_agency_consulted():
    meeting = send_letter()
    assert new_events(meeting) == ["Convened", "LetterSent"]
    assert (meeting.kind, meeting.form, meeting.status) == ("consultation", "letter", "letter_sent")
    assert (meeting.convener, meeting.invitees) == (BUREAU.code, [DETACHMENT.code, MARKET.code])
    assert meeting.starts_at is None


def test_the_written_answers_are_due_within_5_working_days():
    # Monday 23 November: 24, 25, 26, 27, 30 November.
    meeting = send_letter()
    letter = meeting.collect_events()[-1]
    assert letter.letter == "关于危险化学品监管职责的征求意见函"
    assert letter.deadline == {
        "name": "answers",
        "start": NOW,
        "due_at": end_of(2026, 11, 30),
        "rule": "5 working days",
        "provisional": False,
    }


def test_a_letter_is_sent_only_by_an_agency_that_may_consult():
    with pytest.raises(Forbidden) as error:
        send_letter(by=CHU, consulted=[DETACHMENT.code])
    assert error.value.code == "meeting.convener_not_competent"


@pytest.mark.parametrize("letter", ["", "  "])
def test_a_letter_says_something(letter):
    with pytest.raises(Invalid) as error:
        send_letter(letter=letter)
    assert error.value.code == "meeting.letter_required"


def test_each_agency_consulted_answers_in_writing_once():
    meeting = letter_sent()
    answer_letter(meeting, CHEN, text="同意由市场监管局查处")
    answered = the_new_event(meeting, "LetterAnswered")
    assert (answered.agency, answered.answer, answered.late) == (
        DETACHMENT.code,
        "同意由市场监管局查处",
        False,
    )
    with pytest.raises(Conflict) as error:
        answer_letter(meeting, ZHENG)
    assert error.value.code == "meeting.already_answered"
    answer_letter(meeting, ZHU)
    assert the_new_event(meeting, "LetterAnswered").agency == MARKET.code


@pytest.mark.parametrize("who", [QIAN, LIN, JIANG], ids=["the-sender", "another", "a-brigade"])
def test_only_an_agency_consulted_answers_the_letter(who):
    with pytest.raises(Forbidden) as error:
        answer_letter(letter_sent(), who)
    assert error.value.code == "meeting.not_invited"


@pytest.mark.parametrize("text", ["", "  "])
def test_a_written_answer_says_something(text):
    with pytest.raises(Invalid) as error:
        answer_letter(letter_sent(), ZHENG, text=text)
    assert error.value.code == "meeting.answer_required"


@pytest.mark.parametrize(
    ("answered_at", "late"),
    [(end_of(2026, 11, 30), False), (at(2026, 12, 1, 9), True)],
    ids=["within-5-working-days", "after"],
)
def test_a_written_answer_after_5_working_days_is_recorded_late(answered_at, late):
    meeting = letter_sent()
    answer_letter(meeting, ZHENG, at=answered_at)
    assert the_new_event(meeting, "LetterAnswered").late is late


def test_a_concluded_consultation_records_who_did_not_answer():
    meeting = letter_sent(consulted=(DETACHMENT.code, MARKET.code, POLICE.code))
    answer_letter(meeting, ZHENG)
    given(meeting)
    conclude(meeting, "按执法支队意见办理")
    conclusion = the_new_event(meeting, "Concluded")
    assert (conclusion.conclusion, conclusion.unanswered) == (
        "按执法支队意见办理",
        [MARKET.code, POLICE.code],
    )
    assert meeting.status == "concluded"


@pytest.mark.parametrize("text", ["", "  "])
def test_a_conclusion_says_something(text):
    with pytest.raises(Invalid) as error:
        conclude(letter_sent(), text)
    assert error.value.code == "meeting.conclusion_required"


def test_a_concluded_consultation_takes_no_more_answers():
    meeting = letter_sent()
    conclude(meeting)
    with pytest.raises(Conflict) as error:
        answer_letter(meeting, ZHENG)
    assert error.value.code == "meeting.letter_concluded"


MEETING_ACTS = [a for a in EVERY_ACT if a not in ("answer_letter", "conclude")]


@pytest.mark.parametrize("act", MEETING_ACTS)
def test_a_letter_takes_none_of_a_meetings_acts(act):
    meeting = letter_sent()
    with pytest.raises(Conflict) as error:
        EVERY_ACT[act](meeting)
    assert error.value.code == "meeting.wrong_form"
    assert new_events(meeting) == []


@pytest.mark.parametrize("act", ["answer_letter", "conclude"])
def test_a_meeting_takes_none_of_a_letters_acts(act):
    meeting = circulated()
    with pytest.raises(Conflict) as error:
        EVERY_ACT[act](meeting)
    assert error.value.code == "meeting.wrong_form"
    assert new_events(meeting) == []


# Rules that live in the command handler (services/handlers/meetings.py), on the register held in
# memory: no database, no container.


class Clock:
    """The handlers' clock, set by the test."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def call(**changes: Any) -> dict[str, Any]:
    """What the handler takes to convene the default joint meeting."""
    return {
        "kind": "joint_meeting",
        "invitees": list(INVITED),
        "topics": TOPICS,
        "starts_at": MEETS,
        "place": PLACE,
        "subject": {},
        **changes,
    }


def test_the_handler_invites_only_registered_agencies():
    acts = MeetingHandlers(registered_district())
    with pytest.raises(Invalid) as error:
        acts.convene(QIAN, call(invitees=[MARKET.code, "tj-nowhere"]))
    assert error.value.code == "meeting.agency_unknown"


@pytest.mark.parametrize(
    ("officers", "code"),
    [
        (["nobody"], "meeting.officer_unknown"),
        (["zhu-xia"], "meeting.representative_not_of_agency"),
    ],
    ids=["unregistered", "of-another-agency"],
)
def test_an_invitee_is_represented_by_registered_officers_of_its_own(officers, code):
    acts = MeetingHandlers(registered_district())
    meeting_id = acts.convene(QIAN, call()).aggregate.id
    with pytest.raises(Invalid) as error:
        acts.answer(ZHENG, meeting_id, Answer.ATTENDS, officers, None)
    assert error.value.code == code
    saved = acts.answer(ZHENG, meeting_id, Answer.ATTENDS, ["zheng-hua", "chen-jie"], None)
    assert saved.aggregate.answers == {DETACHMENT.code: "attends"}, "its office's officer too"


def test_a_matter_goes_up_only_to_a_body_the_register_has():
    """西青区 has a bureau but no legal department registered to take a matter up."""
    clock = Clock()
    acts = MeetingHandlers(registered_district(clock=clock))
    consultation = call(kind="consultation", invitees=[BUREAU.code])
    meeting_id = acts.convene(LIN, consultation).aggregate.id
    acts.circulate(LIN, meeting_id, MATERIALS)  # type: ignore[arg-type]
    clock.now = HELD_AT
    acts.hold(LIN, meeting_id, [{"agency": XIQING.code, "officers": ["lin-feng"]}])
    up = {"matter": "跨区管辖问题", "to": PassedUpTo.DISTRICT_LEGAL_DEPARTMENT}
    with pytest.raises(Invalid) as error:
        acts.draft_minutes(LIN, meeting_id, minutes(decision(), passed=[up]))
    assert error.value.code == "meeting.body_missing"


# Revisions, notice after a postponement, forms and roles ------------------------------------------


def test_approved_minutes_redrafted_go_back_to_their_head_for_approval():
    meeting = approved()
    draft(meeting)
    assert the_new_event(meeting, "MinutesDrafted") and meeting.status == "minutes_drafted"
    with pytest.raises(Conflict) as error:
        issue(meeting)
    assert error.value.code == "meeting.minutes_not_approved"
    approve(meeting)
    issue(meeting)
    assert meeting.status == "minutes_issued"


def test_a_redraft_of_case_review_minutes_is_signed_again():
    meeting = signed()
    approve(meeting)
    draft(meeting)
    approve(meeting)
    with pytest.raises(Conflict) as error:
        issue(meeting)
    assert error.value.code == "meeting.signatures_missing"


@pytest.mark.parametrize(
    ("postponed_at", "to", "short"),
    [
        # Called on Monday 23rd for Friday 27th; postponed on Thursday 26th to Monday 30th: the
        # materials, not yet circulated, would have to have gone by Wednesday 25th.
        (at(2026, 11, 26, 10), at(2026, 11, 30, 9), True),
        # Postponed on Monday 23rd to Thursday 3 December: due by Monday 30th, time enough.
        (NOW, POSTPONED_TO, False),
    ],
    ids=["now-short", "still-enough"],
)
def test_a_postponement_says_whether_the_new_time_leaves_3_working_days_notice(
    postponed_at, to, short
):
    meeting = convened()
    postpone(meeting, to=to, at=postponed_at)
    assert the_new_event(meeting, "Postponed").short_notice is short


def test_a_meeting_called_at_short_notice_and_postponed_in_time_is_no_longer_short():
    meeting = given(convene(starts_at=at(2026, 11, 24, 9)))  # Monday 23rd for Tuesday 24th
    postpone(meeting, to=POSTPONED_TO)
    assert the_new_event(meeting, "Postponed").short_notice is False


def test_materials_circulated_late_stay_short_notice_after_a_postponement():
    # Friday 27th is 3 working days after Tuesday 24th; circulated on Wednesday 25th, late.
    meeting = convene()
    circulate(meeting, at=at(2026, 11, 25, 10))
    given(meeting)
    postpone(meeting, to=at(2026, 11, 30, 9), at=at(2026, 11, 25, 11))  # due Wednesday 25th
    assert the_new_event(meeting, "Postponed").short_notice is False
    meeting = convene()
    circulate(meeting, at=at(2026, 11, 26, 10))
    given(meeting)
    postpone(meeting, to=at(2026, 11, 30, 9), at=at(2026, 11, 26, 11))
    assert the_new_event(meeting, "Postponed").short_notice is True


def test_the_wrong_form_names_the_act_refused():
    with pytest.raises(Conflict) as error:
        circulate(letter_sent())
    assert error.value.code == "meeting.wrong_form"
    assert str(error.value) == "a letter does not take the act 'circulate'"


def test_an_invitee_answers_in_a_role_that_acts_for_its_agency():
    supervisor = actor("yan-su", DETACHMENT, "supervisor")
    with pytest.raises(Forbidden) as error:
        attends(circulated(), supervisor)
    assert error.value.code == "auth.role_missing"
