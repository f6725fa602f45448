"""Meetings over HTTP: a case review from its call to its last follow-up item; a Binhai
referral dispute settled by a joint meeting's minutes; a consultation by letter; a meeting
postponed, one cancelled; invitations declined and absences; the tracker and the compliance
figures; and who sees a meeting."""

from __future__ import annotations

from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import (
    LETTER_BODY,
    MEETING_ACTS,
    assert_problem,
    convene,
    head,
    meet,
    on_referral,
    refer,
    register,
)


def test_a_case_review_from_its_call_to_its_follow_up(client, clock):
    case = register(client)
    body = {
        "kind": "case_review",
        "invitees": ["tj-bh-zfzd"],
        "topics": ["审定事故调查报告及处罚意见"],
        "starts_at": "2026-11-27T09:00:00+08:00",
        "place": {"region": "120116", "address": "区应急局三楼会议室"},
        "subject": {"case_id": case["id"]},
    }
    response = client.post("/v1/meetings", json=body, headers=auth("qian-min"))
    assert response.status_code == 201, response.text
    called = response.json()
    assert called["status"] == "convened" and called["convener"] == "tj-bh-yjj"
    dues = {d["name"]: (d["due_at"], d["state"]) for d in called["deadlines"]}
    assert dues == {
        "materials": ("2026-11-24T23:59:59+08:00", "pending"),
        "minutes": ("2026-12-04T23:59:59+08:00", "pending"),
    }
    m = called["id"]
    meet(client, "qian-min", m, "circulate", {"materials": [{"title": "事故调查报告"}]})
    meet(client, "zheng-hua", m, "answer", {"answer": "attends", "officers": ["zheng-hua"]})
    clock.set(at(2026, 11, 27, 11))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["sun-li", "qian-min"]},
        {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]},
    ]
    meet(client, "qian-min", m, "hold", {"attended": present})
    minutes = {
        "text": "经集体讨论，同意调查报告及处罚意见",
        "decisions": [
            {
                "item": "1",
                "text": "由执法支队送达处罚决定",
                "follow_up": {
                    "task": "送达处罚决定书",
                    "agency": "tj-bh-zfzd",
                    "due": "2026-12-10",
                },
            }
        ],
    }
    meet(client, "qian-min", m, "draft-minutes", minutes)
    for officer in ("sun-li", "qian-min"):
        meet(client, officer, m, "sign-minutes")
    meet(client, "zhao-qiang", m, "approve-minutes")
    refused = meet(client, "qian-min", m, "issue-minutes", expect=409)
    assert refused["code"] == "meeting.signatures_missing"
    meet(client, "zheng-hua", m, "sign-minutes")
    issued = meet(client, "qian-min", m, "issue-minutes")
    assert issued["status"] == "minutes_issued"
    meet(client, "zheng-hua", m, "acknowledge")
    done = meet(client, "zheng-hua", m, "follow-ups/1/done", {"report": "已送达"})
    assert done["follow_ups"][0]["done_at"] is not None
    shown = client.get(
        f"/v1/meetings/{m}", params={"min_position": done["position"]}, headers=auth("zheng-hua")
    )
    assert shown.status_code == 200, shown.text
    assert {k: v for k, v in shown.json().items() if k != "history"} == done
    page = client.get("/v1/meetings", headers=auth("zheng-hua")).json()
    [entry] = page["items"]
    assert entry["minutes_acknowledged"] and entry["answer"]["answer"] == "attends"
    stranger = client.get(f"/v1/meetings/{m}", headers=auth("zhu-xia"))
    assert stranger.status_code == 404
    figures = client.get("/v1/meetings/compliance", headers=auth("qian-min")).json()
    assert figures["held"] == 1 and figures["minutes"]["on_time"] == 1, figures


def get(client, officer, path, expect=200, **params):
    response = client.get(path, params=params, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def dues(meeting):
    return {d["name"]: (d["due_at"], d["state"]) for d in meeting["deadlines"]}


# A Binhai referral dispute, settled by the joint meeting's minutes ---------------------------


def disputed(client):
    """The bureau's referral to market regulation, rejected and disputed: (the referral as the
    dispute left it, the dispute's id)."""
    referral = refer(client)
    for officer, verb, body in (
        ("qian-min", "approve", None),
        ("wang-fang", "send", None),
        ("zhu-xia", "acknowledge", None),
        ("lu-yu", "reject", {"reason": "不属于本部门职责"}),
    ):
        on_referral(client, officer, referral["id"], verb, body)
    answer = on_referral(client, "qian-min", referral["id"], "dispute", {"grounds": "职责明确"})
    return answer, answer["dispute_id"]


def escalate(client, dispute_id):
    escalated = client.post(
        f"/v1/disputes/{dispute_id}/escalate", json={"reason": "协商不成"}, headers=auth("qian-min")
    )
    assert escalated.status_code == 200, escalated.text
    return escalated.json()


def joint_meeting(client, clock, dispute_id, decisions):
    """马骏 calls the bureau's joint meeting on the dispute with market regulation; it is held
    and its minutes, with `decisions`, approved by 钱敏: the meeting's id."""
    m = convene(
        client,
        "ma-jun",
        kind="joint_meeting",
        invitees=["tj-bh-scjg"],
        topics=["移送争议协调"],
        subject={"dispute_id": dispute_id},
    )["id"]
    meet(client, "ma-jun", m, "circulate", {"materials": [{"title": "争议情况说明"}]})
    clock.set(at(2026, 11, 30, 10))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["ma-jun"]},
        {"agency": "tj-bh-scjg", "officers": ["lu-yu"]},
    ]
    meet(client, "ma-jun", m, "hold", {"attended": present})
    meet(client, "ma-jun", m, "draft-minutes", {"text": "联席会议纪要", "decisions": decisions})
    meet(client, "qian-min", m, "approve-minutes")
    return m


