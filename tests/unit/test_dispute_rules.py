"""Dispute rules on the aggregate itself (given events, when a command, then events or an
error): who opens a dispute (执法争议协调) and between whom, how it climbs its mechanism's ladder
one rung at a time with only the current rung's body escalating or deciding, what negotiation
needs, how a joint meeting decides on its rung (by the minutes of a meeting with the dispute on
its agenda, never by `decide`), and when a decided dispute closes (seed 000 §三(二)(2), seed 001
§二, seed 003 §三(七)).

The rungs are written out as the handler resolves them from the register
(services/handlers/ladders.py): {name, body, agency}, with no agency for the parties' own
negotiation. The few rules that live in the command handler (unknown parties and handlers, a
body missing from the register, who may see a dispute) are tested at the end, on the register
held in memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.dispute import INTERIM, DisputeResolution, decision_data
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.mechanism import MECHANISMS, Body, LadderKind
from domain.payloads import actor_data
from domain.values import Actor
from services.handlers.disputes import DisputeHandlers
from services.handlers.ladders import resolve_ladder
from tests.unit.domain_fixtures import (
    BRIGADE,
    BUREAU,
    CITY_LEGAL,
    DETACHMENT,
    GOV,
    JOINT_OFFICE,
    LEGAL,
    MARKET,
    NOW,
    OFFICE,
    PATHS,
    REGION,
    TAIPING,
    XIQING,
    actor,
    new_events,
    path_of,
    registered_district,
    the_new_event,
)

QIAN = actor("qian-min", BUREAU, "deputy_director")
WANG = actor("wang-fang", OFFICE, "officer")
SUN = actor("sun-li", LEGAL, "legal_head")
LI_NA = actor("li-na", LEGAL, "legal_reviewer")  # in the legal department, not its head
MA = actor("ma-jun", JOINT_OFFICE, "unit_head", "liaison")
GAO = actor("gao-yuan", GOV, "director")
LU = actor("lu-yu", MARKET, "director")
CHU = actor("chu-yan", BRIGADE, "unit_head", "officer")
JIANG = actor("jiang-hai", BRIGADE, "officer")
SHEN = actor("shen-bo", TAIPING, "unit_head", "officer")
LIN = actor("lin-feng", XIQING, "director", "officer")
TANG = actor("tang-ning", CITY_LEGAL, "legal_head")

NEGOTIATION = {"name": "negotiation", "body": Body.PARTIES, "agency": None}
LEGAL_DEPARTMENT = {"name": "legal_department", "body": Body.LEGAL_DEPARTMENT, "agency": LEGAL.code}
DISTRICT_GOVERNMENT = {
    "name": "district_government",
    "body": Body.DISTRICT_GOVERNMENT,
    "agency": GOV.code,
}
JOINT_MEETING = {"name": "joint_meeting", "body": Body.JOINT_MEETING, "agency": JOINT_OFFICE.code}
CITY_DESIGNATION = {"name": "city_designation", "body": Body.CITY_LEGAL, "agency": CITY_LEGAL.code}


@dataclass(frozen=True)
class Step:
    rung: dict[str, Any]
    speaker: Actor  # who acts for the rung: a party's head, or the body's head
    refused: tuple[Actor, ...]  # people who are party or body elsewhere, but not at this rung


@dataclass(frozen=True)
class Ladder:
    mechanism: str
    kind: LadderKind
    parties: tuple[str, str]
    heads: tuple[Actor, Actor]  # a head of each party
    steps: tuple[Step, ...]
    handler: str  # the agency a decision names in these tests

    @property
    def rungs(self) -> list[dict[str, Any]]:
        return [dict(s.rung) for s in self.steps]


REFERRAL_PARTIES = (BUREAU.code, MARKET.code)
TOWNS = (BRIGADE.code, TAIPING.code)
REGIONS = (BUREAU.code, XIQING.code)
LADDERS = {
    # seed 003 §三(七): negotiation → the legal department → the district government.
    "default-referral": Ladder(
        "default",
        LadderKind.REFERRAL,
        REFERRAL_PARTIES,
        (QIAN, LU),
        (
            Step(NEGOTIATION, QIAN, (GAO,)),
            Step(LEGAL_DEPARTMENT, SUN, (QIAN, LU, GAO)),
            Step(DISTRICT_GOVERNMENT, GAO, (QIAN, LU, SUN)),
        ),
        MARKET.code,
    ),
    "default-direct": Ladder(
        "default",
        LadderKind.DIRECT,
        TOWNS,
        (CHU, SHEN),
        (
            Step(NEGOTIATION, CHU, (SUN, GAO)),
            Step(LEGAL_DEPARTMENT, SUN, (CHU, SHEN, GAO)),
            Step(DISTRICT_GOVERNMENT, GAO, (CHU, SHEN, SUN)),
        ),
        TAIPING.code,
    ),
    # seed 000: negotiation, then the district bureau's legal department …
    "binhai-direct": Ladder(
        "binhai",
        LadderKind.DIRECT,
        TOWNS,
        (CHU, SHEN),
        (Step(NEGOTIATION, CHU, (SUN,)), Step(LEGAL_DEPARTMENT, SUN, (CHU, SHEN))),
        TAIPING.code,
    ),
    # … and a disputed referral goes to the bureau's joint meeting.
    "binhai-referral": Ladder(
        "binhai",
        LadderKind.REFERRAL,
        REFERRAL_PARTIES,
        (QIAN, LU),
        (Step(NEGOTIATION, QIAN, (GAO,)), Step(JOINT_MEETING, MA, (QIAN, LU, SUN))),
        MARKET.code,
    ),
    # seed 001: the city bureau's legal body designates the handlers of a major case.
    "default-major-cross-region": Ladder(
        "default",
        LadderKind.MAJOR_CROSS_REGION,
        REGIONS,
        (QIAN, LIN),
        (Step(NEGOTIATION, LIN, (TANG,)), Step(CITY_DESIGNATION, TANG, (QIAN, LIN, SUN))),
        XIQING.code,
    ),
    "binhai-major-cross-region": Ladder(
        "binhai",
        LadderKind.MAJOR_CROSS_REGION,
        REGIONS,
        (QIAN, LIN),
        (Step(NEGOTIATION, QIAN, (TANG,)), Step(CITY_DESIGNATION, TANG, (QIAN, LIN, SUN))),
        XIQING.code,
    ),
}
RUNGS = [(name, index) for name, ladder in LADDERS.items() for index in range(len(ladder.steps))]
DEFAULT_REFERRAL = LADDERS["default-referral"]
DEFAULT_DIRECT = LADDERS["default-direct"]
BINHAI_REFERRAL = LADDERS["binhai-referral"]
MAJOR = LADDERS["default-major-cross-region"]


# Builders -----------------------------------------------------------------------------------------


def dispute_details(ladder: Ladder = DEFAULT_REFERRAL, **changes: Any) -> dict[str, Any]:
    return {
        "matter": "两镇交界处企业的违法行为由哪个部门查处",
        "grounds": "双方均认为对方有管辖权",
        "ladder": ladder.kind,
        "mechanism": ladder.mechanism,
        "referral_id": str(uuid4()) if ladder.kind == LadderKind.REFERRAL else None,
        "interim": "",
        **changes,
    }


def opened(
    ladder: Ladder = DEFAULT_REFERRAL,
    *,
    by: Actor | None = None,
    parties: list[str] | None = None,
    **changes: Any,
) -> DisputeResolution:
    """Opened by a head of the first party (or `by`), between the ladder's parties."""
    opener = by or ladder.heads[0]
    return DisputeResolution.open(
        dispute_id=uuid4(),
        actor=opener,
        actor_path=path_of(opener),
        parties=list(ladder.parties) if parties is None else parties,
        rungs=ladder.rungs,  # type: ignore[arg-type]
        details=dispute_details(ladder, **changes),  # type: ignore[arg-type]
        at=NOW,
    )


