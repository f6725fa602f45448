"""Acts on crime transfers (两法衔接): report one from a case (the case records it in the same
save) or recommend one, and every act after, by the agency, public security and the
procuratorate. A reverse transfer drafts, approves and sends the referral that carries the
matter back to the agency's inbox, in the one save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypedDict, Unpack
from uuid import UUID, uuid4

from domain.case import Case
from domain.crime_transfer import CrimeTransfer
from domain.crime_transfer_events import (
    BackGround,
    CrimeCategory,
    FilingPeriod,
    NoticeData,
    SuspectData,
    TransferMaterialData,
    TransferMaterialKind,
    TransferredCaseData,
)
from domain.errors import Invalid, NotFound
from domain.payloads import actor_data
from domain.referral import Referral
from domain.referral_events import ReferralDraft, ReferralKind
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef
from projections.case_document import CASE
from projections.crime_transfer_document import CRIME_TRANSFER
from services.application import Liandong, Saved
from services.idempotency import PendingClaim

Act = Callable[[CrimeTransfer, AgencyPath], None]


class Options(TypedDict, total=False):
    """What every act may carry: the version it expects, and its Idempotency-Key claim."""

    expected_version: int | None
    claim: PendingClaim | None


class Report(TypedDict):
    category: CrimeCategory
    facts: str
    suspects: list[SuspectData]
    team: list[str]  # officers' ids


class CrimeTransferHandlers:
    def __init__(self, app: Liandong) -> None:
        self.app = app

    # Opening -----------------------------------------------------------------------------

    def report(
        self, actor: Actor, case_id: UUID, report: Report, *, claim: PendingClaim | None = None
    ) -> Saved:
        """The case's officers report a suspected crime to their agency's head."""
        case: Case = self.app.load_as(actor, case_id, CASE)
        case.check_transferable()
        at = self.app.clock()
        transfer = CrimeTransfer.report(
            transfer_id=uuid4(),
            actor=actor,
            case=case_data(case),
            agency=case.agency,
            handling_unit=case.handling_unit,
            category=CrimeCategory(report["category"]),
            facts=report["facts"],
            suspects=report["suspects"],
            team=self._team(report["team"], case.handling_unit),
            calendar=self.app.calendar(),
            at=at,
        )
        case.record_crime_transfer(transfer_id=transfer.id, by=actor_data(actor), at=at)
        return self.app.store(transfer, case, claim=claim)

    def recommend(
        self, actor: Actor, case_id: UUID, reasons: str, *, claim: PendingClaim | None = None
    ) -> Saved:
        """The procuratorate recommends transferring a case the agency has not transferred."""
        case = self._case(case_id)
        case.check_transferable()
        if pending_transfers(self.app, case):
            raise Invalid(
                "the case's transfer is under way already", code="crime_transfer.already_pending"
            )
        at = self.app.clock()
        transfer = CrimeTransfer.recommend(
            transfer_id=uuid4(),
            actor=actor,
            procuratorate=self._ref(actor.agency_code),
            agency=self._ref(case.agency),
            case=case_data(case),
            handling_unit=case.handling_unit,
            reasons=reasons,
            at=at,
        )
        case.record_crime_transfer(transfer_id=transfer.id, by=actor_data(actor), at=at)
        return self.app.store(transfer, case, claim=claim)

    def transfer(
        self, actor: Actor, transfer_id: UUID, expected_version: int | None = None
    ) -> CrimeTransfer:
        found: CrimeTransfer = self.app.load_as(
            actor, transfer_id, CRIME_TRANSFER, expected_version
        )
        return found

    # The agency --------------------------------------------------------------------------

    def report_recommended(
        self, actor: Actor, transfer_id: UUID, report: Report, **cmd: Unpack[Options]
    ) -> Saved:
        """The agency answers a recommendation by reporting the case for transfer."""

        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.report_crime(
                actor=actor,
                category=CrimeCategory(report["category"]),
                facts=report["facts"],
                suspects=report["suspects"],
                team=self._team(report["team"], transfer.handling_unit),
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def decline(
        self,
        actor: Actor,
        transfer_id: UUID,
        explanation: str,
        presiding: bool = False,
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.decline(
                actor=actor,
                path=path,
                explanation=explanation,
                presiding=presiding,
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def decide(
        self,
        actor: Actor,
        transfer_id: UUID,
        approve: bool,
        presiding: bool,
        reasons: str,
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.decide(
                actor=actor,
                path=path,
                approve=approve,
                presiding=presiding,
                reasons=reasons,
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def send(
        self,
        actor: Actor,
        transfer_id: UUID,
        materials: list[TransferMaterialData],
        public_security: str | None,
        **cmd: Unpack[Options],
    ) -> Saved:
        """To public security at the same level (named where the region has several), copied
        to the procuratorate at the same level."""

        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            region = self._ref(transfer.agency).region
            transfer.send(
                actor=actor,
                path=path,
                public_security=self._same_level(
                    AgencyKind.PUBLIC_SECURITY, region, public_security
                ),
                procuratorate=self._same_level(AgencyKind.PROCURATORATE, region, None),
                materials=materials,
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def supply_materials(
        self,
        actor: Actor,
        transfer_id: UUID,
        materials: list[TransferMaterialData],
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.supply_materials(
                actor=actor, path=path, materials=materials, at=self.app.clock()
            )

        return self._act(actor, transfer_id, act, **cmd)

    def request_reconsideration(
        self, actor: Actor, transfer_id: UUID, reasons: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.request_reconsideration(
                actor=actor,
                path=path,
                reasons=reasons,
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def request_supervision(
        self, actor: Actor, transfer_id: UUID, reasons: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.request_supervision(
                actor=actor, path=path, reasons=reasons, at=self.app.clock()
            )

        return self._act(actor, transfer_id, act, **cmd)

    def hand_over(
        self, actor: Actor, transfer_id: UUID, items: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.hand_over(actor=actor, path=path, items=items, at=self.app.clock())

        return self._act(actor, transfer_id, act, **cmd)

    # Public security (also through the gateway) -------------------------------------------

    def sign_receipt(
        self, actor: Actor, transfer_id: UUID, note: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.sign_receipt(
                actor=actor, note=note, calendar=self.app.calendar(), at=self.app.clock()
            )

        return self._act(actor, transfer_id, act, **cmd)

    def request_materials(
        self,
        actor: Actor,
        transfer_id: UUID,
        materials: list[TransferMaterialKind],
        note: str,
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.request_materials(
                actor=actor,
                materials=[TransferMaterialKind(m) for m in materials],
                note=note,
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def forward(
        self, actor: Actor, transfer_id: UUID, to: str, reason: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            target = self._ref(to, code_if_unknown="crime_transfer.forward_invalid")
            transfer.forward(actor=actor, to=target, reason=reason, at=self.app.clock())

        return self._act(actor, transfer_id, act, **cmd)

    def extend_filing(
        self,
        actor: Actor,
        transfer_id: UUID,
        period: FilingPeriod,
        reason: str,
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.extend_filing(
                actor=actor,
                period=FilingPeriod(period),
                reason=reason,
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def decide_filing(
        self,
        actor: Actor,
        transfer_id: UUID,
        filed: bool,
        decided_at: datetime,
        reasons: str,
        document: NoticeData,
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.decide_filing(
                actor=actor,
                file=filed,
                decided_at=decided_at,
                reasons=reasons,
                document=document,
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def answer_reconsideration(
        self,
        actor: Actor,
        transfer_id: UUID,
        upheld: bool,
        reasons: str,
        document: NoticeData,
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.answer_reconsideration(
                actor=actor,
                upheld=upheld,
                reasons=reasons,
                document=document,
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, transfer_id, act, **cmd)

    def state_reasons(
        self, actor: Actor, transfer_id: UUID, reasons: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.state_reasons(actor=actor, reasons=reasons, at=self.app.clock())

        return self._act(actor, transfer_id, act, **cmd)

    def transfer_back(
        self,
        actor: Actor,
        transfer_id: UUID,
        ground: BackGround,
        reasons: str,
        materials: list[dict[str, Any]],
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        """The matter goes back to the agency as a jurisdiction referral in its inbox, drafted
        once the transfer's guard lets this person take the act."""
        transfer = self.transfer(actor, transfer_id, expected_version)
        path = self.app.directory.path(actor.agency_code)
        at = self.app.clock()
        transfer.may_transfer_back(actor, path, at)
        referral = self._referral_back(actor, path, transfer, reasons, materials, at)
        transfer.transfer_back(
            actor=actor, ground=BackGround(ground), reasons=reasons, referral_id=referral.id, at=at
        )
        return self.app.store(transfer, referral, claim=claim)

    # The procuratorate -------------------------------------------------------------------

    def request_reasons(
        self, actor: Actor, transfer_id: UUID, note: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.request_reasons(
                actor=actor, note=note, calendar=self.app.calendar(), at=self.app.clock()
            )

        return self._act(actor, transfer_id, act, **cmd)

    def order_filing(
        self, actor: Actor, transfer_id: UUID, reasons: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.order_filing(
                actor=actor, reasons=reasons, calendar=self.app.calendar(), at=self.app.clock()
            )

        return self._act(actor, transfer_id, act, **cmd)

    def close_supervision(
        self, actor: Actor, transfer_id: UUID, reasons: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(transfer: CrimeTransfer, path: AgencyPath) -> None:
            transfer.close_supervision(actor=actor, reasons=reasons, at=self.app.clock())

        return self._act(actor, transfer_id, act, **cmd)

    # Helpers -----------------------------------------------------------------------------

    def _act(
        self,
        actor: Actor,
        transfer_id: UUID,
        act: Act,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        transfer = self.transfer(actor, transfer_id, expected_version)
        act(transfer, self.app.directory.path(actor.agency_code))
        return self.app.store(transfer, claim=claim)

    def _case(self, case_id: UUID) -> Case:
        """A case named by the procuratorate, which supervises every agency of its level."""
        try:
            case = self.app.load(case_id)
        except NotFound:
            case = None
        if not isinstance(case, Case):
            raise NotFound("no such case", code="case.not_found")
        return case

    def _team(self, officers: list[str], unit: str) -> list[Actor]:
        team = []
        for officer in dict.fromkeys(officers):
            member = self.app.directory.registered_actor(officer, unit)
            if member is None:
                raise Invalid(
                    f"no officer {officer!r} in the handling unit {unit}",
                    code="crime_transfer.team",
                )
            team.append(member)
        return team

    def _ref(
        self, code: str, *, code_if_unknown: str = "crime_transfer.agency_unknown"
    ) -> AgencyRef:
        entry = self.app.directory.agency(code)
        if entry is None:
            raise Invalid(f"no agency {code!r}", code=code_if_unknown)
        return entry.ref()

    def _same_level(self, kind: AgencyKind, region: str, named: str | None) -> AgencyRef:
        """The named agency, or the region's one agency of the kind."""
        if named:
            return self._ref(named, code_if_unknown="crime_transfer.not_same_level")
        found = self.app.directory.find(kind, region=region)
        if len(found) != 1:
            what = kind.value.replace("_", " ")
            raise Invalid(
                f"region {region} has {len(found)} {what} agencies: name the one it goes to",
                code="crime_transfer.not_same_level",
            )
        return self._ref(found[0])

    def _referral_back(
        self,
        actor: Actor,
        path: AgencyPath,
        transfer: CrimeTransfer,
        reasons: str,
        materials: list[dict[str, Any]],
        at: datetime,
    ) -> Referral:
        sender = path.acting_agency()
        request: ReferralDraft = {
            "kind": ReferralKind.JURISDICTION,
            "to_agency": transfer.agency,
            "summary": f"公安机关移送行政处理：{reasons}",
            "found_at": transfer.received_at or at,
            "place": transfer.case["place"],
            "materials": materials,  # type: ignore[typeddict-item]
            "case_id": str(transfer.case["id"]),
        }
        mechanism = self.app.mechanism_for(sender.region)
        calendar = self.app.calendar()
        referral = Referral.draft(
            referral_id=uuid4(),
            actor=actor,
            actor_path=path,
            sender=sender,
            receiver=self._ref(transfer.agency),
            request=request,
            lead_region=None,
            mechanism=mechanism,
            calendar=calendar,
            at=at,
        )
        referral.approve(actor=actor, path=path, mechanism=mechanism, at=at)
        referral.send(actor=actor, path=path, mechanism=mechanism, calendar=calendar, at=at)
        return referral


def pending_transfers(app: Liandong, case: Case) -> list[UUID]:
    """The case's crime transfers still under way (reported, approved, sent, filed...)."""
    return [t for t in case.crime_transfers if app.repository.get(t).is_pending]


def case_data(case: Case) -> TransferredCaseData:
    details = case.details
    return {
        "id": str(case.id),
        "number": case.number,
        "summary": details["summary"],
        "party": details["party"],
        "place": details["place"],
        "occurred_at": details["occurred_at"],
        "penalties": [case.penalty] if case.penalty else [],
    }