def settling(dispute_id, item="1", handler="tj-bh-scjg"):
    settles = {"dispute_id": dispute_id, "decision": {"handler": handler}}
    return {"item": item, "text": f"由{handler}查处", "settles": settles}


def test_a_binhai_referral_dispute_is_settled_by_the_joint_meetings_minutes(binhai_client, clock):
    client = binhai_client
    opened, d = disputed(client)
    referral_id = opened["id"]
    dispute = get(client, "qian-min", f"/v1/disputes/{d}", min_position=opened["position"])
    assert (dispute["mechanism"], dispute["rung"]) == ("binhai", "negotiation")
    assert [(r["name"], r["agency"]) for r in dispute["rungs"]] == [
        ("negotiation", None),
        ("joint_meeting", "tj-bh-yjj-lxb"),
    ]
    assert escalate(client, d)["rung"] == "joint_meeting"
    direct = client.post(
        f"/v1/disputes/{d}/decide", json={"handler": "tj-bh-scjg"}, headers=auth("ma-jun")
    )
    assert_problem(direct, 409, "dispute.decided_at_meeting")

    call = {
        "kind": "joint_meeting",
        "topics": ["移送争议协调：无证经营危险化学品的查处单位"],
        "subject": {"dispute_id": d, "referral_id": referral_id},
    }
    # The bureau, one party, calls the meeting: it invites the other party, not itself.
    itself = convene(client, "ma-jun", 422, invitees=["tj-bh-yjj", "tj-bh-scjg"], **call)
    assert itself["code"] == "meeting.convener_invited"
    called = convene(client, "ma-jun", invitees=["tj-bh-scjg"], **call)
    assert (called["convener"], called["convened_in"]) == ("tj-bh-yjj", "tj-bh-yjj-lxb")
    assert called["subject"] == {"case_id": None, "referral_id": referral_id, "dispute_id": d}
    m = called["id"]
    meet(client, "ma-jun", m, "circulate", {"materials": [{"title": "争议情况说明"}]})
    meet(client, "zhu-xia", m, "answer", {"answer": "attends", "officers": ["lu-yu"]})
    clock.set(at(2026, 11, 30, 10))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["ma-jun", "qian-min"]},
        {"agency": "tj-bh-scjg", "officers": ["lu-yu"]},
    ]
    held = meet(client, "ma-jun", m, "hold", {"attended": present})
    assert held["absent_without_reason"] == []
    settles = {"dispute_id": d, "decision": {"handler": "tj-bh-scjg", "reasons": "属市场监管职责"}}
    minutes = {
        "text": "经联席会议研究，明确由市场监管部门查处",
        "decisions": [{"item": "1", "text": "由区市场监管局依法查处", "settles": settles}],
    }
    elsewhere = dict(settles, dispute_id=referral_id)  # not the dispute on the agenda
    wrong = {**minutes, "decisions": [{"item": "1", "text": "另案", "settles": elsewhere}]}
    refused = meet(client, "ma-jun", m, "draft-minutes", wrong, expect=422)
    assert refused["code"] == "meeting.dispute_not_on_agenda"
    meet(client, "ma-jun", m, "draft-minutes", minutes)
    refused = meet(client, "ma-jun", m, "approve-minutes", expect=403)
    assert refused["code"] == "meeting.not_convener_head"  # the office's head, not the bureau's
    meet(client, "qian-min", m, "approve-minutes")
    undecided = get(client, "lu-yu", f"/v1/disputes/{d}", min_position=head(client))
    assert (undecided["status"], undecided["decision"]) == ("open", None)

    before = head(client)
    issued = meet(client, "ma-jun", m, "issue-minutes")
    after = head(client)
    assert after == before + 3, "the minutes, the dispute's decision and the referral's settling"
    assert issued["status"] == "minutes_issued" and issued["follow_ups"] == []
    issued_at = issued["minutes"]["issued_at"]
    dispute = get(client, "lu-yu", f"/v1/disputes/{d}", min_position=after)
    assert dispute["status"] == "decided"
    assert dispute["decision"] == {
        "lead": "tj-bh-scjg",
        "assisting": [],
        "joint": [],
        "reasons": "属市场监管职责",
        "rung": "joint_meeting",
        "meeting_id": m,
        "by": {"officer": "ma-jun", "agency": "tj-bh-yjj-lxb", "name": "马骏"},
        "at": issued_at,
    }
    assert dispute["history"][-1]["type"] == "DecidedAtMeeting"
    settled = get(client, "zhu-xia", f"/v1/referrals/{referral_id}", min_position=after)
    assert (settled["status"], settled["handler"]) == ("accepted", "tj-bh-scjg")
    assert settled["decision"]["lead"] == "tj-bh-scjg"
    assert [h["type"] for h in settled["history"]][-3:] == ["Rejected", "Disputed", "Settled"]
    assert settled["history"][-1]["at"] == issued_at
    again = client.post(
        f"/v1/disputes/{d}/decide", json={"handler": "tj-bh-yjj"}, headers=auth("ma-jun")
    )
    assert_problem(again, 409, "dispute.not_open")
    shown = get(client, "qian-min", f"/v1/meetings/{m}", min_position=after)
    assert {k: v for k, v in shown.items() if k != "history"} == issued
    assert shown["minutes"]["decisions"][0]["settles"]["decision"]["lead"] == "tj-bh-scjg"
    done = on_referral(client, "zhu-xia", referral_id, "report-outcome", {"outcome": "已立案"})
    assert done["status"] == "concluded"


