"""Reading crime transfers over HTTP: each party's log, one transfer with its history and ETag
(the same document the acts answer with), the procuratorate's supervision list, the yearly
figures; outsiders answered 404, bad query input a problem, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import auth
from tests.e2e.http import (
    NOTICE,
    assert_problem,
    head,
    register,
    report_crime,
    sent_transfer,
    transfer_act,
)

pytestmark = pytest.mark.e2e
LOG, SUPERVISION, FIGURES = (
    "/v1/crime-transfers",
    "/v1/crime-transfers/supervision",
    "/v1/crime-transfers/statistics",
)


def get(client, officer, path, expect=200, **params):
    params.setdefault("min_position", head(client))
    response = client.get(path, params=params, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def items(client, officer, path=LOG, **params):
    return get(client, officer, path, **params)["items"]


def not_filed(client, clock):
    """Sent, received by 秦松 and not filed by 岳明 an hour later."""
    t = sent_transfer(client)["id"]
    transfer_act(client, "qin-song", t, "receipt")
    clock.advance(hours=1)
    refusal = {
        "filed": False,
        "decided_at": clock().isoformat(),
        "reasons": "现有证据不足以证明存在犯罪事实",
        "document": dict(NOTICE, title="不予立案通知书"),
    }
    return transfer_act(client, "yue-ming", t, "filing-decision", refusal)


def test_each_party_reads_the_log_and_the_transfer_and_an_outsider_nothing(client, clock):
    answered = not_filed(client, clock)
    t = answered["id"]
    for officer, role in (
        ("wang-fang", "agency"),
        ("zhao-qiang", "agency"),
        ("qin-song", "public_security"),
        ("xu-ping", "procuratorate"),
    ):
        listed = items(client, officer)
        assert [(e["id"], e["role"]) for e in listed] == [(t, role)], officer
    [entry] = items(client, "zhao-qiang", agency="tj-bh-yjj-zfs")
    assert entry["pending"] == ["reconsideration_request"] and not entry["overdue"]
    assert items(client, "song-yu") == []

    response = client.get(f"/v1/crime-transfers/{t}", headers=auth("xu-ping"))
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{answered["version"]}"'
    shown = response.json()
    assert [h["type"] for h in shown["history"]][-1] == "NotFiled"
    assert shown["suspects"][0]["id_number"] == "120116198001011234"
    same = ("status", "deadlines", "windows", "filing", "overdue", "version", "position")
    assert {k: shown[k] for k in same} == {k: answered[k] for k in same}
    for outsider in ("song-yu", "lu-yu", "lin-feng"):
        hidden = client.get(f"/v1/crime-transfers/{t}", headers=auth(outsider))
        assert_problem(hidden, 404, "crime_transfer.not_found")
    missing = client.get(
        "/v1/crime-transfers/00000000-0000-0000-0000-000000000000", headers=auth("xu-ping")
    )
    assert_problem(missing, 404, "crime_transfer.not_found")


def test_the_procuratorate_supervises_and_the_figures_count(client, clock):
    t = not_filed(client, clock)["id"]
    transfer_act(client, "zhao-qiang", t, "request-reconsideration", {"reasons": "鉴定已证实"})
    other = register(client)
    recommendation = {"case_id": other["id"], "reasons": "该案涉嫌重大责任事故罪，建议移送"}
    response = client.post(
        "/v1/crime-transfers/recommendations", json=recommendation, headers=auth("xu-ping")
    )
    assert response.status_code == 201, response.text
    r = response.json()["id"]

    listed = get(client, "xu-ping", SUPERVISION)
    assert listed["agency"] == "tj-bh-jcy" and [e["id"] for e in listed["items"]] == [r, t]
    [refused] = items(client, "xu-ping", SUPERVISION, concern="not_filed")
    assert refused["reconsideration"]["upheld"] is None
    assert refused["pending"] == ["reconsideration_answer"]
    [proposed] = items(client, "xu-ping", SUPERVISION, concern="recommended")
    assert proposed["recommendation"]["answer"] is None
    not_ours = get(client, "wang-fang", SUPERVISION, 403)
    assert not_ours["code"] == "crime_transfer.not_a_procuratorate"

    figures = get(client, "xu-ping", FIGURES, year=2026)
    assert figures["year"] == 2026
    [jcy] = figures["agencies"]
    assert jcy["agency"] == "tj-bh-jcy" and jcy["kind"] == "procuratorate"
    assert (jcy["transferred"], jcy["not_filed"], jcy["reconsiderations"]) == (1, 1, 1)
    assert jcy["recommended"] == 1 and jcy["filed"] == 0
    bureau = get(client, "zhao-qiang", FIGURES, year=2026)
    rows = {row["agency"]: row for row in bureau["agencies"]}
    assert {"tj-bh-yjj", "tj-bh-yjj-zfs", "tj-bh-zfzd"} <= set(rows)
    assert rows["tj-bh-yjj-zfs"]["transferred"] == 1 and rows["tj-bh-zfzd"]["transferred"] == 0
    one = get(client, "zhao-qiang", FIGURES, year=2027, agency="tj-bh-yjj")
    assert [row["transferred"] for row in one["agencies"]] == [0]


def test_a_reported_transfer_is_listed_by_status_and_day_and_unseen_by_police(client):
    case = register(client)
    reported = report_crime(client, case["id"])
    [entry] = items(client, "wang-fang", status="reported")
    assert entry["id"] == reported["id"] and entry["category"] == "major_liability_accident"
    assert items(client, "wang-fang", status="sent") == []
    assert items(client, "qin-song") == []
    hidden = client.get(f"/v1/crime-transfers/{reported['id']}", headers=auth("qin-song"))
    assert_problem(hidden, 404, "crime_transfer.not_found")
    day = {"from": "2026-11-23", "to": "2026-11-23"}
    assert len(items(client, "wang-fang", **day)) == 1
    assert items(client, "wang-fang", to="2026-11-22") == []


INVALID, PERIOD, NO_AGENCY = "request.invalid", "request.period_reversed", "agency.not_found"
# (path, query, who asks, status, code): each a problem, none a 500.
BAD_QUERIES = [
    (FIGURES, {}, "wang-fang", 422, INVALID),
    (FIGURES, {"year": "1999"}, "wang-fang", 422, INVALID),
    (FIGURES, {"year": "99999"}, "wang-fang", 422, INVALID),
    (FIGURES, {"year": "twenty"}, "wang-fang", 422, INVALID),
    (FIGURES, {"year": "2026", "agency": "tj-bh-gaj"}, "wang-fang", 404, NO_AGENCY),
    (LOG, {"cursor": "abc"}, "wang-fang", 422, INVALID),
    (LOG, {"limit": "0"}, "wang-fang", 422, INVALID),
    (LOG, {"limit": "201"}, "wang-fang", 422, INVALID),
    (LOG, {"status": "lost"}, "wang-fang", 422, INVALID),
    (LOG, {"category": "theft"}, "wang-fang", 422, INVALID),
    (LOG, {"overdue": "perhaps"}, "wang-fang", 422, INVALID),
    (LOG, {"from": "2026-13-01"}, "wang-fang", 422, INVALID),
    (LOG, {"from": "0001-01-01"}, "wang-fang", 422, INVALID),
    (LOG, {"from": "2026-12-02", "to": "2026-12-01"}, "wang-fang", 422, PERIOD),
    (LOG, {"agency": "nowhere"}, "wang-fang", 404, NO_AGENCY),
    (LOG, {"agency": "tj-bh-jcy"}, "wang-fang", 404, NO_AGENCY),
    (LOG, {"min_position": "-1"}, "wang-fang", 422, INVALID),
    (SUPERVISION, {"concern": "all"}, "xu-ping", 422, INVALID),
    (SUPERVISION, {"agency": "tj-bh-yjj"}, "xu-ping", 404, NO_AGENCY),
    (SUPERVISION, {"from": "2026-12-02", "to": "2026-12-01"}, "xu-ping", 422, PERIOD),
    ("/v1/crime-transfers/not-a-uuid", {}, "xu-ping", 422, INVALID),
]


def test_bad_query_input_is_a_problem(client):
    for path, params, officer, status, code in BAD_QUERIES:
        response = client.get(path, params=params, headers=auth(officer))
        assert_problem(response, status, code)


def test_without_a_token_or_as_an_administrator_nothing_is_read(client):
    assert_problem(client.get("/v1/crime-transfers"), 401, "auth.token_missing")
    admin = client.get("/v1/crime-transfers/statistics?year=2026", headers=auth("admin"))
    assert_problem(admin, 403, "auth.not_a_party")
