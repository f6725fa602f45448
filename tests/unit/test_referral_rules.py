"""Referral rules on the aggregate itself (given events, when a command, then events or an
error): who may take each step of the sender's side, and in which status."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.errors import Conflict, DomainError, Forbidden
from domain.mechanism import MECHANISMS
from domain.referral import Referral
from domain.values import AgencyKind, AgencyPath, AgencyRef
from tests.unit.domain_fixtures import BUREAU, CALENDAR, GOV, NOW, OFFICE, PATHS, REGION, actor

MARKET = AgencyRef("tj-bh-scjg", AgencyKind.FUNCTIONAL_DEPARTMENT, REGION)
MARKET_PATH = AgencyPath([MARKET, GOV])
DEFAULT = MECHANISMS["default"]
MATERIALS = [
    {"kind": "referral_letter", "title": "移送函"},
    {"kind": "source_material", "title": "现场检查记录"},
    {"kind": "preliminary_evidence", "title": "现场照片"},
]
WANG = actor("wang-fang", OFFICE, "officer")
QIAN = actor("qian-min", BUREAU, "deputy_director")
ZHU = actor("zhu-xia", MARKET, "officer", "liaison")
LU = actor("lu-yu", MARKET, "director")


def drafted() -> Referral:
    request = {
        "kind": "jurisdiction",
        "to_agency": MARKET.code,
        "summary": "无营业执照经营危险化学品",
        "found_at": NOW - timedelta(hours=1),
        "place": {"region": REGION, "address": "中塘镇工业园区"},
        "materials": [dict(m) for m in MATERIALS],
    }
    referral = Referral.draft(
        referral_id=uuid4(),
        actor=WANG,
        actor_path=PATHS[OFFICE.code],
        sender=BUREAU,
        receiver=MARKET,
        request=request,  # type: ignore[arg-type]
        lead_region=None,
        mechanism=DEFAULT,
        calendar=CALENDAR,
        at=NOW,
    )
    return referral


def approved() -> Referral:
    referral = drafted()
    referral.approve(actor=QIAN, path=AgencyPath([BUREAU, GOV]), mechanism=DEFAULT, at=NOW)
    return referral


def new_events(referral: Referral) -> list[str]:
    return [type(e).__name__ for e in referral.collect_events()]


def test_a_draft_is_not_acknowledged_by_the_receiver():
    with pytest.raises(Conflict) as error:
        approved().acknowledge(actor=ZHU, path=MARKET_PATH, at=NOW)
    assert error.value.code == "referral.not_sent"


def test_the_receivers_head_does_not_approve_for_the_sender():
    with pytest.raises(Forbidden) as error:
        drafted().approve(actor=LU, path=MARKET_PATH, mechanism=DEFAULT, at=NOW)
    assert error.value.code == "referral.not_your_agency"


def test_only_the_sender_sends():
    referral = approved()
    with pytest.raises(Forbidden) as error:
        referral.send(actor=ZHU, path=MARKET_PATH, mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    assert error.value.code == "referral.not_your_agency"


def test_only_the_sender_attaches_materials():
    material = {"kind": "determination", "title": "认定意见"}
    with pytest.raises(Forbidden) as error:
        drafted().attach_material(actor=ZHU, path=MARKET_PATH, material=material, at=NOW)  # type: ignore[arg-type]
    assert error.value.code == "referral.not_your_agency"


def test_the_sender_drafts_approves_and_sends():
    referral = approved()
    referral.send(actor=WANG, path=PATHS[OFFICE.code], mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    assert new_events(referral) == ["Drafted", "Approved", "Sent"]
    assert referral.status == "sent"


def test_accepting_a_concluded_referral_names_the_real_rule():
    """The receiver has decided already: not "not acknowledged" but "already decided"."""
    referral = approved()
    referral.send(actor=WANG, path=PATHS[OFFICE.code], mechanism=DEFAULT, calendar=CALENDAR, at=NOW)
    referral.acknowledge(actor=ZHU, path=MARKET_PATH, at=NOW)
    referral.accept(actor=LU, path=MARKET_PATH, at=NOW)
    referral.report_outcome(actor=ZHU, path=MARKET_PATH, outcome="已立案查处", at=NOW)
    for act in (referral.accept, lambda **kw: referral.reject(reason="不属于本部门", **kw)):
        with pytest.raises(DomainError) as error:
            act(actor=LU, path=MARKET_PATH, at=NOW)
        assert error.value.code == "referral.already_decided"