def test_minutes_cannot_settle_a_dispute_before_it_reaches_the_joint_meeting(binhai_client, clock):
    """Minutes that could never be issued are refused when drafted, and nothing is saved."""
    client = binhai_client
    opened, d = disputed(client)  # the parties still negotiate
    m = joint_meeting(client, clock, d, [])
    stored = head(client)
    minutes = {"text": "联席会议纪要", "decisions": [settling(d)]}
    early = meet(client, "ma-jun", m, "draft-minutes", minutes, expect=409)
    assert early["code"] == "dispute.not_at_joint_meeting"
    assert head(client) == stored
    escalate(client, d)
    meet(client, "ma-jun", m, "draft-minutes", minutes)  # approved minutes, redrafted
    meet(client, "qian-min", m, "approve-minutes")
    issued = meet(client, "ma-jun", m, "issue-minutes")
    assert issued["status"] == "minutes_issued"
    dispute = get(client, "lu-yu", f"/v1/disputes/{d}", min_position=head(client))
    assert (dispute["status"], dispute["decision"]["meeting_id"]) == ("decided", m)
    referral = get(client, "lu-yu", f"/v1/referrals/{opened['id']}", min_position=head(client))
    assert (referral["status"], referral["handler"]) == ("accepted", "tj-bh-scjg")
    # The meeting's own rules answer first, whatever the dispute it settled has become.
    again = meet(client, "ma-jun", m, "draft-minutes", minutes, expect=409)
    assert again["code"] == "meeting.minutes_issued"


def test_minutes_settling_the_dispute_twice_are_refused(binhai_client, clock):
    """One dispute, one decision: minutes deciding it twice are refused when drafted."""
    client = binhai_client
    _, d = disputed(client)
    escalate(client, d)
    call = {"kind": "joint_meeting", "invitees": ["tj-bh-scjg"], "subject": {"dispute_id": d}}
    m = convene(client, "ma-jun", **call)["id"]
    meet(client, "ma-jun", m, "circulate", {"materials": [{"title": "争议情况说明"}]})
    clock.set(at(2026, 11, 30, 10))
    meet(
        client, "ma-jun", m, "hold", {"attended": [{"agency": "tj-bh-yjj", "officers": ["ma-jun"]}]}
    )
    twice = [settling(d, "1"), settling(d, "2", "tj-bh-zfzd")]
    drafted = client.post(
        f"/v1/meetings/{m}/draft-minutes",
        json={"text": "联席会议纪要", "decisions": twice},
        headers=auth("ma-jun"),
    )
    assert_problem(drafted, 422, "meeting.settled_twice")


# A consultation by letter ------------------------------------------------------------------


