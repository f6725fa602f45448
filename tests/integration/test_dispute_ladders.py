"""Dispute resolution (执法争议协调): a dispute climbs its mechanism's ladder, one rung at a time,
and only the current rung's body escalates or decides (seed 000 §三(二)(2), seed 001 §二,
seed 003 §三(七)). On the joint meeting rung the decision comes from the minutes of a joint
meeting with the dispute on its agenda, issued by the bureau; the rung's body does not `decide`.
A decision on a disputed referral settles it with the designated handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.errors import Conflict, Forbidden, Invalid
from services.handlers.meetings import MeetingHandlers
from tests.districts import event_names, last_event, seeded_district
from tests.scenarios import dispute_acts, disputed_referral, person, referral_acts


@pytest.fixture
def binhai(store_url, tmp_path, clock):
    with seeded_district(store_url, tmp_path, clock, mechanism="binhai") as district:
        yield district


@dataclass(frozen=True)
class Rung:
    name: str
    agency: str | None  # the deciding body; none at the parties' own negotiation
    speaker: str  # who acts for the rung: a party's head, or the body's head
    refused: tuple[str, ...]  # people who see the dispute but may not act at this rung


@dataclass(frozen=True)
class Ladder:
    district: str  # the fixture: "demo" (default mechanism) or "binhai"
    opening: str  # "referral" (dispute_referral) or "direct" / "major" (open_dispute)
    parties: tuple[str, str]  # a head of each party
    rungs: tuple[Rung, ...]


NEGOTIATION_BUREAU = Rung("negotiation", None, "qian-min", ("gao-yuan",))
NEGOTIATION_TOWNS = Rung("negotiation", None, "chu-yan", ("sun-li", "gao-yuan"))
LADDERS = {
    # seed 003 §三(七): negotiation → the legal department → the district government.
    "default-referral": Ladder(
        "demo",
        "referral",
        ("qian-min", "lu-yu"),
        (
            NEGOTIATION_BUREAU,
            Rung("legal_department", "tj-bh-yjj-fzk", "sun-li", ("qian-min", "lu-yu", "gao-yuan")),
            Rung("district_government", "tj-bh-qzf", "gao-yuan", ("qian-min", "lu-yu", "sun-li")),
        ),
    ),
    "default-direct": Ladder(
        "demo",
        "direct",
        ("chu-yan", "shen-bo"),
        (
            NEGOTIATION_TOWNS,
            Rung("legal_department", "tj-bh-yjj-fzk", "sun-li", ("chu-yan", "shen-bo", "gao-yuan")),
            Rung("district_government", "tj-bh-qzf", "gao-yuan", ("chu-yan", "shen-bo", "sun-li")),
        ),
    ),
    # seed 000: negotiation, then the district bureau's legal department …
    "binhai-direct": Ladder(
        "binhai",
        "direct",
        ("chu-yan", "shen-bo"),
        (
            Rung("negotiation", None, "chu-yan", ("sun-li",)),
            Rung("legal_department", "tj-bh-yjj-fzk", "sun-li", ("chu-yan", "shen-bo")),
        ),
    ),
    # … and a disputed referral goes to the bureau's joint meeting.
    "binhai-referral": Ladder(
        "binhai",
        "referral",
        ("qian-min", "lu-yu"),
        (
            NEGOTIATION_BUREAU,
            Rung("joint_meeting", "tj-bh-yjj-lxb", "ma-jun", ("qian-min", "lu-yu", "sun-li")),
        ),
    ),
    # seed 001: the city bureau's legal body designates the handlers of a major case.
    "major-cross-region": Ladder(
        "demo",
        "major",
        ("qian-min", "lin-feng"),
        (
            Rung("negotiation", None, "lin-feng", ("tang-ning",)),
            Rung("city_designation", "tj-yjj-fgc", "tang-ning", ("qian-min", "lin-feng", "sun-li")),
        ),
    ),
    "binhai-major-cross-region": Ladder(
        "binhai",
        "major",
        ("qian-min", "lin-feng"),
        (
            Rung("negotiation", None, "qian-min", ("tang-ning",)),
            Rung("city_designation", "tj-yjj-fgc", "tang-ning", ("qian-min", "lin-feng", "sun-li")),
        ),
    ),
}
DIRECT = {
    "direct": (["tj-bh-zt-dd", "tj-bh-tp-dd"], "两镇交界处企业的违法行为由哪个大队查处"),
    "major": (["tj-bh-yjj", "tj-xq-yjj"], "跨区危险化学品运输重大违法案件的主办单位"),
}
RUNGS = [(name, index) for name, ladder in LADDERS.items() for index in range(len(ladder.rungs))]


@pytest.fixture(params=list(LADDERS))
def ladder(request, store_url):
    chosen = LADDERS[request.param]
    return chosen, request.getfixturevalue(chosen.district).app


def opened(app, ladder: Ladder) -> tuple[UUID, UUID | None]:
    """(dispute id, the disputed referral's id or None)."""
    if ladder.opening == "referral":
        referral_id, dispute_id = disputed_referral(app)
        return dispute_id, referral_id
    parties, matter = DIRECT[ladder.opening]
    details = {
        "parties": parties,
        "matter": matter,
        "grounds": "双方均认为对方有管辖权",
        "major_cross_region": ladder.opening == "major",
    }
    saved = dispute_acts(app).open(person(app, ladder.parties[0]), details)
    return saved.aggregate.id, None


def climb(app, ladder: Ladder, dispute_id: UUID, to: int) -> None:
    for rung in ladder.rungs[:to]:
        dispute_acts(app).escalate(person(app, rung.speaker), dispute_id, reason="协商不成")


def agree(app, ladder: Ladder, dispute_id: UUID, handler: str) -> None:
    for who in ladder.parties:
        dispute_acts(app).record_position(
            person(app, who), dispute_id, position="同意由其查处", proposed_handler=handler
        )


def handler_of(ladder: Ladder) -> str:
    return "tj-bh-scjg" if ladder.opening == "referral" else DIRECT[ladder.opening][0][1]


def joint_meeting(app, clock, dispute_id: UUID, handler: str) -> UUID:
    """The bureau's joint meeting with the dispute on its agenda, called by 钱敏 for four days
    on, held then, its minutes deciding that `handler` handles the matter approved by 赵强:
    the meeting's id, its minutes ready to issue."""
    acts = MeetingHandlers(app)
    qian = person(app, "qian-min")
    starts_at = clock() + timedelta(days=4)
    call = {
        "kind": "joint_meeting",
        "invitees": ["tj-bh-scjg"],
        "topics": ["市场监管局退回移送案件的管辖争议"],
        "starts_at": starts_at,
        "place": {"region": "120116", "address": "区应急局三楼会议室"},
        "subject": {"dispute_id": str(dispute_id)},
    }
    meeting_id: UUID = acts.convene(qian, call).aggregate.id
    acts.circulate(qian, meeting_id, [{"title": "移送函及退回理由", "uri": None, "sha256": None}])
    clock.set(starts_at + timedelta(hours=2))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-bh-scjg", "officers": ["lu-yu"]},
    ]
    acts.hold(qian, meeting_id, present)
    settles = {"dispute_id": str(dispute_id), "decision": {"handler": handler, "reasons": "议定"}}
    minutes: dict[str, Any] = {
        "text": "经联席会议讨论，对移送争议作出决定",
        "decisions": [{"item": "1", "text": f"由{handler}查处", "settles": settles}],
    }
    acts.draft_minutes(qian, meeting_id, minutes)
    acts.approve_minutes(person(app, "zhao-qiang"), meeting_id)
    return meeting_id


