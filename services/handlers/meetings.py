"""Acts on meetings: convene one or consult by letter, and every act after; issuing a joint
meeting's minutes settles the dispute on its agenda and its referral in the same save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypedDict, Unpack
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.dispute import DisputeResolution, decision_data
from domain.errors import Invalid
from domain.mechanism import Body
from domain.meeting import JointMeeting
from domain.meeting_events import (
    Answer,
    AttendanceData,
    MeetingKind,
    MeetingMaterialData,
    MinutesData,
    PassedUpTo,
    RepresentativeData,
    SettlementData,
    SubjectData,
)
from domain.payloads import actor_data
from domain.referral import Referral
from domain.values import Actor, AgencyKind, AgencyPath
from projections.case_document import CASE
from projections.dispute_document import DISPUTE
from projections.fold import Resource
from projections.meeting_document import MEETING
from projections.referral_document import REFERRAL
from services.application import Liandong, Saved
from services.handlers.ladders import bodies
from services.idempotency import PendingClaim

Act = Callable[[JointMeeting, AgencyPath], None]


class Options(TypedDict, total=False):
    """What every act may carry: the version it expects, and its Idempotency-Key claim."""

    expected_version: int | None
    claim: PendingClaim | None


SUBJECTS: dict[str, Resource] = {"case_id": CASE, "referral_id": REFERRAL, "dispute_id": DISPUTE}


class MeetingHandlers:
    def __init__(self, app: Liandong) -> None:
        self.app = app

    def convene(
        self, actor: Actor, call: dict[str, Any], *, claim: PendingClaim | None = None
    ) -> Saved:
        """`call`: kind, invitees, topics, starts_at, place, subject."""
        self._check_agencies(call["invitees"])
        meeting = JointMeeting.convene(
            meeting_id=uuid4(),
            actor=actor,
            actor_path=self.app.directory.path(actor.agency_code),
            kind=MeetingKind(call["kind"]),
            invitees=call["invitees"],
            topics=call["topics"],
            starts_at=call["starts_at"],
            place=call["place"],
            subject=self._subject(actor, call.get("subject") or {}),
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(meeting, claim=claim)

    def send_letter(
        self, actor: Actor, letter: dict[str, Any], *, claim: PendingClaim | None = None
    ) -> Saved:
        """`letter`: consulted, topics, letter, subject."""
        self._check_agencies(letter["consulted"])
        meeting = JointMeeting.send_letter(
            meeting_id=uuid4(),
            actor=actor,
            actor_path=self.app.directory.path(actor.agency_code),
            consulted=letter["consulted"],
            topics=letter["topics"],
            letter=letter["letter"],
            subject=self._subject(actor, letter.get("subject") or {}),
            calendar=self.app.calendar(),
            at=self.app.clock(),
        )
        return self.app.store(meeting, claim=claim)

    def meeting(
        self, actor: Actor, meeting_id: UUID, expected_version: int | None = None
    ) -> JointMeeting:
        meeting: JointMeeting = self.app.load_as(actor, meeting_id, MEETING, expected_version)
        return meeting

    def circulate(
        self,
        actor: Actor,
        meeting_id: UUID,
        materials: list[MeetingMaterialData],
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.circulate(actor=actor, path=path, materials=materials, at=self.app.clock())

        return self._act(actor, meeting_id, act, **cmd)

    def answer(
        self,
        actor: Actor,
        meeting_id: UUID,
        answer: Answer,
        officers: list[str],
        reason: str | None,
        **cmd: Unpack[Options],
    ) -> Saved:
        """`officers`: the ids of those who attend for the invitee the actor speaks for."""

        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            at = self.app.clock()
            agency = meeting.may_answer(actor, path, at)  # before the register names anyone
            named = self._representatives(officers, agency)
            meeting.answer(
                actor=actor, path=path, answer=answer, representatives=named, reason=reason, at=at
            )

        return self._act(actor, meeting_id, act, **cmd)

    def postpone(
        self,
        actor: Actor,
        meeting_id: UUID,
        starts_at: datetime,
        reason: str,
        **cmd: Unpack[Options],
    ) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.postpone(
                actor=actor,
                path=path,
                starts_at=starts_at,
                reason=reason,
                calendar=self.app.calendar(),
                at=self.app.clock(),
            )

        return self._act(actor, meeting_id, act, **cmd)

    def cancel(self, actor: Actor, meeting_id: UUID, reason: str, **cmd: Unpack[Options]) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.cancel(actor=actor, path=path, reason=reason, at=self.app.clock())

        return self._act(actor, meeting_id, act, **cmd)

    def hold(
        self, actor: Actor, meeting_id: UUID, attended: list[dict[str, Any]], **cmd: Unpack[Options]
    ) -> Saved:
        """`attended`: [{agency, officers: [officer ids]}]."""

        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            at = self.app.clock()
            meeting.may_hold(actor, path, at)  # before the register resolves who was present
            present = [self._attendance(a) for a in attended]
            meeting.hold(actor=actor, path=path, attended=present, at=at)

        return self._act(actor, meeting_id, act, **cmd)

    def draft_minutes(
        self, actor: Actor, meeting_id: UUID, minutes: dict[str, Any], **cmd: Unpack[Options]
    ) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            at = self.app.clock()
            meeting.may_draft_minutes(actor, path, at)  # before the register resolves them
            recorded = self._minutes(meeting, minutes)
            meeting.draft_minutes(actor=actor, path=path, minutes=recorded, at=at)

        return self._act(actor, meeting_id, act, **cmd)

    def sign_minutes(self, actor: Actor, meeting_id: UUID, **cmd: Unpack[Options]) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.sign_minutes(actor=actor, path=path, at=self.app.clock())

        return self._act(actor, meeting_id, act, **cmd)

    def approve_minutes(self, actor: Actor, meeting_id: UUID, **cmd: Unpack[Options]) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.approve_minutes(actor=actor, path=path, at=self.app.clock())

        return self._act(actor, meeting_id, act, **cmd)

    def acknowledge(self, actor: Actor, meeting_id: UUID, **cmd: Unpack[Options]) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.acknowledge(actor=actor, path=path, at=self.app.clock())

        return self._act(actor, meeting_id, act, **cmd)

    def report_follow_up(
        self, actor: Actor, meeting_id: UUID, item: str, report: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.report_follow_up(
                actor=actor, path=path, item=item, report=report, at=self.app.clock()
            )

        return self._act(actor, meeting_id, act, **cmd)

    def answer_letter(
        self, actor: Actor, meeting_id: UUID, answer: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.answer_letter(actor=actor, path=path, text=answer, at=self.app.clock())

        return self._act(actor, meeting_id, act, **cmd)

    def conclude(
        self, actor: Actor, meeting_id: UUID, conclusion: str, **cmd: Unpack[Options]
    ) -> Saved:
        def act(meeting: JointMeeting, path: AgencyPath) -> None:
            meeting.conclude(actor=actor, path=path, conclusion=conclusion, at=self.app.clock())

        return self._act(actor, meeting_id, act, **cmd)

    def issue_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        """The minutes, and with them the dispute on the agenda and its referral, decided."""
        meeting = self.meeting(actor, meeting_id, expected_version)
        path = self.app.directory.path(actor.agency_code)
        at = self.app.clock()
        meeting.issue_minutes(actor=actor, path=path, at=at)
        settled = [a for d in meeting.settlements for a in self._settle(actor, meeting, d, at)]
        return self.app.store(meeting, *settled, claim=claim, conflict_code=None)

    def _act(
        self,
        actor: Actor,
        meeting_id: UUID,
        act: Act,
        expected_version: int | None = None,
        claim: PendingClaim | None = None,
    ) -> Saved:
        meeting = self.meeting(actor, meeting_id, expected_version)
        act(meeting, self.app.directory.path(actor.agency_code))
        return self.app.store(meeting, claim=claim)

    def _settle(
        self, actor: Actor, meeting: JointMeeting, settles: SettlementData, at: datetime
    ) -> list[Aggregate]:
        """The dispute a decision settles, and the referral disputed, if any."""
        dispute: DisputeResolution = self.app.load(UUID(settles["dispute_id"]))
        dispute.decide_at_meeting(
            meeting_id=meeting.id,
            convener=meeting.convener,
            body_path=self.app.directory.path(dispute.current.get("agency") or ""),
            decision=settles["decision"],
            by=actor_data(actor),
            at=at,
        )
        if dispute.referral_id is None:
            return [dispute]
        referral: Referral = self.app.load(UUID(dispute.referral_id))
        referral.settle(
            dispute_id=dispute.id, decision=settles["decision"], by=actor_data(actor), at=at
        )
        return [dispute, referral]

    def _subject(self, actor: Actor, subject: dict[str, Any]) -> SubjectData:
        """The case, referral or dispute named: one the convener may see, or not found."""
        for field, resource in SUBJECTS.items():
            if subject.get(field):
                self.app.load_as(actor, UUID(str(subject[field])), resource)
        return {
            "case_id": _text(subject.get("case_id")),
            "referral_id": _text(subject.get("referral_id")),
            "dispute_id": _text(subject.get("dispute_id")),
        }

    def _representatives(self, officers: list[str], agency: str) -> list[RepresentativeData]:
        named = []
        for officer in dict.fromkeys(officers):
            entry = self.app.directory.officer(officer)
            if entry is None:
                raise Invalid(f"no officer {officer!r}", code="meeting.officer_unknown")
            if not self.app.directory.path(entry.agency_code).speaks_for(agency):
                raise Invalid(
                    f"{officer} does not work for {agency or 'the agency answering'}",
                    code="meeting.representative_not_of_agency",
                )
            named.append(RepresentativeData(officer=entry.officer, name=entry.name))
        return named

    def _attendance(self, present: dict[str, Any]) -> AttendanceData:
        self._check_agencies([present["agency"]])
        officers = self._representatives(present["officers"], present["agency"])
        return {"agency": present["agency"], "officers": officers}

    def _minutes(self, meeting: JointMeeting, body: dict[str, Any]) -> MinutesData:
        decisions = []
        for decision in body["decisions"]:
            settles = decision.get("settles")
            if settles is not None:
                self._check_settles(meeting, UUID(str(settles["dispute_id"])))
                recorded = decision_data(settles["decision"])
                self._check_agencies([recorded["lead"], *recorded["assisting"], *recorded["joint"]])
                settles = {"dispute_id": str(settles["dispute_id"]), "decision": recorded}
            follow_up = decision.get("follow_up")
            if follow_up is not None:
                self._check_agencies([follow_up["agency"]])
                follow_up = dict(follow_up, due=str(follow_up["due"]))
            decisions.append(dict(decision, follow_up=follow_up, settles=settles))
        region = self.app.directory.path(meeting.convener).agency.region
        passed_up = [
            {"matter": m["matter"], "to": m["to"], "agency": self._body_for(m["to"], region)}
            for m in body.get("passed_up") or []
        ]
        return {"text": body["text"], "decisions": decisions, "passed_up": passed_up}  # type: ignore[typeddict-item]

    def _check_settles(self, meeting: JointMeeting, dispute_id: UUID) -> None:
        """Minutes that could never be issued are refused when drafted: the dispute they settle
        must be open on the joint meeting rung of the meeting's convener."""
        if meeting.subject.get("dispute_id") != str(dispute_id):
            return  # the minutes' own rule refuses it, with its code
        dispute: DisputeResolution = self.app.load(dispute_id)
        body_path = self.app.directory.path(dispute.current.get("agency") or "")
        dispute.check_decidable_at_meeting(meeting.convener, body_path)

    def _body_for(self, to: str, region: str) -> str:
        if to == PassedUpTo.CITY_BUREAU:
            found = self.app.directory.find(AgencyKind.CITY_BUREAU)
        else:
            found = bodies(self.app.directory, Body.LEGAL_DEPARTMENT, region)
        if not found:
            raise Invalid(f"no {to.replace('_', ' ')} is registered", code="meeting.body_missing")
        return found[0]

    def _check_agencies(self, codes: list[str]) -> None:
        for code in codes:
            if self.app.directory.agency(code) is None:
                raise Invalid(f"no agency {code!r}", code="meeting.agency_unknown")


def _text(value: Any) -> str | None:
    return str(value) if value else None