def test_a_consultation_by_letter_is_answered_by_each_agency_and_concluded(client, clock):
    letter = LETTER_BODY
    response = client.post("/v1/consultations", json=letter, headers=auth("qian-min"))
    assert response.status_code == 201, response.text
    sent = response.json()
    assert (sent["kind"], sent["form"], sent["status"]) == ("consultation", "letter", "letter_sent")
    assert (sent["starts_at"], sent["place"], sent["invitees"]) == (None, None, letter["consulted"])
    assert dues(sent) == {"answers": ("2026-11-30T23:59:59+08:00", "pending")}
    m = sent["id"]
    for verb in ("circulate", "hold"):
        body = dict(MEETING_ACTS)[verb]
        assert meet(client, "qian-min", m, verb, body, 409)["code"] == "meeting.wrong_form"
    blank = meet(client, "zhu-xia", m, "answer-letter", {"answer": " "}, 422)
    assert blank["code"] == "meeting.answer_required"
    first = meet(client, "zhu-xia", m, "answer-letter", {"answer": "同意由执法支队牵头"})
    assert first["written_answers"]["tj-bh-scjg"]["late"] is False
    assert dues(first) == {"answers": ("2026-11-30T23:59:59+08:00", "pending")}, "one of two"
    again = meet(client, "zhu-xia", m, "answer-letter", {"answer": "补充意见"}, 409)
    assert again["code"] == "meeting.already_answered"
    stranger = meet(client, "jiang-hai", m, "answer-letter", {"answer": "意见"}, 404)
    assert stranger["code"] == "meeting.not_found"
    clock.set(at(2026, 11, 27, 15))
    last = meet(client, "chen-jie", m, "answer-letter", {"answer": "同意牵头"})  # 支队监察室
    [answers] = last["deadlines"]
    assert (answers["met_at"], answers["state"]) == (
        last["written_answers"]["tj-bh-zfzd"]["at"],
        "on_time",
    )
    assert last["written_answers"]["tj-bh-zfzd"]["by"]["officer"] == "chen-jie"
    refused = meet(client, "zhu-xia", m, "conclude", {"conclusion": "同意"}, 403)
    assert refused["code"] == "meeting.not_convener"
    concluded = meet(client, "qian-min", m, "conclude", {"conclusion": "由执法支队牵头核查"})
    assert concluded["status"] == "concluded"
    assert concluded["conclusion"]["unanswered"] == []
    shown = get(client, "zheng-hua", f"/v1/meetings/{m}", min_position=concluded["position"])
    assert {k: v for k, v in shown.items() if k != "history"} == concluded
    assert [h["type"] for h in shown["history"]] == [
        "Convened",
        "LetterSent",
        "LetterAnswered",
        "LetterAnswered",
        "Concluded",
    ]
    [entry] = get(client, "zhu-xia", "/v1/meetings")["items"]
    assert (entry["id"], entry["role"], entry["status"]) == (m, "invitee", "concluded")
    assert [(d["name"], d["state"]) for d in entry["deadlines"]] == [("answers", "on_time")]


def test_a_letter_not_answered_in_time_is_late_and_its_conclusion_names_who_did_not(client, clock):
    letter = {"consulted": ["tj-bh-scjg", "tj-bh-zfzd"], "topics": ["核查分工"], "letter": "请回复"}
    sent = client.post("/v1/consultations", json=letter, headers=auth("qian-min")).json()
    clock.set(at(2026, 12, 1, 9))  # after the end of the 5th working day
    overdue = get(client, "qian-min", "/v1/meetings", overdue="true", min_position=head(client))
    assert [e["id"] for e in overdue["items"]] == [sent["id"]]
    late = meet(client, "zhu-xia", sent["id"], "answer-letter", {"answer": "同意"})
    assert late["written_answers"]["tj-bh-scjg"]["late"] is True
    concluded = meet(client, "qian-min", sent["id"], "conclude", {"conclusion": "按原方案"})
    assert concluded["conclusion"]["unanswered"] == ["tj-bh-zfzd"]
    assert dues(concluded) == {"answers": ("2026-11-30T23:59:59+08:00", "pending")}
    listed = get(client, "qian-min", "/v1/meetings", overdue="true", min_position=head(client))
    assert listed["items"] == [], "a concluded letter is no longer overdue"


# Postponed and cancelled -------------------------------------------------------------------


