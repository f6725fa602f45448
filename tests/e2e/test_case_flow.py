"""A case through HTTP: registered by an officer, approved by the head and deputy, numbered."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import act, assert_problem, get_case, register


def test_an_officer_registers_and_the_head_and_deputy_file_the_case(client):
    case = register(client)
    assert case["status"] == "registered" and case["number"] is None
    case = act(client, "wang-fang", case["id"], "request-filing")
    assert case["status"] == "awaiting_approval"
    case = act(
        client, "zhou-jun", case["id"], "review-filing", {"approve": True, "opinion": "同意"}
    )
    answer = act(
        client, "qian-min", case["id"], "approve-filing", {"approve": True, "opinion": "同意立案"}
    )
    assert answer["number"] == "津滨应急罚〔2026〕1号"
    assert answer["status"] == "filed"

    shown = get_case(client, "wang-fang", case["id"], position=answer["position"])
    assert shown["number"] == "津滨应急罚〔2026〕1号"
    assert [e["type"] for e in shown["timeline"]] == [
        "Registered",
        "FilingRequested",
        "FilingReviewed",
        "Filed",
    ]
    assert shown["timeline"][-1]["by"] == {
        "officer": "qian-min",
        "agency": "tj-bh-yjj",
        "name": "钱敏",  # the officer's name travels with every act
    }
    assert {k: v for k, v in shown.items() if k != "timeline"} == answer


def test_another_agencys_officer_gets_404_and_a_supervisor_above_sees_it(client):
    case = register(client)
    for outsider in ("jiang-hai", "zhu-xia", "qin-song", "chen-jie"):
        response = client.get(f"/v1/cases/{case['id']}", headers=auth(outsider))
        assert_problem(response, 404, "case.not_found")
        response = client.post(f"/v1/cases/{case['id']}/request-filing", headers=auth(outsider))
        assert_problem(response, 404, "case.not_found")
    for above in ("zhao-qiang", "qian-min", "he-jing"):
        assert get_case(client, above, case["id"], position=case["position"])["id"] == case["id"]


def test_an_unknown_case_is_404_like_an_invisible_one(client):
    response = client.get(
        "/v1/cases/00000000-0000-0000-0000-000000000000", headers=auth("wang-fang")
    )
    assert_problem(response, 404, "case.not_found")


def test_an_officer_without_a_certificate_cannot_register(client):
    response = client.post("/v1/cases", json={}, headers=auth("wei-dong"))
    assert response.status_code == 422
    from tests.e2e.http import CASE_BODY

    response = client.post("/v1/cases", json=CASE_BODY, headers=auth("wei-dong"))
    assert_problem(response, 403, "officer.certificate_invalid")


def test_an_expired_certificate_stops_a_filing_request(client, demo, clock):
    case = register(client)
    response = client.post(
        "/v1/officers/wang-fang/renew-certificate",
        json={"number": "津应急执00006", "valid_until": "2026-11-22"},
        headers=auth("admin"),
    )
    assert response.status_code == 200, response.text
    response = client.post(f"/v1/cases/{case['id']}/request-filing", headers=auth("wang-fang"))
    assert_problem(response, 403, "officer.certificate_invalid")


def test_simple_procedure_over_the_limit_is_refused_with_its_code(client):
    case = register(client, procedure="simple", party={"kind": "person", "name": "张三"})
    response = client.post(
        f"/v1/cases/{case['id']}/decide-on-the-spot",
        json={"penalty": {"kind": "fine", "amount_yuan": "200.01"}},
        headers=auth("wang-fang"),
    )
    assert_problem(response, 422, "case.simple_procedure_limit")
    decided = act(
        client,
        "wang-fang",
        case["id"],
        "decide-on-the-spot",
        {"penalty": {"kind": "fine", "amount_yuan": 200}},
    )
    assert decided["number"] == "津滨应急简罚〔2026〕1号"
    assert decided["penalty"] == {"kind": "fine", "amount_yuan": "200.00"}
    [deadline] = decided["deadlines"]
    assert deadline["name"] == "report_and_file" and deadline["rule"] == "5 working days"
    reported = act(client, "wang-fang", case["id"], "report-decision")
    assert reported["status"] == "reported"
    assert reported["deadlines"][0]["met_at"] is not None


def test_money_is_never_a_float(client):
    case = register(client, procedure="simple")
    response = client.post(
        f"/v1/cases/{case['id']}/decide-on-the-spot",
        json={"penalty": {"kind": "fine", "amount_yuan": 100.5}},
        headers=auth("wang-fang"),
    )
    assert_problem(response, 422, "request.invalid")


def test_a_brigade_case_is_approved_by_the_town_deputy(client):
    case = register(client, officer="jiang-hai")
    act(client, "jiang-hai", case["id"], "request-filing")
    act(client, "chu-yan", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    response = client.post(
        f"/v1/cases/{case['id']}/approve-filing",
        json={"approve": True, "opinion": "同意"},
        headers=auth("qian-min"),
    )
    assert_problem(response, 403, "case.not_the_approver")
    filed = act(
        client, "wei-dong", case["id"], "approve-filing", {"approve": True, "opinion": "同意立案"}
    )
    assert filed["number"] == "津滨应急罚〔2026〕1号"


def test_an_accident_case_is_filed_by_the_detachment(client):
    case = register(
        client,
        officer="chen-jie",
        procedure="accident",
        source={
            "kind": "accident_report",
            "reference": "事故调查报告",
            "handed_over_at": "2026-11-23T09:00:00+08:00",
        },
        occurred_at="2026-10-01T09:00:00+08:00",
    )
    assert case["deadlines"][0]["name"] == "filing"
    assert case["deadlines"][0]["due_at"] == "2026-11-30T23:59:59+08:00"
    act(client, "chen-jie", case["id"], "request-filing")
    act(client, "zheng-hua", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    filed = act(
        client, "qian-min", case["id"], "approve-filing", {"approve": True, "opinion": "同意立案"}
    )
    assert filed["status"] == "filed"


def test_evidence_and_closing(client):
    case = register(client)
    record = {
        "kind": "audio_video",
        "title": "执法记录仪视频",
        "sha256": "b" * 64,
        "size": 2048,
        "recorded_at": "2026-11-20T09:30:00+08:00",
        "uri": "s3://evidence/b.mp4",
    }
    answer = act(client, "wang-fang", case["id"], "evidence", record, expect=201)
    assert answer["evidence"][0]["sha256"] == "b" * 64
    response = client.post(
        f"/v1/cases/{case['id']}/evidence", json=record, headers=auth("wang-fang")
    )
    assert_problem(response, 409, "case.evidence_duplicate")
    response = client.post(
        f"/v1/cases/{case['id']}/close", json={"reason": ""}, headers=auth("wang-fang")
    )
    assert_problem(response, 422, "case.reason_required")
    closed = act(client, "wang-fang", case["id"], "close", {"reason": "不予立案"})
    assert closed["status"] == "closed" and closed["closure"]["reason"] == "不予立案"


def test_the_case_list_filters_and_pages(client):
    ids = [register(client)["id"] for _ in range(5)]
    simple = register(client, procedure="simple")
    headers = auth("wang-fang")
    page = client.get(
        "/v1/cases", params={"limit": 2, "min_position": simple["position"]}, headers=headers
    ).json()
    assert [c["id"] for c in page["items"]] == [simple["id"], ids[4]]
    page = client.get(
        "/v1/cases", params={"limit": 2, "cursor": page["next_cursor"]}, headers=headers
    ).json()
    assert [c["id"] for c in page["items"]] == [ids[3], ids[2]]
    only_simple = client.get("/v1/cases", params={"procedure": "simple"}, headers=headers)
    assert [c["id"] for c in only_simple.json()["items"]] == [simple["id"]]
    other = client.get("/v1/cases", headers=auth("jiang-hai")).json()
    assert other["items"] == []


def test_heads_list_the_cases_of_units_below_them(client):
    case = register(client, officer="jiang-hai")
    page = client.get(
        "/v1/cases",
        params={"agency": "tj-bh-zt-dd", "min_position": case["position"]},
        headers=auth("zheng-hua"),
    ).json()
    assert [c["id"] for c in page["items"]] == [case["id"]]
    response = client.get("/v1/cases", params={"agency": "tj-bh-zt-dd"}, headers=auth("wang-fang"))
    assert_problem(response, 404, "agency.not_found")


def test_overdue_cases_are_found(client, clock):
    case = register(client, procedure="simple")
    decided = act(
        client, "wang-fang", case["id"], "decide-on-the-spot", {"penalty": {"kind": "warning"}}
    )
    clock.advance(days=30)
    page = client.get(
        "/v1/cases",
        params={"overdue": "true", "min_position": decided["position"]},
        headers=auth("wang-fang"),
    ).json()
    assert [c["id"] for c in page["items"]] == [case["id"]]
    assert page["items"][0]["overdue"] is True
    shown = get_case(client, "wang-fang", case["id"])
    assert shown["deadlines"][0]["overdue"] is True
