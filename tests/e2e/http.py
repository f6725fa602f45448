"""Calling the API as the demo district's people."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.scenarios import FILING_NOTICE, TRANSFER_MATERIALS, crime_report, transfer_material

CASE_BODY: dict[str, Any] = {
    "source": {"kind": "inspection"},
    "procedure": "general",
    "summary": "未按规定对从业人员进行安全生产教育和培训",
    "party": {"kind": "organisation", "name": "天津某化工有限公司"},
    "place": {"region": "120116", "address": "中塘镇工业园区"},
    "occurred_at": "2026-11-20T09:00:00+08:00",
}


def register(client, officer="wang-fang", **changes):
    body = dict(CASE_BODY, **changes)
    response = client.post("/v1/cases", json=body, headers=auth(officer))
    assert response.status_code == 201, response.text
    return response.json()


def act(client, officer, case_id, verb, body=None, expect=200, headers=None):
    response = client.post(
        f"/v1/cases/{case_id}/{verb}", json=body, headers={**auth(officer), **(headers or {})}
    )
    assert response.status_code == expect, response.text
    return response.json()


def get_case(client, officer, case_id, position=None, expect=200):
    params = {"min_position": position} if position is not None else None
    response = client.get(f"/v1/cases/{case_id}", params=params, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def assert_problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:liandong:problem:{code}"
    assert body["title"] and body["detail"]
    return body


REFERRAL_BODY: dict[str, Any] = {
    "kind": "jurisdiction",
    "from_agency": "tj-bh-yjj",
    "to_agency": "tj-bh-scjg",
    "summary": "无营业执照经营危险化学品",
    "found_at": "2026-11-23T09:00:00+08:00",
    "place": {"region": "120116", "address": "中塘镇工业园区"},
    "materials": [
        {"kind": "referral_letter", "title": "行政违法案件移送函"},
        {"kind": "source_material", "title": "现场检查记录"},
        {"kind": "preliminary_evidence", "title": "现场照片"},
    ],
}


def refer(client, officer="wang-fang", **changes):
    response = client.post(
        "/v1/referrals", json=dict(REFERRAL_BODY, **changes), headers=auth(officer)
    )
    assert response.status_code == 201, response.text
    return response.json()


def on_referral(client, officer, referral_id, verb, body=None, expect=200):
    response = client.post(f"/v1/referrals/{referral_id}/{verb}", json=body, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def box(client, officer, which="inbox", position=None, **params):
    if position is not None:
        params["min_position"] = position
    response = client.get(f"/v1/{which}", params=params, headers=auth(officer))
    assert response.status_code == 200, response.text
    return response.json()


# Meetings -------------------------------------------------------------------------------------

MEETING_BODY: dict[str, Any] = {
    "kind": "consultation",
    "invitees": ["tj-bh-scjg", "tj-bh-zfzd"],
    "topics": ["危险化学品联合检查分工"],
    "starts_at": "2026-11-30T09:00:00+08:00",
    "place": {"region": "120116", "address": "区应急局三楼会议室"},
}
# A consultation by letter (函告) to market regulation and the detachment.
LETTER_BODY: dict[str, Any] = {
    "consulted": ["tj-bh-scjg", "tj-bh-zfzd"],
    "topics": ["危险化学品经营许可核查分工"],
    "letter": "请于五个工作日内书面回复意见",
}
# Every act on a meeting after its call, with a body its schema accepts, so that a request
# reaches the rules of who may see and act on it.
MEETING_ACTS: list[tuple[str, dict[str, Any] | None]] = [
    ("circulate", {"materials": [{"title": "会商材料"}]}),
    ("answer", {"answer": "attends", "officers": ["zheng-hua"]}),
    ("postpone", {"starts_at": "2026-12-10T09:00:00+08:00", "reason": "会议室调整"}),
    ("cancel", {"reason": "议题已解决"}),
    ("hold", {"attended": [{"agency": "tj-bh-yjj", "officers": ["qian-min"]}]}),
    ("draft-minutes", {"text": "经会商，形成如下意见"}),
    ("sign-minutes", None),
    ("approve-minutes", None),
    ("issue-minutes", None),
    ("acknowledge", None),
    ("follow-ups/1/done", {"report": "已完成"}),
    ("answer-letter", {"answer": "同意"}),
    ("conclude", {"conclusion": "形成一致意见"}),
]


def convene(client, officer="qian-min", expect=201, **changes):
    response = client.post(
        "/v1/meetings", json=dict(MEETING_BODY, **changes), headers=auth(officer)
    )
    assert response.status_code == expect, response.text
    return response.json()


def meet(client, officer, meeting_id, verb, body=None, expect=200):
    response = client.post(f"/v1/meetings/{meeting_id}/{verb}", json=body, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def head(client) -> int:
    """The store's last position: a GET with it as `min_position` shows every act so far."""
    return int(client.get("/readyz").json()["store"]["head"])


