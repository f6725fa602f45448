"""Administration routes: agencies and officers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from domain.errors import NotFound
from domain.values import Certificate, Role
from services.api.commands import CommandDep
from services.api.deps import ActorDep, ContainerDep, handler
from services.api.openapi import ERRORS
from services.api.schemas.agencies import (
    AgencyCreate,
    AgencyOut,
    CertificateIn,
    OfficerCreate,
    OfficerOut,
)
from services.application import Saved
from services.handlers.admin import AdminHandlers
from services.idempotency import PendingClaim

Admin = Annotated[AdminHandlers, Depends(handler(AdminHandlers))]
router = APIRouter(prefix="/v1", tags=["administration"], responses=ERRORS)


@router.post("/agencies", response_model=AgencyOut, status_code=201)
def register_agency(body: AgencyCreate, cmd: CommandDep, admin: Admin) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        return admin.register_agency(
            cmd.actor,
            code=body.code,
            name=body.name,
            kind=body.kind,
            parent_code=body.parent_code,
            region=body.region,
            claim=claim,
        )

    return cmd.run(act, lambda s: AgencyOut.of(s.aggregate, s.position), 201)


@router.get("/agencies", response_model=list[AgencyOut])
def list_agencies(actor: ActorDep, container: ContainerDep) -> list[AgencyOut]:
    directory = container.app.directory
    directory.refresh()
    return [
        AgencyOut(code=a.code, name=a.name, kind=a.kind, parent_code=a.parent_code, region=a.region)
        for a in sorted(directory.agencies.values(), key=lambda a: a.code)
    ]


@router.get("/agencies/{code}", response_model=AgencyOut)
def get_agency(code: str, actor: ActorDep, container: ContainerDep) -> AgencyOut:
    a = container.app.directory.agency(code)
    if a is None:
        raise NotFound(f"no agency {code!r}", code="agency.not_found")
    return AgencyOut(
        code=a.code, name=a.name, kind=a.kind, parent_code=a.parent_code, region=a.region
    )


@router.post("/officers", response_model=OfficerOut, status_code=201)
def register_officer(body: OfficerCreate, cmd: CommandDep, admin: Admin) -> Response:
    certificate = (
        Certificate(body.certificate.number, body.certificate.valid_until)
        if body.certificate
        else None
    )

    def act(claim: PendingClaim | None) -> Saved:
        return admin.register_officer(
            cmd.actor,
            officer=body.id,
            name=body.name,
            agency_code=body.agency_code,
            roles=[r.value for r in body.roles],
            certificate=certificate,
            claim=claim,
        )

    return cmd.run(act, lambda s: OfficerOut.of(s.aggregate, s.position), 201)


@router.get("/officers/{officer}", response_model=OfficerOut)
def get_officer(officer: str, actor: ActorDep, container: ContainerDep) -> OfficerOut:
    if not actor.has_role(Role.ADMIN) and actor.officer_id != officer:
        raise NotFound(f"no officer {officer!r}", code="officer.not_found")
    return OfficerOut.of(container.handler(AdminHandlers).officer(officer), None)


@router.post("/officers/{officer}/renew-certificate", response_model=OfficerOut)
def renew_certificate(officer: str, body: CertificateIn, cmd: CommandDep, admin: Admin) -> Response:
    def act(claim: PendingClaim | None) -> Saved:
        certificate = Certificate(body.number, body.valid_until)
        return admin.renew_certificate(cmd.actor, officer, certificate, cmd.version, claim=claim)

    return cmd.run(act, lambda s: OfficerOut.of(s.aggregate, s.position))
