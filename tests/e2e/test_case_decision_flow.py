"""A case's notice, hearing and decision over HTTP: a major case from its filing to the record
filing of its decision; a decision refused without the legal review; a hearing with a
recusal."""

from __future__ import annotations

from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import act, assert_problem, meet, register

SHA = "b" * 64
FINE = {"kind": "fine", "amount_yuan": 5000}
DECIDED = dict(FINE, description="罚款人民币伍仟元")


def filed(client):
    case = register(client)
    act(client, "wang-fang", case["id"], "request-filing")
    act(client, "zhou-jun", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    return act(client, "qian-min", case["id"], "approve-filing", {"approve": True})


def approved(client, case, form, *signers):
    case = act(client, "wang-fang", case["id"], f"forms/{form}/submit", {})
    for signer in signers:
        case = act(client, signer, case["id"], f"forms/{form}/sign", {"approve": True})
    return case


def serve(client, case, kind, signed_on):
    number = next(d["number"] for d in case["documents"] if d["kind"] == kind)
    receipt = {
        "recipient": "李四",
        "signed_on": signed_on,
        "sha256": SHA,
        "size": 9,
        "uri": "s3://r",
    }
    return act(client, "wang-fang", case["id"], "serve", {"number": number, "receipt": receipt})


def noticed(client, major=False):
    case = filed(client)
    if major:
        body = {"gravity": "major", "reason": "拟罚款数额较大"}
        act(client, "wang-fang", case["id"], "classify", body)
    case = approved(client, case, "matters", "zhou-jun", "qian-min")
    case = act(client, "wang-fang", case["id"], "issue-notice", {"penalty": FINE})
    return serve(client, case, "notice", "2026-11-23")


def deadline(case, name):
    return next(d for d in case["deadlines"] if d["name"] == name)


def review_meeting(client, clock, case_id):
    body = {
        "kind": "case_review",
        "invitees": ["tj-bh-zfzd"],
        "topics": ["审定处罚意见"],
        "starts_at": "2026-12-02T09:00:00+08:00",
        "place": {"region": "120116", "address": "区应急局三楼会议室"},
        "subject": {"case_id": case_id},
    }
    response = client.post("/v1/meetings", json=body, headers=auth("qian-min"))
    assert response.status_code == 201, response.text
    m = response.json()["id"]
    meet(client, "qian-min", m, "circulate", {"materials": [{"title": "案件调查终结报告"}]})
    meet(client, "zheng-hua", m, "answer", {"answer": "attends", "officers": ["zheng-hua"]})
    clock.set(at(2026, 12, 2, 11))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["sun-li", "qian-min"]},
        {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]},
    ]
    meet(client, "qian-min", m, "hold", {"attended": present})
    meet(client, "qian-min", m, "draft-minutes", {"text": "经集体讨论，同意处罚意见"})
    for officer in ("sun-li", "qian-min", "zheng-hua"):
        meet(client, officer, m, "sign-minutes")
    meet(client, "zhao-qiang", m, "approve-minutes")
    assert meet(client, "qian-min", m, "issue-minutes")["status"] == "minutes_issued"
    return m


