"""Who may see, and so act on, each kind of resource: one table, every route with an `{id}`.

For a case, a referral (sent, and a draft), a dispute, a meeting and a crime transfer, each demo
person is either among those who see it (its parties, the offices acting in their name, heads
and supervisors above them) or not (an unrelated agency, a unit below a party, an
administrator). Those who do not get the same 404 on every route as for an id that does not
exist, and their acts change nothing. A meeting's parties are its convener and invitees, and
once its minutes are issued the bodies a matter went up to; a crime transfer's, its agency and
handling unit, every public security it was sent or forwarded to and the procuratorate it was
copied to.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import (
    MEETING_ACTS,
    TRANSFER_ACTS,
    convene,
    meet,
    on_referral,
    refer,
    register,
    sent_transfer,
    transfer_act,
)

SEES = "sees"
HIDDEN = "hidden"

# Who sees what, by person (see services/demo.py for the district's tree).
CASE_OF_THE_BUREAU_OFFICE = {
    "wang-fang": SEES,  # an officer of the handling unit
    "zhou-jun": SEES,  # its head
    "qian-min": SEES,  # the bureau's deputy director: the office lies below the bureau
    "zhao-qiang": SEES,  # the bureau's director
    "he-jing": SEES,  # the district government's supervisor, above the bureau
    "zhu-xia": HIDDEN,  # market regulation: unrelated
    "lin-feng": HIDDEN,  # another district's bureau
    "jiang-hai": HIDDEN,  # a brigade below the bureau, not the handling unit
    "chen-jie": HIDDEN,  # the detachment's office: a sibling unit
    "admin": HIDDEN,  # keeps the register, party to nothing
}
SENT_REFERRAL = {
    "wang-fang": SEES,  # the bureau's office, acting in its name
    "qian-min": SEES,  # the sender's head
    "zhu-xia": SEES,  # the receiver
    "lu-yu": SEES,  # the receiver's head
    "he-jing": SEES,  # the supervisor above both
    "zheng-hua": HIDDEN,  # the detachment's head: a unit below the sender sees not its acts
    "jiang-hai": HIDDEN,  # a brigade below the sender
    "lin-feng": HIDDEN,  # unrelated
    "admin": HIDDEN,
}
DRAFT_REFERRAL = {**SENT_REFERRAL, "zhu-xia": HIDDEN, "lu-yu": HIDDEN}  # the sender's alone
DISPUTE = {
    "qian-min": SEES,  # a party
    "wang-fang": SEES,  # the party's office
    "lu-yu": SEES,  # the other party
    "sun-li": SEES,  # the legal department deciding its second rung
    "gao-yuan": SEES,  # the district government deciding its last rung
    "zheng-hua": HIDDEN,
    "jiang-hai": HIDDEN,
    "lin-feng": HIDDEN,
    "admin": HIDDEN,
}
MEETING = {
    "qian-min": SEES,  # the convener's deputy director
    "zhao-qiang": SEES,  # the convener's director
    "wang-fang": SEES,  # the bureau's office, acting in its name
    "ma-jun": SEES,  # the bureau's joint conference office
    "zheng-hua": SEES,  # an invitee's head
    "chen-jie": SEES,  # the invitee's office, acting in its name
    "qin-song": SEES,  # the other invitee
    "he-jing": SEES,  # the district government's supervisor, above the convener and an invitee
    "gao-yuan": SEES,  # the district government's director
    "jiang-hai": HIDDEN,  # a brigade below an invitee
    "chu-yan": HIDDEN,  # the head of a brigade below an invitee
    "zhu-xia": HIDDEN,  # market regulation: not invited
    "tang-ning": HIDDEN,  # the city bureau, nothing passed up to it
    "lin-feng": HIDDEN,
    "xu-ping": HIDDEN,
    "admin": HIDDEN,
}
MINUTES_PASSED_UP = {**MEETING, "tang-ning": SEES}  # a matter went up to the city bureau
SENT_TRANSFER = {
    "wang-fang": SEES,  # the handling unit's officer
    "zhou-jun": SEES,  # its head
    "zhao-qiang": SEES,  # the transferring agency's director
    "he-jing": SEES,  # the district government's supervisor, above the agency
    "qin-song": SEES,  # the public security it was sent to
    "yue-ming": SEES,  # that public security's head
    "xu-ping": SEES,  # the procuratorate it was copied to
    "song-yu": HIDDEN,  # another public security, never sent it
    "lu-yu": HIDDEN,  # market regulation: unrelated
    "jiang-hai": HIDDEN,  # a brigade below the agency
    "lin-feng": HIDDEN,  # another district's bureau
    "admin": HIDDEN,
}
FORWARDED_TRANSFER = {**SENT_TRANSFER, "song-yu": SEES}  # forwarded to its public security
# A body each act's schema accepts, so the request reaches the rule of who may see it.
BODIES: dict[str, dict[str, Any] | None] = {
    "decide-on-the-spot": {"penalty": {"kind": "warning"}},
    "review-filing": {"approve": False, "opinion": "退回"},
    "approve-filing": {"approve": False, "opinion": "退回"},
    "close": {"reason": "不予立案"},
    "evidence": {
        "kind": "photo",
        "title": "现场照片",
        "sha256": "b" * 64,
        "size": 10,
        "recorded_at": "2026-11-20T09:30:00+08:00",
        "uri": "s3://evidence/b.jpg",
    },
    "materials": {"kind": "other", "title": "补充材料"},
    "reject": {"reason": "不属于本部门职责"},
    "dispute": {"grounds": "职责明确"},
    "answer": {"answer": "已协助"},
    "extend": {"reason": "检测需要时间", "until": "2026-12-31T17:00:00+08:00"},
    "report-outcome": {"outcome": "已查处"},
    "positions": {"position": "应由市场监管", "proposed_handler": "tj-bh-scjg"},
    "escalate": {"reason": "协商不成"},
    "decide": {"handler": "tj-bh-scjg"},
    "classify": {"gravity": "major", "reason": "重大"},
    "measures": {"kind": "seal", "grounds": "拒不执行", "emergency": True},
    "report": {},
    "decision": {},
    "notice": {"notified_at": "2026-11-23T10:00:00+08:00"},
    "take": {},
    "file": {},
    "lift": {"reason": "hazard_removed"},
    "rectifications": {"items": ["整改"], "due": "2026-11-30T00:00:00+08:00"},
    "reinspection-request": {"asked_at": "2026-11-23T10:00:00+08:00"},
    "reinspect": {"complied": True, "findings": "已整改"},
    "extension": {"reason": "需委托技术鉴定"},
    "committee": {"met_on": "2026-11-23", "record": "党委会纪要〔2026〕9号", "reason": "复杂"},
    "submit": {},
    "sign": {"approve": False, "opinion": "退回"},
    "serve": {
        "number": "津滨应急告〔2026〕1号",
        "receipt": {
            "recipient": "张三",
            "signed_on": "2026-11-23",
            "sha256": "c" * 64,
            "size": 10,
            "uri": "s3://receipts/c.jpg",
        },
    },
}
# Path parameters besides the resource's id, filled so the request reaches the visibility rule.
OTHER_PARAMETERS = {
    "{item}": "1",
    "{form}": "legal_review",
    "{measure_id}": "00000000-0000-0000-0000-000000000001",
    "{order_id}": "00000000-0000-0000-0000-000000000002",
}


def filled(template: str) -> str:
    for parameter, value in OTHER_PARAMETERS.items():
        template = template.replace(parameter, value)
    return template


def routes(client, placeholder: str) -> list[tuple[str, str]]:
    """Every (method, path template) of the API with this id in its path."""
    paths = client.get("/openapi.json").json()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        if "{" + placeholder + "}" in path
        for method in operations
    )


MEETING_BODIES = dict(MEETING_ACTS)  # by the path after the meeting's id
# A case's acts whose last path segment another resource's act shares.
CASE_BODIES: dict[str, dict[str, Any] | None] = {
    "issue-notice": {"penalty": {"kind": "warning"}},
    "state": {"statement": "无异议", "hearing_waived": True},
    "notify-hearing": {
        "hearing_at": "2026-12-10T09:00:00+08:00",
        "place": "听证室",
        "presider": "sun-li",
        "members": ["li-na"],
    },
    "request-recusal": {"officer": "li-na", "reason": "回避"},
    "decide-recusal": {"granted": False, "reason": "不成立"},
    "hold-hearing": {"record_sha256": "d" * 64, "opinion": "维持"},
    "decide": {"penalty": {"kind": "warning", "description": "警告"}},
    "issue-payment-slip": {"slip_number": "1200000026000123"},
    "record-payment": {
        "bank": "中国银行",
        "branch": "滨海支行",
        "reference": "BOC001",
        "amount_yuan": 1,
        "paid_at": "2026-11-23T10:00:00+08:00",
    },
}


def call(client, officer: str, method: str, path: str) -> Any:
    body = None
    if method == "POST" and path.startswith("/v1/meetings/"):
        body = MEETING_BODIES.get(path.split("/", 4)[4])
    elif method == "POST" and path.startswith("/v1/crime-transfers/"):
        body = TRANSFER_ACTS.get(path.rsplit("/", 1)[-1])
    elif method == "POST" and path.startswith("/v1/cases/"):
        last = path.rsplit("/", 1)[-1]
        body = CASE_BODIES[last] if last in CASE_BODIES else BODIES.get(last)
    elif method == "POST":
        body = BODIES.get(path.rsplit("/", 1)[-1])
    return client.request(method, path, json=body, headers=auth(officer))


def caught_up(client) -> None:
    """Every view has applied every stored event, so that a GET shows what was done."""
    deadline = time.monotonic() + 10
    while any(v["lag"] for v in client.get("/readyz").json()["views"].values()):
        assert time.monotonic() < deadline, "the views did not catch up"
        time.sleep(0.02)


def check(client, placeholder: str, resource_id: str, table: dict[str, str], noun: str) -> None:
    caught_up(client)
    get_path = next(p for m, p in routes(client, placeholder) if m == "GET")
    version = client.get(
        get_path.replace("{" + placeholder + "}", resource_id),
        headers=auth(next(o for o, s in table.items() if s == SEES)),
    ).json()
    for method, template in routes(client, placeholder):
        path = filled(template.replace("{" + placeholder + "}", resource_id))
        for officer, seen in table.items():
            if method == "POST" and seen == SEES:
                continue  # a party's act may succeed; who may act is the rules' (tests/unit)
            answer = call(client, officer, method, path)
            if seen == SEES:
                assert answer.status_code == 200, (officer, path, answer.text)
            else:
                assert answer.status_code == 404, (officer, method, path, answer.text)
                assert answer.json()["code"] == f"{noun}.not_found", (officer, path)
    seer = next(o for o, s in table.items() if s == SEES)
    after = client.get(get_path.replace("{" + placeholder + "}", resource_id), headers=auth(seer))
    assert after.json()["version"] == version["version"], "a hidden person's act changed it"


@pytest.mark.e2e
def test_a_case_is_seen_by_its_unit_and_those_above_it_only(client):
    case = register(client, "wang-fang")
    check(client, "case_id", case["id"], CASE_OF_THE_BUREAU_OFFICE, "case")


@pytest.mark.e2e
def test_a_sent_referral_is_seen_by_both_ends_and_those_above_them_only(client):
    referral = refer(client)
    on_referral(client, "qian-min", referral["id"], "approve")
    on_referral(client, "wang-fang", referral["id"], "send")
    check(client, "referral_id", referral["id"], SENT_REFERRAL, "referral")


@pytest.mark.e2e
def test_a_draft_is_the_senders_alone(client):
    referral = refer(client)
    check(client, "referral_id", referral["id"], DRAFT_REFERRAL, "referral")


@pytest.mark.e2e
def test_a_dispute_is_seen_by_its_parties_and_the_bodies_of_its_ladder_only(client):
    referral = refer(client)
    for officer, verb, body in (
        ("qian-min", "approve", None),
        ("wang-fang", "send", None),
        ("zhu-xia", "acknowledge", None),
        ("lu-yu", "reject", {"reason": "不属于本部门职责"}),
        ("qian-min", "dispute", {"grounds": "职责明确"}),
    ):
        answer = on_referral(client, officer, referral["id"], verb, body)
    check(client, "dispute_id", answer["dispute_id"], DISPUTE, "dispute")


@pytest.mark.e2e
def test_a_meeting_is_seen_by_its_convener_its_invitees_and_those_above_them_only(client):
    called = convene(client, "wang-fang", invitees=["tj-bh-zfzd", "tj-bh-gaj"])
    assert called["convener"] == "tj-bh-yjj"
    check(client, "meeting_id", called["id"], MEETING, "meeting")


@pytest.mark.e2e
def test_once_its_minutes_are_issued_a_meeting_is_seen_by_the_body_a_matter_went_up_to(
    client, clock
):
    m = convene(client, invitees=["tj-bh-zfzd", "tj-bh-gaj"])["id"]
    meet(client, "qian-min", m, "circulate", {"materials": [{"title": "会商材料"}]})
    clock.set(at(2026, 11, 30, 10))
    present = [{"agency": "tj-bh-yjj", "officers": ["qian-min"]}]
    meet(client, "qian-min", m, "hold", {"attended": present})
    passed_up = [{"matter": "跨区域管辖争议", "to": "city_bureau"}]
    minutes = {"text": "会商意见", "passed_up": passed_up}
    meet(client, "qian-min", m, "draft-minutes", minutes)
    meet(client, "zhao-qiang", m, "approve-minutes")
    caught_up(client)
    hidden = client.get(f"/v1/meetings/{m}", headers=auth("tang-ning"))
    assert hidden.status_code == 404, "not before its minutes are issued"
    issued = meet(client, "qian-min", m, "issue-minutes")
    assert issued["passed_up_to"] == ["tj-yjj"]
    check(client, "meeting_id", m, MINUTES_PASSED_UP, "meeting")
    listed = client.get("/v1/meetings", headers=auth("tang-ning")).json()["items"]
    assert [(e["id"], e["role"]) for e in listed] == [(m, "passed_up")]


@pytest.mark.e2e
def test_a_crime_transfer_is_seen_by_its_agency_police_and_procuratorate_only(client):
    t = sent_transfer(client)["id"]
    check(client, "transfer_id", t, SENT_TRANSFER, "crime_transfer")
    transfer_act(client, "qin-song", t, "receipt")
    transfer_act(client, "qin-song", t, "forward", {"to": "tj-xq-gaj", "reason": "不属本局管辖"})
    check(client, "transfer_id", t, FORWARDED_TRANSFER, "crime_transfer")


@pytest.mark.e2e
@pytest.mark.parametrize(
    "placeholder", ["case_id", "referral_id", "dispute_id", "meeting_id", "transfer_id"]
)
def test_an_id_of_another_kind_is_not_found_on_every_route(client, placeholder):
    """Officer and agency ids are uuid5 of public names: a loader checks the kind (404)."""
    case = register(client, "wang-fang")
    referral = refer(client)
    meeting = convene(client, "wang-fang")
    foreign = {
        "case_id": [referral["id"], meeting["id"]],
        "referral_id": [case["id"], meeting["id"]],
        "dispute_id": [case["id"], meeting["id"]],
        "meeting_id": [case["id"], referral["id"]],
        "transfer_id": [case["id"], meeting["id"]],
    }
    noun = {"transfer_id": "crime_transfer"}.get(placeholder, placeholder.removesuffix("_id"))
    for method, template in routes(client, placeholder):
        for other in foreign[placeholder]:
            path = filled(template.replace("{" + placeholder + "}", other))
            answer = call(client, "wang-fang", method, path)
            assert answer.status_code == 404, (method, path, answer.text)
            assert answer.json()["code"] == f"{noun}.not_found"


LISTS = [
    "/v1/cases",
    "/v1/inbox",
    "/v1/outbox",
    "/v1/disputes",
    "/v1/meetings",
    "/v1/meetings/compliance",
    "/v1/crime-transfers",
    "/v1/crime-transfers/supervision",
]


@pytest.mark.e2e
@pytest.mark.parametrize("path", LISTS)
def test_an_administrator_lists_nothing_and_gets_no_server_error(client, path):
    for query in ({}, {"agency": "tj-bh-yjj"}, {"agency": "no-such-agency"}):
        answer = client.get(path, params=query, headers=auth("admin"))
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "auth.not_a_party"


@pytest.mark.e2e
@pytest.mark.parametrize("path", LISTS)
def test_an_unknown_agency_in_a_list_is_not_found(client, path):
    answer = client.get(path, params={"agency": "no-such-agency"}, headers=auth("qian-min"))
    assert answer.status_code == 404, answer.text
    assert answer.json()["code"] == "agency.not_found"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "officer",
    [
        "he-jing",  # the government's supervisor sees the case and never acts on it
        "gao-yuan",  # the government's director
        "zhao-qiang",  # the bureau's director
    ],
)
def test_only_the_handling_units_officers_close_a_filed_case(client, officer):
    case = register(client, "wang-fang")
    for who, verb, body in (
        ("wang-fang", "request-filing", None),
        ("zhou-jun", "review-filing", {"approve": True, "opinion": "同意"}),
        ("qian-min", "approve-filing", {"approve": True, "opinion": "同意立案"}),
    ):
        client.post(f"/v1/cases/{case['id']}/{verb}", json=body, headers=auth(who))
    closing = {"reason": "当事人已改正"}
    answer = client.post(f"/v1/cases/{case['id']}/close", json=closing, headers=auth(officer))
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == "case.not_handling_unit"
    closed = client.post(f"/v1/cases/{case['id']}/close", json=closing, headers=auth("wang-fang"))
    assert closed.status_code == 200, closed.text


@pytest.mark.e2e
def test_heads_and_supervisors_list_the_cases_of_the_units_below_them(client):
    office = register(client, "wang-fang")["id"]
    registered = register(client, "jiang-hai")
    brigade, position = registered["id"], registered["position"]

    def listed(officer: str, **query: str) -> set[str]:
        params = {"min_position": str(position), **query}
        answer = client.get("/v1/cases", params=params, headers=auth(officer))
        assert answer.status_code == 200, answer.text
        return {item["id"] for item in answer.json()["items"]}

    assert listed("qian-min") == {office, brigade}  # the bureau's deputy: every unit below
    assert listed("he-jing") == {office, brigade}  # the government's supervisor
    assert listed("qian-min", agency="tj-bh-zt-dd") == {brigade}  # narrowed to one unit
    assert listed("zheng-hua") == {brigade}  # the detachment's head: its brigade
    assert listed("wang-fang") == {office}  # an officer: their own unit
    assert listed("jiang-hai") == {brigade}
    assert listed("zhu-xia") == set()  # market regulation handles none of them
