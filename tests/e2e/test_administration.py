"""Administration over HTTP: agencies, officers and the holiday schedule."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import assert_problem

ADMIN = auth("admin")


def test_an_admin_registers_an_agency_and_its_code_stays_unique(client):
    body = {
        "code": "tj-bh-xh-dd",
        "name": "新河街道执法大队",
        "kind": "brigade",
        "parent_code": "tj-bh-zfzd",
        "region": "120116",
    }
    created = client.post("/v1/agencies", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 1 and created.json()["position"] > 0
    assert_problem(client.post("/v1/agencies", json=body, headers=ADMIN), 409, "agency.code_taken")
    shown = client.get("/v1/agencies/tj-bh-xh-dd", headers=auth("wang-fang")).json()
    assert shown["parent_code"] == "tj-bh-zfzd"


def test_an_agency_belongs_to_a_registered_parent(client):
    body = {
        "code": "tj-orphan",
        "name": "无主单位",
        "kind": "brigade",
        "parent_code": "tj-nowhere",
        "region": "120116",
    }
    assert_problem(
        client.post("/v1/agencies", json=body, headers=ADMIN), 422, "agency.parent_unknown"
    )


def test_an_admin_registers_an_officer_who_can_then_act(client):
    body = {
        "id": "ma-chao",
        "name": "马超",
        "agency_code": "tj-bh-tp-dd",
        "roles": ["officer"],
        "certificate": {"number": "津应急执09999", "valid_until": "2029-06-30"},
    }
    created = client.post("/v1/officers", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert_problem(client.post("/v1/officers", json=body, headers=ADMIN), 409, "officer.id_taken")
    from services.tokens import mint
    from tests.conftest import SECRET

    token = mint(SECRET, officer="ma-chao", agency="tj-bh-tp-dd", roles=["officer"])
    listing = client.get("/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 200


def test_an_officer_belongs_to_a_registered_agency(client):
    body = {"id": "nobody", "name": "无名", "agency_code": "tj-nowhere", "roles": ["officer"]}
    assert_problem(
        client.post("/v1/officers", json=body, headers=ADMIN), 422, "officer.agency_unknown"
    )


def test_the_agency_list_is_the_register(client):
    codes = [a["code"] for a in client.get("/v1/agencies", headers=auth("wang-fang")).json()]
    assert "tj-bh-yjj" in codes and codes == sorted(codes)
    assert_problem(client.get("/v1/agencies/tj-nowhere", headers=ADMIN), 404, "agency.not_found")


def test_a_year_without_a_schedule_is_counted_on_weekends_only(client):
    year = client.get("/v1/calendar/2027", headers=auth("wang-fang")).json()
    assert year["basis"] == "weekends_only" and year["provisional"] is True
    assert year["holidays"] == [] and year["working_days"] == []
    known = client.get("/v1/calendar/2026", headers=auth("wang-fang")).json()
    assert known["basis"] == "package"
    assert "2026-10-01" in known["holidays"] and "2026-10-10" in known["working_days"]


def test_an_admin_publishes_a_years_schedule(client):
    body = {
        "holidays": ["2027-01-01", "2027-02-08", "2027-02-09"],
        "working_days": ["2027-02-06"],
        "source": "国务院办公厅通知",
    }
    response = client.put("/v1/calendar/2027", json=body, headers=ADMIN)
    assert response.status_code == 200, response.text
    year = response.json()
    assert year["basis"] == "published" and year["provisional"] is False
    assert year["holidays"] == ["2027-01-01", "2027-02-08", "2027-02-09"]
    assert year["working_days"] == ["2027-02-06"]
    assert year["version"] == 2
    again = client.put("/v1/calendar/2027", json=body, headers=ADMIN).json()
    assert again["version"] == 3


def test_an_inconsistent_schedule_is_refused_with_its_code(client):
    cases = [
        ({"holidays": ["2026-01-01"], "working_days": []}, "calendar.date_outside_year"),
        (
            {"holidays": ["2027-02-06"], "working_days": ["2027-02-06"]},
            "calendar.day_both_holiday_and_working",
        ),
        ({"holidays": [], "working_days": ["2027-02-08"]}, "calendar.adjusted_day_not_weekend"),
    ]
    for body, code in cases:
        assert_problem(client.put("/v1/calendar/2027", json=body, headers=ADMIN), 422, code)
    assert_problem(
        client.put(
            "/v1/calendar/2027",
            json={"holidays": [], "working_days": []},
            headers=auth("zhao-qiang"),
        ),
        403,
        "auth.role_missing",
    )


def test_metrics_and_readiness_speak_of_the_views(client):
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and "cases" in ready["views"]
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'liandong_view_lag_events{view="cases"}' in metrics.text
    assert "liandong_relay_lag_events" not in metrics.text  # embedded: nothing to relay
