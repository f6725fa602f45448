"""Coordination mechanisms (协调联动机制): each district's own limits and dispute ladders.

The seeds differ: Binhai refers within 3 working days and takes referral disputes to the bureau's
joint meeting (seed 000); Licheng refers within 5 and climbs to the district government (seed
003); Pingdingshan has the city bureau's legal body designate handlers of a major cross-region
case (seed 001). A referral records the mechanism it was made under, so it is judged by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import Invalid


class Body(StrEnum):
    """Who resolves a rung of a dispute ladder."""

    PARTIES = "parties"  # 双方协商
    LEGAL_DEPARTMENT = "legal_department"  # 区应急局法制部门 / 法制机构
    JOINT_MEETING = "joint_meeting"  # 区应急局联席会议
    DISTRICT_GOVERNMENT = "district_government"  # 区政府
    CITY_LEGAL = "city_legal"  # 市应急管理局法制机构


class LadderKind(StrEnum):
    DIRECT = "direct"  # two agencies disagree about who must handle a matter
    REFERRAL = "referral"  # a rejected referral
    MAJOR_CROSS_REGION = "major_cross_region"  # a major case spanning regions (seed 001)


@dataclass(frozen=True)
class Rung:
    name: str
    body: Body


NEGOTIATION = Rung("negotiation", Body.PARTIES)
LEGAL = Rung("legal_department", Body.LEGAL_DEPARTMENT)
JOINT_MEETING = Rung("joint_meeting", Body.JOINT_MEETING)
GOVERNMENT = Rung("district_government", Body.DISTRICT_GOVERNMENT)
CITY_DESIGNATION = Rung("city_designation", Body.CITY_LEGAL)

DEFAULT_LADDER = (NEGOTIATION, LEGAL, GOVERNMENT)  # seed 003 §三(七)


@dataclass(frozen=True)
class Mechanism:
    name: str
    referral_working_days: int = 3
    # Materials a referral of each kind must carry before it is sent.
    required_materials: Mapping[str, frozenset[str]] = field(default_factory=dict)
    ladders: Mapping[LadderKind, tuple[Rung, ...]] = field(default_factory=dict)

    def ladder(self, kind: LadderKind) -> tuple[Rung, ...]:
        return self.ladders.get(kind) or self.ladders.get(LadderKind.DIRECT) or DEFAULT_LADDER

    def materials_for(self, referral_kind: str) -> frozenset[str]:
        return self.required_materials.get(referral_kind, frozenset())


REFERRAL_MATERIALS = frozenset({"referral_letter", "source_material", "preliminary_evidence"})
ASSISTANCE_MATERIALS = frozenset({"request_letter"})
MATERIAL_KINDS = REFERRAL_MATERIALS | ASSISTANCE_MATERIALS | {"determination", "appraisal", "other"}
STANDARD_MATERIALS = {"jurisdiction": REFERRAL_MATERIALS, "assistance": ASSISTANCE_MATERIALS}
CROSS_REGION: dict[LadderKind, tuple[Rung, ...]] = {
    LadderKind.MAJOR_CROSS_REGION: (NEGOTIATION, CITY_DESIGNATION)
}

MECHANISMS = {
    "default": Mechanism("default", 3, STANDARD_MATERIALS, CROSS_REGION),
    "binhai": Mechanism(
        "binhai",
        3,
        STANDARD_MATERIALS,
        {
            LadderKind.DIRECT: (NEGOTIATION, LEGAL),
            LadderKind.REFERRAL: (NEGOTIATION, JOINT_MEETING),
            **CROSS_REGION,
        },
    ),
    "licheng": Mechanism(
        "licheng",
        5,
        {
            # A functional department's determination and appraisal go with the referral
            # where the matter needs them (seed 003 §三(一)).
            "jurisdiction": REFERRAL_MATERIALS | {"determination", "appraisal"},
            "assistance": ASSISTANCE_MATERIALS,
        },
        CROSS_REGION,
    ),
    "pingdingshan": Mechanism("pingdingshan", 3, STANDARD_MATERIALS, CROSS_REGION),
}


def mechanism(name: str) -> Mechanism:
    try:
        return MECHANISMS[name]
    except KeyError:
        raise Invalid(
            f"no coordination mechanism {name!r}; known: {', '.join(sorted(MECHANISMS))}",
            code="mechanism.unknown",
        ) from None
