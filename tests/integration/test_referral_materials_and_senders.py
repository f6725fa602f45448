"""What a referral carries and in whose name it goes (seed 000 §三(二), seed 001 §二, seed 003
§三(一)): the materials its mechanism asks for, a sender acting in its own name, no onward referral
of a rejected or disputed matter, the lead of a cross-region case, a violation in progress."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.mechanism import mechanism
from domain.referral import Referral
from domain.values import AgencyKind, AgencyRef
from tests.districts import event_names, events, seeded_district
from tests.scenarios import (
    MATERIALS,
    accepted_referral,
    dispute_acts,
    disputed_referral,
    person,
    referral_acts,
    referral_details,
    rejected_referral,
)
from tests.unit.domain_fixtures import BUREAU, CALENDAR, NOW, OFFICE, PATHS, REGION, actor

DETERMINATION = {"kind": "determination", "title": "市场监管部门认定意见"}
APPRAISAL = {"kind": "appraisal", "title": "危险化学品鉴定结论"}


@pytest.fixture
def licheng(store_url, tmp_path, clock):
    with seeded_district(store_url, tmp_path, clock, mechanism="licheng") as district:
        yield district


@pytest.fixture
def binhai(store_url, tmp_path, clock):
    with seeded_district(store_url, tmp_path, clock, mechanism="binhai") as district:
        yield district


def draft(app, who="wang-fang", **changes):
    return referral_acts(app).draft(person(app, who), referral_details(app, **changes)).aggregate


def attach(app, referral_id, material):
    return referral_acts(app).attach_material(person(app, "wang-fang"), referral_id, material)


# Materials ------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["referral_letter", "source_material", "preliminary_evidence"])
def test_a_referral_without_its_standard_materials_is_not_approved(demo, missing):
    app = demo.app
    materials = [m for m in MATERIALS if m["kind"] != missing]
    referral = draft(app, materials=materials)
    with pytest.raises(Invalid) as error:
        referral_acts(app).approve(person(app, "qian-min"), referral.id)
    assert error.value.code == "referral.materials_incomplete"
    assert missing in error.value.detail
    attach(app, referral.id, next(m for m in MATERIALS if m["kind"] == missing))
    assert referral_acts(app).approve(person(app, "qian-min"), referral.id).aggregate.status == (
        "approved"
    )


@pytest.mark.parametrize("district", ["demo", "binhai"])
def test_the_default_and_binhai_mechanisms_ask_no_determination(request, store_url, district):
    app = request.getfixturevalue(district).app
    referral = draft(app)
    assert referral.mechanism == ("binhai" if district == "binhai" else "default")
    assert referral_acts(app).approve(person(app, "qian-min"), referral.id).aggregate.status == (
        "approved"
    )


@pytest.mark.parametrize(
    ("carried", "missing"),
    [
        ([], ["appraisal", "determination"]),
        ([DETERMINATION], ["appraisal"]),
        ([APPRAISAL], ["determination"]),
    ],
)
def test_licheng_asks_the_determination_and_the_appraisal_too(licheng, carried, missing):
    app = licheng.app
    referral = draft(app, materials=[*MATERIALS, *carried])
    with pytest.raises(Invalid) as error:
        referral_acts(app).approve(person(app, "qian-min"), referral.id)
    assert error.value.code == "referral.materials_incomplete"
    assert all(kind in error.value.detail for kind in missing)


def test_a_licheng_referral_with_every_material_is_approved_and_sent(licheng):
    app = licheng.app
    referral = draft(app)
    attach(app, referral.id, DETERMINATION)
    attach(app, referral.id, APPRAISAL)
    referral_acts(app).approve(person(app, "qian-min"), referral.id)
    sent = referral_acts(app).send(person(app, "wang-fang"), referral.id).aggregate
    assert sent.status == "sent"
    assert {m["kind"] for m in sent.materials} == {
        "referral_letter",
        "source_material",
        "preliminary_evidence",
        "determination",
        "appraisal",
    }


@pytest.mark.parametrize(
    ("material", "code"),
    [
        ({"kind": "hearsay", "title": "传闻"}, "referral.material_kind_unknown"),
        ({"kind": "other", "title": "  "}, "referral.material_title_required"),
        ({"kind": "other"}, "referral.material_title_required"),
    ],
)
def test_a_material_has_a_known_kind_and_a_title(demo, material, code):
    app = demo.app
    with pytest.raises(Invalid) as error:
        draft(app, materials=[*MATERIALS, material])
    assert error.value.code == code
    referral = draft(app)
    with pytest.raises(Invalid) as error:
        attach(app, referral.id, material)
    assert error.value.code == code


def test_only_the_sender_attaches_materials(demo):
    app = demo.app
    referral = draft(app)
    with pytest.raises(NotFound) as error:
        referral_acts(app).attach_material(person(app, "zhu-xia"), referral.id, DETERMINATION)
    assert error.value.code == "referral.not_found"  # a draft is the sender's alone


# Senders --------------------------------------------------------------------------------------


@pytest.mark.parametrize("office", ["tj-bh-yjj-zfs", None])
def test_an_internal_office_does_not_refer_in_its_own_name(demo, office):
    """不得以内设机构…的名义移送 (seed 003 §三(一)4): the office refers in the bureau's name."""
    with pytest.raises(Forbidden) as error:
        draft(demo.app, from_agency=office)
    assert error.value.code == "referral.sender_not_competent"