def test_a_postponed_meeting_moves_the_time_limits_not_yet_met(client, clock):
    called = convene(client, invitees=["tj-bh-scjg"])
    assert dues(called) == {
        "materials": ("2026-11-25T23:59:59+08:00", "pending"),
        "minutes": ("2026-12-07T23:59:59+08:00", "pending"),
    }
    m = called["id"]
    for body, code in (
        ({"starts_at": "2026-12-10T09:00:00+08:00"}, "meeting.reason_required"),
        ({"starts_at": "2026-11-20T09:00:00+08:00", "reason": "改期"}, "meeting.time_in_past"),
    ):
        assert meet(client, "qian-min", m, "postpone", body, 422)["code"] == code
    refused = meet(client, "zhu-xia", m, "postpone", dict(MEETING_ACTS)["postpone"], 403)
    assert refused["code"] == "meeting.not_convener"
    moved = meet(
        client,
        "qian-min",
        m,
        "postpone",
        {"starts_at": "2026-12-10T09:00:00+08:00", "reason": "会议室调整"},
    )
    assert moved["starts_at"] == "2026-12-10T09:00:00+08:00" and moved["status"] == "convened"
    assert dues(moved) == {
        "materials": ("2026-12-07T23:59:59+08:00", "pending"),
        "minutes": ("2026-12-17T23:59:59+08:00", "pending"),
    }
    circulated = meet(client, "qian-min", m, "circulate", {"materials": [{"title": "会商材料"}]})
    again = meet(
        client,
        "qian-min",
        m,
        "postpone",
        {"starts_at": "2026-12-14T09:00:00+08:00", "reason": "主要负责人出差"},
    )
    assert again["status"] == "circulated"
    assert dues(again) == {
        "materials": ("2026-12-07T23:59:59+08:00", "on_time"),  # met: it stays
        "minutes": ("2026-12-21T23:59:59+08:00", "pending"),
    }
    assert [(p["from"], p["to"], p["reason"]) for p in again["postponements"]] == [
        ("2026-11-30T09:00:00+08:00", "2026-12-10T09:00:00+08:00", "会议室调整"),
        ("2026-12-10T09:00:00+08:00", "2026-12-14T09:00:00+08:00", "主要负责人出差"),
    ]
    assert again["circulated_at"] == circulated["circulated_at"]
    clock.set(at(2026, 12, 10, 10))  # the time it was first moved to has come: not yet its own
    early = meet(client, "qian-min", m, "hold", dict(MEETING_ACTS)["hold"], 409)
    assert early["code"] == "meeting.not_yet_due"
    shown = get(client, "zhu-xia", f"/v1/meetings/{m}", min_position=again["position"])
    assert [h["type"] for h in shown["history"]] == [
        "Convened",
        "Postponed",
        "MaterialsCirculated",
        "Postponed",
    ]
    assert {k: v for k, v in shown.items() if k != "history"} == again
    on_the_day = get(
        client, "zhu-xia", "/v1/meetings", **{"from": "2026-12-14", "to": "2026-12-14"}
    )
    assert [e["id"] for e in on_the_day["items"]] == [m]
    assert get(client, "zhu-xia", "/v1/meetings", to="2026-12-10")["items"] == []


def test_a_cancelled_meeting_refuses_every_further_act(client, clock):
    m = convene(client)["id"]
    blank = meet(client, "qian-min", m, "cancel", {"reason": " "}, 422)
    assert blank["code"] == "meeting.reason_required"
    cancelled = meet(client, "qian-min", m, "cancel", {"reason": "议题已协商解决"})
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancellation"]["reason"] == "议题已协商解决"
    assert cancelled["cancellation"]["by"]["officer"] == "qian-min"
    stored = head(client)
    by = {"answer": "zheng-hua", "acknowledge": "zhu-xia", "answer-letter": "zhu-xia"}
    by |= {"follow-ups/1/done": "zhu-xia", "approve-minutes": "zhao-qiang"}
    for verb, body in MEETING_ACTS:
        refused = meet(client, by.get(verb, "qian-min"), m, verb, body, 409)
        assert refused["code"] == "meeting.cancelled", verb
    assert head(client) == stored
    clock.set(at(2026, 12, 8, 9))  # past both of its time limits
    shown = get(client, "qian-min", f"/v1/meetings/{m}", min_position=stored)
    assert shown["overdue"] is False
    assert [d["state"] for d in shown["deadlines"]] == ["pending", "pending"]
    assert get(client, "qian-min", "/v1/meetings", overdue="true")["items"] == []
    [entry] = get(client, "zhu-xia", "/v1/meetings", status="cancelled")["items"]
    assert (entry["id"], entry["overdue"]) == (m, False)
    figures = get(client, "qian-min", "/v1/meetings/compliance")
    assert (figures["convened"], figures["cancelled"], figures["held"]) == (1, 1, 0)


# Invitations answered, and absences ----------------------------------------------------------


