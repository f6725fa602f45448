"""GET /v1/cases/{id}/acts: the handling unit's officers, the filing form's signers and the
forms' signers are each offered what the case's rules let them take now, a form's acts named by
their form; every act offered is taken by its route; a stranger is told the case does not
exist."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import assert_problem, offered, open_acts, register

AGREE = {"approve": True, "opinion": "同意"}
RECORD = {
    "kind": "audio_video",
    "title": "执法记录仪视频",
    "sha256": "c" * 64,
    "size": 2048,
    "recorded_at": "2026-11-20T09:30:00+08:00",
    "uri": "s3://evidence/c.mp4",
}
# What each act offered is taken with, by its name (and its form's, for a form's acts).
BODIES = {
    "review_filing": AGREE,
    "approve_filing": AGREE,
    "attach_evidence": RECORD,
    "classify": {"gravity": "major", "reason": "涉案金额较大"},
    "close": {"reason": "当事人已整改完毕"},
    "submit_form": {},
    "sign_form": AGREE,
}
# The handling unit's acts on a case, open in every status but closed (serving a document names
# the document in its request, so it is offered too).
ANY_TIME = {"attach_evidence", "serve", "submit_form:legal_review"}


def take(client, officer, href, act):
    status = 201 if act == "attach_evidence" else 200
    response = client.post(href, json=BODIES.get(act), headers=auth(officer))
    assert response.status_code == status, (officer, act, response.text)
    return response.json()


def test_a_case_offers_each_person_the_acts_its_rules_allow_at_each_status(client):
    case = register(client)
    link = f"/v1/cases/{case['id']}"
    registered = ANY_TIME | {"request_filing", "close"}
    assert set(offered(client, "wang-fang", link)) == registered
    assert set(offered(client, "zhou-jun", link)) == registered  # an officer of the unit too
    assert offered(client, "qian-min", link) == {}  # the head above sees it, signs no step yet
    assert offered(client, "wang-fang", link)["request_filing"] == f"{link}/request-filing"

    take(client, "wang-fang", f"{link}/request-filing", "request_filing")
    assert set(offered(client, "wang-fang", link)) == ANY_TIME  # nobody signs their own request
    assert set(offered(client, "zhou-jun", link)) == ANY_TIME | {"review_filing"}
    assert offered(client, "qian-min", link) == {}  # the last step waits for the review

    take(client, "zhou-jun", offered(client, "zhou-jun", link)["review_filing"], "review_filing")
    assert set(offered(client, "zhou-jun", link)) == ANY_TIME  # each step by another person
    assert offered(client, "qian-min", link) == {"approve_filing": f"{link}/approve-filing"}
    filed = take(client, "qian-min", f"{link}/approve-filing", "approve_filing")
    assert filed["status"] == "filed"

    # A decision reads its penalty before the notice and forms it needs: offered once filed.
    after_filing = ANY_TIME | {"classify", "close", "submit_form:matters", "decide"}
    after_filing |= {"request_extension", "measure", "rectify"}
    assert set(offered(client, "wang-fang", link)) == after_filing
    assert offered(client, "qian-min", link) == {}
    href = offered(client, "wang-fang", link)["submit_form:matters"]
    assert href == f"{link}/forms/matters/submit"
    take(client, "wang-fang", href, "submit_form")
    assert set(offered(client, "wang-fang", link)) == after_filing - {"submit_form:matters"}
    signs = offered(client, "zhou-jun", link)
    assert set(signs) == after_filing - {"submit_form:matters"} | {"sign_form:matters"}
    answer = take(client, "zhou-jun", signs["sign_form:matters"], "sign_form")
    assert [f["outcome"] for f in answer["forms"] if f["form"] == "matters"] == ["pending"]
    assert open_acts(client, "zhou-jun", link)["version"] == answer["version"]


def test_every_act_offered_on_a_case_is_taken_by_its_route(client):
    case = register(client)
    link = f"/v1/cases/{case['id']}"
    taken = []
    for officer, act in (
        ("wang-fang", "attach_evidence"),
        ("wang-fang", "request_filing"),
        ("zhou-jun", "review_filing"),
        ("qian-min", "approve_filing"),
        ("wang-fang", "classify"),
        ("wang-fang", "submit_form:legal_review"),
        ("wang-fang", "close"),
    ):
        href = offered(client, officer, link)[act]
        taken.append((act, take(client, officer, href, act.split(":")[0])["status"]))
    assert [status for _, status in taken] == [
        "registered",
        "awaiting_approval",
        "awaiting_approval",
        "filed",
        "filed",
        "filed",
        "closed",
    ]
    assert offered(client, "wang-fang", link) == {}  # a closed case takes no act
    # The legal head sees the case by its form, whose signature no status of the case stops.
    legal = offered(client, "sun-li", link)
    assert set(legal) == {"sign_form:legal_review"}
    signed = take(client, "sun-li", legal["sign_form:legal_review"], "sign_form")
    assert [f["outcome"] for f in signed["forms"] if f["form"] == "legal_review"] == ["approved"]


def test_a_stranger_is_told_the_case_does_not_exist(client):
    case = register(client)
    response = client.get(f"/v1/cases/{case['id']}/acts", headers=auth("jiang-hai"))
    assert_problem(response, 404, "case.not_found")
    missing = client.get(
        "/v1/cases/00000000-0000-4000-8000-000000000000/acts", headers=auth("wang-fang")
    )
    assert_problem(missing, 404, "case.not_found")
