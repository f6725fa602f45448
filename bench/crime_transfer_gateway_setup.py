"""The transfers of the gateway benchmark: crime transfers in the state `sent`, each with the
case it was reported from, by the demo district's officers.

Made fast: each case and its transfer are built through the domain as the handlers build them
(the case registered, the transfer reported from it and recorded on the case, approved by the
bureau's director, sent to public security at the same level with its four materials: the
events the four commands would store, every rule checked) and saved CHUNK transfers with their
cases to a transaction with `app.store`, instead of four commands each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from bench.commands import case_details, person
from domain.calendar import WorkingCalendar
from domain.case import Case
from domain.crime_transfer import CrimeTransfer
from domain.crime_transfer_events import CrimeCategory, SuspectData, TransferMaterialData
from domain.crime_transfer_rules import REQUIRED_MATERIALS
from domain.payloads import actor_data
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef
from services.application import Liandong
from services.directory import AgencyEntry
from services.handlers.crime_transfers import case_data

CHUNK = 200  # transfers, with their cases, saved per transaction
FACTS = "违章动火作业引发爆炸"
SUSPECT: SuspectData = {"kind": "person", "name": "张某", "id_number": None, "role": "现场负责人"}


@dataclass(frozen=True)
class Sender:
    """The demo bureau's officers who report, approve and send, as the handlers find them."""

    app: Liandong
    officer: Actor
    colleague: Actor
    director: Actor
    unit: AgencyPath  # the officers'
    calendar: WorkingCalendar

    @classmethod
    def of(cls, app: Liandong) -> Sender:
        officer, colleague, director = (
            person(app, name) for name in ("wang-fang", "wu-gang", "zhao-qiang")
        )
        unit = app.directory.path(officer.agency_code)
        return cls(app, officer, colleague, director, unit, app.calendar())

    def sent(self) -> tuple[CrimeTransfer, Case]:
        """A case and its transfer, reported, approved and sent; not saved."""
        at, calendar = self.app.clock(), self.calendar
        case = Case.register(
            case_id=uuid4(),
            actor=self.officer,
            unit=self.unit,
            details=case_details(),
            calendar=calendar,
            at=at,
        )
        transfer = self.reported(case, at)
        head = self.app.directory.path(self.director.agency_code)
        transfer.decide(
            actor=self.director,
            path=head,
            approve=True,
            presiding=False,
            reasons="",
            calendar=calendar,
            at=at,
        )
        transfer.send(
            actor=self.officer,
            path=self.unit,
            public_security=self.same_level(AgencyKind.PUBLIC_SECURITY, transfer.agency),
            procuratorate=self.same_level(AgencyKind.PROCURATORATE, transfer.agency),
            materials=materials(),
            at=at,
        )
        return transfer, case

    def reported(self, case: Case, at: datetime) -> CrimeTransfer:
        """The officers' report on the case, recorded on the case too."""
        transfer = CrimeTransfer.report(
            transfer_id=uuid4(),
            actor=self.officer,
            case=case_data(case),
            agency=case.agency,
            handling_unit=case.handling_unit,
            category=CrimeCategory.MAJOR_LIABILITY_ACCIDENT,
            facts=FACTS,
            suspects=[SUSPECT],
            team=[self.officer, self.colleague],
            calendar=self.calendar,
            at=at,
        )
        case.record_crime_transfer(transfer_id=transfer.id, by=actor_data(self.officer), at=at)
        return transfer

    def same_level(self, kind: AgencyKind, agency: str) -> AgencyRef:
        """The one agency of the kind in the agency's region, as the handler finds it when the
        act names none."""
        (code,) = self.app.directory.find(kind, region=self.entry(agency).region)
        return self.entry(code).ref()

    def entry(self, code: str) -> AgencyEntry:
        found = self.app.directory.agency(code)
        assert found is not None, code
        return found


def materials() -> list[TransferMaterialData]:
    return [
        {
            "kind": kind,
            "title": kind.value,
            "sha256": hashlib.sha256(kind.value.encode()).hexdigest(),
            "size": 1024,
            "uri": f"oss://bench/{kind.value}",
        }
        for kind in REQUIRED_MATERIALS
    ]


def sent_transfers(app: Liandong, count: int) -> list[UUID]:
    """`count` sent transfers with their cases, CHUNK transfers (and cases) a transaction."""
    sender, ids = Sender.of(app), []
    while len(ids) < count:
        pairs = [sender.sent() for _ in range(min(CHUNK, count - len(ids)))]
        transfers = [transfer for transfer, _ in pairs]
        app.store(transfers[0], *transfers[1:], *(case for _, case in pairs))
        ids += [transfer.id for transfer in transfers]
    return ids