def decide_on_rung(app, clock, ladder: Ladder, rung: Rung, dispute_id: UUID, handler: str):
    """The rung's body decides as it does there: its speaker decides, except on the joint
    meeting rung, where the issued minutes of a joint meeting do. The dispute after."""
    if rung.name != "joint_meeting":
        return decide(app, rung.speaker, dispute_id, handler).aggregate
    meeting_id = joint_meeting(app, clock, dispute_id, handler)
    MeetingHandlers(app).issue_minutes(person(app, "qian-min"), meeting_id)
    decision = last_event(app, dispute_id)
    assert (type(decision).__name__, decision.meeting_id) == ("DecidedAtMeeting", str(meeting_id))
    return dispute_acts(app).dispute(person(app, ladder.parties[0]), dispute_id)


# Climbing every rung of each ladder -----------------------------------------------------------


def test_a_dispute_climbs_every_rung_of_its_ladder_and_only_that_rungs_body_acts(ladder, clock):
    chosen, app = ladder
    dispute_id, _ = opened(app, chosen)
    dispute = dispute_acts(app).dispute(person(app, chosen.parties[1]), dispute_id)
    assert [(r["name"], r["agency"]) for r in dispute.rungs] == [
        (r.name, r.agency) for r in chosen.rungs
    ]
    last = len(chosen.rungs) - 1
    for index, rung in enumerate(chosen.rungs):
        assert (
            dispute_acts(app).dispute(person(app, rung.speaker), dispute_id).current["name"]
            == rung.name
        )
        for other in rung.refused:
            for act in (escalate, decide):
                with pytest.raises(Forbidden) as error:
                    act(app, other, dispute_id, handler_of(chosen))
                assert error.value.code == "dispute.not_your_rung", (rung.name, other, act)
        if index < last:
            escalate(app, rung.speaker, dispute_id, handler_of(chosen))
            assert type(last_event(app, dispute_id)).__name__ == "Escalated"
    with pytest.raises(Conflict) as error:
        escalate(app, chosen.rungs[last].speaker, dispute_id, handler_of(chosen))
    assert error.value.code == "dispute.ladder_exhausted"
    if chosen.rungs[last].name == "joint_meeting":
        with pytest.raises(Conflict) as error:
            decide(app, chosen.rungs[last].speaker, dispute_id, handler_of(chosen))
        assert error.value.code == "dispute.decided_at_meeting"
    decided = decide_on_rung(app, clock, chosen, chosen.rungs[last], dispute_id, handler_of(chosen))
    assert decided.status == "decided"
    assert decided.decision["lead"] == handler_of(chosen)
    assert last_event(app, dispute_id).rung == chosen.rungs[last].name


