"""The register of agencies and officers, held in memory and kept current from the event store.

Every request needs it (who is this officer, which units lie below that agency), so it is read
from memory; it follows the notification log for agency and officer events only, and refreshes
at once when it meets a name it does not know.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper
from eventsourcing.utils import get_topic

from domain.agency import Agency, CertificateData, Officer, certificate_from
from domain.calendar import WorkingCalendar
from domain.schedule import HolidaySchedule, schedule_from
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef

TOPICS = [
    f"{get_topic(Agency)}.Registered",
    f"{get_topic(Officer)}.Registered",
    f"{get_topic(Officer)}.CertificateRenewed",
    f"{get_topic(Officer)}.RolesChanged",
    f"{get_topic(HolidaySchedule)}.Published",
]
REFRESH_INTERVAL = 0.2
BATCH = 500


@dataclass
class AgencyEntry:
    code: str
    name: str
    kind: AgencyKind
    parent_code: str | None
    region: str
    children: list[str] = field(default_factory=list)

    def ref(self) -> AgencyRef:
        return AgencyRef(self.code, self.kind, self.region)


@dataclass
class OfficerEntry:
    officer: str
    name: str
    agency_code: str
    roles: list[str]
    certificate: CertificateData | None


class Directory:
    def __init__(self, recorder: ApplicationRecorder, mapper: Mapper[Any]) -> None:
        self._recorder = recorder
        self._mapper = mapper
        self._lock = threading.Lock()
        self._seen = 0
        self._refreshed_at = 0.0
        self.agencies: dict[str, AgencyEntry] = {}
        self.officers: dict[str, OfficerEntry] = {}
        self._officer_ids: dict[Any, str] = {}
        self._calendar = WorkingCalendar()
        self._published: set[int] = set()

    # Following the store -----------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Catches up with the store. An unforced refresh that finds another under way returns
        at once: the register it has is recent enough, and requests must not queue here."""
        if not (force or self._due()):
            return
        if not self._lock.acquire(blocking=force):
            return
        try:
            if force or self._due():
                self._catch_up()
        finally:
            self._lock.release()

    def _due(self) -> bool:
        return time.monotonic() - self._refreshed_at >= REFRESH_INTERVAL

    def is_current(self) -> bool:
        """Refreshed within the interval: lookups need not read the store."""
        return not self._due()

    def _catch_up(self) -> None:
        head = self._recorder.max_notification_id() or 0
        while self._seen < head:
            notes = self._recorder.select_notifications(
                start=self._seen + 1, limit=BATCH, stop=head, topics=TOPICS
            )
            for note in notes:
                self._apply(self._mapper.to_domain_event(note))
            self._seen = notes[-1].id if len(notes) == BATCH else head
        self._refreshed_at = time.monotonic()

    def _apply(self, event: Any) -> None:
        kind = type(event).__qualname__
        if kind == "Agency.Registered":
            entry = AgencyEntry(
                event.code, event.name, AgencyKind(event.kind), event.parent_code, event.region
            )
            self.agencies[entry.code] = entry
            if entry.parent_code in self.agencies:
                self.agencies[entry.parent_code].children.append(entry.code)
        elif kind == "Officer.Registered":
            self._officer_ids[event.originator_id] = event.officer
            self.officers[event.officer] = OfficerEntry(
                event.officer, event.name, event.agency_code, list(event.roles), event.certificate
            )
        elif kind == "Officer.CertificateRenewed":
            self._officer_by_id(event.originator_id).certificate = event.certificate
        elif kind == "Officer.RolesChanged":
            self._officer_by_id(event.originator_id).roles = list(event.roles)
        elif kind == "HolidaySchedule.Published":
            schedule = schedule_from(event.year, event.holidays, event.working_days)
            self._calendar = self._calendar.with_schedule(schedule)
            self._published.add(schedule.year)

    def _officer_by_id(self, aggregate_id: Any) -> OfficerEntry:
        return self.officers[self._officer_ids[aggregate_id]]

    # Looking up ------------------------------------------------------------------------

    def agency(self, code: str) -> AgencyEntry | None:
        found = self.agencies.get(code)
        if found is None:
            self.refresh(force=True)
            found = self.agencies.get(code)
        return found

    def officer(self, officer: str) -> OfficerEntry | None:
        found = self.officers.get(officer)
        if found is None:
            self.refresh(force=True)
            found = self.officers.get(officer)
        return found

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar with every schedule published so far."""
        return self._calendar

    def published_years(self) -> set[int]:
        return set(self._published)

    def path(self, code: str) -> AgencyPath:
        """The agency and its ancestors, nearest first."""
        chain: list[AgencyRef] = []
        entry = self.agency(code)
        while entry is not None and len(chain) < 32:
            chain.append(entry.ref())
            entry = self.agencies.get(entry.parent_code) if entry.parent_code else None
        return AgencyPath(chain)

    def is_below(self, code: str, ancestor: str) -> bool:
        return self.path(code).contains(ancestor)

    def below(self, code: str) -> list[str]:
        """Every unit under the agency, at any depth."""
        found: list[str] = []
        entry = self.agency(code)
        pending = list(entry.children) if entry else []
        while pending:
            child = pending.pop(0)
            found.append(child)
            pending.extend(self.agencies[child].children)
        return found

    def children_of_kind(self, code: str, kind: AgencyKind) -> list[str]:
        entry = self.agency(code)
        if entry is None:
            return []
        return [c for c in entry.children if self.agencies[c].kind == kind]

    def find(
        self, kind: AgencyKind, *, region: str | None = None, under: str | None = None
    ) -> list[str]:
        """Codes of the agencies of a kind, in a region and/or directly under an agency."""
        self.refresh()
        return sorted(
            a.code
            for a in self.agencies.values()
            if a.kind == kind
            and (region is None or a.region == region)
            and (under is None or a.parent_code == under)
        )

    def registered_actor(self, officer: str, agency_code: str) -> Actor | None:
        """The officer of that agency as registered, with every role the register gives:
        for acts named in a signed message or a report rather than a token."""
        entry = self.officer(officer)
        return self.actor_for(officer, agency_code, entry.roles) if entry else None

    def actor_for(self, officer: str, agency_code: str, token_roles: list[str]) -> Actor | None:
        """The officer as registered, if the token names them in their own agency. The roles
        in force are those both the token and the register give."""
        entry = self.officer(officer)
        if entry is None or entry.agency_code != agency_code:
            return None
        return Actor(
            officer_id=entry.officer,
            agency_code=entry.agency_code,
            roles=frozenset(token_roles) & frozenset(entry.roles),
            certificate=certificate_from(entry.certificate),
            name=entry.name,
        )
