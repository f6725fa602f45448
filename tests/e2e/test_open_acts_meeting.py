"""GET /v1/meetings/{id}/acts: the convener's officers and heads, and the invitees' officers,
are each offered what the meeting's rules let them take now, a follow-up item's report named by
its item; every act offered is taken by its route; a consultation by letter offers its written
answers and its conclusion; a cancelled meeting offers nothing; a stranger is told the meeting
does not exist."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import LETTER_BODY, assert_problem, convene, offered, open_acts, register

# What each act offered is taken with, by its name; an answer names who attends for the agency
# answering (see `attends`).
BODIES: dict[str, dict[str, Any] | None] = {
    "circulate": {"materials": [{"title": "案件调查报告"}]},
    "postpone": {"starts_at": "2026-12-01T09:00:00+08:00", "reason": "会议室调整"},
    "cancel": {"reason": "议题已协商解决"},
    "approve_minutes": None,
    "sign_minutes": None,
    "issue_minutes": None,
    "acknowledge": None,
    "report_follow_up": {"report": "已完成"},
    "answer_letter": {"answer": "同意由执法支队牵头"},
    "conclude": {"conclusion": "由执法支队牵头核查"},
}
# The bureau convenes: its deputy director and director (heads, who approve its minutes), an
# officer of its enforcement office and the head of its joint meeting office act in its name.
HEADS = ("qian-min", "zhao-qiang")
OFFICERS = ("wang-fang", "ma-jun")
CONVENER = HEADS + OFFICERS
# The invitees: the detachment (its head, and an officer of its office acting in its name) and
# market regulation (its liaison officer and its director).
DETACHMENT = ("zheng-hua", "chen-jie")
MARKET = ("zhu-xia", "lu-yu")
INVITEES = DETACHMENT + MARKET
EVERYONE = CONVENER + INVITEES


def assert_offers(client, link, *groups: tuple[tuple[str, ...], set[str]]) -> None:
    """Each person of each group is offered exactly the group's acts."""
    expected = {officer: acts for people, acts in groups for officer in people}
    assert len(expected) == sum(len(people) for people, _ in groups), "a person named twice"
    assert {officer: set(offered(client, officer, link)) for officer in expected} == expected


def attends(officer: str) -> dict[str, Any]:
    return {"answer": "attends", "officers": [officer]}


def take(client, officer, link, act, body=None):
    """The act offered to the officer, taken by its route."""
    href = offered(client, officer, link)[act]
    name = act.split(":")[0]
    given = body if body is not None else BODIES.get(name)
    response = client.post(href, json=given, headers=auth(officer))
    assert response.status_code == 200, (officer, act, response.text)
    return response.json()


def minutes(*follow_ups: tuple[str, str], passed_up: bool = False) -> dict[str, Any]:
    """Minutes whose decision `item` gives `agency` a follow-up item, for each pair given."""
    decisions = [
        {
            "item": item,
            "text": f"由{agency}落实",
            "follow_up": {"task": "报送落实情况", "agency": agency, "due": "2026-12-10"},
        }
        for item, agency in follow_ups
    ]
    up = [{"matter": "执法标准不一致问题", "to": "city_bureau"}] if passed_up else []
    return {"text": "经集体讨论，形成如下意见", "decisions": decisions, "passed_up": up}