def given(dispute: DisputeResolution) -> DisputeResolution:
    """The events so far are the given state: collected, so only the next command's show."""
    dispute.collect_events()
    return dispute


def escalate(dispute: DisputeResolution, who: Actor, reason: str = "本级协调不成，提请上一级"):
    dispute.escalate(actor=who, path=path_of(who), reason=reason, at=NOW)


def decide(dispute: DisputeResolution, who: Actor, lead: str, **decision: Any) -> None:
    recorded = decision_data({"lead": lead, "reasons": "依职责分工", **decision})
    dispute.decide(actor=who, path=path_of(who), decision=recorded, at=NOW)


def decide_at_meeting(
    dispute: DisputeResolution,
    lead: str,
    *,
    convener: str = BUREAU.code,
    meeting_id: UUID | None = None,
) -> None:
    """Decided by the minutes of a joint meeting `convener` called, as the meeting handler passes
    them on when it issues the minutes (services/handlers/meetings.py): with the tree above the
    joint meeting rung's body, the bureau's joint conference office, and 钱敏 who issued them."""
    dispute.decide_at_meeting(
        meeting_id=meeting_id or uuid4(),
        convener=convener,
        body_path=PATHS[JOINT_OFFICE.code],
        decision=decision_data({"lead": lead, "reasons": "经联席会议讨论决定"}),
        by=actor_data(QIAN),
        at=NOW,
    )


