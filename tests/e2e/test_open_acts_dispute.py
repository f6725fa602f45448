"""GET /v1/disputes/{id}/acts: the parties and the current rung's body are each offered what the
ladder lets them take now (deciding at negotiation only once both parties proposed one handler);
every act offered is taken by its route; a stranger is told the dispute does not exist."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import assert_problem, offered, on_referral
from tests.e2e.test_referral_flow import sent

# A party's officer, a party's head on each side, the legal department (the second rung, a unit
# of the sender's bureau), the district government (the third), a supervisor who only watches.
PEOPLE = ("wang-fang", "qian-min", "lu-yu", "sun-li", "gao-yuan", "he-jing")
PARTY = {"escalate", "record_position"}
BODIES = {
    "record_position": {"position": "应由市场监管处置", "proposed_handler": "tj-bh-scjg"},
    "escalate": {"reason": "协商不成"},
    "decide": {"handler": "tj-bh-scjg", "reasons": "属市场监管职责"},
    "close": None,
}


def disputed(client) -> str:
    referral = sent(client)
    on_referral(client, "zhu-xia", referral["id"], "acknowledge")
    on_referral(client, "lu-yu", referral["id"], "reject", {"reason": "不属于本部门职责"})
    opened = on_referral(client, "qian-min", referral["id"], "dispute", {"grounds": "职责明确"})
    return f"/v1/disputes/{opened['dispute_id']}"


def offers(client, link):
    return {officer: set(offered(client, officer, link)) for officer in PEOPLE}


def take(client, officer, link, act, body=None):
    href = offered(client, officer, link)[act]
    response = client.post(href, json=BODIES[act] if body is None else body, headers=auth(officer))
    assert response.status_code == 200, (officer, act, response.text)
    return response.json()


def test_a_dispute_offers_the_parties_and_the_rung_body_what_the_ladder_allows(client):
    link = disputed(client)
    nobody: set[str] = set()
    at_negotiation = {"wang-fang": {"record_position"}, "qian-min": PARTY, "lu-yu": PARTY}
    # The legal department speaks for its bureau, a party, until its own rung comes.
    at_negotiation |= {"sun-li": PARTY, "gao-yuan": nobody, "he-jing": nobody}
    assert offers(client, link) == at_negotiation
    assert offered(client, "qian-min", link)["escalate"] == f"{link}/escalate"

    take(client, "qian-min", link, "record_position")
    assert offers(client, link) == at_negotiation  # one party's proposal is no agreement
    take(client, "lu-yu", link, "record_position")
    agreed = {
        who: acts | {"decide"} if "escalate" in acts else acts
        for who, acts in at_negotiation.items()
    }
    assert offers(client, link) == agreed

    other = {"position": "应由应急管理处置", "proposed_handler": "tj-bh-yjj"}
    take(client, "lu-yu", link, "record_position", other)
    assert offers(client, link) == at_negotiation
    take(client, "lu-yu", link, "escalate")
    positions = {who: {"record_position"} for who in ("wang-fang", "qian-min", "lu-yu")}
    legal_rung = positions | {"sun-li": PARTY | {"decide"}, "gao-yuan": nobody, "he-jing": nobody}
    assert offers(client, link) == legal_rung

    take(client, "sun-li", link, "decide")
    decided = {who: {"close"} for who in ("wang-fang", "qian-min", "lu-yu", "sun-li")}
    assert offers(client, link) == decided | {"gao-yuan": nobody, "he-jing": nobody}
    closed = take(client, "lu-yu", link, "close")
    assert closed["status"] == "closed"
    assert {who: acts for who, acts in offers(client, link).items() if acts} == {}


def test_on_the_last_rung_the_body_decides_and_cannot_escalate(client):
    link = disputed(client)
    take(client, "lu-yu", link, "escalate")
    take(client, "sun-li", link, "escalate")
    assert set(offered(client, "gao-yuan", link)) == {"decide"}
    assert set(offered(client, "sun-li", link)) == {"record_position"}  # a party's unit again
    decided = take(client, "gao-yuan", link, "decide")
    assert decided["status"] == "decided"


def test_a_negotiated_decision_names_the_handler_both_parties_proposed(client):
    link = disputed(client)
    take(client, "qian-min", link, "record_position")
    take(client, "lu-yu", link, "record_position")
    href = offered(client, "qian-min", link)["decide"]
    other = client.post(href, json={"handler": "tj-bh-yjj"}, headers=auth("qian-min"))
    assert_problem(other, 409, "dispute.no_agreement")
    assert take(client, "qian-min", link, "decide")["decision"]["lead"] == "tj-bh-scjg"


def test_a_stranger_is_told_the_dispute_does_not_exist(client):
    link = disputed(client)
    for stranger in ("yang-lei", "tang-ning", "lin-feng"):
        response = client.get(f"{link}/acts", headers=auth(stranger))
        assert_problem(response, 404, "dispute.not_found")