def test_a_case_review_offers_each_person_the_acts_its_rules_allow_at_each_status(client, clock):
    case = register(client)
    called = convene(
        client,
        kind="case_review",
        invitees=["tj-bh-zfzd", "tj-bh-scjg"],
        topics=["审定案件处理意见"],
        starts_at="2026-11-27T09:00:00+08:00",
        subject={"case_id": case["id"]},
    )
    link = f"/v1/meetings/{called['id']}"
    before = {"circulate", "postpone", "cancel"}
    assert_offers(client, link, (CONVENER, before), (INVITEES, {"answer"}))
    assert offered(client, "qian-min", link)["circulate"] == f"{link}/circulate"
    open_acts(client, "liu-yang", link, expect=404)  # the city bureau is not invited
    take(client, "qian-min", link, "circulate")

    # Before its time, the meeting is not held; an invitee may answer again until it is.
    assert_offers(client, link, (CONVENER, {"postpone", "cancel"}), (INVITEES, {"answer"}))
    take(client, "zheng-hua", link, "answer", attends("zheng-hua"))
    take(client, "zhu-xia", link, "answer", attends("zhu-xia"))
    assert_offers(client, link, (CONVENER, {"postpone", "cancel"}), (INVITEES, {"answer"}))
    clock.set(at(2026, 11, 27, 11))
    assert_offers(client, link, (CONVENER, {"postpone", "cancel", "hold"}), (INVITEES, {"answer"}))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]},
        {"agency": "tj-bh-scjg", "officers": ["zhu-xia"]},
    ]
    held = take(client, "wang-fang", link, "hold", {"attended": present})
    assert held["status"] == "held"

    assert_offers(client, link, (CONVENER, {"draft_minutes"}), (INVITEES, set()))
    draft = minutes(("1", "tj-bh-zfzd"), ("2", "tj-bh-yjj"), passed_up=True)
    assert take(client, "ma-jun", link, "draft_minutes", draft)["status"] == "minutes_drafted"

    # Each officer present signs; the bureau's own heads approve; a redraft stays open.
    assert_offers(
        client,
        link,
        (("qian-min",), {"draft_minutes", "sign_minutes", "approve_minutes"}),
        (("zhao-qiang",), {"draft_minutes", "approve_minutes"}),  # not present: no signature
        (OFFICERS, {"draft_minutes"}),
        (("zheng-hua", "zhu-xia"), {"sign_minutes"}),
        (("chen-jie", "lu-yu"), set()),  # their agencies were present, not they
    )
    take(client, "qian-min", link, "sign_minutes")
    assert set(offered(client, "qian-min", link)) == {"draft_minutes", "approve_minutes"}
    approved = take(client, "zhao-qiang", link, "approve_minutes")
    assert approved["status"] == "minutes_approved"

    # Approved, they are issued once every officer present has signed them.
    assert_offers(
        client,
        link,
        (CONVENER, {"draft_minutes"}),
        (("zheng-hua", "zhu-xia"), {"sign_minutes"}),
        (("chen-jie", "lu-yu"), set()),
    )
    take(client, "zheng-hua", link, "sign_minutes")
    assert set(offered(client, "qian-min", link)) == {"draft_minutes"}
    take(client, "zhu-xia", link, "sign_minutes")
    assert_offers(client, link, (CONVENER, {"draft_minutes", "issue_minutes"}), (INVITEES, set()))
    issued = take(client, "qian-min", link, "issue_minutes")
    assert issued["status"] == "minutes_issued"

    # Each invitee acknowledges them once; each follow-up item is reported by its agency.
    assert_offers(
        client,
        link,
        (CONVENER, {"report_follow_up:2"}),
        (DETACHMENT, {"acknowledge", "report_follow_up:1"}),
        (MARKET, {"acknowledge"}),
        (("liu-yang",), set()),  # the city bureau, a matter passed up to it, only reads it
    )
    assert offered(client, "chen-jie", link)["report_follow_up:1"] == f"{link}/follow-ups/1/done"
    take(client, "zheng-hua", link, "acknowledge")
    assert_offers(client, link, (DETACHMENT, {"report_follow_up:1"}), (MARKET, {"acknowledge"}))
    done = take(client, "chen-jie", link, "report_follow_up:1")
    assert [f["done_at"] is not None for f in done["follow_ups"]] == [True, False]
    take(client, "wang-fang", link, "report_follow_up:2")
    acknowledged = take(client, "lu-yu", link, "acknowledge")
    assert_offers(client, link, ((*EVERYONE, "liu-yang"), set()))
    assert open_acts(client, "zhu-xia", link)["version"] == acknowledged["version"]