def decide_on_rung(dispute: DisputeResolution, step: Step, lead: str) -> Any:
    """The rung's body decides as it does there: its speaker decides, except on the joint
    meeting rung, where a joint meeting's minutes do. The event it recorded."""
    if step.rung["body"] == Body.JOINT_MEETING:
        decide_at_meeting(dispute, lead)
        return the_new_event(dispute, "DecidedAtMeeting")
    decide(dispute, step.speaker, lead)
    return the_new_event(dispute, "Decided")


def propose(dispute: DisputeResolution, who: Actor, handler: str | None, position="同意由其查处"):
    dispute.record_position(
        actor=who, path=path_of(who), position=position, proposed_handler=handler, at=NOW
    )


def climbed(ladder: Ladder, to: int) -> DisputeResolution:
    """Opened, and escalated by each rung's speaker up to rung `to` (counted from 0)."""
    dispute = opened(ladder)
    for step in ladder.steps[:to]:
        escalate(dispute, step.speaker)
    return given(dispute)


def decided(ladder: Ladder = DEFAULT_REFERRAL, lead: str | None = None) -> DisputeResolution:
    """Decided by the legal department (rung 1) of the default ladder, or its like."""
    dispute = climbed(ladder, 1)
    decide(dispute, ladder.steps[1].speaker, lead or ladder.handler)
    return given(dispute)


# Opening ------------------------------------------------------------------------------------------


def test_a_dispute_opens_on_its_first_rung_with_the_interim_joint_handling():
    """先予协同处置 (seed 003 §三(七)): both handle the violation jointly while it is open."""
    dispute = opened(DEFAULT_DIRECT)
    opening = the_new_event(dispute, "Opened")
    assert opening.parties == [BRIGADE.code, TAIPING.code]
    assert opening.rungs == DEFAULT_DIRECT.rungs
    assert opening.details["interim"] == INTERIM
    assert (opening.details["ladder"], opening.details["mechanism"]) == ("direct", "default")
    assert opening.by["officer"] == "chu-yan"
    assert (dispute.status, dispute.rung, dispute.current) == ("open", 0, NEGOTIATION)
    assert dispute.decision is None


def test_a_dispute_records_the_interim_arrangement_it_is_given():
    interim = "争议期间由中塘镇大队先行制止违法行为，市场监管局配合"
    assert the_new_event(opened(interim=interim), "Opened").details["interim"] == interim


def test_a_disputed_referral_names_the_referral_between_its_sender_and_receiver():
    referral_id = str(uuid4())
    dispute = opened(DEFAULT_REFERRAL, referral_id=referral_id)
    assert dispute.parties == [BUREAU.code, MARKET.code]
    assert dispute.referral_id == referral_id
    assert dispute.details["ladder"] == "referral"


def test_a_dispute_concerns_its_parties_and_every_body_on_its_ladder():
    dispute = opened(DEFAULT_REFERRAL)
    assert dispute.parties == [BUREAU.code, MARKET.code]
    assert dispute.bodies == [LEGAL.code, GOV.code], "negotiation has no body of its own"
    assert dispute.involved == [BUREAU.code, MARKET.code, LEGAL.code, GOV.code]


def test_a_party_named_twice_is_one_party():
    dispute = opened(DEFAULT_DIRECT, parties=[BRIGADE.code, TAIPING.code, BRIGADE.code])
    assert the_new_event(dispute, "Opened").parties == [BRIGADE.code, TAIPING.code]


