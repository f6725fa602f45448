"""GET /v1/warnings over HTTP: the open warnings on limits an agency must meet, seen by it, its
heads and supervisors (the one visibility rule), and by no one else; counts, filters, pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.warnings.watcher import Watcher
from tests.conftest import auth
from tests.e2e.http import assert_problem, head, refer


def warnings(client, officer, expect=200, **params):
    params = {"min_position": head(client), **params}
    response = client.get("/v1/warnings", params=params, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def overdue_referrals(client, demo, clock, count=3):
    """Referrals drafted and left unsent past their send limit, the watcher's pass made."""
    made = [refer(client) for _ in range(count)]
    due = max(
        datetime.fromisoformat(d["due_at"])
        for r in made
        for d in r["deadlines"]
        if d["name"] == "send"
    )
    clock.set(due + timedelta(hours=1))
    demo.wait_for(demo.app.head_position(), 10)
    Watcher(demo).watch()
    return made


def test_an_agency_its_heads_and_supervisors_see_its_warnings_and_no_one_else(client, demo, clock):
    made = overdue_referrals(client, demo, clock)
    ids = {r["id"] for r in made}
    mine = warnings(client, "wang-fang")
    assert {w["resource"]["id"] for w in mine["items"]} == ids
    assert {(w["colour"], w["name"], w["agency"]) for w in mine["items"]} == {
        ("red", "send", made[0]["from_agency"])
    }
    assert mine["counts"] == {"colour": {"yellow": 0, "red": 3}, "kind": {"referral": 3}}
    link = mine["items"][0]["resource"]["link"]
    assert client.get(link, headers=auth("wang-fang")).status_code == 200
    for head_or_supervisor in ("zhao-qiang", "he-jing"):
        assert {w["resource"]["id"] for w in warnings(client, head_or_supervisor)["items"]} == ids
    for other in ("zhu-xia", "jiang-hai"):  # the receiving department, a brigade
        assert warnings(client, other)["items"] == []
    response = client.get("/v1/warnings", params={"agency": "tj-bh-yjj"}, headers=auth("zhu-xia"))
    assert_problem(response, 404, "agency.not_found")
    assert_problem(client.get("/v1/warnings", headers=auth("admin")), 403, "auth.not_a_party")


def test_warnings_filter_by_colour_and_kind_and_page_by_their_cursor(client, demo, clock):
    overdue_referrals(client, demo, clock, count=3)
    assert warnings(client, "wang-fang", colour="yellow")["items"] == []
    assert len(warnings(client, "wang-fang", kind="referral")["items"]) == 3
    assert warnings(client, "wang-fang", kind="meeting")["items"] == []
    first = warnings(client, "wang-fang", limit=2)
    second = warnings(client, "wang-fang", limit=2, cursor=first["next_cursor"])
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert second["next_cursor"] is None
    for bad in ({"colour": "green"}, {"kind": "nope"}, {"limit": 0}, {"cursor": "x"}):
        response = client.get("/v1/warnings", params=bad, headers=auth("wang-fang"))
        assert_problem(response, 422, "request.invalid")
