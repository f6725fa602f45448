"""Compulsory measures and rectification over HTTP: an emergency measure the head disapproves
lifted in the same save; a measure approved, noticed 24 hours ahead, taken and lifted; an order
re-inspected and approved before the case closes."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import act, assert_problem, get_case, register

MEASURE = {"kind": "power_cut", "grounds": "拒不执行停产停业决定，有发生事故的现实危险"}


def filed(client):
    case = register(client)
    act(client, "wang-fang", case["id"], "request-filing")
    act(client, "zhou-jun", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    return act(client, "qian-min", case["id"], "approve-filing", {"approve": True})


def sign(client, who, case_id, subject, form="measure", approve=True, opinion="同意"):
    body = {"approve": approve, "opinion": opinion, "subject": subject}
    return act(client, who, case_id, f"forms/{form}/sign", body)


def test_an_emergency_measure_the_head_disapproves_is_lifted_in_the_same_save(client):
    case = filed(client)
    case = act(client, "wang-fang", case["id"], "measures", dict(MEASURE, emergency=True))
    (measure,) = case["measures"]
    assert measure["status"] == "in_force"
    assert f"measure_report:{measure['id']}" in {d["name"] for d in case["deadlines"]}
    case = act(client, "wang-fang", case["id"], f"measures/{measure['id']}/report", {})
    before = case["version"]
    case = sign(client, "zhou-jun", case["id"], measure["id"], approve=False, opinion="不应采取")
    assert case["measures"][0]["status"] == "lifted"
    assert case["measures"][0]["lifted"]["reason"] == "disapproved"
    shown = get_case(client, "wang-fang", case["id"], position=case["position"])
    assert [e["type"] for e in shown["timeline"]][-2:] == ["FormReturned", "MeasureLifted"]
    assert {e["version"] for e in shown["timeline"][-2:]} == {before + 1, before + 2}


def decided_measure(client):
    """A filed case's measure, approved by the unit's head and the director, its decision
    issued: (the case as the decision left it, the measure's id)."""
    case = filed(client)
    case = act(client, "wang-fang", case["id"], "measures", MEASURE)
    measure_id = case["measures"][0]["id"]
    sign(client, "zhou-jun", case["id"], measure_id)
    sign(client, "zhao-qiang", case["id"], measure_id)
    case = act(client, "wang-fang", case["id"], f"measures/{measure_id}/decision", {})
    return case, measure_id


def test_a_measure_is_approved_noticed_taken_after_24_hours_and_lifted(client, clock):
    case, measure_id = decided_measure(client)
    assert case["measures"][0]["decision"] == case["documents"][-1]["number"]
    notice = {"notified_at": clock().isoformat()}
    act(client, "wang-fang", case["id"], f"measures/{measure_id}/notice", notice)
    clock.advance(hours=23, minutes=59)
    response = client.post(
        f"/v1/cases/{case['id']}/measures/{measure_id}/take", json={}, headers=auth("wang-fang")
    )
    assert_problem(response, 409, "case.measure_notice_period")
    clock.advance(minutes=1)
    case = act(client, "wang-fang", case["id"], f"measures/{measure_id}/take", {})
    response = client.post(
        f"/v1/cases/{case['id']}/close", json={"reason": "结案"}, headers=auth("wang-fang")
    )
    assert_problem(response, 409, "case.measure_in_force")
    body = {"reason": "hazard_removed"}
    case = act(client, "wang-fang", case["id"], f"measures/{measure_id}/lift", body)
    assert case["measures"][0]["status"] == "lifted"


def test_an_order_is_reinspected_and_approved_before_the_case_closes(client, clock):
    case = filed(client)
    order = {"items": ["动火作业未履行审批手续"], "due": "2026-11-30T00:00:00+08:00"}
    case = act(client, "wang-fang", case["id"], "rectifications", order)
    (entry,) = case["rectifications"]
    asked = {"asked_at": clock().isoformat()}
    case = act(
        client, "wang-fang", case["id"], f"rectifications/{entry['id']}/reinspection-request", asked
    )
    limit = next(d for d in case["deadlines"] if d["name"] == f"reinspection:{entry['id']}")
    assert limit["due_at"].startswith("2026-12-03T23:59:59")
    response = client.post(
        f"/v1/cases/{case['id']}/close", json={"reason": "结案"}, headers=auth("wang-fang")
    )
    assert_problem(response, 409, "case.reinspection_pending")
    result = {"complied": True, "findings": "已全部整改"}
    case = act(client, "wang-fang", case["id"], f"rectifications/{entry['id']}/reinspect", result)
    assert case["rectifications"][0]["reinspection"]["number"].startswith("津滨应急复查")
    sign(client, "zhou-jun", case["id"], entry["id"], form="reinspection")
    case = act(client, "wang-fang", case["id"], "close", {"reason": "已整改，结案"})
    assert case["status"] == "closed"


def test_bad_measure_bodies_are_422_problems(client):
    case = filed(client)
    response = client.post(
        f"/v1/cases/{case['id']}/measures",
        json={"kind": "demolish", "grounds": "x"},
        headers=auth("wang-fang"),
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    response = client.post(
        f"/v1/cases/{case['id']}/measures",
        json=dict(MEASURE, emergency=True, together_with=["nobody"]),
        headers=auth("wang-fang"),
    )
    assert_problem(response, 422, "case.officer_unknown")


def test_a_brigade_takes_an_emergency_measure_only_with_the_detachment(client):
    case = register(client, "jiang-hai")
    act(client, "jiang-hai", case["id"], "request-filing")
    act(client, "chu-yan", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    case = act(client, "wei-dong", case["id"], "approve-filing", {"approve": True})
    alone = dict(MEASURE, emergency=True, together_with=["jiang-hai"])
    response = client.post(
        f"/v1/cases/{case['id']}/measures", json=alone, headers=auth("jiang-hai")
    )
    assert_problem(response, 422, "case.measure_without_detachment")
    joint = dict(MEASURE, emergency=True, together_with=["feng-tao"])
    case = act(client, "jiang-hai", case["id"], "measures", joint)
    (measure,) = case["measures"]
    assert measure["together_with"][0]["agency"] == "tj-bh-zfzd-jcs"
    case = act(client, "jiang-hai", case["id"], f"measures/{measure['id']}/file", {})
    assert case["measures"][0]["filed_at"] is not None
