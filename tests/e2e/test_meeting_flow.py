"""Meetings over HTTP: a case review from its call to its last follow-up item, and who sees it."""

from __future__ import annotations

from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import register


def meet(client, officer, meeting_id, verb, body=None, expect=200):
    response = client.post(f"/v1/meetings/{meeting_id}/{verb}", json=body, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def test_a_case_review_from_its_call_to_its_follow_up(client, clock):
    case = register(client)
    body = {
        "kind": "case_review",
        "invitees": ["tj-bh-zfzd"],
        "topics": ["审定事故调查报告及处罚意见"],
        "starts_at": "2026-11-27T09:00:00+08:00",
        "place": {"region": "120116", "address": "区应急局三楼会议室"},
        "subject": {"case_id": case["id"]},
    }
    response = client.post("/v1/meetings", json=body, headers=auth("qian-min"))
    assert response.status_code == 201, response.text
    called = response.json()
    assert called["status"] == "convened" and called["convener"] == "tj-bh-yjj"
    dues = {d["name"]: (d["due_at"], d["state"]) for d in called["deadlines"]}
    assert dues == {
        "materials": ("2026-11-24T23:59:59+08:00", "pending"),
        "minutes": ("2026-12-04T23:59:59+08:00", "pending"),
    }
    m = called["id"]
    meet(client, "qian-min", m, "circulate", {"materials": [{"title": "事故调查报告"}]})
    meet(client, "zheng-hua", m, "answer", {"answer": "attends", "officers": ["zheng-hua"]})
    clock.set(at(2026, 11, 27, 11))
    present = [
        {"agency": "tj-bh-yjj", "officers": ["sun-li", "qian-min"]},
        {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]},
    ]
    meet(client, "qian-min", m, "hold", {"attended": present})
    minutes = {
        "text": "经集体讨论，同意调查报告及处罚意见",
        "decisions": [
            {
                "item": "1",
                "text": "由执法支队送达处罚决定",
                "follow_up": {
                    "task": "送达处罚决定书",
                    "agency": "tj-bh-zfzd",
                    "due": "2026-12-10",
                },
            }
        ],
    }
    meet(client, "qian-min", m, "draft-minutes", minutes)
    for officer in ("sun-li", "qian-min"):
        meet(client, officer, m, "sign-minutes")
    meet(client, "zhao-qiang", m, "approve-minutes")
    refused = meet(client, "qian-min", m, "issue-minutes", expect=409)
    assert refused["code"] == "meeting.signatures_missing"
    meet(client, "zheng-hua", m, "sign-minutes")
    issued = meet(client, "qian-min", m, "issue-minutes")
    assert issued["status"] == "minutes_issued"
    meet(client, "zheng-hua", m, "acknowledge")
    done = meet(client, "zheng-hua", m, "follow-ups/1/done", {"report": "已送达"})
    assert done["follow_ups"][0]["done_at"] is not None
    shown = client.get(
        f"/v1/meetings/{m}", params={"min_position": done["position"]}, headers=auth("zheng-hua")
    )
    assert shown.status_code == 200, shown.text
    assert {k: v for k, v in shown.json().items() if k != "history"} == done
    page = client.get("/v1/meetings", headers=auth("zheng-hua")).json()
    [entry] = page["items"]
    assert entry["minutes_acknowledged"] and entry["answer"]["answer"] == "attends"
    stranger = client.get(f"/v1/meetings/{m}", headers=auth("zhu-xia"))
    assert stranger.status_code == 404
    figures = client.get("/v1/meetings/compliance", headers=auth("qian-min")).json()
    assert figures["held"] == 1 and figures["minutes"]["on_time"] == 1, figures