def test_the_legal_department_does_not_refer_in_its_own_name(demo):
    with pytest.raises(Forbidden) as error:
        draft(demo.app, who="sun-li", from_agency="tj-bh-yjj-fzk")
    assert error.value.code == "referral.sender_not_competent"


def test_an_office_refers_in_the_name_of_its_bureau(demo):
    referral = draft(demo.app, from_agency="tj-bh-yjj")
    assert (referral.from_agency, referral.drafted_in) == ("tj-bh-yjj", "tj-bh-yjj-zfs")


def test_no_agency_refers_in_the_name_of_another(demo):
    with pytest.raises(Forbidden) as error:
        draft(demo.app, who="zhu-xia", to_agency="tj-bh-zfzd")
    assert error.value.code == "referral.not_your_agency"


def test_an_unknown_sender_is_refused(demo):
    with pytest.raises(Invalid) as error:
        draft(demo.app, from_agency="tj-bh-nowhere")
    assert error.value.code == "referral.sender_unknown"


# Onward referral ------------------------------------------------------------------------------


def onward(app, earlier: UUID, who="lu-yu", **changes):
    details = referral_details(
        app,
        from_agency="tj-bh-scjg",
        to_agency="tj-bh-zfzd",
        onward_from=str(earlier),
        **changes,
    )
    return referral_acts(app).draft(person(app, who), details)


def test_a_rejected_referral_is_not_referred_on(demo):
    app = demo.app
    referral_id = rejected_referral(app).aggregate.id
    with pytest.raises(Conflict) as error:
        onward(app, referral_id)
    assert error.value.code == "referral.disputed_cannot_rerefer"


def test_a_disputed_referral_is_not_referred_on(demo):
    app = demo.app
    referral_id, _ = disputed_referral(app)
    with pytest.raises(Conflict) as error:
        onward(app, referral_id)
    assert error.value.code == "referral.disputed_cannot_rerefer"


def test_a_referral_settled_by_a_dispute_stays_with_the_designated_handler(demo):
    app = demo.app
    referral_id, dispute_id = disputed_referral(app)
    for who in ("qian-min", "lu-yu"):
        dispute_acts(app).record_position(
            person(app, who),
            dispute_id,
            position="应由市场监管局查处",
            proposed_handler="tj-bh-scjg",
        )
    dispute_acts(app).decide(person(app, "lu-yu"), dispute_id, {"handler": "tj-bh-scjg"})
    with pytest.raises(Conflict) as error:
        onward(app, referral_id)
    assert error.value.code == "referral.disputed_cannot_rerefer"


def test_an_accepted_referral_may_be_passed_on_by_its_receiver(demo):
    app = demo.app
    referral_id = accepted_referral(app)
    passed = onward(app, referral_id, who="zhu-xia").aggregate
    assert passed.details["onward_from"] == str(referral_id)
    assert (passed.from_agency, passed.to_agency) == ("tj-bh-scjg", "tj-bh-zfzd")


