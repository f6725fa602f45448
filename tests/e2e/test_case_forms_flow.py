"""A filed case's forms through HTTP: classified major, its legal review signed by the legal
department's head, a refusal returning it, and the detachment's first review by two heads."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import act, assert_problem, get_case, register


def filed(client, officer="wang-fang", signers=(("zhou-jun", "review-filing"),)):
    case = register(client, officer)
    act(client, officer, case["id"], "request-filing")
    for person, verb in signers:
        act(client, person, case["id"], verb, {"approve": True, "opinion": "同意"})
    return act(client, "qian-min", case["id"], "approve-filing", {"approve": True})


def form(case, name):
    return next(f for f in case["forms"] if f["form"] == name)


def test_a_major_cases_legal_review_goes_to_the_legal_head(client):
    case = filed(client)
    case = act(client, "wang-fang", case["id"], "classify", {"gravity": "major", "reason": "重大"})
    assert case["gravity"] == "major"
    unseen = client.get(f"/v1/cases/{case['id']}", headers=auth("sun-li"))
    assert_problem(unseen, 404, "case.not_found")  # the legal department sees only its forms
    case = act(client, "wang-fang", case["id"], "forms/legal_review/submit", {})
    assert get_case(client, "sun-li", case["id"], position=case["position"])["id"] == case["id"]
    (step,) = form(case, "legal_review")["steps"]
    assert (step["role"], step["agencies"], step["title"]) == (
        "legal_head",
        ["tj-bh-yjj-fzk"],
        "法制部门负责人审核",
    )
    response = client.post(
        f"/v1/cases/{case['id']}/forms/legal_review/sign",
        json={"approve": True, "opinion": "同意"},
        headers=auth("li-na"),
    )
    assert_problem(response, 403, "case.not_the_approver")
    case = act(client, "sun-li", case["id"], "forms/legal_review/sign", {"approve": True})
    assert form(case, "legal_review")["outcome"] == "approved"
    shown = get_case(client, "wang-fang", case["id"], position=case["position"])
    assert shown["forms"] == case["forms"]
    assert [e["type"] for e in shown["timeline"]][-3:] == [
        "Classified",
        "FormSubmitted",
        "FormApproved",
    ]


def test_a_returned_form_is_submitted_again(client):
    case = filed(client)
    case = act(client, "wang-fang", case["id"], "forms/matters/submit", {})
    response = client.post(
        f"/v1/cases/{case['id']}/forms/matters/submit", json={}, headers=auth("wang-fang")
    )
    assert_problem(response, 409, "case.form_submitted")
    body = {"approve": False, "opinion": "处罚依据不充分"}
    case = act(client, "zhou-jun", case["id"], "forms/matters/sign", body)
    assert form(case, "matters")["outcome"] == "returned"
    case = act(client, "wang-fang", case["id"], "forms/matters/submit", {})
    assert form(case, "matters")["outcome"] == "pending"


def test_the_detachments_first_review_needs_both_office_heads(client):
    signers = (("bai-lu", "review-filing"), ("feng-tao", "review-filing"))
    signers += (("zheng-hua", "review-filing"),)
    case = filed(client, "chen-jie", signers)
    assert case["status"] == "filed"
    first = [s for s in case["approval"]["steps"] if s["name"] == "first_review"]
    assert [s["by"]["officer"] for s in first] == ["bai-lu", "feng-tao"]


def test_a_form_the_routes_do_not_submit_is_not_found_and_bad_bodies_are_422(client):
    case = filed(client)
    response = client.post(
        f"/v1/cases/{case['id']}/forms/measure/submit", json={}, headers=auth("wang-fang")
    )
    assert response.status_code == 422
    response = client.post(
        f"/v1/cases/{case['id']}/classify", json={"gravity": "huge"}, headers=auth("wang-fang")
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