def test_a_decline_needs_its_reason_and_who_neither_answered_nor_came_is_absent(client, clock):
    m = convene(client, invitees=["tj-bh-scjg", "tj-bh-zfzd", "tj-bh-gaj"])["id"]
    for reason in (None, "  "):
        body = (
            {"answer": "declines"} if reason is None else {"answer": "declines", "reason": reason}
        )
        refused = client.post(f"/v1/meetings/{m}/answer", json=body, headers=auth("zhu-xia"))
        assert_problem(refused, 422, "meeting.reason_required")
    declined = meet(
        client, "zhu-xia", m, "answer", {"answer": "declines", "reason": "同日另有执法检查任务"}
    )
    answer = declined["answers"]["tj-bh-scjg"]
    assert (answer["answer"], answer["reason"], answer["representatives"]) == (
        "declines",
        "同日另有执法检查任务",
        [],
    )
    for officers, code in (
        ([], "meeting.representatives_required"),
        (["zhu-xia"], "meeting.representative_not_of_agency"),
        (["no-such-officer"], "meeting.officer_unknown"),
    ):
        body = {"answer": "attends", "officers": officers}
        assert meet(client, "zheng-hua", m, "answer", body, 422)["code"] == code
    attends = meet(
        client,
        "zheng-hua",
        m,
        "answer",
        {"answer": "attends", "officers": ["zheng-hua", "chen-jie"]},
    )
    assert [r["officer"] for r in attends["answers"]["tj-bh-zfzd"]["representatives"]] == [
        "zheng-hua",
        "chen-jie",
    ]
    meet(client, "qian-min", m, "circulate", {"materials": [{"title": "会商材料"}]})
    clock.set(at(2026, 11, 30, 10))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]},
    ]
    uninvited = [*present, {"agency": "tj-bh-jcy", "officers": ["xu-ping"]}]
    refused = meet(client, "qian-min", m, "hold", {"attended": uninvited}, 422)
    assert refused["code"] == "meeting.attendee_not_invited"
    held = meet(client, "qian-min", m, "hold", {"attended": present})
    assert held["absent_without_reason"] == ["tj-bh-gaj"]  # market regulation was excused
    assert [a["agency"] for a in held["attended"]] == ["tj-bh-yjj", "tj-bh-zfzd"]
    late = meet(
        client, "qin-song", m, "answer", {"answer": "attends", "officers": ["qin-song"]}, 409
    )
    assert late["code"] == "meeting.already_held"
    figures = get(client, "qian-min", "/v1/meetings/compliance", min_position=held["position"])
    assert (figures["invitations"], figures["absent_without_reason"]) == (3, 1)
    assert figures["absent_share"] == 0.3333


# The tracker and the compliance figures ------------------------------------------------------


def ids(page):
    return [e["id"] for e in page["items"]]