def escalate(app, who, dispute_id, _handler):
    return dispute_acts(app).escalate(
        person(app, who), dispute_id, reason="本级协调不成，提请上一级"
    )


def decide(app, who, dispute_id, handler):
    return dispute_acts(app).decide(
        person(app, who), dispute_id, {"handler": handler, "reasons": "依职责分工"}
    )


@pytest.mark.parametrize(("name", "index"), RUNGS)
def test_each_rungs_body_decides_when_the_dispute_stands_there(
    request, store_url, clock, name, index
):
    chosen = LADDERS[name]
    app = request.getfixturevalue(chosen.district).app
    dispute_id, referral_id = opened(app, chosen)
    climb(app, chosen, dispute_id, index)
    handler = handler_of(chosen)
    rung = chosen.rungs[index]
    if rung.agency is None:
        agree(app, chosen, dispute_id, handler)
    decision = decide_on_rung(app, clock, chosen, rung, dispute_id, handler).decision
    assert (decision["lead"], decision["assisting"], decision["joint"]) == (handler, [], [])
    assert last_event(app, dispute_id).rung == rung.name
    if referral_id is not None:
        referral = referral_acts(app).referral(person(app, chosen.parties[0]), referral_id)
        assert (referral.status, referral.handler) == ("accepted", handler)


def test_on_the_joint_meeting_rung_its_body_does_not_decide_outside_a_meeting(binhai):
    app = binhai.app
    chosen = LADDERS["binhai-referral"]
    dispute_id, referral_id = opened(app, chosen)
    climb(app, chosen, dispute_id, 1)
    with pytest.raises(Conflict) as error:
        decide(app, "ma-jun", dispute_id, "tj-bh-scjg")
    assert error.value.code == "dispute.decided_at_meeting"
    assert dispute_acts(app).dispute(person(app, "ma-jun"), dispute_id).status == "open"
    referral = referral_acts(app).referral(person(app, "qian-min"), referral_id)
    assert referral.status == "disputed"


def test_minutes_settling_a_dispute_not_at_the_joint_meeting_are_refused_when_drafted(
    binhai, clock
):
    app = binhai.app
    dispute_id, _ = opened(app, LADDERS["binhai-referral"])  # still at negotiation
    with pytest.raises(Conflict) as error:
        joint_meeting(app, clock, dispute_id, "tj-bh-scjg")
    assert error.value.code == "dispute.not_at_joint_meeting"


def test_minutes_whose_dispute_another_meeting_decided_first_are_not_issued(binhai, clock):
    """The decision and the issue are saved together, or neither is."""
    app = binhai.app
    chosen = LADDERS["binhai-referral"]
    dispute_id, _ = opened(app, chosen)
    climb(app, chosen, dispute_id, 1)
    first = joint_meeting(app, clock, dispute_id, "tj-bh-scjg")
    second = joint_meeting(app, clock, dispute_id, "tj-bh-zfzd")
    qian = person(app, "qian-min")
    MeetingHandlers(app).issue_minutes(qian, first)
    with pytest.raises(Conflict) as error:
        MeetingHandlers(app).issue_minutes(qian, second)
    assert error.value.code == "dispute.not_open"
    assert MeetingHandlers(app).meeting(qian, second).status == "minutes_approved"
    dispute = dispute_acts(app).dispute(qian, dispute_id)
    assert (dispute.status, dispute.decision["lead"]) == ("decided", "tj-bh-scjg")