@pytest.mark.parametrize("parties", [[], [BRIGADE.code], [BRIGADE.code, BRIGADE.code]])
def test_a_dispute_is_between_two_agencies(parties):
    with pytest.raises(Invalid) as error:
        opened(DEFAULT_DIRECT, parties=parties)
    assert error.value.code == "dispute.parties_required"


@pytest.mark.parametrize(
    ("who", "ladder"),
    [
        (GAO, DEFAULT_DIRECT),  # the district government decides a rung; it is no party
        (JIANG, DEFAULT_REFERRAL),  # under the bureau, not speaking for it
        (LIN, DEFAULT_DIRECT),
    ],
)
def test_only_a_party_opens_a_dispute(who, ladder):
    with pytest.raises(Forbidden) as error:
        opened(ladder, by=who)
    assert error.value.code == "dispute.not_a_party"


def test_a_partys_office_opens_it_in_the_partys_name_but_a_reviewer_does_not():
    assert opened(DEFAULT_REFERRAL, by=WANG).status == "open"
    with pytest.raises(Forbidden) as error:
        opened(DEFAULT_REFERRAL, by=LI_NA)  # the legal department speaks for the bureau
    assert error.value.code == "auth.role_missing"


@pytest.mark.parametrize("blank", ["", "  "])
@pytest.mark.parametrize(
    ("field", "code"),
    [("grounds", "dispute.grounds_required"), ("matter", "dispute.matter_required")],
)
def test_a_dispute_states_its_matter_and_grounds(blank, field, code):
    with pytest.raises(Invalid) as error:
        opened(DEFAULT_DIRECT, **{field: blank})
    assert error.value.code == code


# The ladders of each mechanism (domain/mechanism.py) ----------------------------------------------


@pytest.mark.parametrize("name", list(LADDERS))
def test_the_ladders_differ_by_mechanism_and_kind(name):
    ladder = LADDERS[name]
    rungs = MECHANISMS[ladder.mechanism].ladder(ladder.kind)
    assert [(r.name, r.body) for r in rungs] == [(r["name"], r["body"]) for r in ladder.rungs]


def test_every_mechanism_starts_with_the_parties_own_negotiation():
    for mechanism in MECHANISMS.values():
        for kind in LadderKind:
            assert mechanism.ladder(kind)[0].body == Body.PARTIES, (mechanism.name, kind)


# Climbing: only the current rung's body escalates or decides --------------------------------------


@pytest.mark.parametrize("name", list(LADDERS))
def test_a_dispute_climbs_every_rung_of_its_ladder_and_only_that_rungs_body_acts(name):
    ladder = LADDERS[name]
    dispute = given(opened(ladder))
    last = len(ladder.steps) - 1
    for index, step in enumerate(ladder.steps):
        assert (dispute.rung, dispute.current["name"]) == (index, step.rung["name"])
        for other in step.refused:
            with pytest.raises(Forbidden) as error:
                escalate(dispute, other)
            assert error.value.code == "dispute.not_your_rung", (step.rung["name"], other)
            with pytest.raises(Forbidden) as error:
                decide(dispute, other, ladder.handler)
            assert error.value.code == "dispute.not_your_rung", (step.rung["name"], other)
        assert new_events(dispute) == []
        if index < last:
            escalate(dispute, step.speaker)
            escalation = the_new_event(dispute, "Escalated")
            assert (escalation.to_rung, escalation.by["officer"]) == (
                index + 1,
                step.speaker.officer_id,
            )
    with pytest.raises(Conflict) as error:
        escalate(dispute, ladder.steps[last].speaker)
    assert error.value.code == "dispute.ladder_exhausted"
    if ladder.steps[last].rung["body"] == Body.JOINT_MEETING:
        with pytest.raises(Conflict) as error:
            decide(dispute, ladder.steps[last].speaker, ladder.handler)
        assert error.value.code == "dispute.decided_at_meeting"
    decision = decide_on_rung(dispute, ladder.steps[last], ladder.handler)
    assert decision.rung == ladder.steps[last].rung["name"]
    assert decision.decision["lead"] == ladder.handler
    assert dispute.status == "decided"