def test_the_tracker_filters_and_pages_and_compliance_agrees_with_what_happened(client, clock):
    materials = {"materials": [{"title": "会商材料"}]}
    # Called on Monday for Wednesday: short notice, its materials late.
    short = convene(client, invitees=["tj-bh-zfzd"], starts_at="2026-11-25T09:00:00+08:00")
    assert short["short_notice"] is True
    first = convene(client)  # market regulation and the detachment, next Monday
    special = convene(
        client, kind="special_topic", invitees=["tj-bh-gaj"], starts_at="2026-12-03T09:00:00+08:00"
    )
    letter = {"consulted": ["tj-bh-scjg"], "topics": ["核查分工"], "letter": "请回复"}
    written = client.post("/v1/consultations", json=letter, headers=auth("qian-min")).json()
    theirs = convene(  # market regulation calls one, inviting the bureau
        client, "lu-yu", invitees=["tj-bh-yjj"], starts_at="2026-12-04T09:00:00+08:00"
    )
    circulated = meet(client, "qian-min", short["id"], "circulate", materials)
    assert dues(circulated)["materials"] == ("2026-11-22T23:59:59+08:00", "late")
    meet(client, "qian-min", first["id"], "circulate", materials)
    meet(client, "lu-yu", theirs["id"], "circulate", materials)
    meet(
        client, "zheng-hua", short["id"], "answer", {"answer": "attends", "officers": ["zheng-hua"]}
    )
    meet(client, "zhu-xia", first["id"], "answer", {"answer": "attends", "officers": ["zhu-xia"]})
    meet(client, "zhu-xia", written["id"], "answer-letter", {"answer": "同意"})

    clock.set(at(2026, 11, 25, 10))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]},
    ]
    meet(client, "qian-min", short["id"], "hold", {"attended": present})
    meet(client, "qian-min", short["id"], "draft-minutes", {"text": "会商一致"})
    meet(client, "zhao-qiang", short["id"], "approve-minutes")

    clock.set(at(2026, 11, 30, 10))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-bh-scjg", "officers": ["zhu-xia"]},
    ]
    held = meet(client, "qian-min", first["id"], "hold", {"attended": present})
    assert held["absent_without_reason"] == ["tj-bh-zfzd"]  # it neither answered nor came
    follow_up = {"task": "报送检查情况", "agency": "tj-bh-scjg", "due": "2026-12-02"}
    minutes = {
        "text": "会商意见",
        "decisions": [{"item": "1", "text": "联合检查", "follow_up": follow_up}],
    }
    meet(client, "qian-min", first["id"], "draft-minutes", minutes)
    meet(client, "zhao-qiang", first["id"], "approve-minutes")
    issued = meet(client, "qian-min", first["id"], "issue-minutes")
    assert issued["minutes"]["late"] is False

    clock.set(at(2026, 12, 3, 10))  # the special meeting's materials and the follow-up overdue
    late = meet(client, "qian-min", short["id"], "issue-minutes")
    assert late["minutes"]["late"] is True
    newest_first = [theirs["id"], written["id"], special["id"], first["id"], short["id"]]
    now = head(client)

    def tracker(officer, **params):
        return get(client, officer, "/v1/meetings", min_position=now, **params)

    bureau = tracker("qian-min")
    assert bureau["agency"] == "tj-bh-yjj" and bureau["next_cursor"] is None
    assert ids(bureau) == newest_first
    assert [e["role"] for e in bureau["items"]] == ["invitee", *["convener"] * 4]
    assert ids(tracker("qian-min", kind="special_topic")) == [special["id"]]
    assert ids(tracker("qian-min", kind="consultation")) == [
        theirs["id"],
        written["id"],
        first["id"],
        short["id"],
    ]
    assert ids(tracker("qian-min", status="minutes_issued")) == [first["id"], short["id"]]
    assert ids(tracker("qian-min", status="letter_sent")) == [written["id"]]
    assert ids(tracker("qian-min", overdue="true")) == [special["id"], first["id"]]
    assert ids(tracker("qian-min", **{"from": "2026-12-01"})) == [theirs["id"], special["id"]]
    # A letter is dated by its sending: Monday 23rd.
    assert ids(tracker("qian-min", to="2026-11-30")) == [written["id"], first["id"], short["id"]]
    one_day = tracker("qian-min", **{"from": "2026-11-30", "to": "2026-11-30"})
    assert ids(one_day) == [first["id"]]
    reversed_ = client.get(
        "/v1/meetings", params={"from": "2026-12-01", "to": "2026-11-30"}, headers=auth("qian-min")
    )
    assert_problem(reversed_, 422, "request.period_reversed")
    pages, cursor = [], None
    while True:
        page = tracker("qian-min", limit=2, **({"cursor": cursor} if cursor else {}))
        pages.append(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    entry = next(e for e in bureau["items"] if e["id"] == first["id"])
    assert {d["name"]: d["state"] for d in entry["deadlines"]} == {
        "materials": "on_time",
        "minutes": "on_time",
        "follow_up:1": "overdue",  # the convener tracks every item
    }
    assert (entry["answer"], entry["minutes_received"], entry["follow_ups_open"]) == (
        None,
        False,
        [],
    )
    assert entry["overdue"] is True

    market = tracker("zhu-xia")
    assert market["agency"] == "tj-bh-scjg"
    assert ids(market) == [theirs["id"], written["id"], first["id"]]
    assert [e["role"] for e in market["items"]] == ["convener", "invitee", "invitee"]
    invited = market["items"][2]
    assert invited["answer"]["answer"] == "attends"
    assert (invited["minutes_received"], invited["minutes_acknowledged"]) == (True, False)
    assert [f["item"] for f in invited["follow_ups_open"]] == ["1"]
    assert {d["name"]: d["state"] for d in invited["deadlines"]} == {
        "materials": "on_time",
        "minutes": "on_time",
        "follow_up:1": "overdue",
    }
    assert [(d["name"], d["state"]) for d in market["items"][1]["deadlines"]] == [
        ("answers", "on_time")
    ]
    assert ids(tracker("zhu-xia", overdue="true")) == [first["id"]]
    assert ids(tracker("zhu-xia", kind="special_topic")) == []
    detachment = tracker("zheng-hua")
    assert ids(detachment) == [first["id"], short["id"]]
    assert {d["name"] for d in detachment["items"][0]["deadlines"]} == {"materials", "minutes"}
    assert detachment["items"][0]["answer"] is None  # it never answered

    meet(client, "zhu-xia", first["id"], "acknowledge")
    done = meet(client, "zhu-xia", first["id"], "follow-ups/1/done", {"report": "已报送"})
    assert done["follow_ups"][0]["late"] is True
    now = head(client)
    assert ids(tracker("qian-min", overdue="true")) == [special["id"]]
    invited = next(e for e in tracker("zhu-xia")["items"] if e["id"] == first["id"])
    assert invited["minutes_acknowledged"] and invited["follow_ups_open"] == []
    assert invited["overdue"] is False

    figures = get(client, "qian-min", "/v1/meetings/compliance", min_position=now)
    assert figures == {
        "agency": "tj-bh-yjj",
        "from": "2026-01-01",
        "to": "2026-12-03",
        "convened": 3,
        "cancelled": 0,
        "held": 2,
        "short_notice": 1,
        "materials": {"on_time": 1, "late": 1, "overdue": 1, "pending": 0},
        "minutes": {"on_time": 1, "late": 1, "overdue": 0, "pending": 0},
        "invitations": 3,
        "absent_without_reason": 1,
        "absent_share": 0.3333,
        "follow_ups": {"total": 1, "done": 1},
        "letters": figures["letters"],  # see test_compliance_counts_the_letters_sent
        "joint_conferences": None,
    }
    november = get(
        client, "qian-min", "/v1/meetings/compliance", **{"from": "2026-11-01", "to": "2026-11-30"}
    )
    assert (november["convened"], november["held"], november["materials"]["overdue"]) == (2, 2, 0)
    theirs_figures = get(client, "lu-yu", "/v1/meetings/compliance", to="2026-12-31")
    assert (theirs_figures["agency"], theirs_figures["convened"]) == ("tj-bh-scjg", 1)
    assert theirs_figures["materials"] == {"on_time": 1, "late": 0, "overdue": 0, "pending": 0}


def test_compliance_counts_the_letters_sent(client):
    letter = {"consulted": ["tj-bh-scjg"], "topics": ["核查分工"], "letter": "请回复"}
    sent = client.post("/v1/consultations", json=letter, headers=auth("qian-min")).json()
    figures = get(client, "qian-min", "/v1/meetings/compliance", min_position=sent["position"])
    assert figures["letters"] == 1


def test_the_city_bureau_keeps_its_half_yearly_joint_conference(client, clock):
    refused = convene(client, kind="joint_conference", expect=403)
    assert refused["code"] == "meeting.convener_not_competent"  # a district bureau does not
    # 唐宁 of the city bureau's legal department calls it in the city bureau's name.
    called = convene(
        client,
        "tang-ning",
        kind="joint_conference",
        invitees=["tj-bh-yjj", "tj-xq-yjj"],
        topics=["通报下半年联合执法情况"],
        starts_at="2026-12-10T09:00:00+08:00",
        place={"region": "120000", "address": "市应急局会议室"},
    )
    assert (called["convener"], called["convened_in"]) == ("tj-yjj", "tj-yjj-fgc")
    m = called["id"]
    meet(client, "tang-ning", m, "circulate", {"materials": [{"title": "通报材料"}]})
    meet(client, "qian-min", m, "answer", {"answer": "attends", "officers": ["qian-min"]})
    meet(client, "lin-feng", m, "answer", {"answer": "attends", "officers": ["lin-feng"]})
    clock.set(at(2026, 12, 10, 11))
    present = [
        {"agency": "tj-yjj", "officers": ["tang-ning"]},
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-xq-yjj", "officers": ["lin-feng"]},
    ]
    meet(client, "tang-ning", m, "hold", {"attended": present})
    meet(client, "tang-ning", m, "draft-minutes", {"text": "通报情况，部署下一阶段工作"})
    # Only a head of the city bureau itself approves its minutes, not its legal department's.
    refused = meet(client, "tang-ning", m, "approve-minutes", expect=403)
    assert refused["code"] == "meeting.not_convener_head"
    period = {"from": "2026-01-01", "to": "2027-06-30"}
    figures = get(
        client, "tang-ning", "/v1/meetings/compliance", min_position=head(client), **period
    )
    assert figures["agency"] == "tj-yjj"
    assert figures["joint_conferences"] == [
        {"half_year": "2026-H1", "held": False, "meetings": []},
        {"half_year": "2026-H2", "held": True, "meetings": [m]},
        {"half_year": "2027-H1", "held": False, "meetings": []},
    ]
    assert (figures["held"], figures["absent_without_reason"]) == (1, 0)
    assert figures["minutes"] == {"on_time": 0, "late": 0, "overdue": 0, "pending": 1}
    clock.set(at(2026, 12, 18, 9))  # past the 5th working day after it
    figures = get(client, "tang-ning", "/v1/meetings/compliance", **period)
    assert figures["minutes"] == {"on_time": 0, "late": 0, "overdue": 1, "pending": 0}
    meet(client, "liu-yang", m, "approve-minutes")  # the city bureau's director
    issued = meet(client, "dong-xin", m, "issue-minutes")  # its joint conference office
    assert issued["minutes"]["late"] is True
    figures = get(
        client, "tang-ning", "/v1/meetings/compliance", min_position=issued["position"], **period
    )
    assert figures["minutes"] == {"on_time": 0, "late": 1, "overdue": 0, "pending": 0}
    district = get(client, "qian-min", "/v1/meetings/compliance", **period)
    assert district["joint_conferences"] is None and district["held"] == 0


# Who sees a meeting ----------------------------------------------------------------------------


def test_a_stranger_gets_404_on_the_meeting_and_on_every_act(client):
    called = convene(client, invitees=["tj-bh-zfzd"])
    m = called["id"]
    stored = head(client)
    shown = client.get(
        f"/v1/meetings/{m}", params={"min_position": stored}, headers=auth("zhu-xia")
    )
    assert_problem(shown, 404, "meeting.not_found")
    for verb, body in MEETING_ACTS:
        response = client.post(f"/v1/meetings/{m}/{verb}", json=body, headers=auth("zhu-xia"))
        assert_problem(response, 404, "meeting.not_found")
    assert head(client) == stored
    assert get(client, "zhu-xia", "/v1/meetings")["items"] == []
    other = client.get("/v1/meetings", params={"agency": "tj-bh-yjj"}, headers=auth("zhu-xia"))
    assert_problem(other, 404, "agency.not_found")
    assert get(client, "zheng-hua", f"/v1/meetings/{m}")["version"] == called["version"]