def test_the_ladders_differ_by_mechanism_and_kind(demo):
    """The default mechanism takes direct and referral disputes up the same three rungs."""
    app = demo.app
    dispute_id, _ = opened(app, LADDERS["default-direct"])
    names = [r["name"] for r in dispute_acts(app).dispute(person(app, "chu-yan"), dispute_id).rungs]
    assert names == ["negotiation", "legal_department", "district_government"]
    dispute = dispute_acts(app).dispute(person(app, "chu-yan"), dispute_id)
    assert (dispute.details["ladder"], dispute.details["mechanism"]) == ("direct", "default")


# Negotiation ----------------------------------------------------------------------------------


def test_negotiation_decides_only_what_both_parties_proposed(demo):
    app = demo.app
    chosen = LADDERS["default-referral"]
    dispute_id, _ = opened(app, chosen)
    with pytest.raises(Conflict) as error:
        decide(app, "qian-min", dispute_id, "tj-bh-scjg")
    assert error.value.code == "dispute.no_agreement", "nobody proposed anything yet"
    dispute_acts(app).record_position(
        person(app, "qian-min"),
        dispute_id,
        position="属市场监管职责",
        proposed_handler="tj-bh-scjg",
    )
    with pytest.raises(Conflict) as error:
        decide(app, "qian-min", dispute_id, "tj-bh-scjg")
    assert error.value.code == "dispute.no_agreement", "one party alone does not agree"
    dispute_acts(app).record_position(
        person(app, "lu-yu"), dispute_id, position="属应急管理职责", proposed_handler="tj-bh-yjj"
    )
    for handler in ("tj-bh-scjg", "tj-bh-yjj"):
        with pytest.raises(Conflict) as error:
            decide(app, "lu-yu", dispute_id, handler)
        assert error.value.code == "dispute.no_agreement", "they proposed different handlers"
    dispute_acts(app).record_position(
        person(app, "lu-yu"), dispute_id, position="经协商同意接收", proposed_handler="tj-bh-scjg"
    )
    with pytest.raises(Conflict) as error:
        decide(app, "lu-yu", dispute_id, "tj-bh-zfzd")
    assert error.value.code == "dispute.no_agreement", "not what they agreed on"
    assert decide(app, "lu-yu", dispute_id, "tj-bh-scjg").aggregate.status == "decided"


def test_at_negotiation_an_officer_does_not_speak_for_the_party(demo):
    app = demo.app
    dispute_id, _ = opened(app, LADDERS["default-referral"])
    with pytest.raises(Forbidden) as error:
        escalate(app, "wang-fang", dispute_id, None)
    assert error.value.code == "auth.role_missing"


def test_only_a_party_records_a_position(demo):
    app = demo.app
    dispute_id, _ = opened(app, LADDERS["default-referral"])
    with pytest.raises(Forbidden) as error:
        dispute_acts(app).record_position(
            person(app, "gao-yuan"), dispute_id, position="区政府意见", proposed_handler=None
        )
    assert error.value.code == "dispute.not_a_party"


def test_a_position_says_something(demo):
    app = demo.app
    dispute_id, _ = opened(app, LADDERS["default-referral"])
    with pytest.raises(Invalid) as error:
        dispute_acts(app).record_position(
            person(app, "lu-yu"), dispute_id, position=" ", proposed_handler="tj-bh-scjg"
        )
    assert error.value.code == "dispute.position_required"


def test_positions_are_recorded_at_every_rung(demo):
    app = demo.app
    chosen = LADDERS["default-referral"]
    dispute_id, _ = opened(app, chosen)
    climb(app, chosen, dispute_id, 1)
    dispute_acts(app).record_position(
        person(app, "lu-yu"), dispute_id, position="补充说明", proposed_handler="tj-bh-yjj"
    )
    dispute = dispute_acts(app).dispute(person(app, "sun-li"), dispute_id)
    assert dispute.positions["tj-bh-scjg"] == {
        "position": "补充说明",
        "proposed_handler": "tj-bh-yjj",
        "rung": 1,
    }


def test_an_escalation_gives_its_reason(demo):
    app = demo.app
    dispute_id, _ = opened(app, LADDERS["default-referral"])
    with pytest.raises(Invalid) as error:
        dispute_acts(app).escalate(person(app, "qian-min"), dispute_id, reason="")
    assert error.value.code == "dispute.reason_required"


