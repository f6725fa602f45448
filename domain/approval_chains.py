"""Who signs each approval form of seed 004, per kind of handling unit: data, read by one
mechanism (`domain.approval`).

A chain is a list of steps in signing order. A step names its place (where the signer sits,
seen from the handling unit), the role that signs, and its words on the form. Steps that share
a name are signed together: each of them is needed, in any order (the detachment's first review
by the heads of its supervision office and of the handling office).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.values import AgencyKind, Role


class Form(StrEnum):
    FILING = "filing"  # 立案审批表 (§二)
    MEASURE = "measure"  # 行政强制措施的审批 (§二(二))
    MATTERS = "matters"  # 行政执法有关事项审批表, before the notice (§三(二)2)
    LEGAL_REVIEW = "legal_review"  # 行政执法决定法制审核意见书 (§三(一)2-3)
    EXTENSION = "extension"  # 案件延期审批, to 90 days (§三 案件延期审批)
    DECISION = "decision"  # 案件处理呈批表 (§四)
    LEGALITY_REVIEW = "legality_review"  # 事故案件: 法制部门负责人合法性审核 (§四(一)2(3))
    REINSPECTION = "reinspection"  # 复查结果报本部门负责人审核 (§三(一)1)
    PAYMENT = "payment"  # 简易程序: 缴款完毕后报负责人核准 (§三(二)1)


class Gravity(StrEnum):
    """Which chain a form follows where seed 004 tells cases apart."""

    ORDINARY = "ordinary"  # 一般行政处罚案件
    MAJOR = "major"  # 重大行政处罚案件
    ACCIDENT = "accident"  # 事故行政处罚案件


class Place(StrEnum):
    """Where a signer sits, seen from the handling unit."""

    UNIT = "unit"  # the handling unit itself: 室负责人, 大队负责人
    DETACHMENT = "detachment"  # 执法支队: its head (负责人) or deputy head (分管负责人)
    SUPERVISION_OFFICE = "supervision_office"  # the detachment's 执法监督室
    BUREAU = "bureau"  # 区局: 局长, 分管局长
    TOWN = "town"  # 街镇: 主任（镇长）, 分管主任（镇长）; in the brigade or its town government
    LEGAL = "legal"  # 区局法制部门


@dataclass(frozen=True)
class StepRule:
    name: str
    place: Place
    role: Role
    title: str


def _step(name: str, place: Place, role: Role, title: str) -> StepRule:
    return StepRule(name, place, role, title)


P, R = Place, Role
FIRST_REVIEW, REVIEW, APPROVAL, CONSENT = "first_review", "review", "approval", "consent"

# Reused steps, each as the seed words it.
OFFICE_HEAD = _step(REVIEW, P.UNIT, R.UNIT_HEAD, "室负责人审核签署")
BRIGADE_HEAD = _step(REVIEW, P.UNIT, R.UNIT_HEAD, "执法大队负责人审核签署")
DETACHMENT_HEAD = _step(REVIEW, P.DETACHMENT, R.UNIT_HEAD, "执法支队负责人审核签署")
DETACHMENT_DEPUTY = _step(REVIEW, P.DETACHMENT, R.DEPUTY_DIRECTOR, "执法支队分管负责人审核")
DETACHMENT_HEAD_APPROVES = _step(APPROVAL, P.DETACHMENT, R.UNIT_HEAD, "执法支队负责人审批")
DEPUTY_DIRECTOR = _step(APPROVAL, P.BUREAU, R.DEPUTY_DIRECTOR, "分管局长审批")
DIRECTOR = _step(APPROVAL, P.BUREAU, R.DIRECTOR, "局长审批")
TOWN_DEPUTY = _step(APPROVAL, P.TOWN, R.DEPUTY_DIRECTOR, "分管主任（镇长）审批")
TOWN_HEAD = _step(APPROVAL, P.TOWN, R.DIRECTOR, "街镇主任（镇长）审批")
TOWN_DEPUTY_REVIEWS = _step(REVIEW, P.TOWN, R.DEPUTY_DIRECTOR, "街镇分管主任（镇长）审核")
# 执法支队分管负责人组织执法监督室负责人、监察室负责人进行初审: both heads sign.
JOINT_FIRST_REVIEW = (
    _step(FIRST_REVIEW, P.SUPERVISION_OFFICE, R.UNIT_HEAD, "执法监督室负责人初审"),
    _step(FIRST_REVIEW, P.UNIT, R.UNIT_HEAD, "监察室负责人初审"),
)
SUPERVISION_FIRST_REVIEW = _step(
    FIRST_REVIEW, P.SUPERVISION_OFFICE, R.UNIT_HEAD, "支队执法监督室初审"
)
LEGAL_REVIEWER = _step(APPROVAL, P.LEGAL, R.LEGAL_REVIEWER, "法制部门法制员审核")
LEGAL_HEAD = _step(APPROVAL, P.LEGAL, R.LEGAL_HEAD, "法制部门负责人审核")
LEGAL_CONSENT = _step(CONSENT, P.LEGAL, R.LEGAL_HEAD, "法制部门同意")
LEGALITY = _step(APPROVAL, P.LEGAL, R.LEGAL_HEAD, "法制部门负责人合法性审核")
DIRECTOR_GRANTS = _step(APPROVAL, P.BUREAU, R.DIRECTOR, "局长批准")
OWN_HEAD = _step(APPROVAL, P.UNIT, R.UNIT_HEAD, "本部门负责人审核")
# 案件处理呈批表 of the detachment, ordinary cases: 经支队分管负责人审核，支队负责人审批.
DETACHMENT_DECISION = (
    _step(REVIEW, P.DETACHMENT, R.DEPUTY_DIRECTOR, "支队分管负责人审核"),
    _step(APPROVAL, P.DETACHMENT, R.UNIT_HEAD, "支队负责人审批"),
)

Chain = tuple[StepRule, ...]
BO, DO, DT, BR = (
    AgencyKind.BUREAU_OFFICE,
    AgencyKind.DETACHMENT_OFFICE,
    AgencyKind.DETACHMENT,
    AgencyKind.BRIGADE,
)
G = Gravity

# (form, gravity) → the unit's kind → its chain. A kind not listed takes OTHER_UNITS' chain.
CHAINS: Mapping[tuple[Form, Gravity], Mapping[AgencyKind, Chain]] = {
    (Form.FILING, G.ORDINARY): {
        BO: (OFFICE_HEAD, DEPUTY_DIRECTOR),
        DO: (*JOINT_FIRST_REVIEW, DETACHMENT_HEAD, DEPUTY_DIRECTOR),
        DT: (DETACHMENT_HEAD, DEPUTY_DIRECTOR),
        BR: (BRIGADE_HEAD, TOWN_DEPUTY),
    },
    # 执法支队在5日内填写《立案审批表》，经执法支队负责人审核签署，报分管局长审批后立案.
    (Form.FILING, G.ACCIDENT): {
        DO: (DETACHMENT_HEAD, DEPUTY_DIRECTOR),
        DT: (DETACHMENT_HEAD, DEPUTY_DIRECTOR),
    },
    (Form.MEASURE, G.ORDINARY): {
        BO: (OFFICE_HEAD, DIRECTOR_GRANTS),
        DO: (DETACHMENT_HEAD, DIRECTOR_GRANTS),
        DT: (DETACHMENT_HEAD, DIRECTOR_GRANTS),
        BR: (_step(APPROVAL, P.TOWN, R.DEPUTY_DIRECTOR, "分管主任（镇长）批准"),),
    },
    (Form.MATTERS, G.ORDINARY): {
        BO: (_step(REVIEW, P.UNIT, R.UNIT_HEAD, "室负责人审核"), DEPUTY_DIRECTOR),
        DO: (DETACHMENT_DEPUTY, DETACHMENT_HEAD_APPROVES),
        DT: (DETACHMENT_DEPUTY, DETACHMENT_HEAD_APPROVES),
        BR: (_step(REVIEW, P.UNIT, R.UNIT_HEAD, "执法大队负责人审核"), TOWN_DEPUTY),
    },
    (Form.MATTERS, G.MAJOR): {
        BO: (_step(REVIEW, P.UNIT, R.UNIT_HEAD, "室负责人审核"), DEPUTY_DIRECTOR),
        DO: (*JOINT_FIRST_REVIEW, DETACHMENT_HEAD, DEPUTY_DIRECTOR),
        DT: (DETACHMENT_HEAD, DEPUTY_DIRECTOR),
        BR: (_step(REVIEW, P.UNIT, R.UNIT_HEAD, "执法大队负责人审核"), TOWN_DEPUTY),
    },
    (Form.MATTERS, G.ACCIDENT): {
        DO: (_step(REVIEW, P.DETACHMENT, R.UNIT_HEAD, "执法支队负责人审核"), DEPUTY_DIRECTOR),
        DT: (_step(REVIEW, P.DETACHMENT, R.UNIT_HEAD, "执法支队负责人审核"), DEPUTY_DIRECTOR),
    },
    # 执法支队监察室 … 经支队执法监督室初审后，提交区局法制部门审核.
    (Form.LEGAL_REVIEW, G.ORDINARY): {
        BO: (LEGAL_REVIEWER,),
        DO: (SUPERVISION_FIRST_REVIEW, LEGAL_REVIEWER),
        DT: (SUPERVISION_FIRST_REVIEW, LEGAL_REVIEWER),
        BR: (LEGAL_REVIEWER,),
    },
    (Form.LEGAL_REVIEW, G.MAJOR): {
        BO: (LEGAL_HEAD,),
        DO: (SUPERVISION_FIRST_REVIEW, LEGAL_HEAD),
        DT: (SUPERVISION_FIRST_REVIEW, LEGAL_HEAD),
        BR: (LEGAL_HEAD,),
    },
    (Form.LEGAL_REVIEW, G.ACCIDENT): {
        DO: (SUPERVISION_FIRST_REVIEW, LEGAL_HEAD),
        DT: (SUPERVISION_FIRST_REVIEW, LEGAL_HEAD),
    },
    # 经区局法制部门同意，报局长批准，可以延长至九十日.
    (Form.EXTENSION, G.ORDINARY): {
        kind: (
            _step(CONSENT, P.LEGAL, R.LEGAL_HEAD, "法制部门同意"),
            _step(APPROVAL, P.BUREAU, R.DIRECTOR, "局长批准"),
        )
        for kind in (BO, DO, DT, BR)
    },
    (Form.DECISION, G.ORDINARY): {
        BO: (_step(REVIEW, P.UNIT, R.UNIT_HEAD, "室负责人审核"), DEPUTY_DIRECTOR),
        DO: (
            _step(REVIEW, P.DETACHMENT, R.DEPUTY_DIRECTOR, "支队分管负责人审核"),
            _step(APPROVAL, P.DETACHMENT, R.UNIT_HEAD, "支队负责人审批"),
        ),
        DT: (
            _step(REVIEW, P.DETACHMENT, R.DEPUTY_DIRECTOR, "支队分管负责人审核"),
            _step(APPROVAL, P.DETACHMENT, R.UNIT_HEAD, "支队负责人审批"),
        ),
        BR: (_step(REVIEW, P.UNIT, R.UNIT_HEAD, "大队负责人审核"), TOWN_HEAD),
    },
    (Form.DECISION, G.MAJOR): {
        BO: (_step(REVIEW, P.UNIT, R.UNIT_HEAD, "室负责人审核"), DIRECTOR),
        DO: (_step(REVIEW, P.DETACHMENT, R.UNIT_HEAD, "支队负责人审核签署"), DIRECTOR),
        DT: (_step(REVIEW, P.DETACHMENT, R.UNIT_HEAD, "支队负责人审核签署"), DIRECTOR),
        BR: (TOWN_DEPUTY_REVIEWS, DIRECTOR),
    },
    (Form.DECISION, G.ACCIDENT): {
        DO: (_step(REVIEW, P.DETACHMENT, R.UNIT_HEAD, "支队负责人审核"), DEPUTY_DIRECTOR),
        DT: (_step(REVIEW, P.DETACHMENT, R.UNIT_HEAD, "支队负责人审核"), DEPUTY_DIRECTOR),
    },
    # 经区局法制部门负责人进行合法性审核后，文书加盖印章.
    (Form.LEGALITY_REVIEW, G.ACCIDENT): {
        kind: (_step(APPROVAL, P.LEGAL, R.LEGAL_HEAD, "法制部门负责人合法性审核"),)
        for kind in (DO, DT)
    },
    # 整改完成的报本部门负责人审核.
    (Form.REINSPECTION, G.ORDINARY): {
        kind: (_step(APPROVAL, P.UNIT, R.UNIT_HEAD, "本部门负责人审核"),)
        for kind in (BO, DO, DT, BR)
    },
    # 被处罚单位缴款完毕后，报室负责人 / 执法支队负责人 / 分管主任（镇长）核准.
    (Form.PAYMENT, G.ORDINARY): {
        BO: (_step(APPROVAL, P.UNIT, R.UNIT_HEAD, "室负责人核准"),),
        DO: (_step(APPROVAL, P.DETACHMENT, R.UNIT_HEAD, "执法支队负责人核准"),),
        DT: (_step(APPROVAL, P.DETACHMENT, R.UNIT_HEAD, "执法支队负责人核准"),),
        BR: (_step(APPROVAL, P.TOWN, R.DEPUTY_DIRECTOR, "分管主任（镇长）核准"),),
    },
}

# Units seed 004 does not describe (a functional department, a comprehensive enforcement
# bureau, a bureau handling a case itself): their own head reviews, their deputy head approves.
OTHER_UNITS: Chain = (
    _step(REVIEW, P.UNIT, R.UNIT_HEAD, "负责人审核"),
    _step(APPROVAL, P.UNIT, R.DEPUTY_DIRECTOR, "分管负责人审批"),
)
# Forms that tell gravity apart fall back to the ordinary chain where a gravity has none.
FALLBACK = {G.MAJOR: G.ORDINARY, G.ACCIDENT: G.MAJOR}


def chain_rule(form: Form, gravity: Gravity, unit_kind: AgencyKind) -> Chain | None:
    """The chain for a unit of this kind, or None where the seed gives the form no chain for
    this gravity at all (a legality review of a non-accident case)."""
    current: Gravity | None = gravity
    while current is not None:
        chains = CHAINS.get((form, current))
        if chains is not None:
            return chains.get(unit_kind, OTHER_UNITS)
        current = FALLBACK.get(current)
    return None
