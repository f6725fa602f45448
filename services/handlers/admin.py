"""Administration (role admin): agencies, officers and the holiday schedule."""

from __future__ import annotations

from datetime import date

from eventsourcing.application import AggregateNotFoundError

from domain.agency import Agency, Officer
from domain.calendar import CalendarScheduleInvalid, YearSchedule
from domain.errors import Invalid, NotFound
from domain.ids import holiday_schedule_id, officer_id
from domain.schedule import HolidaySchedule
from domain.values import Actor, AgencyKind, Certificate, Role
from services.application import Liandong, Saved
from services.idempotency import PendingClaim


class AdminHandlers:
    def __init__(self, app: Liandong) -> None:
        self.app = app

    def register_agency(
        self,
        actor: Actor,
        *,
        code: str,
        name: str,
        kind: AgencyKind,
        parent_code: str | None,
        region: str,
        claim: PendingClaim | None = None,
    ) -> Saved:
        actor.require_role(Role.ADMIN)
        if parent_code is not None and self.app.directory.agency(parent_code) is None:
            raise Invalid(f"no agency {parent_code!r} to belong to", code="agency.parent_unknown")
        agency = Agency.register(
            code=code,
            name=name,
            kind=kind,
            parent_code=parent_code,
            region=region,
            at=self.app.clock(),
        )
        saved = self.app.store(agency, claim=claim, conflict_code="agency.code_taken")
        self.app.directory.refresh(force=True)
        return saved

    def register_officer(
        self,
        actor: Actor,
        *,
        officer: str,
        name: str,
        agency_code: str,
        roles: list[str],
        certificate: Certificate | None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        actor.require_role(Role.ADMIN)
        if self.app.directory.agency(agency_code) is None:
            raise Invalid(f"no agency {agency_code!r}", code="officer.agency_unknown")
        registered = Officer.register(
            officer=officer,
            name=name,
            agency_code=agency_code,
            roles=roles,
            certificate=certificate,
            at=self.app.clock(),
        )
        saved = self.app.store(registered, claim=claim, conflict_code="officer.id_taken")
        self.app.directory.refresh(force=True)
        return saved

    def renew_certificate(
        self,
        actor: Actor,
        officer: str,
        certificate: Certificate,
        expected_version: int | None = None,
        *,
        claim: PendingClaim | None = None,
    ) -> Saved:
        actor.require_role(Role.ADMIN)
        registered: Officer = self.app.load(officer_id(officer), expected_version)
        registered.renew_certificate(certificate, at=self.app.clock())
        saved = self.app.store(registered, claim=claim)
        self.app.directory.refresh(force=True)
        return saved

    def officer(self, officer: str) -> Officer:
        try:
            return self.app.repository.get(officer_id(officer))
        except AggregateNotFoundError:
            raise NotFound(f"no officer {officer!r}") from None

    def publish_schedule(
        self,
        actor: Actor,
        *,
        year: int,
        holidays: list[date],
        working_days: list[date],
        source: str,
        claim: PendingClaim | None = None,
    ) -> Saved:
        actor.require_role(Role.ADMIN)
        try:
            schedule = YearSchedule.create(year, holidays, working_days)
        except CalendarScheduleInvalid as error:
            raise Invalid(str(error), code=error.code) from None
        at = self.app.clock()
        try:
            published: HolidaySchedule = self.app.repository.get(holiday_schedule_id(year))
            published.publish(schedule, source, at)
        except AggregateNotFoundError:
            published = HolidaySchedule.publish_first(schedule, source, at)
        saved = self.app.store(published, claim=claim)
        self.app.directory.refresh(force=True)
        return saved