# Deciding and closing -------------------------------------------------------------------------


def test_a_decision_settles_the_referral_with_the_designated_handler(demo):
    app = demo.app
    chosen = LADDERS["default-referral"]
    dispute_id, referral_id = opened(app, chosen)
    climb(app, chosen, dispute_id, 1)
    decide(app, "sun-li", dispute_id, "tj-bh-zfzd")  # neither party: the detachment
    referral = referral_acts(app).referral(person(app, "zheng-hua"), referral_id)
    assert referral.status == "accepted"
    assert referral.handler == "tj-bh-zfzd"
    assert referral.decision["lead"] == "tj-bh-zfzd"
    assert event_names(app, referral_id)[-3:] == ["Rejected", "Disputed", "Settled"]
    assert last_event(app, referral_id).by["agency"] == "tj-bh-yjj-fzk"
    with pytest.raises(Forbidden) as error:
        referral_acts(app).report_outcome(person(app, "zhu-xia"), referral_id, outcome="已查处")
    assert error.value.code == "referral.not_your_agency"
    referral_acts(app).report_outcome(person(app, "zheng-hua"), referral_id, outcome="已立案查处")
    assert referral_acts(app).referral(person(app, "qian-min"), referral_id).status == "concluded"


@pytest.mark.parametrize(
    "decision",
    [
        {"lead": "tj-xq-yjj", "assisting": ["tj-bh-yjj"]},
        {"lead": "tj-bh-yjj", "joint": ["tj-xq-yjj"]},
        {"lead": "tj-xq-yjj", "assisting": ["tj-bh-zfzd"], "joint": ["tj-bh-yjj"]},
    ],
)
def test_the_city_designates_lead_assisting_and_joint_handlers(demo, decision):
    app = demo.app
    chosen = LADDERS["major-cross-region"]
    dispute_id, _ = opened(app, chosen)
    climb(app, chosen, dispute_id, 1)
    decided = dispute_acts(app).decide(person(app, "tang-ning"), dispute_id, decision).aggregate
    assert decided.decision == {
        "lead": decision["lead"],
        "assisting": decision.get("assisting", []),
        "joint": decision.get("joint", []),
        "reasons": "",
    }


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        ({"reasons": "无"}, "dispute.handler_required"),
        ({"lead": "tj-nowhere"}, "dispute.handler_unknown"),
        ({"lead": "tj-bh-yjj", "assisting": ["tj-nowhere"]}, "dispute.handler_unknown"),
    ],
)
def test_a_decision_names_registered_handlers(demo, decision, code):
    app = demo.app
    chosen = LADDERS["major-cross-region"]
    dispute_id, _ = opened(app, chosen)
    climb(app, chosen, dispute_id, 1)
    with pytest.raises(Invalid) as error:
        dispute_acts(app).decide(person(app, "tang-ning"), dispute_id, decision)
    assert error.value.code == code


def test_a_decided_dispute_takes_no_more_acts_until_closed(demo):
    app = demo.app
    chosen = LADDERS["default-referral"]
    dispute_id, _ = opened(app, chosen)
    climb(app, chosen, dispute_id, 1)
    with pytest.raises(Conflict) as error:
        dispute_acts(app).close(person(app, "qian-min"), dispute_id)
    assert error.value.code == "dispute.not_decided"
    decide(app, "sun-li", dispute_id, "tj-bh-scjg")
    acts = [
        lambda: escalate(app, "sun-li", dispute_id, None),
        lambda: decide(app, "sun-li", dispute_id, "tj-bh-yjj"),
        lambda: dispute_acts(app).record_position(
            person(app, "lu-yu"), dispute_id, position="仍有异议", proposed_handler="tj-bh-yjj"
        ),
    ]
    for act in acts:
        with pytest.raises(Conflict) as error:
            act()
        assert error.value.code == "dispute.not_open"
    assert dispute_acts(app).close(person(app, "lu-yu"), dispute_id).aggregate.status == "closed"
    with pytest.raises(Conflict) as error:
        dispute_acts(app).close(person(app, "sun-li"), dispute_id)
    assert error.value.code == "dispute.not_decided"


def test_the_deciding_body_closes_a_direct_dispute(demo):
    app = demo.app
    chosen = LADDERS["default-direct"]
    dispute_id, _ = opened(app, chosen)
    climb(app, chosen, dispute_id, 2)
    decide(app, "gao-yuan", dispute_id, "tj-bh-tp-dd")
    assert dispute_acts(app).close(person(app, "gao-yuan"), dispute_id).aggregate.status == "closed"
