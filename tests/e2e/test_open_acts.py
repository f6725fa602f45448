"""GET <resource>/{id}/acts: each person is offered the acts the resource's rules let them take
now, and every act offered is one the API then takes (nothing offered is refused for who asks
or when); a stranger is told the resource does not exist."""

from __future__ import annotations

from tests.conftest import auth
from tests.e2e.http import assert_problem, offered, on_referral, open_acts, refer


def test_a_referral_offers_each_person_the_acts_its_rules_allow_at_each_status(client):
    referral = refer(client)
    link = f"/v1/referrals/{referral['id']}"
    assert set(offered(client, "wang-fang", link)) == {"attach_material", "send"} - {"send"}
    assert set(offered(client, "qian-min", link)) == {"attach_material", "approve"}
    open_acts(client, "zhu-xia", link, expect=404)  # the receiver sees no draft
    assert offered(client, "qian-min", link)["approve"] == f"{link}/approve"

    on_referral(client, "qian-min", referral["id"], "approve")
    assert set(offered(client, "wang-fang", link)) == {"send"}
    on_referral(client, "wang-fang", referral["id"], "send")
    assert offered(client, "wang-fang", link) == {}
    assert set(offered(client, "zhu-xia", link)) == {"acknowledge"}
    acknowledged = on_referral(client, "zhu-xia", referral["id"], "acknowledge")
    assert set(offered(client, "zhu-xia", link)) == set()  # an officer neither accepts nor rejects
    assert set(offered(client, "lu-yu", link)) == {"accept", "reject"}
    assert open_acts(client, "lu-yu", link)["version"] == acknowledged["version"]


def test_every_act_offered_on_a_referral_is_taken_by_its_route(client):
    referral = refer(client)
    link = f"/v1/referrals/{referral['id']}"
    taken = []
    for officer in ("qian-min", "wang-fang"):
        for act, href in offered(client, officer, link).items():
            if act != "attach_material":
                response = client.post(href, headers=auth(officer))
                assert response.status_code == 200, (officer, act, response.text)
                taken.append((act, response.json()["status"]))
    assert taken == [("approve", "approved"), ("send", "sent")]


def test_a_stranger_is_told_the_resource_does_not_exist(client):
    referral = refer(client)
    response = client.get(f"/v1/referrals/{referral['id']}/acts", headers=auth("lin-feng"))
    assert_problem(response, 404, "referral.not_found")
    missing = client.get(
        "/v1/referrals/00000000-0000-4000-8000-000000000000/acts", headers=auth("wang-fang")
    )
    assert_problem(missing, 404, "referral.not_found")
