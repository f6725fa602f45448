"""API conventions: authentication, problem+json, ETag/If-Match, Idempotency-Key, min_position."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import jwt

from services.tokens import mint
from tests.conftest import SECRET, auth
from tests.e2e.http import CASE_BODY, act, assert_problem, get_case, register


def test_a_request_without_a_token_is_401(client):
    response = client.get("/v1/cases")
    body = assert_problem(response, 401, "auth.token_missing")
    assert response.headers["www-authenticate"] == "Bearer"
    assert body["title"] == "Not authenticated"


def test_a_forged_token_is_401(client):
    forged = mint(
        "another-secret-that-is-long-enough-x",
        officer="wang-fang",
        agency="tj-bh-yjj-zfs",
        roles=["officer"],
    )
    response = client.get("/v1/cases", headers={"Authorization": f"Bearer {forged}"})
    assert_problem(response, 401, "auth.token_invalid")


def test_an_expired_token_is_401(client):
    old = mint(
        SECRET,
        officer="wang-fang",
        agency="tj-bh-yjj-zfs",
        roles=["officer"],
        now=datetime.now(UTC) - timedelta(days=2),
    )
    response = client.get("/v1/cases", headers={"Authorization": f"Bearer {old}"})
    assert_problem(response, 401, "auth.token_expired")


def test_a_token_for_an_officer_of_another_agency_is_401(client):
    wrong = mint(SECRET, officer="wang-fang", agency="tj-bh-zt-dd", roles=["officer"])
    response = client.get("/v1/cases", headers={"Authorization": f"Bearer {wrong}"})
    assert_problem(response, 401, "auth.officer_unknown")


def test_a_token_without_exp_is_401(client):
    token = jwt.encode({"sub": "wang-fang", "agency": "tj-bh-yjj-zfs"}, SECRET, algorithm="HS256")
    response = client.get("/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "auth.token_invalid")


def test_a_role_missing_for_an_act_is_403(client):
    response = client.post(
        "/v1/agencies",
        headers=auth("zhao-qiang"),
        json={"code": "tj-new", "name": "新单位", "kind": "brigade", "region": "120116"},
    )
    assert_problem(response, 403, "auth.role_missing")


def test_roles_the_register_does_not_give_are_not_in_force(client):
    # 王芳 is an officer; a token that claims more does not make her a deputy director.
    case = register(client, officer="jiang-hai")
    act(client, "jiang-hai", case["id"], "request-filing")
    act(client, "chu-yan", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    boastful = mint(
        SECRET, officer="jiang-hai", agency="tj-bh-zt-dd", roles=["officer", "deputy_director"]
    )
    response = client.post(
        f"/v1/cases/{case['id']}/approve-filing",
        json={"approve": True, "opinion": "同意"},
        headers={"Authorization": f"Bearer {boastful}"},
    )
    assert_problem(response, 403, "case.not_the_approver")


def test_bad_input_is_422_with_the_offending_fields(client):
    body = dict(CASE_BODY, procedure="heroic", occurred_at="yesterday")
    response = client.post("/v1/cases", json=body, headers=auth("wang-fang"))
    problem = assert_problem(response, 422, "request.invalid")
    locations = {tuple(e["location"]) for e in problem["errors"]}
    assert ("body", "procedure") in locations and ("body", "occurred_at") in locations


def test_a_naive_time_is_refused(client):
    body = dict(CASE_BODY, occurred_at="2026-11-20T09:00:00")
    assert_problem(
        client.post("/v1/cases", json=body, headers=auth("wang-fang")), 422, "request.invalid"
    )


def test_unknown_routes_and_methods_answer_problems(client):
    assert_problem(client.get("/v1/nowhere", headers=auth("wang-fang")), 404, "not_found")
    assert_problem(client.delete("/v1/cases", headers=auth("wang-fang")), 405, "method_not_allowed")


def test_commands_answer_with_an_etag_and_a_stale_if_match_is_412(client):
    response = client.post("/v1/cases", json=CASE_BODY, headers=auth("wang-fang"))
    assert response.headers["etag"] == '"1"'
    case = response.json()
    stale = client.post(
        f"/v1/cases/{case['id']}/request-filing", headers={**auth("wang-fang"), "If-Match": '"7"'}
    )
    assert_problem(stale, 412, "precondition_failed")
    fresh = client.post(
        f"/v1/cases/{case['id']}/request-filing", headers={**auth("wang-fang"), "If-Match": '"1"'}
    )
    assert fresh.status_code == 200 and fresh.headers["etag"] == '"2"'
    shown = client.get(
        f"/v1/cases/{case['id']}",
        params={"min_position": fresh.json()["position"]},
        headers=auth("wang-fang"),
    )
    assert shown.headers["etag"] == '"2"'


def test_a_retried_command_with_the_same_key_acts_once(client, demo):
    headers = {**auth("wang-fang"), "Idempotency-Key": "register-1"}
    first = client.post("/v1/cases", json=CASE_BODY, headers=headers)
    head = demo.app.head_position()
    again = client.post("/v1/cases", json=CASE_BODY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert demo.app.head_position() == head, "the retry stored nothing"


def test_a_retry_that_differs_only_in_whitespace_and_key_order_is_the_same_request(client, demo):
    headers = {**auth("wang-fang"), "Idempotency-Key": "spaced", "Content-Type": "application/json"}
    compact = json.dumps(CASE_BODY, separators=(",", ":"), ensure_ascii=False)
    spaced = json.dumps(dict(reversed(CASE_BODY.items())), indent=4, ensure_ascii=False)
    first = client.post("/v1/cases", content=compact.encode(), headers=headers)
    head = demo.app.head_position()
    again = client.post("/v1/cases", content=spaced.encode(), headers=headers)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert demo.app.head_position() == head, "the retry stored nothing"


def test_a_key_reused_for_another_request_is_refused(client):
    headers = {**auth("wang-fang"), "Idempotency-Key": "k-2"}
    assert client.post("/v1/cases", json=CASE_BODY, headers=headers).status_code == 201
    other = dict(CASE_BODY, summary="另一件事")
    assert_problem(
        client.post("/v1/cases", json=other, headers=headers), 422, "idempotency.key_reused"
    )


def test_a_retried_act_answers_the_first_answer_even_after_later_acts(client):
    case = register(client)
    headers = {"Idempotency-Key": "req-filing-1"}
    first = act(client, "wang-fang", case["id"], "request-filing", headers=headers)
    act(client, "zhou-jun", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    again = act(client, "wang-fang", case["id"], "request-filing", headers=headers)
    assert again == first
    assert again["version"] == 2


def test_keys_belong_to_their_officer(client):
    one = client.post(
        "/v1/cases", json=CASE_BODY, headers={**auth("wang-fang"), "Idempotency-Key": "same"}
    )
    two = client.post(
        "/v1/cases", json=CASE_BODY, headers={**auth("wu-gang"), "Idempotency-Key": "same"}
    )
    assert one.json()["id"] != two.json()["id"]


def test_read_your_writes_waits_for_the_views(client):
    case = register(client)
    assert get_case(client, "wang-fang", case["id"], position=case["position"])["id"] == case["id"]


def test_a_position_the_views_never_reach_is_503_with_retry_after(client, demo):
    demo.settings.min_position_wait_seconds = 0.2
    demo.runner.stop()
    case = register(client)
    response = client.get(
        "/v1/cases", params={"min_position": case["position"]}, headers=auth("wang-fang")
    )
    assert_problem(response, 503, "views.behind")
    assert response.headers["retry-after"] == "1"


def test_health_and_readiness(client, demo):
    assert client.get("/healthz").json() == {"status": "ok"}
    case = register(client)
    get_case(client, "wang-fang", case["id"], position=case["position"])
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["store"]["head"] == case["position"]
    assert ready["views"]["cases"] == {"position": case["position"], "lag": 0}
