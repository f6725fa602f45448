"""Over HTTP: a filed case's decision period extended to 90 then 180 days, a fine decided on
the spot paid and confirmed, and the case list filtered by step."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import act, assert_problem, register


def filed(client):
    case = register(client)
    act(client, "wang-fang", case["id"], "request-filing")
    act(client, "zhou-jun", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    return act(
        client, "qian-min", case["id"], "approve-filing", {"approve": True, "opinion": "同意"}
    )


def decision(case):
    return next(d for d in case["deadlines"] if d["name"] == "decision")


def test_the_decision_period_is_extended_to_90_then_180_days(client):
    case = filed(client)
    assert case["step"] == "investigation" and decision(case)["rule"] == "30 days"
    case_id = case["id"]
    response = client.post(f"/v1/cases/{case_id}/extension", json={}, headers=auth("wang-fang"))
    assert_problem(response, 422, "request.invalid")
    case = act(client, "wang-fang", case_id, "extension", {"reason": "需委托技术鉴定"})
    assert any("legal_head of tj-bh-yjj-fzk" in need for need in case["next"])
    sign = {"approve": True, "opinion": "同意"}
    act(client, "sun-li", case_id, "forms/extension/sign", sign)
    case = act(client, "zhao-qiang", case_id, "forms/extension/sign", sign)
    assert decision(case)["rule"] == "90 days"
    assert [e["days"] for e in case["extensions"]] == [90]
    body = {"met_on": "2026-11-23", "record": "党委会纪要〔2026〕9号", "reason": "案情重大复杂"}
    response = client.post(
        f"/v1/cases/{case_id}/extension/committee", json=body, headers=auth("qian-min")
    )
    assert response.status_code == 403
    case = act(client, "zhao-qiang", case_id, "extension/committee", body)
    assert decision(case)["rule"] == "180 days"
    listed = client.get("/v1/cases", params={"step": "investigation"}, headers=auth("wang-fang"))
    assert case_id in [c["id"] for c in listed.json()["items"]]
    listed = client.get("/v1/cases", params={"step": "closed"}, headers=auth("wang-fang"))
    assert case_id not in [c["id"] for c in listed.json()["items"]]


def test_a_fine_decided_on_the_spot_is_paid_and_confirmed(client):
    case = register(client, procedure="simple")
    penalty = {"penalty": {"kind": "fine", "amount_yuan": 200}}
    case = act(client, "wang-fang", case["id"], "decide-on-the-spot", penalty)
    assert case["step"] == "decided"
    payment = {
        "bank": "中国银行",
        "branch": "滨海新区支行",
        "reference": "BOC001",
        "amount_yuan": "1.00",
        "paid_at": case["registered_at"],
    }
    path = f"/v1/cases/{case['id']}/record-payment"
    response = client.post(path, json=payment, headers=auth("wang-fang"))
    assert_problem(response, 422, "case.payment_amount_mismatch")
    floated = client.post(path, json=dict(payment, amount_yuan=200.0), headers=auth("wang-fang"))
    assert floated.status_code == 422
    gone = client.post(f"/v1/cases/{case['id']}/payment", json=payment, headers=auth("wang-fang"))
    assert gone.status_code in (404, 405)
    case = act(client, "wang-fang", case["id"], "record-payment", dict(payment, amount_yuan=200))
    assert case["step"] == "payment_approval"
    assert (case["payment"]["amount_yuan"], case["payment"]["slip"]) == ("200.00", None)
    sign = {"approve": True, "opinion": "核准"}
    case = act(client, "zhou-jun", case["id"], "forms/payment/sign", sign)
    assert case["step"] == "decided"