@pytest.mark.parametrize(("name", "index"), RUNGS)
def test_each_rungs_body_decides_when_the_dispute_stands_there(name, index):
    ladder = LADDERS[name]
    dispute = climbed(ladder, index)
    step = ladder.steps[index]
    if step.rung["body"] == Body.PARTIES:
        for head in ladder.heads:
            propose(dispute, head, ladder.handler)
        dispute.collect_events()
    decision = decide_on_rung(dispute, step, ladder.handler)
    assert decision.rung == step.rung["name"]
    assert decision.decision["lead"] == ladder.handler
    assert (decision.decision["assisting"], decision.decision["joint"]) == ([], [])
    assert (dispute.status, dispute.decision) == ("decided", decision.decision)


def test_a_body_above_the_current_rung_does_not_skip_ahead():
    dispute = given(opened(DEFAULT_REFERRAL))
    with pytest.raises(Forbidden) as error:
        decide(dispute, GAO, MARKET.code)
    assert error.value.code == "dispute.not_your_rung"
    escalate(dispute, QIAN)
    escalate(dispute, SUN)
    assert new_events(dispute) == ["Escalated", "Escalated"]
    with pytest.raises(Forbidden) as error:
        decide(dispute, SUN, MARKET.code)
    assert error.value.code == "dispute.not_your_rung", "a rung once left does not decide"


def test_an_escalation_records_its_reason_and_the_rung_it_climbs_to():
    dispute = given(opened(DEFAULT_REFERRAL))
    escalate(dispute, LU, reason="协商不成")
    escalation = the_new_event(dispute, "Escalated")
    assert (escalation.to_rung, escalation.reason) == (1, "协商不成")
    assert dispute.current == LEGAL_DEPARTMENT


@pytest.mark.parametrize("reason", ["", " "])
def test_an_escalation_gives_its_reason(reason):
    dispute = given(opened(DEFAULT_REFERRAL))
    with pytest.raises(Invalid) as error:
        escalate(dispute, QIAN, reason=reason)
    assert error.value.code == "dispute.reason_required"
    assert (new_events(dispute), dispute.rung) == ([], 0)


@pytest.mark.parametrize(("rung", "who"), [(0, WANG), (1, LI_NA)])
def test_an_officer_does_not_speak_for_the_party_or_the_body(rung, who):
    """At negotiation the bureau's office is of the party, at the legal department the reviewer
    is of the body; neither is among the heads who speak for it."""
    dispute = climbed(DEFAULT_REFERRAL, rung)
    with pytest.raises(Forbidden) as error:
        escalate(dispute, who)
    assert error.value.code == "auth.role_missing"
    with pytest.raises(Forbidden) as error:
        decide(dispute, who, MARKET.code)
    assert error.value.code == "auth.role_missing"


# The joint meeting rung: decided by the minutes of a joint meeting --------------------------------


def test_on_the_joint_meeting_rung_its_body_does_not_decide_outside_a_meeting():
    """The joint conference office speaks for the rung, but the decision comes from the minutes
    of a joint meeting with the dispute on its agenda (seed 000 §三(二)(2))."""
    dispute = climbed(BINHAI_REFERRAL, 1)
    with pytest.raises(Conflict) as error:
        decide(dispute, MA, MARKET.code)
    assert error.value.code == "dispute.decided_at_meeting"
    assert (new_events(dispute), dispute.status, dispute.decision) == ([], "open", None)


def test_a_joint_meetings_minutes_decide_the_dispute_on_its_agenda():
    dispute = climbed(BINHAI_REFERRAL, 1)
    meeting_id = uuid4()
    decide_at_meeting(dispute, MARKET.code, meeting_id=meeting_id)
    decision = the_new_event(dispute, "DecidedAtMeeting")
    assert (decision.meeting_id, decision.rung) == (str(meeting_id), "joint_meeting")
    assert decision.decision == {
        "lead": MARKET.code,
        "assisting": [],
        "joint": [],
        "reasons": "经联席会议讨论决定",
    }
    assert decision.by == {"officer": "qian-min", "agency": BUREAU.code, "name": "qian-min"}
    assert (dispute.status, dispute.decision) == ("decided", decision.decision)


