"""Crime transfers over HTTP (两法衔接, Decree 310): a case reported, approved and sent with a copy
to the procuratorate, received, materials asked for and supplied, not filed, reconsidered,
supervised and at last filed and handed over; a reverse transfer arriving in the agency's inbox;
a recommended transfer answered both ways; and no fine instead of prosecution (以罚代刑)."""

from __future__ import annotations

from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import (
    NOTICE,
    TRANSFER_MATERIALS,
    act,
    assert_problem,
    box,
    material,
    register,
    report_crime,
    sent_transfer,
    transfer_act,
)


def test_from_the_report_to_the_handover_through_refusal_and_supervision(client, clock):
    case = register(client)
    reported = report_crime(client, case["id"])
    t = reported["id"]
    assert reported["status"] == "reported" and reported["agency"] == "tj-bh-yjj"
    due = {d["name"]: d["due_at"] for d in reported["deadlines"]}
    assert due == {"decision": "2026-11-26T23:59:59+08:00"}  # 3 days after Monday 23 Nov
    clock.advance(hours=2)
    approved = transfer_act(client, "zhao-qiang", t, "decide", {"approve": True})
    assert approved["decision"]["approved"] and not approved["decision"]["late"]
    sent = transfer_act(client, "wang-fang", t, "send", {"materials": TRANSFER_MATERIALS})
    assert (sent["public_security"], sent["procuratorate"]) == ("tj-bh-gaj", "tj-bh-jcy")
    assert sent["sent"]["late"] is False

    clock.advance(hours=1)
    received = transfer_act(client, "qin-song", t, "receipt", {"note": "材料已接收"})
    assert received["status"] == "received"
    assert {w["name"] for w in received["windows"]} == {"materials_request", "forward"}
    asked = transfer_act(
        client,
        "qin-song",
        t,
        "request-materials",
        {"materials": ["appraisal"], "note": "缺少爆炸原因技术鉴定"},
    )
    assert asked["status"] == "materials_requested"
    supplied = transfer_act(
        client,
        "wang-fang",
        t,
        "supply-materials",
        {"materials": [material("appraisal", "爆炸原因技术鉴定报告", 9)]},
    )
    assert supplied["status"] == "received" and len(supplied["materials"]) == 5

    clock.advance(days=1)
    refusal = {
        "filed": False,
        "decided_at": clock().isoformat(),
        "reasons": "现有证据不足以证明存在犯罪事实",
        "document": dict(NOTICE, title="不予立案通知书"),
    }
    not_filed = transfer_act(client, "yue-ming", t, "filing-decision", refusal)
    assert not_filed["status"] == "not_filed"
    assert not_filed["filing"]["copied_to"] == ["tj-bh-jcy"]
    asked_again = transfer_act(
        client, "zhao-qiang", t, "request-reconsideration", {"reasons": "鉴定已证实违章动火"}
    )
    assert asked_again["status"] == "reconsideration_requested"
    upheld = transfer_act(
        client,
        "yue-ming",
        t,
        "answer-reconsideration",
        {"upheld": True, "reasons": "维持不予立案决定", "document": NOTICE},
    )
    assert upheld["status"] == "not_filed"
    transfer_act(client, "zhao-qiang", t, "request-supervision", {"reasons": "请求立案监督"})
    transfer_act(client, "xu-ping", t, "request-reasons", {"note": "请说明不立案理由"})
    transfer_act(client, "yue-ming", t, "state-reasons", {"reasons": "证据不足"})
    ordered = transfer_act(client, "xu-ping", t, "order-filing", {"reasons": "理由不能成立"})
    assert ordered["status"] == "filing_ordered"
    refused_again = dict(refusal, decided_at=clock().isoformat())
    problem = transfer_act(client, "yue-ming", t, "filing-decision", refused_again, expect=409)
    assert problem["code"] == "crime_transfer.filing_ordered"
    filed = transfer_act(
        client, "yue-ming", t, "filing-decision", dict(refused_again, filed=True, reasons="")
    )
    assert filed["status"] == "filed" and filed["filing"]["on"] == "order"
    handed = transfer_act(client, "wang-fang", t, "hand-over", {"items": "涉案物品及案卷一宗"})
    assert handed["status"] == "handed_over" and handed["handover"]["late"] is False
    names = {d["name"]: d for d in handed["deadlines"]}
    assert set(names) == {
        *("decision", "transfer", "supply", "filing", "reconsideration_answer"),
        *("reasons", "filing_on_order", "handover"),
    }
    assert all(d["met_at"] and not d["late"] for d in names.values())


