"""GET /v1/crime-transfers/{id}/acts: at each status of a transfer every demo person is offered
exactly the acts its rules let them take now — the agency's officers and heads, public security
and the procuratorate, and those who see it and take nothing — along its main path (report, the
head's approval, sending, receipt, filing decision, handover), the procuratorate's supervision
of a refusal to file, the materials asked for, the filing period extended, the case forwarded,
and a recommended transfer; every act offered is taken by its route; a stranger is told the
transfer does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.demo import OFFICERS
from tests.conftest import auth
from tests.e2e.http import (
    NOTICE,
    REPORT_BODY,
    TRANSFER_MATERIALS,
    assert_problem,
    material,
    offered,
    open_acts,
    register,
    report_crime,
)

PEOPLE = tuple(officer for officer, *_ in OFFICERS)
# Who sees a transfer of the bureau's office: the bureau and its offices, and the district
# government above the bureau (its director and supervisor), who take no act on it.
AGENCY = ("zhao-qiang", "qian-min", "sun-li", "li-na", "zhou-jun", "wang-fang", "wu-gang")
AGENCY += ("ma-jun",)
ABOVE = ("gao-yuan", "he-jing")
# Once it is sent: the district's public security and the procuratorate it is copied to.
SENT = (*AGENCY, *ABOVE, "qin-song", "yue-ming", "xu-ping")
# The bureau's people who act for it on a transfer: its heads, officers and liaison.
ACTING = ("zhao-qiang", "qian-min", "zhou-jun", "wang-fang", "wu-gang", "ma-jun")
# The heads who speak for the bureau (its office's and its liaison office's unit heads too).
HEADS = ("zhao-qiang", "qian-min", "zhou-jun", "ma-jun")
PRINCIPAL = "zhao-qiang"  # the bureau's director; its deputy decides only presiding

Step = tuple[str, str, dict[str, Any] | None]  # who, which act, the body if not the usual one

REFUSAL = {"filed": False, "reasons": "现有证据不足以证明存在犯罪事实"}
DECIDE: Step = ("zhao-qiang", "decide", None)
SEND: Step = ("wang-fang", "send", None)
RECEIVED: list[Step] = [DECIDE, SEND, ("qin-song", "sign_receipt", None)]
MAIN: list[Step] = [
    *RECEIVED,
    ("yue-ming", "decide_filing", None),
    ("wang-fang", "hand_over", None),
]
SUPERVISION: list[Step] = [
    *RECEIVED,
    ("yue-ming", "decide_filing", REFUSAL),
    ("zhao-qiang", "request_reconsideration", None),
    ("yue-ming", "answer_reconsideration", None),
    ("zhao-qiang", "request_supervision", None),
    ("xu-ping", "request_reasons", None),
    ("yue-ming", "state_reasons", None),
    ("xu-ping", "order_filing", None),
    ("yue-ming", "decide_filing", None),
]
ASIDE: list[Step] = [
    *RECEIVED,
    ("qin-song", "request_materials", None),
    ("wang-fang", "supply_materials", None),
    ("qin-song", "extend_filing", None),
    ("yue-ming", "forward", None),
    ("song-yu", "sign_receipt", None),
]
RECOMMENDED: list[Step] = [("wang-fang", "report", None)]


def body(act: str, officer: str, clock) -> dict[str, Any] | None:
    """A valid body for `act` taken by `officer` now."""
    presiding = officer != PRINCIPAL
    team = [officer, "wu-gang" if officer == "wang-fang" else "wang-fang"]
    bodies: dict[str, dict[str, Any]] = {
        "report": dict(REPORT_BODY, team=team),
        "decline": {"explanation": "经调查不构成犯罪", "presiding": presiding},
        "decide": {"approve": True, "reasons": "同意移送", "presiding": presiding},
        "send": {"materials": TRANSFER_MATERIALS},
        "sign_receipt": {"note": "材料已接收"},
        "request_materials": {"materials": ["appraisal"], "note": "缺少爆炸原因技术鉴定"},
        "supply_materials": {"materials": [material("appraisal", "爆炸原因技术鉴定报告", 9)]},
        "forward": {
            "to": "tj-bh-gaj" if officer == "song-yu" else "tj-xq-gaj",
            "reason": "不属本局管辖",
        },
        # A head may give 30 days, whatever the period; an officer gives 7.
        "extend_filing": {
            "period": "clue_check" if officer == "qin-song" else "major_complex",
            "reason": "涉嫌犯罪线索需要查证",
        },
        "decide_filing": {"filed": True, "decided_at": clock().isoformat(), "document": NOTICE},
        "request_reconsideration": {"reasons": "鉴定已证实违章动火"},
        "answer_reconsideration": {
            "upheld": True,
            "reasons": "维持不予立案决定",
            "document": NOTICE,
        },
        "request_supervision": {"reasons": "请求立案监督"},
        "request_reasons": {"note": "请说明不立案理由"},
        "state_reasons": {"reasons": "证据不足"},
        "order_filing": {"reasons": "不立案理由不能成立"},
        "close_supervision": {"reasons": "不立案理由成立"},
        "hand_over": {"items": "涉案物品及案卷一宗"},
        "transfer_back": {
            "ground": "too_slight",
            "reasons": "情节显著轻微，不需追究刑事责任",
            "materials": [
                {"kind": "referral_letter", "title": "移送行政处理函"},
                {"kind": "source_material", "title": "案件材料"},
                {"kind": "preliminary_evidence", "title": "证据材料"},
            ],
        },
    }
    return bodies[act]


def offers(client, link) -> dict[str, set[str] | None]:
    """What every demo person is offered; None for those who do not see the transfer."""
    found: dict[str, set[str] | None] = {}
    for officer in PEOPLE:
        response = client.get(f"{link}/acts", headers=auth(officer))
        if response.status_code == 404:
            assert response.json()["code"] == "crime_transfer.not_found"
            found[officer] = None
            continue
        assert response.status_code == 200, (officer, response.text)
        found[officer] = {a["act"] for a in response.json()["acts"]}
    return found


def expected(seen: Sequence[str], **acts: Sequence[str]) -> dict[str, set[str] | None]:
    """Those in `seen` are offered nothing but the acts given them (`act=people`); everyone
    else does not see the transfer."""
    offers: dict[str, set[str] | None] = {p: (set() if p in seen else None) for p in PEOPLE}
    for act, people in acts.items():
        for person in people:
            entry = offers[person]
            assert entry is not None, person
            entry.add(act)
    return offers


def take(client, clock, link, officer, act, given=None):
    """The act, by the route its offer names; it succeeds."""
    href = offered(client, officer, link)[act]
    payload = body(act, officer, clock)
    if given is not None:
        payload = {**(payload or {}), **given}
    response = client.post(href, json=payload, headers=auth(officer))
    assert response.status_code == 200, (officer, act, response.text)
    return response.json()


def reported(client) -> str:
    case = register(client)
    return f"/v1/crime-transfers/{report_crime(client, case['id'])['id']}"


def recommended(client) -> str:
    case = register(client)
    response = client.post(
        "/v1/crime-transfers/recommendations",
        json={"case_id": case["id"], "reasons": "该案涉嫌重大责任事故罪，建议移送"},
        headers=auth("xu-ping"),
    )
    assert response.status_code == 201, response.text
    return f"/v1/crime-transfers/{response.json()['id']}"


def walked(client, clock, steps: Sequence[Step], start=reported) -> str:
    link = start(client)
    for officer, act, given in steps:
        take(client, clock, link, officer, act, given)
    return link


def test_the_main_path_offers_each_person_what_the_rules_allow(client, clock):
    link = reported(client)
    assert offers(client, link) == expected((*AGENCY, *ABOVE), decide=("zhao-qiang", "qian-min"))
    assert offered(client, "zhao-qiang", link)["decide"] == f"{link}/decide"

    take(client, clock, link, "zhao-qiang", "decide")
    assert offers(client, link) == expected((*AGENCY, *ABOVE), send=ACTING)

    sent = take(client, clock, link, "wang-fang", "send")
    assert offers(client, link) == expected(SENT, sign_receipt=("qin-song", "yue-ming"))
    assert open_acts(client, "qin-song", link)["version"] == sent["version"]
    assert offered(client, "qin-song", link)["sign_receipt"] == f"{link}/receipt"

    take(client, clock, link, "qin-song", "sign_receipt")
    police = ("qin-song", "yue-ming")
    assert offers(client, link) == expected(
        SENT,
        request_materials=police,
        forward=police,
        extend_filing=police,
        decide_filing=("yue-ming",),
        transfer_back=("yue-ming",),
    )
    assert offered(client, "yue-ming", link)["decide_filing"] == f"{link}/filing-decision"

    # Extended to 7 days, only 30 remain, which only a head gives.
    take(client, clock, link, "qin-song", "extend_filing")
    assert offers(client, link) == expected(
        SENT,
        request_materials=police,
        forward=police,
        extend_filing=("yue-ming",),
        decide_filing=("yue-ming",),
        transfer_back=("yue-ming",),
    )

    filed = take(client, clock, link, "yue-ming", "decide_filing")
    assert filed["status"] == "filed"
    assert offers(client, link) == expected(SENT, hand_over=ACTING, transfer_back=("yue-ming",))

    handed = take(client, clock, link, "wang-fang", "hand_over")
    assert handed["status"] == "handed_over"
    assert offers(client, link) == expected(SENT, transfer_back=("yue-ming",))


def test_the_supervision_path_offers_each_person_what_the_rules_allow(client, clock):
    link = walked(client, clock, RECEIVED)
    refused = take(client, clock, link, "yue-ming", "decide_filing", REFUSAL)
    assert refused["status"] == "not_filed"
    refusing = {"request_reasons": ("xu-ping",), "order_filing": ("xu-ping",)}
    back = {"transfer_back": ("yue-ming",)}
    assert offers(client, link) == expected(SENT, request_reconsideration=HEADS, **refusing, **back)

    take(client, clock, link, "zhao-qiang", "request_reconsideration")
    assert offers(client, link) == expected(SENT, answer_reconsideration=("yue-ming",))

    upheld = take(client, clock, link, "yue-ming", "answer_reconsideration")
    assert upheld["status"] == "not_filed"  # reconsidered once: supervision may be asked for
    assert offers(client, link) == expected(SENT, request_supervision=HEADS, **refusing, **back)

    take(client, clock, link, "zhao-qiang", "request_supervision")
    procurator = ("xu-ping",)
    assert offers(client, link) == expected(
        SENT, request_reasons=procurator, order_filing=procurator, close_supervision=procurator
    )

    take(client, clock, link, "xu-ping", "request_reasons")
    assert offers(client, link) == expected(SENT, state_reasons=("yue-ming",))

    take(client, clock, link, "yue-ming", "state_reasons")
    assert offers(client, link) == expected(
        SENT, order_filing=procurator, close_supervision=procurator
    )

    ordered = take(client, clock, link, "xu-ping", "order_filing")
    assert ordered["status"] == "filing_ordered"
    assert offers(client, link) == expected(SENT, decide_filing=("yue-ming",))

    filed = take(client, clock, link, "yue-ming", "decide_filing")
    assert (filed["status"], filed["filing"]["on"]) == ("filed", "order")
    assert offers(client, link) == expected(SENT, hand_over=ACTING, transfer_back=("yue-ming",))


def test_materials_asked_for_and_a_case_forwarded_move_the_offers(client, clock):
    link = walked(client, clock, RECEIVED)
    take(client, clock, link, "qin-song", "request_materials")
    assert offers(client, link) == expected(SENT, supply_materials=ACTING)

    take(client, clock, link, "wang-fang", "supply_materials")
    forwarded = take(client, clock, link, "yue-ming", "forward")
    assert forwarded["status"] == "forwarded"
    # The competent public security now signs; the first still sees it, and takes nothing.
    assert offers(client, link) == expected((*SENT, "song-yu"), sign_receipt=("song-yu",))


def test_a_recommended_transfer_offers_its_answer_to_the_agency(client, clock):
    link = recommended(client)
    officers = ("zhou-jun", "wang-fang", "wu-gang")  # the handling office's certified officers
    assert offers(client, link) == expected(
        (*AGENCY, *ABOVE, "xu-ping"), report=officers, decline=("zhao-qiang", "qian-min")
    )
    assert offered(client, "wang-fang", link)["report"] == f"{link}/report"
    reported_now = take(client, clock, link, "wang-fang", "report")
    assert reported_now["status"] == "reported"
    assert offers(client, link) == expected(
        (*AGENCY, *ABOVE, "xu-ping"), decide=("zhao-qiang", "qian-min")
    )


def test_every_act_offered_on_a_transfer_is_taken_by_its_route(client, clock):
    """At each status along the paths, each person takes each act offered them, on a transfer
    of its own brought to that status: none is refused."""
    states: dict[tuple[Any, ...], tuple[Any, Sequence[Step]]] = {}
    for start, path in ((reported, MAIN), (reported, SUPERVISION), (reported, ASIDE)):
        for n in range(len(path) + 1):
            states.setdefault((start, repr(path[:n])), (start, path[:n]))
    states[(recommended, "")] = (recommended, [])
    taken = set()
    for start, steps in states.values():
        link = walked(client, clock, steps, start)
        for officer, acts in offers(client, link).items():
            for act in sorted(acts or ()):
                fresh = walked(client, clock, steps, start)
                take(client, clock, fresh, officer, act)
                taken.add(act)
    assert taken == {
        *("report", "decline", "decide", "send", "sign_receipt", "request_materials"),
        *("supply_materials", "forward", "extend_filing", "decide_filing"),
        *("request_reconsideration", "answer_reconsideration", "request_supervision"),
        *("request_reasons", "state_reasons", "order_filing", "close_supervision"),
        *("hand_over", "transfer_back"),
    }


def test_a_stranger_is_told_the_transfer_does_not_exist(client, clock):
    link = walked(client, clock, [DECIDE, SEND])
    for stranger in ("lin-feng", "lu-yu", "song-yu", "chu-yan"):
        response = client.get(f"{link}/acts", headers=auth(stranger))
        assert_problem(response, 404, "crime_transfer.not_found")
    missing = client.get(
        "/v1/crime-transfers/00000000-0000-4000-8000-000000000000/acts",
        headers=auth("wang-fang"),
    )
    assert_problem(missing, 404, "crime_transfer.not_found")
