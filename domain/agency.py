"""Agencies (执法主体 and their units) and the officers who act for them."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.ids import agency_id, officer_id
from domain.values import INTERNAL_KINDS, AgencyKind, Certificate, Role


class CertificateData(TypedDict):
    number: Annotated[str, "the enforcement certificate's number (执法证号)"]
    valid_until: Annotated[str, "the last day it is valid, as an ISO 8601 date"]


Code = Annotated[str, "the agency's code: 2–63 lowercase letters, digits or dashes"]
Name = Annotated[str, "the name in full"]
Roles = Annotated[list[Role], "the roles the officer holds, sorted"]
Certified = Annotated[CertificateData | None, "the enforcement certificate; none if not held"]

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def check_code(code: str, what: str) -> None:
    if not CODE_PATTERN.fullmatch(code):
        raise Invalid(
            f"{what} {code!r} must be 2–63 lowercase letters, digits or dashes",
            code=f"{what}.code_malformed",
        )


class Agency(Aggregate):
    """An agency or one of its units. Its id is derived from its code, so codes stay unique."""

    @classmethod
    def register(
        cls,
        *,
        code: str,
        name: str,
        kind: AgencyKind,
        parent_code: str | None,
        region: str,
        at: datetime,
    ) -> Agency:
        check_code(code, "agency")
        if kind in INTERNAL_KINDS and parent_code is None:
            raise Invalid(
                f"a {kind} is an internal unit and needs the agency it belongs to",
                code="agency.parent_required",
            )
        return cls(
            id=agency_id(code),
            code=code,
            name=name,
            kind=AgencyKind(kind),
            parent_code=parent_code,
            region=region,
            at=at,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,
        code: Code,
        name: Name,
        kind: Annotated[AgencyKind, "what kind of agency or unit it is"],
        parent_code: Annotated[str | None, "the agency it belongs to or reports to"],
        region: Annotated[str, "the administrative division code of its county or district"],
        at: Annotated[datetime, "when it was registered"],
    ) -> None:
        self.code = code
        self.name = name
        self.kind = AgencyKind(kind)
        self.parent_code = parent_code
        self.region = region


class Officer(Aggregate):
    """A person registered to act for an agency, with roles and an enforcement certificate."""

    @classmethod
    def register(
        cls,
        *,
        officer: str,
        name: str,
        agency_code: str,
        roles: list[str],
        certificate: Certificate | None,
        at: datetime,
    ) -> Officer:
        check_code(officer, "officer")
        check_roles(roles)
        return cls(
            id=officer_id(officer),
            officer=officer,
            name=name,
            agency_code=agency_code,
            roles=[Role(r) for r in sorted(set(roles))],
            certificate=certificate_data(certificate),
            at=at,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,
        officer: Annotated[str, "the officer's id"],
        name: Name,
        agency_code: Annotated[str, "the agency or unit the officer works in"],
        roles: Roles,
        certificate: Certified,
        at: Annotated[datetime, "when the officer was registered"],
    ) -> None:
        self.officer = officer
        self.name = name
        self.agency_code = agency_code
        self.roles = list(roles)
        self.certificate = certificate_from(certificate)

    def renew_certificate(self, certificate: Certificate, at: datetime) -> None:
        self._certificate_renewed(
            certificate={
                "number": certificate.number,
                "valid_until": certificate.valid_until.isoformat(),
            },
            at=at,
        )

    @event("CertificateRenewed")
    def _certificate_renewed(
        self,
        certificate: Annotated[CertificateData, "the new certificate"],
        at: Annotated[datetime, "when it was renewed"],
    ) -> None:
        self.certificate = certificate_from(certificate)

    def change_roles(self, roles: list[str], at: datetime) -> None:
        check_roles(roles)
        self._roles_changed(roles=[Role(r) for r in sorted(set(roles))], at=at)

    @event("RolesChanged")
    def _roles_changed(
        self, roles: Roles, at: Annotated[datetime, "when the roles changed"]
    ) -> None:
        self.roles = list(roles)


def check_roles(roles: list[str]) -> None:
    unknown = sorted(set(roles) - {r.value for r in Role})
    if unknown:
        raise Invalid(f"unknown roles: {', '.join(unknown)}", code="officer.role_unknown")
    if Role.ADMIN in roles:
        raise Invalid(
            "the admin role is given by the identity provider, not registered",
            code="officer.role_unknown",
        )


def certificate_data(certificate: Certificate | None) -> CertificateData | None:
    if certificate is None:
        return None
    return {"number": certificate.number, "valid_until": certificate.valid_until.isoformat()}


def certificate_from(data: CertificateData | None) -> Certificate | None:
    if data is None:
        return None
    return Certificate(number=data["number"], valid_until=date.fromisoformat(data["valid_until"]))