def test_a_fine_never_replaces_the_transfer(client):
    case = register(client, procedure="simple")
    t = report_crime(client, case["id"])["id"]
    fine = {"penalty": {"kind": "fine", "amount_yuan": 100}}
    assert act(client, "wang-fang", case["id"], "decide-on-the-spot", fine, expect=409)["code"] == (
        "case.transfer_pending"
    )
    closed = act(client, "wang-fang", case["id"], "close", {"reason": "已移送"}, expect=409)
    assert closed["code"] == "case.transfer_pending"
    transfer_act(client, "zhao-qiang", t, "decide", {"approve": False, "reasons": "不构成犯罪"})
    assert act(client, "wang-fang", case["id"], "decide-on-the-spot", fine)["status"] == "decided"


def test_public_security_hands_the_matter_back_to_the_agencys_inbox(client):
    t = sent_transfer(client)["id"]
    transfer_act(client, "qin-song", t, "receipt")
    letter = [
        {"kind": "referral_letter", "title": "移送行政处理函"},
        {"kind": "source_material", "title": "案件材料"},
        {"kind": "preliminary_evidence", "title": "证据材料"},
    ]
    back = {
        "ground": "too_slight",
        "reasons": "情节显著轻微，不需追究刑事责任",
        "materials": letter,
    }
    returned = transfer_act(client, "yue-ming", t, "transfer-back", back)
    assert returned["status"] == "transferred_back"
    referral = returned["transferred_back"]["referral_id"]
    inbox = box(client, "zhou-jun", position=returned["position"])
    entry = next(i for i in inbox["items"] if i["id"] == referral)
    assert entry["from_agency"] == "tj-bh-gaj" and entry["status"] == "sent"


def test_a_recommended_transfer_is_answered(client):
    case = register(client)
    body = {"case_id": case["id"], "reasons": "该案涉嫌重大责任事故罪，建议移送"}
    response = client.post(
        "/v1/crime-transfers/recommendations", json=body, headers=auth("xu-ping")
    )
    assert response.status_code == 201, response.text
    recommended = response.json()
    assert recommended["status"] == "recommended"
    assert recommended["procuratorate"] == "tj-bh-jcy"
    t = recommended["id"]
    reported = transfer_act(
        client,
        "wang-fang",
        t,
        "report",
        {k: v for k, v in report_body().items() if k != "case_id"},
    )
    assert reported["status"] == "reported" and reported["recommendation"]["declined"] is None

    other = register(client)
    second = client.post(
        "/v1/crime-transfers/recommendations",
        json=dict(body, case_id=other["id"]),
        headers=auth("xu-ping"),
    ).json()
    declined = transfer_act(
        client, "zhao-qiang", second["id"], "decline", {"explanation": "经调查不构成犯罪"}
    )
    assert declined["status"] == "declined"


def test_outsiders_do_not_see_a_transfer_and_bad_input_changes_nothing(client, clock):
    t = sent_transfer(client)["id"]
    for outsider in ("lu-yu", "lin-feng"):
        response = client.post(f"/v1/crime-transfers/{t}/receipt", json={}, headers=auth(outsider))
        assert_problem(response, 404, "crime_transfer.not_found")
    bad = client.post(
        f"/v1/crime-transfers/{t}/filing-decision",
        json={"filed": "yes", "decided_at": 12, "document": {}},
        headers=auth("yue-ming"),
    )
    assert bad.status_code == 422
    clock.set(at(2026, 11, 25, 10))
    late = transfer_act(client, "qin-song", t, "receipt")
    assert late["status"] == "received"


def report_body():
    from tests.e2e.http import REPORT_BODY

    return dict(REPORT_BODY)
