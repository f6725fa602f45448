"""The console over HTTP: its addresses answer pages (never the API's JSON), a session's cookie
and its forms' CSRF token guard every change, and the API's own answers stay as they were."""

from __future__ import annotations

import re

import pytest

from tests.conftest import auth
from tests.e2e.test_case_measures_flow import decided_measure
from tests.scenarios import filed_office_case, held_meeting, reported_transfer

pytestmark = pytest.mark.e2e


def signed_in(client, officer="wang-fang"):
    """Signed in with a token as the identity provider issues it (the demo's own are offered
    only in the embedded mode, whose secret the service keeps)."""
    shown = client.get("/console/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', shown.text)[1]
    token = auth(officer)["Authorization"].removeprefix("Bearer ")
    answer = client.post(
        "/console/signin", data={"token": token, "csrf": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return answer


def page_csrf(client, url="/console/"):
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)[1]


def test_the_session_cookie_is_http_only_strict_and_kept_to_the_console(client):
    cookie = signed_in(client).headers["set-cookie"]
    assert "liandong_session=" in cookie
    for flag in ("HttpOnly", "SameSite=strict", "Path=/console", "Max-Age="):
        assert flag.lower() in cookie.lower(), cookie


def test_a_page_asked_without_a_session_leads_to_sign_in(client):
    answer = client.get("/console/cases", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/signin"


def test_an_act_sent_without_the_forms_csrf_token_changes_nothing(client, demo):
    signed_in(client)
    before = demo.app.head_position()
    sent = {"_href": "/v1/cases", "csrf": "forged", "summary": "x"}
    answer = client.post("/console/act", data=sent)
    assert answer.status_code == 403 and "表单已失效" in answer.text
    assert demo.app.head_position() == before


def test_an_act_with_the_forms_token_is_taken_through_the_api(client, demo):
    signed_in(client)
    csrf = page_csrf(client, "/console/cases/new")
    form = {
        "_href": "/v1/cases",
        "_back": "/console/cases",
        "csrf": csrf,
        "procedure": "general",
        "source.kind": "inspection",
        "summary": "未按规定对从业人员进行安全生产教育和培训",
        "party.kind": "organisation",
        "party.name": "天津某化工有限公司",
        "place.region": "120116",
        "place.address": "中塘镇工业园区",
        "occurred_at": "2026-11-20T09:00",
    }
    answer = client.post("/console/act", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert re.fullmatch(r"/console/cases/[0-9a-f-]{36}\?after=\d+", answer.headers["location"])
    shown = client.get(answer.headers["location"])
    assert shown.status_code == 200 and "天津某化工有限公司" in shown.text


def test_an_address_that_is_no_page_is_the_consoles_not_found_and_the_apis_stay_json(client, demo):
    signed_in(client)
    for address in ("/console/nowhere", "/console/cases/not-an-id"):
        answer = client.get(address)
        assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
        assert "未找到" in answer.text
    api = client.get("/v1/nowhere")
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"


def test_a_case_of_another_agency_is_not_found_for_a_stranger(client, demo):
    case = filed_office_case(demo.app)
    signed_in(client, "lin-feng")
    answer = client.get(f"/console/cases/{case.aggregate.id}")
    assert answer.status_code == 404 and case.aggregate.details["summary"] not in answer.text


def test_a_referral_from_a_case_is_drafted_with_the_case_filled_in_for_its_officers_only(
    client, demo
):
    case = filed_office_case(demo.app)
    caught_up = {"min_position": case.position}
    assert client.get("/v1/cases", params=caught_up, headers=auth("wang-fang")).is_success
    signed_in(client)
    drafted = client.get(f"/console/referrals/new?case={case.aggregate.id}")
    assert drafted.status_code == 200
    assert f'value="{case.aggregate.id}"' in drafted.text
    assert case.aggregate.details["summary"] in drafted.text
    signed_in(client, "lin-feng")  # another district's: the case is no case of theirs
    answer = client.get(f"/console/referrals/new?case={case.aggregate.id}")
    assert answer.status_code == 404 and case.aggregate.details["summary"] not in answer.text


def test_a_cases_page_shows_its_forms_signers_and_the_documents_it_issued(client):
    case, _ = decided_measure(client)
    signed_in(client)
    shown = client.get(f"/console/cases/{case['id']}", params={"after": case["position"]})
    assert shown.status_code == 200
    forms = _section(shown.text, "forms-h")
    assert "行政强制措施审批" in forms and "已批准" in forms and "赵强" in forms
    documents = _section(shown.text, "documents-h")
    assert "行政强制措施决定书" in documents and case["documents"][-1]["number"] in documents


def test_a_meetings_page_shows_its_materials_and_who_attended(client, demo, clock):
    held = held_meeting(demo.app, clock)
    signed_in(client, "qian-min")
    shown = client.get(f"/console/meetings/{held.aggregate.id}", params={"after": held.position})
    assert shown.status_code == 200
    materials = _section(shown.text, "materials-h")
    assert "会商材料" in materials
    attendance = _section(shown.text, "attendance-h")
    assert "滨海新区应急管理局" in attendance and "钱敏" in attendance


def _section(page: str, heading: str) -> str:
    found = re.search(rf'<section aria-labelledby="{heading}">(.*?)</section>', page, re.S)
    assert found, f"no section {heading}"
    return found[1]


def test_the_crime_transfer_log_shows_what_each_transfer_waits_for_in_words(client, demo):
    reported_transfer(demo.app)  # waiting for the head's decision on it
    caught_up = {"min_position": demo.app.head_position()}
    assert client.get("/v1/crime-transfers", params=caught_up, headers=auth("wang-fang")).is_success
    signed_in(client)
    log = client.get("/console/crime-transfers")
    assert log.status_code == 200
    assert "决定时限" in log.text