@pytest.mark.parametrize(
    ("ladder", "rung"),
    [(BINHAI_REFERRAL, 0), (DEFAULT_REFERRAL, 1), (DEFAULT_REFERRAL, 2), (MAJOR, 1)],
    ids=["binhai-negotiation", "legal-department", "district-government", "city-designation"],
)
def test_a_joint_meeting_decides_only_on_the_joint_meeting_rung(ladder, rung):
    dispute = climbed(ladder, rung)
    with pytest.raises(Conflict) as error:
        decide_at_meeting(dispute, MARKET.code)
    assert error.value.code == "dispute.not_at_joint_meeting"
    assert (new_events(dispute), dispute.status) == ([], "open")


@pytest.mark.parametrize(
    "convener",
    [XIQING.code, MARKET.code, DETACHMENT.code, JOINT_OFFICE.code],
    ids=["another-districts-bureau", "a-party", "the-detachment", "the-office-itself"],
)
def test_only_a_joint_meeting_of_the_agency_the_rungs_body_belongs_to_decides(convener):
    """The joint conference office belongs to the bureau: the bureau's joint meeting decides."""
    dispute = climbed(BINHAI_REFERRAL, 1)
    with pytest.raises(Forbidden) as error:
        decide_at_meeting(dispute, MARKET.code, convener=convener)
    assert error.value.code == "dispute.not_your_rung"
    assert (new_events(dispute), dispute.status) == ([], "open")


def test_a_dispute_decided_at_a_meeting_takes_no_more_acts_until_closed():
    dispute = climbed(BINHAI_REFERRAL, 1)
    decide_at_meeting(dispute, MARKET.code)
    dispute.collect_events()
    for act in (
        lambda: decide_at_meeting(dispute, BUREAU.code),
        lambda: decide(dispute, MA, BUREAU.code),
        lambda: escalate(dispute, MA),
    ):
        with pytest.raises(Conflict) as error:
            act()
        assert error.value.code == "dispute.not_open"
    dispute.close(actor=MA, path=path_of(MA), at=NOW)
    assert the_new_event(dispute, "Closed").by["officer"] == "ma-jun"
    assert dispute.status == "closed"


# Negotiation: both parties propose the same handler -----------------------------------------------


def test_negotiation_decides_only_what_both_parties_proposed():
    dispute = given(opened(DEFAULT_REFERRAL))
    with pytest.raises(Conflict) as error:
        decide(dispute, QIAN, MARKET.code)
    assert error.value.code == "dispute.no_agreement", "nobody proposed anything yet"
    propose(dispute, QIAN, MARKET.code, position="属市场监管职责")
    with pytest.raises(Conflict) as error:
        decide(dispute, QIAN, MARKET.code)
    assert error.value.code == "dispute.no_agreement", "one party alone does not agree"
    propose(dispute, LU, BUREAU.code, position="属应急管理职责")
    for handler in (MARKET.code, BUREAU.code):
        with pytest.raises(Conflict) as error:
            decide(dispute, LU, handler)
        assert error.value.code == "dispute.no_agreement", "they proposed different handlers"
    propose(dispute, LU, MARKET.code, position="经协商同意接收")
    with pytest.raises(Conflict) as error:
        decide(dispute, LU, DETACHMENT.code)
    assert error.value.code == "dispute.no_agreement", "not what they agreed on"
    assert new_events(dispute) == ["PositionRecorded"] * 3
    decide(dispute, LU, MARKET.code)
    assert the_new_event(dispute, "Decided").rung == "negotiation"


def test_a_body_decides_without_the_parties_agreeing():
    dispute = climbed(DEFAULT_REFERRAL, 1)
    propose(dispute, QIAN, MARKET.code)
    propose(dispute, LU, BUREAU.code)
    dispute.collect_events()
    decide(dispute, SUN, DETACHMENT.code)  # neither party: the detachment
    assert the_new_event(dispute, "Decided").decision["lead"] == DETACHMENT.code


def test_a_position_is_recorded_for_the_party_at_the_rung_it_stands_on():
    dispute = climbed(DEFAULT_REFERRAL, 1)
    propose(dispute, LU, BUREAU.code, position="补充说明")
    recorded = the_new_event(dispute, "PositionRecorded")
    assert (recorded.party, recorded.position, recorded.proposed_handler) == (
        MARKET.code,
        "补充说明",
        BUREAU.code,
    )
    assert dispute.positions[MARKET.code] == {
        "position": "补充说明",
        "proposed_handler": BUREAU.code,
        "rung": 1,
    }