def test_every_act_offered_on_a_meeting_is_taken_by_its_route(client, clock):
    """A consultation, whose minutes are not signed: each act offered on the way is taken."""
    link = f"/v1/meetings/{convene(client, invitees=['tj-bh-scjg'])['id']}"
    taken = []
    for officer, act, body in (
        ("zhu-xia", "answer", {"answer": "declines", "reason": "同日另有检查任务"}),
        ("lu-yu", "answer", attends("lu-yu")),  # its director changes the answer
        ("ma-jun", "postpone", None),
        ("zhao-qiang", "circulate", None),
        ("qian-min", "postpone", {"starts_at": "2026-12-02T09:00:00+08:00", "reason": "改期"}),
    ):
        taken.append((act, take(client, officer, link, act, body)["status"]))
    clock.set(at(2026, 12, 2, 10))
    present = {"attended": [{"agency": "tj-bh-yjj", "officers": ["qian-min"]}]}
    for officer, act, body in (
        ("qian-min", "hold", present),
        ("wang-fang", "draft_minutes", minutes()),
        ("qian-min", "approve_minutes", None),
        ("ma-jun", "draft_minutes", minutes(("1", "tj-bh-scjg"))),  # approved minutes, redrafted
        ("zhao-qiang", "approve_minutes", None),
        ("wang-fang", "issue_minutes", None),
        ("zhu-xia", "report_follow_up:1", None),
        ("lu-yu", "acknowledge", None),
    ):
        taken.append((act, take(client, officer, link, act, body)["status"]))
    assert taken == [
        ("answer", "convened"),
        ("answer", "convened"),
        ("postpone", "convened"),
        ("circulate", "circulated"),
        ("postpone", "circulated"),
        ("hold", "held"),
        ("draft_minutes", "minutes_drafted"),
        ("approve_minutes", "minutes_approved"),
        ("draft_minutes", "minutes_drafted"),
        ("approve_minutes", "minutes_approved"),
        ("issue_minutes", "minutes_issued"),
        ("report_follow_up:1", "minutes_issued"),
        ("acknowledge", "minutes_issued"),
    ]
    assert_offers(client, link, (CONVENER + MARKET, set()))


def test_a_consultation_by_letter_offers_its_answers_and_its_conclusion(client):
    response = client.post("/v1/consultations", json=LETTER_BODY, headers=auth("qian-min"))
    assert response.status_code == 201, response.text
    link = f"/v1/meetings/{response.json()['id']}"
    assert_offers(client, link, (CONVENER, {"conclude"}), (INVITEES, {"answer_letter"}))
    assert offered(client, "zhu-xia", link)["answer_letter"] == f"{link}/answer-letter"
    take(client, "zhu-xia", link, "answer_letter")
    # Each agency answers once, whoever of it answers.
    assert_offers(
        client, link, (CONVENER, {"conclude"}), (MARKET, set()), (DETACHMENT, {"answer_letter"})
    )
    concluded = take(client, "ma-jun", link, "conclude")
    assert (concluded["status"], concluded["conclusion"]["unanswered"]) == (
        "concluded",
        ["tj-bh-zfzd"],
    )
    assert_offers(client, link, (EVERYONE, set()))


def test_a_cancelled_meeting_offers_no_act(client):
    link = f"/v1/meetings/{convene(client)['id']}"
    cancelled = take(client, "wang-fang", link, "cancel")
    assert cancelled["status"] == "cancelled"
    assert_offers(client, link, (CONVENER + INVITEES, set()))


def test_a_stranger_is_told_the_meeting_does_not_exist(client):
    link = f"/v1/meetings/{convene(client, invitees=['tj-bh-zfzd'])['id']}"
    for stranger in ("zhu-xia", "jiang-hai"):  # market regulation not invited; a town's brigade
        response = client.get(f"{link}/acts", headers=auth(stranger))
        assert_problem(response, 404, "meeting.not_found")
    missing = client.get(
        "/v1/meetings/00000000-0000-4000-8000-000000000000/acts", headers=auth("qian-min")
    )
    assert_problem(missing, 404, "meeting.not_found")
