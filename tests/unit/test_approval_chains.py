"""Every approval chain of seed 004, per handling unit and form, as the seed words it."""

from __future__ import annotations

import pytest

from domain import approval
from domain.approval_chains import Form, Gravity
from domain.errors import DomainError
from tests.unit.domain_fixtures import (
    BRIGADE,
    BUREAU,
    DET_OFFICE,
    DETACHMENT,
    LEGAL,
    MARKET,
    OFFICE,
    SUPERVISION,
    places,
)

BO, DO, DT, BR = OFFICE.code, DET_OFFICE.code, DETACHMENT.code, BRIGADE.code
BU, LG, SV = BUREAU.code, LEGAL.code, SUPERVISION.code
ORD, MAJ, ACC = Gravity.ORDINARY, Gravity.MAJOR, Gravity.ACCIDENT

# (form, gravity, unit) → the steps: (name, role, the agency that signs, the form's words).
SEED_004 = {
    # §二(一)2 立案审批表
    (Form.FILING, ORD, OFFICE): [
        ("review", "unit_head", BO, "室负责人审核签署"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    (Form.FILING, ORD, DET_OFFICE): [
        ("first_review", "unit_head", SV, "执法监督室负责人初审"),
        ("first_review", "unit_head", DO, "监察室负责人初审"),
        ("review", "unit_head", DT, "执法支队负责人审核签署"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    (Form.FILING, ORD, BRIGADE): [
        ("review", "unit_head", BR, "执法大队负责人审核签署"),
        ("approval", "deputy_director", BR, "分管主任（镇长）审批"),
    ],
    (Form.FILING, ACC, DET_OFFICE): [
        ("review", "unit_head", DT, "执法支队负责人审核签署"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    # §二(二) 行政强制措施
    (Form.MEASURE, ORD, OFFICE): [
        ("review", "unit_head", BO, "室负责人审核签署"),
        ("approval", "director", BU, "局长批准"),
    ],
    (Form.MEASURE, ORD, DET_OFFICE): [
        ("review", "unit_head", DT, "执法支队负责人审核签署"),
        ("approval", "director", BU, "局长批准"),
    ],
    (Form.MEASURE, ORD, BRIGADE): [("approval", "deputy_director", BR, "分管主任（镇长）批准")],
    # §三(二)2 行政执法有关事项审批表
    (Form.MATTERS, ORD, OFFICE): [
        ("review", "unit_head", BO, "室负责人审核"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    (Form.MATTERS, ORD, DET_OFFICE): [
        ("review", "deputy_director", DT, "执法支队分管负责人审核"),
        ("approval", "unit_head", DT, "执法支队负责人审批"),
    ],
    (Form.MATTERS, ORD, BRIGADE): [
        ("review", "unit_head", BR, "执法大队负责人审核"),
        ("approval", "deputy_director", BR, "分管主任（镇长）审批"),
    ],
    (Form.MATTERS, MAJ, OFFICE): [
        ("review", "unit_head", BO, "室负责人审核"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    (Form.MATTERS, MAJ, DET_OFFICE): [
        ("first_review", "unit_head", SV, "执法监督室负责人初审"),
        ("first_review", "unit_head", DO, "监察室负责人初审"),
        ("review", "unit_head", DT, "执法支队负责人审核签署"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    (Form.MATTERS, MAJ, BRIGADE): [
        ("review", "unit_head", BR, "执法大队负责人审核"),
        ("approval", "deputy_director", BR, "分管主任（镇长）审批"),
    ],
    (Form.MATTERS, ACC, DET_OFFICE): [
        ("review", "unit_head", DT, "执法支队负责人审核"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    # §三(一)2-3 行政执法决定法制审核意见书
    (Form.LEGAL_REVIEW, ORD, OFFICE): [("approval", "legal_reviewer", LG, "法制部门法制员审核")],
    (Form.LEGAL_REVIEW, ORD, BRIGADE): [("approval", "legal_reviewer", LG, "法制部门法制员审核")],
    (Form.LEGAL_REVIEW, ORD, DET_OFFICE): [
        ("first_review", "unit_head", SV, "支队执法监督室初审"),
        ("approval", "legal_reviewer", LG, "法制部门法制员审核"),
    ],
    (Form.LEGAL_REVIEW, MAJ, OFFICE): [("approval", "legal_head", LG, "法制部门负责人审核")],
    (Form.LEGAL_REVIEW, MAJ, BRIGADE): [("approval", "legal_head", LG, "法制部门负责人审核")],
    (Form.LEGAL_REVIEW, MAJ, DET_OFFICE): [
        ("first_review", "unit_head", SV, "支队执法监督室初审"),
        ("approval", "legal_head", LG, "法制部门负责人审核"),
    ],
    (Form.LEGAL_REVIEW, ACC, DET_OFFICE): [
        ("first_review", "unit_head", SV, "支队执法监督室初审"),
        ("approval", "legal_head", LG, "法制部门负责人审核"),
    ],
    # §三 案件延期审批
    (Form.EXTENSION, ORD, OFFICE): [
        ("consent", "legal_head", LG, "法制部门同意"),
        ("approval", "director", BU, "局长批准"),
    ],
    (Form.EXTENSION, MAJ, BRIGADE): [
        ("consent", "legal_head", LG, "法制部门同意"),
        ("approval", "director", BU, "局长批准"),
    ],
    # §四(一)2 案件处理呈批表
    (Form.DECISION, ORD, OFFICE): [
        ("review", "unit_head", BO, "室负责人审核"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    (Form.DECISION, ORD, DET_OFFICE): [
        ("review", "deputy_director", DT, "支队分管负责人审核"),
        ("approval", "unit_head", DT, "支队负责人审批"),
    ],
    (Form.DECISION, ORD, BRIGADE): [
        ("review", "unit_head", BR, "大队负责人审核"),
        ("approval", "director", BR, "街镇主任（镇长）审批"),
    ],
    (Form.DECISION, MAJ, OFFICE): [
        ("review", "unit_head", BO, "室负责人审核"),
        ("approval", "director", BU, "局长审批"),
    ],
    (Form.DECISION, MAJ, DET_OFFICE): [
        ("review", "unit_head", DT, "支队负责人审核签署"),
        ("approval", "director", BU, "局长审批"),
    ],
    (Form.DECISION, MAJ, BRIGADE): [
        ("review", "deputy_director", BR, "街镇分管主任（镇长）审核"),
        ("approval", "director", BU, "局长审批"),
    ],
    (Form.DECISION, ACC, DET_OFFICE): [
        ("review", "unit_head", DT, "支队负责人审核"),
        ("approval", "deputy_director", BU, "分管局长审批"),
    ],
    # §四(一)2(3) 事故案件: 法制部门负责人合法性审核
    (Form.LEGALITY_REVIEW, ACC, DET_OFFICE): [
        ("approval", "legal_head", LG, "法制部门负责人合法性审核")
    ],
    # §三(一)1 复查: 整改完成的报本部门负责人审核
    (Form.REINSPECTION, ORD, BRIGADE): [("approval", "unit_head", BR, "本部门负责人审核")],
    (Form.REINSPECTION, MAJ, DET_OFFICE): [("approval", "unit_head", DO, "本部门负责人审核")],
    # §三(二)1 简易程序: 缴款完毕后核准
    (Form.PAYMENT, ORD, OFFICE): [("approval", "unit_head", BO, "室负责人核准")],
    (Form.PAYMENT, ORD, DET_OFFICE): [("approval", "unit_head", DT, "执法支队负责人核准")],
    (Form.PAYMENT, ORD, BRIGADE): [("approval", "deputy_director", BR, "分管主任（镇长）核准")],
}


def signed_by(form, gravity, unit):
    steps = approval.chain(form, gravity, places(unit))
    return [(s.name, s.role, s.agencies[0], s.title) for s in steps]


@pytest.mark.parametrize(
    ("form", "gravity", "unit"), list(SEED_004), ids=lambda v: getattr(v, "code", str(v))
)
def test_each_chain_is_the_seeds(form, gravity, unit):
    assert signed_by(form, gravity, unit) == SEED_004[(form, gravity, unit)]


def test_a_towns_head_signs_in_the_brigade_or_its_town_government():
    (step,) = approval.chain(Form.MEASURE, ORD, places(BRIGADE))
    assert step.agencies == (BR,), "the demo town has no government registered above it"


def test_a_unit_the_seed_does_not_describe_has_its_own_heads_sign():
    assert signed_by(Form.DECISION, ORD, MARKET) == [
        ("review", "unit_head", MARKET.code, "负责人审核"),
        ("approval", "deputy_director", MARKET.code, "分管负责人审批"),
    ]


def test_only_accident_cases_have_a_legality_review():
    with pytest.raises(DomainError) as error:
        approval.chain(Form.LEGALITY_REVIEW, MAJ, places(DET_OFFICE))
    assert error.value.code == "case.form_not_applicable"


def test_a_chain_whose_office_is_not_registered_is_unavailable():
    from domain.approval import Places

    bare = Places(places(DET_OFFICE).unit)  # no supervision office, no legal department
    for form in (Form.FILING, Form.LEGAL_REVIEW):
        with pytest.raises(DomainError) as error:
            approval.chain(form, ORD, bare)
        assert error.value.code == "case.approval_chain_unavailable"