def test_only_a_party_records_a_position():
    with pytest.raises(Forbidden) as error:
        propose(given(opened(DEFAULT_REFERRAL)), GAO, None, position="区政府意见")
    assert error.value.code == "dispute.not_a_party"


@pytest.mark.parametrize("position", ["", " "])
def test_a_position_says_something(position):
    with pytest.raises(Invalid) as error:
        propose(opened(DEFAULT_REFERRAL), LU, MARKET.code, position=position)
    assert error.value.code == "dispute.position_required"


# The decision: it names who must handle the matter ------------------------------------------------


@pytest.mark.parametrize(
    "decision",
    [
        {"lead": XIQING.code, "assisting": [BUREAU.code]},
        {"lead": BUREAU.code, "joint": [XIQING.code]},
        {"lead": XIQING.code, "assisting": [DETACHMENT.code], "joint": [BUREAU.code]},
        {"handler": XIQING.code},
    ],
)
def test_the_city_designates_lead_assisting_and_joint_handlers(decision):
    dispute = climbed(MAJOR, 1)
    dispute.decide(actor=TANG, path=path_of(TANG), decision=decision_data(decision), at=NOW)
    assert the_new_event(dispute, "Decided").decision == {
        "lead": decision.get("lead") or decision["handler"],
        "assisting": decision.get("assisting", []),
        "joint": decision.get("joint", []),
        "reasons": "",
    }


@pytest.mark.parametrize("decision", [{"reasons": "无"}, {"lead": ""}, {"handler": None}])
def test_a_decision_names_the_agency_that_must_handle_the_matter(decision):
    """domain/dispute.py `decision_data`, which the handler applies before `decide`."""
    with pytest.raises(Invalid) as error:
        decision_data(decision)
    assert error.value.code == "dispute.handler_required"


# Deciding ends the ladder; closing needs a decision -----------------------------------------------


def test_a_decided_dispute_takes_no_more_acts_until_closed():
    dispute = decided()
    acts = [
        lambda: escalate(dispute, SUN),
        lambda: decide(dispute, SUN, BUREAU.code),
        lambda: propose(dispute, LU, BUREAU.code, position="仍有异议"),
    ]
    for act in acts:
        with pytest.raises(Conflict) as error:
            act()
        assert error.value.code == "dispute.not_open"
    assert new_events(dispute) == []
    dispute.close(actor=LU, path=path_of(LU), at=NOW)
    assert the_new_event(dispute, "Closed").by["officer"] == "lu-yu"
    assert dispute.status == "closed"


def test_a_dispute_is_closed_only_once_decided():
    dispute = climbed(DEFAULT_REFERRAL, 1)
    with pytest.raises(Conflict) as error:
        dispute.close(actor=QIAN, path=path_of(QIAN), at=NOW)
    assert error.value.code == "dispute.not_decided"
    decide(dispute, SUN, MARKET.code)
    dispute.close(actor=SUN, path=path_of(SUN), at=NOW)
    assert new_events(dispute) == ["Decided", "Closed"]
    with pytest.raises(Conflict) as error:
        dispute.close(actor=SUN, path=path_of(SUN), at=NOW)
    assert error.value.code == "dispute.not_decided"


def test_the_deciding_body_closes_a_direct_dispute():
    dispute = climbed(DEFAULT_DIRECT, 2)
    decide(dispute, GAO, TAIPING.code)
    dispute.close(actor=GAO, path=path_of(GAO), at=NOW)
    assert new_events(dispute) == ["Decided", "Closed"]
    assert dispute.status == "closed"


@pytest.mark.parametrize(
    ("ladder", "rung", "who"),
    [
        (DEFAULT_DIRECT, 2, SUN),  # its rung was left behind before the government decided
        (DEFAULT_DIRECT, 2, LIN),  # nobody in it
        (DEFAULT_REFERRAL, 1, GAO),  # the rung above the one that decided
        (DEFAULT_REFERRAL, 1, JIANG),  # under the bureau, not speaking for it
    ],
)
def test_only_a_party_or_the_deciding_body_closes_it(ladder, rung, who):
    dispute = climbed(ladder, rung)
    decide(dispute, ladder.steps[rung].speaker, ladder.handler)
    dispute.collect_events()
    with pytest.raises(Forbidden) as error:
        dispute.close(actor=who, path=path_of(who), at=NOW)
    assert error.value.code == "dispute.not_involved"
    assert new_events(dispute) == []