# Crime transfers ------------------------------------------------------------------------------


material = transfer_material  # the same materials, as a body's JSON
NOTICE = FILING_NOTICE
REPORT_BODY: dict[str, Any] = crime_report()


def report_crime(client, case_id, officer="wang-fang", expect=201, **changes):
    body = dict(REPORT_BODY, case_id=case_id, **changes)
    response = client.post("/v1/crime-transfers", json=body, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def transfer_act(client, officer, transfer_id, verb, body=None, expect=200):
    response = client.post(
        f"/v1/crime-transfers/{transfer_id}/{verb}", json=body, headers=auth(officer)
    )
    assert response.status_code == expect, response.text
    return response.json()


def sent_transfer(client) -> dict[str, Any]:
    """A case reported, approved and sent to public security, copied to the procuratorate."""
    case = register(client)
    t = report_crime(client, case["id"])["id"]
    transfer_act(client, "zhao-qiang", t, "decide", {"approve": True, "reasons": "同意移送"})
    return transfer_act(client, "wang-fang", t, "send", {"materials": TRANSFER_MATERIALS})


# Every act on a transfer after its report, with a body its schema accepts, so that a request
# reaches the rules of who may see and act on it.
TRANSFER_ACTS: dict[str, dict[str, Any] | None] = {
    "report": {k: v for k, v in REPORT_BODY.items()},
    "decline": {"explanation": "经调查不构成犯罪"},
    "decide": {"approve": False, "reasons": "不构成犯罪"},
    "send": {"materials": TRANSFER_MATERIALS},
    "receipt": None,
    "request-materials": {"materials": ["appraisal"], "note": "缺少鉴定意见"},
    "supply-materials": {"materials": [material("appraisal", "补充鉴定意见", 9)]},
    "forward": {"to": "tj-xq-gaj", "reason": "不属本局管辖"},
    "extend-filing": {"period": "clue_check", "reason": "线索需要查证"},
    "filing-decision": {
        "filed": True,
        "decided_at": "2026-11-23T10:00:00+08:00",
        "document": NOTICE,
    },
    "request-reconsideration": {"reasons": "鉴定已证实"},
    "answer-reconsideration": {"upheld": True, "reasons": "维持", "document": NOTICE},
    "request-supervision": {"reasons": "请求立案监督"},
    "request-reasons": None,
    "state-reasons": {"reasons": "证据不足"},
    "order-filing": {"reasons": "理由不能成立"},
    "close-supervision": {"reasons": "理由成立"},
    "hand-over": {"items": "涉案物品及案卷一宗"},
    "transfer-back": {
        "ground": "too_slight",
        "reasons": "情节显著轻微",
        "materials": [{"kind": "referral_letter", "title": "移送行政处理函"}],
    },
}


def open_acts(client, officer, link, expect=200):
    """The acts `GET <link>/acts` lists as open to the officer now, with their version."""
    response = client.get(f"{link}/acts", headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def offered(client, officer, link):
    """Each act offered, as `act` or `act:item` (a form, a follow-up item), with its route."""
    acts = open_acts(client, officer, link)["acts"]
    return {":".join([a["act"], *a["item"].values()]): a["href"] for a in acts}
