"""Bad input the schemas refuse before anything acts: numbers for times, strings for booleans,
NUL characters in text, certificates valid until implausible days. Each is a 422 problem and
stores nothing."""

from __future__ import annotations

import pytest

from tests.conftest import auth
from tests.e2e.http import CASE_BODY, assert_problem, register


def stored_events(client) -> int:
    return int(client.get("/readyz").json()["store"]["head"])


@pytest.mark.e2e
@pytest.mark.parametrize(
    "changes",
    [
        {"occurred_at": 12345},  # a number is not a time
        {"occurred_at": 1.7e9},
        {"summary": "未按规定\x00培训"},  # PostgreSQL text cannot hold NUL
        {"party": {"kind": "organisation", "name": "天津\x00某公司"}},
        {"place": {"region": "120116", "address": "中塘镇\x00"}},
    ],
)
def test_a_case_with_bad_input_is_refused_and_nothing_is_stored(client, changes):
    before = stored_events(client)
    answer = client.post("/v1/cases", json={**CASE_BODY, **changes}, headers=auth("wang-fang"))
    assert_problem(answer, 422, "request.invalid")
    assert stored_events(client) == before


@pytest.mark.e2e
@pytest.mark.parametrize("approve", ["true", 1, "yes", None])
def test_an_approval_is_true_or_false_and_nothing_else(client, approve):
    case = register(client, "wang-fang")
    client.post(f"/v1/cases/{case['id']}/request-filing", headers=auth("wang-fang"))
    before = stored_events(client)
    body = {"approve": approve, "opinion": "同意"}
    answer = client.post(
        f"/v1/cases/{case['id']}/review-filing", json=body, headers=auth("zhou-jun")
    )
    assert_problem(answer, 422, "request.invalid")
    assert stored_events(client) == before


@pytest.mark.e2e
@pytest.mark.parametrize("valid_until", ["0001-01-01", "9999-12-31", 20301231])
def test_a_certificate_valid_until_an_implausible_day_is_refused(client, valid_until):
    body = {
        "id": "new-officer",
        "name": "新警员",
        "agency_code": "tj-bh-yjj-zfs",
        "roles": ["officer"],
        "certificate": {"number": "津应急执09998", "valid_until": valid_until},
    }
    before = stored_events(client)
    assert_problem(
        client.post("/v1/officers", json=body, headers=auth("admin")), 422, "request.invalid"
    )
    renewal = {"number": "津应急执09998", "valid_until": valid_until}
    answer = client.post(
        "/v1/officers/wang-fang/renew-certificate", json=renewal, headers=auth("admin")
    )
    assert_problem(answer, 422, "request.invalid")
    assert stored_events(client) == before