# Rules that live in the command handler (services/handlers/disputes.py, ladders.py) and in who
# may see a dispute (services/access.py), on the register held in memory: no database, no
# container.


def direct(parties: list[str], **changes: Any) -> dict[str, Any]:
    return {
        "parties": parties,
        "matter": "管辖争议",
        "grounds": "双方均认为对方有管辖权",
        **changes,
    }


@pytest.mark.parametrize("name", list(LADDERS))
def test_the_handler_resolves_each_rungs_body_from_the_register(name):
    ladder = LADDERS[name]
    app = registered_district(ladder.mechanism)
    rungs = resolve_ladder(app.directory, MECHANISMS[ladder.mechanism], ladder.kind, REGION)
    assert rungs == ladder.rungs


def test_a_ladder_whose_body_is_not_registered_is_refused():
    """西青区 has a bureau but no legal department registered to take the second rung."""
    app = registered_district()
    with pytest.raises(Conflict) as error:
        resolve_ladder(app.directory, MECHANISMS["default"], LadderKind.DIRECT, XIQING.region)
    assert error.value.code == "dispute.body_missing"
    with pytest.raises(Conflict) as error:
        DisputeHandlers(app).open(LIN, direct([XIQING.code, BUREAU.code]))
    assert error.value.code == "dispute.body_missing"


@pytest.mark.parametrize("parties", [[], [BRIGADE.code], [BRIGADE.code, BRIGADE.code]])
def test_the_handler_asks_for_two_parties_before_it_looks_up_a_ladder(parties):
    with pytest.raises(Invalid) as error:
        DisputeHandlers(registered_district()).open(CHU, direct(parties))
    assert error.value.code == "dispute.parties_required"


def test_an_unknown_party_is_refused():
    with pytest.raises(Invalid) as error:
        DisputeHandlers(registered_district()).open(CHU, direct([BRIGADE.code, "tj-nowhere"]))
    assert error.value.code == "dispute.party_unknown"


def test_the_handler_opens_a_major_cross_region_dispute_on_the_citys_ladder():
    app = registered_district()
    saved = DisputeHandlers(app).open(QIAN, direct(list(REGIONS), major_cross_region=True))
    dispute = saved.aggregate
    assert dispute.rungs == MAJOR.rungs
    assert (dispute.details["ladder"], dispute.details["mechanism"]) == (
        "major_cross_region",
        "default",
    )


@pytest.mark.parametrize(
    "decision",
    [{"lead": "tj-nowhere"}, {"lead": BUREAU.code, "assisting": ["tj-nowhere"]}],
)
def test_a_decision_names_registered_handlers(decision):
    app = registered_district()
    acts = DisputeHandlers(app)
    dispute_id = acts.open(CHU, direct(list(TOWNS))).aggregate.id
    with pytest.raises(Invalid) as error:
        acts.decide(CHU, dispute_id, decision)
    assert error.value.code == "dispute.handler_unknown"
    with pytest.raises(Invalid) as error:
        acts.record_position(CHU, dispute_id, position="由其查处", proposed_handler="tj-nowhere")
    assert error.value.code == "dispute.handler_unknown"


def test_a_third_agency_is_told_there_is_no_such_dispute():
    app = registered_district()
    acts = DisputeHandlers(app)
    dispute_id = acts.open(QIAN, direct(list(REFERRAL_PARTIES))).aggregate.id
    for insider in (QIAN, LU, SUN, GAO):
        assert acts.dispute(insider, dispute_id).id == dispute_id
    for outsider in (JIANG, CHU, LIN, TANG):
        with pytest.raises(NotFound) as error:
            acts.dispute(outsider, dispute_id)
        assert error.value.code == "dispute.not_found"
    with pytest.raises(NotFound) as error:
        acts.close(JIANG, dispute_id)
    assert error.value.code == "dispute.not_found"
