"""Referrals over HTTP: a jurisdiction referral to its outcome, an assistance request to its
answer, a rejection disputed and decided, and who sees what."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import REFERRAL_BODY, assert_problem, box, on_referral, refer


def sent(client, **changes):
    referral = refer(client, **changes)
    on_referral(client, "qian-min", referral["id"], "approve")
    return on_referral(client, "wang-fang", referral["id"], "send")


def test_a_referral_goes_from_draft_to_its_reported_outcome(client):
    draft = refer(client)
    assert (draft["status"], draft["from_agency"], draft["drafted_in"]) == (
        "draft",
        "tj-bh-yjj",
        "tj-bh-yjj-zfs",
    )
    assert [d["rule"] for d in draft["deadlines"]] == ["3 working days"]
    assert box(client, "zhu-xia", position=draft["position"])["items"] == []  # drafts are private
    on_referral(client, "qian-min", draft["id"], "approve")
    sent_ = on_referral(client, "wang-fang", draft["id"], "send")
    assert sent_["status"] == "sent" and sent_["sent_late"] is False

    incoming = box(client, "zhu-xia", position=sent_["position"])
    assert incoming["agency"] == "tj-bh-scjg" and incoming["counts"] == {"sent": 1}
    [entry] = incoming["items"]
    assert (entry["id"], entry["counterpart"], entry["overdue"]) == (
        draft["id"],
        "tj-bh-yjj",
        False,
    )

    on_referral(client, "zhu-xia", draft["id"], "acknowledge")
    on_referral(client, "lu-yu", draft["id"], "accept")
    done = on_referral(client, "zhu-xia", draft["id"], "report-outcome", {"outcome": "已立案查处"})
    assert (done["status"], done["handler"], done["outcome"]["text"]) == (
        "concluded",
        "tj-bh-scjg",
        "已立案查处",
    )
    shown = client.get(
        f"/v1/referrals/{draft['id']}",
        params={"min_position": done["position"]},
        headers=auth("wang-fang"),
    ).json()
    assert [h["type"] for h in shown["history"]] == [
        "Drafted",
        "Approved",
        "Sent",
        "Acknowledged",
        "Accepted",
        "OutcomeReported",
    ]
    assert {k: v for k, v in shown.items() if k != "history"} == done
    outgoing = box(client, "qian-min", "outbox", position=done["position"])
    assert outgoing["counts"] == {"concluded": 1}


def test_an_assistance_request_is_extended_once_and_answered(client):
    asked = refer(
        client,
        "jiang-hai",
        kind="assistance",
        from_agency="tj-bh-zt-dd",
        to_agency="tj-bh-zfzd",
        materials=[{"kind": "request_letter", "title": "协助调查函"}],
    )
    on_referral(client, "chu-yan", asked["id"], "approve")
    sent_ = on_referral(client, "jiang-hai", asked["id"], "send")
    answer = next(d for d in sent_["deadlines"] if d["name"] == "answer")
    assert answer["rule"] == "5 working days"
    on_referral(client, "zheng-hua", asked["id"], "acknowledge")
    extension = {"reason": "检测需要时间", "until": "2026-12-20T17:00:00+08:00"}
    extended = on_referral(client, "zheng-hua", asked["id"], "extend", extension)
    assert extended["extension"]["reason"] == "检测需要时间"
    again = client.post(
        f"/v1/referrals/{asked['id']}/extend",
        json=dict(extension, until="2026-12-30T17:00:00+08:00"),
        headers=auth("zheng-hua"),
    )
    assert_problem(again, 409, "referral.already_extended")
    answered = on_referral(client, "zheng-hua", asked["id"], "answer", {"answer": "已派员协助"})
    assert answered["status"] == "answered" and answered["answer"]["late"] is False
    outgoing = box(client, "chu-yan", "outbox", position=answered["position"])
    assert [e["status"] for e in outgoing["items"]] == ["answered"]


def test_a_rejection_is_disputed_and_the_decision_settles_the_referral(client):
    referral = sent(client)
    on_referral(client, "zhu-xia", referral["id"], "acknowledge")
    refused = client.post(
        f"/v1/referrals/{referral['id']}/reject", json={"reason": " "}, headers=auth("lu-yu")
    )
    assert_problem(refused, 422, "referral.reason_required")
    on_referral(client, "lu-yu", referral["id"], "reject", {"reason": "不属于本部门职责"})
    disputed = on_referral(client, "qian-min", referral["id"], "dispute", {"grounds": "职责明确"})
    dispute_id = disputed["dispute_id"]
    assert disputed["status"] == "disputed"

    def on_dispute(officer, verb, body=None, expect=200):
        response = client.post(
            f"/v1/disputes/{dispute_id}/{verb}", json=body, headers=auth(officer)
        )
        assert response.status_code == expect, response.text
        return response.json()

    on_dispute(
        "qian-min", "positions", {"position": "应由市场监管", "proposed_handler": "tj-bh-scjg"}
    )
    on_dispute("lu-yu", "positions", {"position": "应由应急管理", "proposed_handler": "tj-bh-yjj"})
    early = client.post(
        f"/v1/disputes/{dispute_id}/decide",
        json={"handler": "tj-bh-scjg"},
        headers=auth("gao-yuan"),
    )
    assert_problem(early, 403, "dispute.not_your_rung")
    on_dispute("lu-yu", "escalate", {"reason": "协商不成"})
    decided = on_dispute("sun-li", "decide", {"handler": "tj-bh-scjg", "reasons": "属市场监管职责"})
    assert decided["status"] == "decided" and decided["decision"]["lead"] == "tj-bh-scjg"

    shown = client.get(
        f"/v1/referrals/{referral['id']}",
        params={"min_position": decided["position"]},
        headers=auth("zhu-xia"),
    ).json()
    assert (shown["status"], shown["handler"]) == ("accepted", "tj-bh-scjg")
    assert shown["decision"]["lead"] == "tj-bh-scjg"
    listed = client.get("/v1/disputes", headers=auth("sun-li")).json()["items"]
    assert [d["id"] for d in listed] == [dispute_id]
    detail = client.get(f"/v1/disputes/{dispute_id}", headers=auth("qian-min")).json()
    assert [h["type"] for h in detail["history"]][-1] == "Decided"


def test_a_third_agency_gets_404_and_a_supervisor_above_both_sees_it(client):
    referral = sent(client)
    for outsider in ("yang-lei", "jiang-hai", "qin-song", "lin-feng"):
        response = client.get(f"/v1/referrals/{referral['id']}", headers=auth(outsider))
        assert_problem(response, 404, "referral.not_found")
        response = client.post(
            f"/v1/referrals/{referral['id']}/acknowledge", headers=auth(outsider)
        )
        assert_problem(response, 404, "referral.not_found")
        response = client.get("/v1/inbox", params={"agency": "tj-bh-scjg"}, headers=auth(outsider))
        assert_problem(response, 404, "agency.not_found")
    response = client.get(
        f"/v1/referrals/{referral['id']}",
        params={"min_position": referral["position"]},
        headers=auth("he-jing"),
    )
    assert response.status_code == 200
    seen = box(client, "he-jing", agency="tj-bh-scjg", position=referral["position"])
    assert [e["id"] for e in seen["items"]] == [referral["id"]]


def test_the_inbox_filters_pages_and_marks_what_is_overdue(client, clock):
    ids = [sent(client)["id"] for _ in range(3)]
    on_referral(client, "zhu-xia", ids[0], "acknowledge")
    head = client.get("/readyz").json()["store"]["head"]
    page = box(client, "zhu-xia", position=head, limit=2)
    assert [e["id"] for e in page["items"]] == ids[:0:-1]
    rest = box(client, "zhu-xia", cursor=page["next_cursor"], limit=2)
    assert [e["id"] for e in rest["items"]] == ids[:1] and rest["next_cursor"] is None
    assert box(client, "zhu-xia", status="acknowledged")["counts"] == {"acknowledged": 1, "sent": 2}
    assert [e["id"] for e in box(client, "zhu-xia", status="acknowledged")["items"]] == ids[:1]
    assert box(client, "zhu-xia", kind="assistance")["items"] == []
    assert box(client, "zhu-xia", overdue="true")["items"] == []
    draft = refer(client)  # its sending deadline runs out while it waits
    clock.advance(days=10)
    late = box(client, "wang-fang", "outbox", position=draft["position"], overdue="true")
    assert [e["id"] for e in late["items"]] == [draft["id"]]
    assert late["items"][0]["overdue"] is True


def test_bad_input_gets_a_problem_and_changes_nothing(client):
    head = client.get("/readyz").json()["store"]["head"]
    for changes, code in (
        ({"kind": "criminal"}, "referral.kind_not_supported"),
        ({"to_agency": "tj-bh-yjj-fzk"}, "referral.receiver_not_competent"),
        ({"found_at": "2030-01-01T09:00:00+08:00"}, "referral.time_in_future"),
        ({"from_agency": "tj-bh-yjj-zfs"}, "referral.sender_not_competent"),
    ):
        response = client.post(
            "/v1/referrals", json=dict(REFERRAL_BODY, **changes), headers=auth("wang-fang")
        )
        assert_problem(response, 403 if "sender" in code else 422, code)
    response = client.post(
        "/v1/referrals", json={"kind": "jurisdiction"}, headers=auth("wang-fang")
    )
    assert_problem(response, 422, "request.invalid")
    assert client.get("/readyz").json()["store"]["head"] == head