def test_only_the_receiver_passes_a_referral_on(demo):
    app = demo.app
    referral_id = accepted_referral(app)
    details = referral_details(app, to_agency="tj-bh-zfzd", onward_from=str(referral_id))
    with pytest.raises(Forbidden) as error:
        referral_acts(app).draft(person(app, "wang-fang"), details)
    assert error.value.code == "referral.not_receiver"


# Cross-region: the place's agency leads -------------------------------------------------------


def test_a_lead_named_outside_the_place_is_marked(demo):
    referral = draft(demo.app, lead_agency="tj-xq-yjj")  # 西青区; the case is in 滨海新区
    assert referral.details["lead_agency"] == "tj-xq-yjj"
    assert referral.details["lead_outside_place"] is True


def test_the_receiver_leads_by_default_and_in_the_place_that_is_no_remark(demo):
    referral = draft(demo.app)
    assert referral.details["lead_agency"] == "tj-bh-scjg"
    assert referral.details["lead_outside_place"] is False


def test_a_lead_named_in_the_place_is_no_remark(demo):
    referral = draft(demo.app, to_agency="tj-xq-yjj", lead_agency="tj-bh-scjg")
    assert referral.details["lead_agency"] == "tj-bh-scjg"
    assert referral.details["lead_outside_place"] is False


def test_a_receiver_outside_the_place_leading_is_marked(demo):
    referral = draft(demo.app, to_agency="tj-xq-yjj")
    assert referral.details["lead_agency"] == "tj-xq-yjj"
    assert referral.details["lead_outside_place"] is True


def test_an_unknown_lead_is_refused(demo):
    with pytest.raises(Invalid) as error:
        draft(demo.app, lead_agency="tj-nowhere")
    assert error.value.code == "referral.lead_unknown"


def test_a_lead_region_is_never_taken_from_the_request(demo):
    referral = draft(demo.app, to_agency="tj-xq-yjj", lead_region="120116")
    assert referral.details["lead_outside_place"] is True


# A violation in progress ----------------------------------------------------------------------


def test_a_violation_in_progress_is_stopped_and_the_receiver_told(demo):
    app = demo.app
    saved = referral_acts(app).draft(
        person(app, "wang-fang"), referral_details(app, violation_in_progress=True)
    )
    referral = saved.aggregate
    recorded = events(app, referral.id)
    assert [type(e).__name__ for e in recorded] == ["Drafted", "InProgressNotified"]
    notified = recorded[1]
    assert notified.at == app.clock()
    assert notified.by["agency"] == "tj-bh-yjj-zfs"
    assert referral.details["violation_in_progress"] is True
    assert referral.details["stop_ordered_at"] == app.clock()
    # The receiver sees at once that the sender stopped it, while the referral is a draft.
    seen = referral_acts(app).referral(person(app, "zhu-xia"), referral.id)
    assert (seen.status, seen.details["stop_ordered_at"]) == ("draft", app.clock())


def test_the_notice_of_a_violation_in_progress_is_drafted_with_the_referral():
    """Both events come out of the one `draft`, so the command saves them together."""
    office_path = PATHS[OFFICE.code]
    referral = Referral.draft(
        referral_id=uuid4(),
        actor=actor("wang-fang", OFFICE),
        actor_path=office_path,
        sender=BUREAU,
        receiver=AgencyRef("tj-bh-scjg", AgencyKind.FUNCTIONAL_DEPARTMENT, REGION),
        lead_region=None,
        request={
            "kind": "jurisdiction",
            "to_agency": "tj-bh-scjg",
            "summary": "无营业执照经营危险化学品",
            "found_at": NOW,
            "urgent": False,
            "place": {"region": REGION, "address": "中塘镇工业园区"},
            "materials": [dict(m) for m in MATERIALS],
            "violation_in_progress": True,
        },
        mechanism=mechanism("default"),
        calendar=CALENDAR,
        at=NOW,
    )
    assert [type(e).__name__ for e in referral.collect_events()] == [
        "Drafted",
        "InProgressNotified",
    ]


def test_a_violation_not_in_progress_is_not_notified_ahead(demo):
    app = demo.app
    referral = draft(app)
    assert event_names(app, referral.id) == ["Drafted"]
    assert "stop_ordered_at" not in referral.details
