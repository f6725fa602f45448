"""Agency, officer and holiday-schedule shapes (administration)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from domain.agency import Agency, Officer
from domain.values import AgencyKind, Role
from services.api.schemas.common import Day, Input, Name, Text

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", examples=["tj-bh-zfzd"])]


class AgencyCreate(Input):
    code: Code
    name: Name
    kind: AgencyKind
    parent_code: Code | None = None
    region: Annotated[str, Field(min_length=1, max_length=64, examples=["120116"])]


class AgencyOut(BaseModel):
    code: str
    name: str
    kind: str
    parent_code: str | None
    region: str
    version: int | None = None
    position: int | None = None

    @classmethod
    def of(cls, agency: Agency, position: int) -> AgencyOut:
        return cls(
            code=agency.code,
            name=agency.name,
            kind=agency.kind,
            parent_code=agency.parent_code,
            region=agency.region,
            version=agency.version,
            position=position,
        )


class CertificateIn(Input):
    number: Annotated[str, Field(min_length=1, max_length=64)]
    valid_until: Day


class OfficerCreate(Input):
    id: Code
    name: Name
    agency_code: Code
    roles: Annotated[list[Role], Field(min_length=1, max_length=9)]
    certificate: CertificateIn | None = None


class CertificateOut(BaseModel):
    number: str
    valid_until: date


class OfficerOut(BaseModel):
    id: str
    name: str
    agency_code: str
    roles: list[str]
    certificate: CertificateOut | None
    version: int
    position: int | None = None

    @classmethod
    def of(cls, officer: Officer, position: int | None) -> OfficerOut:
        certificate = officer.certificate
        return cls(
            id=officer.officer,
            name=officer.name,
            agency_code=officer.agency_code,
            roles=[str(r) for r in officer.roles],
            certificate=CertificateOut(
                number=certificate.number, valid_until=certificate.valid_until
            )
            if certificate
            else None,
            version=officer.version,
            position=position,
        )


class ScheduleIn(Input):
    holidays: Annotated[list[Day], Field(max_length=366)]
    working_days: Annotated[list[Day], Field(max_length=366)]
    source: Text = Field("", description="the State Council notice it comes from")


class CalendarYearOut(BaseModel):
    year: int
    basis: str = Field(description="published | package | weekends_only")
    provisional: bool
    holidays: list[date] = Field(description="weekdays that are off")
    working_days: list[date] = Field(description="weekend days that are worked (调休)")
    version: int | None = None
    position: int | None = None
