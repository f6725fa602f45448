"""An accident case over HTTP (seed 004 §二(一)2, §三(二)2, §四(一)2(3)): from the handover of
the accident investigation report to the detachment, through its filing, the notice, the legal
review, the bureau's case review meeting, the decision form and the legal head's legality
review, to the decision served on the party."""

from __future__ import annotations

from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import act, assert_problem, get_case, register
from tests.e2e.test_case_decision_flow import review_meeting

OFFICER = "chen-jie"  # 执法支队监察室
FINE = {"kind": "fine", "amount_yuan": "200000.00"}
RECEIPT = {
    "recipient": "天津某化工有限公司 法定代表人",
    "sha256": "d" * 64,
    "size": 7,
    "uri": "s3://r",
}


def reported_accident(client):
    return register(
        client,
        officer=OFFICER,
        procedure="accident",
        source={
            "kind": "accident_report",
            "reference": "滨海新区“9·12”较大火灾事故调查报告",
            "handed_over_at": "2026-11-23T09:00:00+08:00",
        },
        occurred_at="2026-09-12T03:00:00+08:00",
    )


def signed(client, case, form, *signers):
    case = act(client, OFFICER, case["id"], f"forms/{form}/submit", {})
    for signer in signers:
        case = act(client, signer, case["id"], f"forms/{form}/sign", {"approve": True})
    return case


def served(client, case, kind, signed_on):
    number = next(d["number"] for d in case["documents"] if d["kind"] == kind)
    body = {"number": number, "receipt": dict(RECEIPT, signed_on=signed_on)}
    return act(client, OFFICER, case["id"], "serve", body)


def test_an_accident_case_from_the_reports_handover_to_the_decisions_service(client, clock):
    case = reported_accident(client)
    assert case["gravity"] == "accident"
    filing = next(d for d in case["deadlines"] if d["name"] == "filing")
    assert filing["due_at"] == "2026-11-30T23:59:59+08:00"  # 5 working days from the handover
    act(client, OFFICER, case["id"], "request-filing")
    act(client, "zheng-hua", case["id"], "review-filing", {"approve": True, "opinion": "同意"})
    case = act(client, "qian-min", case["id"], "approve-filing", {"approve": True})
    assert case["status"] == "filed"

    case = signed(client, case, "matters", "zheng-hua", "qian-min")
    assert case["step"] == "notice"
    assert [s["title"] for s in case["forms"][0]["steps"]] == ["执法支队负责人审核", "分管局长审批"]
    case = act(client, OFFICER, case["id"], "issue-notice", {"penalty": FINE})
    case = served(client, case, "notice", "2026-11-23")
    waived = {"statement": "对事故调查报告认定的事实无异议", "hearing_waived": True}
    case = act(client, OFFICER, case["id"], "state", waived)

    case = signed(client, case, "legal_review", "bai-lu", "sun-li")
    assert case["step"] == "case_review"
    clock.set(at(2026, 12, 1, 10))
    meeting = review_meeting(client, clock, case["id"])
    case = signed(client, case, "decision", "zheng-hua", "qian-min")
    assert case["step"] == "decision"
    decision = {"penalty": dict(FINE, description="罚款人民币贰拾万元"), "meeting_id": meeting}
    refused = client.post(f"/v1/cases/{case['id']}/decide", json=decision, headers=auth(OFFICER))
    assert_problem(refused, 409, "case.legality_review_missing")
    case = signed(client, case, "legality_review", "sun-li")
    case = act(client, OFFICER, case["id"], "decide", decision)
    assert (case["status"], case["decision"]["meeting_id"]) == ("decided", meeting)
    assert case["step"] == "stamp"

    case = act(client, "sun-li", case["id"], "stamp")
    case = served(client, case, "decision", "2026-12-02")
    decision_document = next(d for d in case["documents"] if d["kind"] == "decision")
    assert decision_document["number"] == case["number"]  # the decision bears the case number
    assert decision_document["served"]["signed_on"] == "2026-12-02"
    shown = get_case(client, "bai-lu", case["id"], position=case["position"])
    assert shown["documents"] == case["documents"], "the supervision office that reviewed it"
