"""Opening a dispute (执法争议协调): the sender of a rejected referral disputes it, or two
agencies open one directly; both sides handle the violation jointly meanwhile (先予协同处置,
seed 003 §三(七)), and only the parties and the bodies of its ladder see it."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.dispute import INTERIM
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from tests.districts import seeded_district
from tests.scenarios import (
    acknowledged_referral,
    dispute_acts,
    disputed_referral,
    person,
    referral_acts,
    rejected_referral,
)


@pytest.fixture
def binhai(store_url, tmp_path, clock):
    with seeded_district(store_url, tmp_path, clock, mechanism="binhai") as district:
        yield district


# Opening --------------------------------------------------------------------------------------


def test_disputing_a_rejection_records_the_interim_joint_handling(demo):
    app = demo.app
    referral_id, dispute_id = disputed_referral(app)
    dispute = dispute_acts(app).dispute(person(app, "lu-yu"), dispute_id)
    assert dispute.parties == ["tj-bh-yjj", "tj-bh-scjg"]
    assert dispute.details["interim"] == INTERIM
    assert dispute.details["referral_id"] == str(referral_id)
    assert dispute.details["ladder"] == "referral"
    referral = referral_acts(app).referral(person(app, "qian-min"), referral_id)
    assert (referral.status, referral.dispute_id) == ("disputed", str(dispute_id))


def test_a_dispute_records_the_interim_arrangement_it_is_given(demo):
    app = demo.app
    referral_id = rejected_referral(app).aggregate.id
    interim = "争议期间由中塘镇大队先行制止违法行为，市场监管局配合"
    saved = referral_acts(app).dispute(
        person(app, "qian-min"), referral_id, grounds="属市场监管职责", interim=interim
    )
    dispute = dispute_acts(app).dispute(person(app, "qian-min"), UUID(saved.aggregate.dispute_id))
    assert dispute.details["interim"] == interim


@pytest.mark.parametrize(
    ("district", "bodies"), [("demo", ["sun-li", "gao-yuan"]), ("binhai", ["ma-jun"])]
)
def test_the_ladders_bodies_see_the_disputed_referral(request, store_url, district, bodies):
    app = request.getfixturevalue(district).app
    referral_id, _ = disputed_referral(app)
    for body in bodies:
        assert referral_acts(app).referral(person(app, body), referral_id).status == "disputed"


def test_only_a_rejected_referral_is_disputed(demo):
    app = demo.app
    referral_id = acknowledged_referral(app)
    with pytest.raises(Conflict) as error:
        referral_acts(app).dispute(person(app, "qian-min"), referral_id, grounds="属市场监管职责")
    assert error.value.code == "referral.not_rejected"


def test_a_referral_is_disputed_once(demo):
    app = demo.app
    referral_id, _ = disputed_referral(app)
    with pytest.raises(Conflict) as error:
        referral_acts(app).dispute(person(app, "qian-min"), referral_id, grounds="再次提请")
    assert error.value.code == "referral.not_rejected"


def test_only_the_sender_disputes_a_rejection(demo):
    app = demo.app
    referral_id = rejected_referral(app).aggregate.id
    with pytest.raises(Forbidden) as error:
        referral_acts(app).dispute(person(app, "lu-yu"), referral_id, grounds="属应急管理职责")
    assert error.value.code == "referral.not_your_agency"


@pytest.mark.parametrize("grounds", ["", "  "])
def test_a_dispute_states_its_grounds(demo, grounds):
    app = demo.app
    referral_id = rejected_referral(app).aggregate.id
    with pytest.raises(Invalid) as error:
        referral_acts(app).dispute(person(app, "qian-min"), referral_id, grounds=grounds)
    assert error.value.code == "dispute.grounds_required"
    details = {"parties": ["tj-bh-zt-dd", "tj-bh-tp-dd"], "matter": "管辖争议", "grounds": grounds}
    with pytest.raises(Invalid) as error:
        dispute_acts(app).open(person(app, "chu-yan"), details)
    assert error.value.code == "dispute.grounds_required"


@pytest.mark.parametrize("parties", [[], ["tj-bh-zt-dd"], ["tj-bh-zt-dd", "tj-bh-zt-dd"]])
def test_a_dispute_is_between_two_agencies(demo, parties):
    app = demo.app
    details = {"parties": parties, "matter": "管辖争议", "grounds": "双方均认为对方有管辖权"}
    with pytest.raises(Invalid) as error:
        dispute_acts(app).open(person(app, "chu-yan"), details)
    assert error.value.code == "dispute.parties_required"


@pytest.mark.parametrize(
    ("who", "parties"),
    [
        ("gao-yuan", ["tj-bh-zt-dd", "tj-bh-tp-dd"]),
        ("jiang-hai", ["tj-bh-yjj", "tj-bh-scjg"]),  # under the bureau, not speaking for it
    ],
)
def test_only_a_party_opens_a_dispute(demo, who, parties):
    app = demo.app
    details = {"parties": parties, "matter": "管辖争议", "grounds": "双方均认为对方有管辖权"}
    with pytest.raises(Forbidden) as error:
        dispute_acts(app).open(person(app, who), details)
    assert error.value.code == "dispute.not_a_party"


def test_an_unknown_party_is_refused(demo):
    app = demo.app
    details = {"parties": ["tj-bh-zt-dd", "tj-nowhere"], "matter": "管辖争议", "grounds": "争议"}
    with pytest.raises(Invalid) as error:
        dispute_acts(app).open(person(app, "chu-yan"), details)
    assert error.value.code == "dispute.party_unknown"


def test_a_ladder_whose_body_is_not_registered_is_refused(demo):
    """西青区 has a bureau but no legal department registered to take the second rung."""
    app = demo.app
    details = {"parties": ["tj-xq-yjj", "tj-bh-yjj"], "matter": "管辖争议", "grounds": "争议"}
    with pytest.raises(Conflict) as error:
        dispute_acts(app).open(person(app, "lin-feng"), details)
    assert error.value.code == "dispute.body_missing"


def test_a_third_agency_is_told_there_is_no_such_dispute(demo):
    app = demo.app
    _, dispute_id = disputed_referral(app)
    for outsider in ("jiang-hai", "chu-yan", "lin-feng"):
        with pytest.raises(NotFound) as error:
            dispute_acts(app).dispute(person(app, outsider), dispute_id)
        assert error.value.code == "dispute.not_found"
    with pytest.raises(NotFound) as error:
        dispute_acts(app).close(person(app, "jiang-hai"), dispute_id)
    assert error.value.code == "dispute.not_found"