def test_a_major_case_from_its_notice_to_the_record_filing(client, clock):
    case = noticed(client, major=True)
    window = deadline(case, "hearing_request")
    assert window["due_at"] == "2026-11-30T23:59:59+08:00"
    assert case["notice"]["hearing_requested"] is False
    refused = client.post(
        f"/v1/cases/{case['id']}/forms/decision/submit", json={}, headers=auth("wang-fang")
    )
    assert_problem(refused, 409, "case.notice_pending")
    clock.set(at(2026, 12, 1, 10))
    case = approved(client, case, "legal_review", "sun-li")
    meeting = review_meeting(client, clock, case["id"])
    case = approved(client, case, "decision", "zhou-jun", "zhao-qiang")
    body = {"penalty": DECIDED, "meeting_id": meeting}
    case = act(client, "wang-fang", case["id"], "decide", body)
    assert case["status"] == "decided" and case["decision"]["meeting_id"] == meeting
    assert deadline(case, "decision")["met_at"] is not None
    lapsed = deadline(case, "hearing_request")
    assert (lapsed["met_at"], lapsed["overdue"]) == (lapsed["due_at"], False)
    slip = {"slip_number": "1200000026000123"}
    refused = client.post(
        f"/v1/cases/{case['id']}/issue-payment-slip", json=slip, headers=auth("sun-li")
    )
    assert_problem(refused, 409, "case.decision_not_stamped")
    assert case["step"] == "stamp"
    case = act(client, "sun-li", case["id"], "stamp")
    case = serve(client, case, "decision", "2026-12-02")
    case = act(client, "sun-li", case["id"], "issue-payment-slip", slip)
    assert case["decision"]["slip"]["amount_yuan"] == "5000.00"
    paid = {
        "bank": "中国银行",
        "branch": "滨海新区支行",
        "reference": "BOC20261202001",
        "amount_yuan": "5000.00",
        "paid_at": "2026-12-02T10:30:00+08:00",
    }
    case = act(client, "wang-fang", case["id"], "record-payment", paid)
    payment = case["payment"]
    assert (payment["reference"], payment["slip"]) == ("BOC20261202001", "1200000026000123")
    assert case["decision"]["slip"]["number"] == "1200000026000123"
    clock.set(at(2026, 12, 11, 10))
    case = act(client, "wang-fang", case["id"], "file-record")
    filing = case["decision"]["record_filing"]
    assert (filing["filed_with"], filing["late"]) == ("tj-yjj-fgc", False)
    record = deadline(case, "record_filing")
    assert record["met_at"] is not None and not record["late"]
    assert case["step"] == "executed"


def test_a_decision_is_refused_without_the_legal_review(client):
    case = noticed(client)
    body = {"statement": "对违法事实无异议", "hearing_waived": True}
    case = act(client, "wang-fang", case["id"], "state", body)
    refused = client.post(
        f"/v1/cases/{case['id']}/decide", json={"penalty": DECIDED}, headers=auth("wang-fang")
    )
    assert_problem(refused, 409, "case.legal_review_missing")
    bad = client.post(
        f"/v1/cases/{case['id']}/decide",
        json={"penalty": dict(DECIDED, kind="death")},
        headers=auth("wang-fang"),
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_a_hearing_with_a_recusal(client, clock):
    case = noticed(client)
    case = act(client, "wang-fang", case["id"], "request-hearing")
    assert case["notice"]["hearing_requested"] is True
    assert deadline(case, "hearing_request")["met_at"] is not None
    notice = {
        "hearing_at": "2026-12-02T09:00:00+08:00",
        "place": "区局听证室",
        "presider": "sun-li",
        "members": ["wang-fang"],
    }
    refused = client.post(
        f"/v1/cases/{case['id']}/notify-hearing", json=notice, headers=auth("sun-li")
    )
    assert_problem(refused, 403, "case.investigator_on_panel")
    case = act(client, "sun-li", case["id"], "notify-hearing", dict(notice, members=["li-na"]))
    assert case["documents"][-1]["kind"] == "hearing_notice"
    recusal = {"officer": "li-na", "reason": "与当事人有亲属关系"}
    case = act(client, "sun-li", case["id"], "request-recusal", recusal)
    granted = {"granted": True, "reason": "理由成立", "replacement": "tang-ning"}
    case = act(client, "sun-li", case["id"], "decide-recusal", granted)
    panel = case["hearing"]["panel"]
    assert [m["officer"] for m in panel["members"]] == ["tang-ning"]
    assert case["hearing"]["recusals"][0]["granted"] is True
    clock.set(at(2026, 12, 2, 11))
    held = {"record_sha256": SHA, "opinion": "事实清楚，维持拟处罚意见"}
    case = act(client, "sun-li", case["id"], "hold-hearing", held)
    assert case["hearing"]["held"]["opinion"] == "事实清楚，维持拟处罚意见"
