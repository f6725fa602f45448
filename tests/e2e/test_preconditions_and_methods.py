"""If-Match as RFC 9110 reads it, OPTIONS and the Allow header."""

from __future__ import annotations

import pytest

from tests.conftest import auth
from tests.e2e.http import CASE_BODY, REFERRAL_BODY, assert_problem, register

AGENCY_BODY = {"code": "tj-new", "name": "新单位", "kind": "brigade", "region": "120116"}
OFFICER_BODY = {"id": "ma-chao", "name": "马超", "agency_code": "tj-bh-tp-dd", "roles": ["officer"]}
CREATES = [
    ("/v1/cases", CASE_BODY, "wang-fang"),
    ("/v1/referrals", REFERRAL_BODY, "wang-fang"),
    ("/v1/disputes", {}, "wang-fang"),
    ("/v1/agencies", AGENCY_BODY, "admin"),
    ("/v1/officers", OFFICER_BODY, "admin"),
]


def request_filing(client, case_id, if_match):
    return client.post(
        f"/v1/cases/{case_id}/request-filing", headers={**auth("wang-fang"), "If-Match": if_match}
    )


@pytest.mark.parametrize("if_match", ["abc", '"1", "2"', "1", '"1', 'W/"x"', ""])
def test_a_malformed_if_match_is_400(client, demo, if_match):
    case = register(client)
    head = demo.app.head_position()
    response = request_filing(client, case["id"], if_match)
    assert_problem(response, 400, "request.if_match_malformed")
    assert demo.app.head_position() == head


def test_if_match_star_accepts_any_current_version(client):
    case = register(client)
    response = request_filing(client, case["id"], "*")
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'


@pytest.mark.parametrize(("path", "body", "officer"), CREATES)
@pytest.mark.parametrize("if_match", ['"1"', "*"])
def test_if_match_on_a_create_is_412_and_creates_nothing(
    client, demo, path, body, officer, if_match
):
    head = demo.app.head_position()
    response = client.post(path, json=body, headers={**auth(officer), "If-Match": if_match})
    assert_problem(response, 412, "precondition_failed")
    assert demo.app.head_position() == head


def test_a_malformed_if_match_on_a_create_is_400(client):
    headers = {**auth("wang-fang"), "If-Match": "abc"}
    assert_problem(
        client.post("/v1/cases", json=CASE_BODY, headers=headers), 400, "request.if_match_malformed"
    )


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v1/agencies", "GET, OPTIONS, POST"),
        ("/v1/cases", "GET, OPTIONS, POST"),
        ("/v1/cases/6f1c1f9e-0000-4000-8000-000000000000", "GET, OPTIONS"),
        ("/v1/cases/6f1c1f9e-0000-4000-8000-000000000000/close", "OPTIONS, POST"),
        ("/v1/calendar/2027", "GET, OPTIONS, PUT"),
        ("/healthz", "GET, OPTIONS"),
    ],
)
def test_options_answers_every_method_of_the_path(client, path, allowed):
    response = client.options(path)
    assert response.status_code == 204, response.text
    assert response.headers["allow"] == allowed
    not_allowed = client.request("PATCH", path, headers=auth("wang-fang"))
    assert_problem(not_allowed, 405, "method_not_allowed")
    assert not_allowed.headers["allow"] == allowed


def test_options_on_an_unknown_path_is_404(client):
    assert_problem(client.options("/v1/nowhere"), 404, "not_found")
