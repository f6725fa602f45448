"""Value objects shared by the aggregates: kinds, roles, the acting person and the agency tree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.calendar import SHANGHAI
from domain.errors import CertificateInvalid, RoleMissing


class AgencyKind(StrEnum):
    CITY_BUREAU = "city_bureau"
    DISTRICT_BUREAU = "district_bureau"
    BUREAU_OFFICE = "bureau_office"
    LEGAL_DEPARTMENT = "legal_department"
    DETACHMENT = "detachment"
    DETACHMENT_OFFICE = "detachment_office"
    SUPERVISION_OFFICE = "supervision_office"  # 执法支队执法监督室: reviews, handles no cases
    BRIGADE = "brigade"
    FUNCTIONAL_DEPARTMENT = "functional_department"
    COMPREHENSIVE_ENFORCEMENT_BUREAU = "comprehensive_enforcement_bureau"
    PUBLIC_SECURITY = "public_security"
    PROCURATORATE = "procuratorate"
    COURT = "court"
    DISTRICT_GOVERNMENT = "district_government"
    TOWN_GOVERNMENT = "town_government"
    JOINT_CONFERENCE_OFFICE = "joint_conference_office"


# Internal offices act in the name of the agency above them (seed 003 §三(一)4).
INTERNAL_KINDS = frozenset(
    {
        AgencyKind.BUREAU_OFFICE,
        AgencyKind.LEGAL_DEPARTMENT,
        AgencyKind.DETACHMENT_OFFICE,
        AgencyKind.SUPERVISION_OFFICE,
        AgencyKind.JOINT_CONFERENCE_OFFICE,
    }
)

# Units that handle safety-production enforcement cases (seed 004 §二).
CASE_HANDLING_KINDS = frozenset(
    {
        AgencyKind.DISTRICT_BUREAU,
        AgencyKind.BUREAU_OFFICE,
        AgencyKind.DETACHMENT,
        AgencyKind.DETACHMENT_OFFICE,
        AgencyKind.BRIGADE,
        AgencyKind.CITY_BUREAU,
        AgencyKind.COMPREHENSIVE_ENFORCEMENT_BUREAU,
        AgencyKind.FUNCTIONAL_DEPARTMENT,
    }
)


class Role(StrEnum):
    OFFICER = "officer"
    UNIT_HEAD = "unit_head"
    DEPUTY_DIRECTOR = "deputy_director"
    DIRECTOR = "director"
    LEGAL_REVIEWER = "legal_reviewer"
    LEGAL_HEAD = "legal_head"
    LIAISON = "liaison"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# Roles that see the units below their agency.
OVERSIGHT_ROLES = frozenset({Role.UNIT_HEAD, Role.DEPUTY_DIRECTOR, Role.DIRECTOR, Role.SUPERVISOR})


@dataclass(frozen=True)
class Certificate:
    """An enforcement certificate (执法证)."""

    number: str
    valid_until: date

    def is_valid_on(self, day: date) -> bool:
        return day <= self.valid_until


@dataclass(frozen=True)
class AgencyRef:
    """What a rule needs to know of an agency: its code, kind and region."""

    code: str
    kind: AgencyKind
    region: str

    @property
    def acts_in_own_name(self) -> bool:
        return self.kind not in INTERNAL_KINDS


@dataclass(frozen=True)
class AgencyPath:
    """An agency and its ancestors, nearest first: the tree as a rule sees it."""

    chain: Sequence[AgencyRef]

    @property
    def agency(self) -> AgencyRef:
        return self.chain[0]

    def contains(self, code: str) -> bool:
        return any(a.code == code for a in self.chain)

    def nearest(self, *kinds: AgencyKind) -> AgencyRef | None:
        return next((a for a in self.chain if a.kind in kinds), None)

    def acting_agency(self) -> AgencyRef:
        """The nearest agency that may act in its own name."""
        return next((a for a in self.chain if a.acts_in_own_name), self.agency)

    def speaks_for(self, code: str) -> bool:
        """This unit is that agency, or an internal office acting in its name; a unit below
        with a name of its own (a brigade under the bureau) does not speak for it."""
        return code in (self.agency.code, self.acting_agency().code)


@dataclass(frozen=True)
class Actor:
    """The person taking an act, as the token and the register of officers say."""

    officer_id: str
    agency_code: str
    roles: frozenset[str] = field(default_factory=frozenset)
    certificate: Certificate | None = None
    name: str = ""

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    def require_role(self, *roles: str) -> None:
        if not self.has_role(*roles):
            raise RoleMissing(f"this act needs one of the roles: {', '.join(roles)}")

    def require_valid_certificate(self, at: datetime) -> None:
        """Only holders of a valid enforcement certificate take enforcement acts."""
        if self.certificate is None:
            raise CertificateInvalid(f"officer {self.officer_id} holds no enforcement certificate")
        if not self.certificate.is_valid_on(at.astimezone(SHANGHAI).date()):
            raise CertificateInvalid(
                f"the enforcement certificate {self.certificate.number} of officer "
                f"{self.officer_id} expired on {self.certificate.valid_until.isoformat()}"
            )
