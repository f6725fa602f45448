"""The JointMeeting: a consultation (工作会商), a joint meeting (联席会议), the city-wide joint
conference, a special topic meeting (专题会议) or a case review meeting (案审会).

Lifecycle: convened by an agency in its own name → materials and topics circulated to every
invitee (at least 3 working days ahead) → each invitee attends, naming its representatives, or
declines with a reason → held → minutes (会议纪要) drafted, signed by every participant of a
case review, approved by the convener's head, issued to every invitee within 5 working days →
each invitee acknowledges them; decisions' follow-up items run until their agency reports them
done. A consultation by letter (函告) is sent, answered in writing by each agency consulted and
concluded. Statuses and acts: `domain.meeting_states`; event data: `domain.meeting_events`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import event

from domain import meeting_rules as rules
from domain.calendar import WorkingCalendar
from domain.errors import Conflict, Forbidden, Invalid
from domain.lifecycle import FollowsLifecycle, OpenAct
from domain.meeting_events import (
    Answer,
    AttendanceData,
    MeetingForm,
    MeetingKind,
    MeetingMaterialData,
    MinutesData,
    RepresentativeData,
    SettlementData,
    SubjectData,
)
from domain.meeting_minutes import check_minutes, check_signer
from domain.meeting_states import MEETING_LIFECYCLE, MeetingStatus
from domain.payloads import AgencyCode, At, By, DeadlineData, Late, PlaceData, Reason, actor_data
from domain.values import Actor, AgencyPath, AgencyRef

LETTER_ACTS = frozenset({"answer_letter", "conclude"})
ITEM_ACTS = frozenset({"report_follow_up"})  # taken on a follow-up item: see `offers`
Invitees = Annotated[list[str], "the agencies invited (or consulted by letter)"]


class JointMeeting(FollowsLifecycle):
    lifecycle = MEETING_LIFECYCLE

    @classmethod
    def convene(
        cls,
        *,
        meeting_id: UUID,
        actor: Actor,
        actor_path: AgencyPath,
        kind: MeetingKind,
        invitees: Sequence[str],
        topics: Sequence[str],
        starts_at: datetime,
        place: PlaceData,
        subject: SubjectData,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> JointMeeting:
        convener = actor_path.acting_agency()
        cls._check_call(actor, actor_path, kind, convener, topics, subject)
        rules.check_in_future(starts_at, at)
        rules.check_text(place["address"], "meeting.place_required", "the place")
        deadlines = rules.meeting_deadlines(starts_at, calendar)
        return cls(
            id=meeting_id,
            kind=kind,
            form=MeetingForm.MEETING,
            convener=convener.code,
            convened_in=actor.agency_code,
            invitees=rules.check_invitees(convener.code, invitees),
            topics=list(topics),
            starts_at=starts_at,
            place=place,
            subject=subject,
            short_notice=rules.short_notice(at, deadlines),
            deadlines=deadlines,
            by=actor_data(actor),
            at=at,
        )

    @classmethod
    def send_letter(
        cls,
        *,
        meeting_id: UUID,
        actor: Actor,
        actor_path: AgencyPath,
        consulted: Sequence[str],
        topics: Sequence[str],
        letter: str,
        subject: SubjectData,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> JointMeeting:
        """A consultation in writing: the letter goes to every agency consulted."""
        convener = actor_path.acting_agency()
        cls._check_call(actor, actor_path, MeetingKind.CONSULTATION, convener, topics, subject)
        rules.check_text(letter, "meeting.letter_required", "the letter")
        meeting = cls(
            id=meeting_id,
            kind=MeetingKind.CONSULTATION,
            form=MeetingForm.LETTER,
            convener=convener.code,
            convened_in=actor.agency_code,
            invitees=rules.check_invitees(convener.code, consulted),
            topics=list(topics),
            starts_at=None,
            place=None,
            subject=subject,
            short_notice=False,
            deadlines=[],
            by=actor_data(actor),
            at=at,
        )
        deadline = rules.letter_deadline(at, calendar)
        meeting._letter_sent(letter=letter, deadline=deadline, by=actor_data(actor), at=at)
        return meeting

    @staticmethod
    def _check_call(
        actor: Actor,
        path: AgencyPath,
        kind: MeetingKind,
        convener: AgencyRef,
        topics: Sequence[str],
        subject: SubjectData,
    ) -> None:
        rules.check_convener(kind, convener)
        rules.check_acts_for(actor, path, convener.code, "convene in its name")
        rules.check_topics(topics)
        rules.check_case_review(kind, subject["case_id"])

    @event("Convened")
    def __init__(
        self,
        id: UUID,
        kind: Annotated[MeetingKind, "which kind of meeting"],
        form: Annotated[MeetingForm, "a meeting, or a consultation by letter (函告)"],
        convener: Annotated[str, "the convening agency, in whose name it is called"],
        convened_in: Annotated[str, "the unit it was called from (the agency or its office)"],
        invitees: Invitees,
        topics: Annotated[list[str], "its topics (议题)"],
        starts_at: Annotated[datetime | None, "when it meets; none for a letter"],
        place: Annotated[PlaceData | None, "where it meets; none for a letter"],
        subject: Annotated[SubjectData, "the case, referral or dispute it concerns"],
        short_notice: Annotated[bool, "called with less than 3 working days' notice"],
        deadlines: Annotated[list[DeadlineData], "materials and minutes time limits"],
        by: By,
        at: At,
    ) -> None:
        self.kind = kind
        self.form = form
        self.convener = convener
        self.invitees = list(invitees)
        self.starts_at = starts_at
        self.subject: dict[str, Any] = dict(subject)
        self.deadlines: dict[str, dict[str, Any]] = {d["name"]: dict(d) for d in deadlines}
        self.circulated_at: datetime | None = None
        self.answers: dict[str, str] = {}  # invitee → attends / declines
        self.attended: list[dict[str, Any]] = []
        self.minutes: dict[str, Any] | None = None
        self.signed: set[str] = set()
        self.acknowledged: set[str] = set()
        self.follow_ups: dict[str, dict[str, Any]] = {}
        self.written: set[str] = set()  # agencies that answered a letter

    # Before the meeting ------------------------------------------------------------------

    def may_circulate(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._as_convener(actor, path, "circulate", "circulate its materials")

    def circulate(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        materials: Sequence[MeetingMaterialData],
        at: datetime,
    ) -> None:
        self.may_circulate(actor, path, at)
        for material in materials:
            rules.check_text(material["title"], "meeting.material_title_required", "a title")
        late = at > self.deadlines["materials"]["due_at"]
        self._circulated(
            materials=list(materials),
            recipients=self.invitees,
            late=late,
            by=actor_data(actor),
            at=at,
        )

    @event("MaterialsCirculated")
    def _circulated(
        self,
        materials: Annotated[list[MeetingMaterialData], "the materials sent with the topics"],
        recipients: Annotated[list[str], "every invitee, to whom they went"],
        late: Annotated[bool, "circulated after the latest day giving 3 working days' notice"],
        by: By,
        at: At,
    ) -> None:
        self.circulated_at = at

    def may_answer(self, actor: Actor, path: AgencyPath, at: datetime) -> str:
        """The invitee the actor answers for; a later answer, until the meeting is held,
        replaces its earlier one."""
        self._check("answer")
        return self._invitee_of(actor, path)

    def answer(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        answer: Answer,
        representatives: Sequence[RepresentativeData],
        reason: str | None,
        at: datetime,
    ) -> None:
        """An invitee attends, naming who represents it, or declines with its reason."""
        agency = self.may_answer(actor, path, at)
        rules.check_answer(answer, representatives, reason)
        named = list(representatives) if answer == Answer.ATTENDS else []
        reason_given = reason if answer == Answer.DECLINES else None
        self._answered(
            agency=agency,
            answer=answer,
            representatives=named,
            reason=reason_given,
            by=actor_data(actor),
            at=at,
        )

    @event("InvitationAnswered")
    def _answered(
        self,
        agency: Annotated[str, "the invitee answering"],
        answer: Annotated[Answer, "it attends, or declines"],
        representatives: Annotated[list[RepresentativeData], "who attends for it"],
        reason: Annotated[str | None, "why it declines; none when it attends"],
        by: By,
        at: At,
    ) -> None:
        self.answers[agency] = answer

    def may_postpone(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._as_convener(actor, path, "postpone", "postpone it")

    def postpone(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        starts_at: datetime,
        reason: str,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        """A new time; the time limits not yet met follow it."""
        self.may_postpone(actor, path, at)
        rules.check_text(reason, "meeting.reason_required", "a reason for postponing")
        rules.check_in_future(starts_at, at)
        deadlines = rules.meeting_deadlines(starts_at, calendar)
        circulated = self.status != MeetingStatus.CONVENED
        self._postponed(
            starts_at=starts_at,
            reason=reason,
            short_notice=rules.short_notice(self.circulated_at or at, deadlines),
            deadlines=[d for d in deadlines if d["name"] != "materials" or not circulated],
            by=actor_data(actor),
            at=at,
        )

    @event("Postponed")
    def _postponed(
        self,
        starts_at: Annotated[datetime, "the new time"],
        reason: Reason,
        short_notice: Annotated[
            bool, "the materials (circulated, or not yet) give less than 3 working days' notice"
        ],
        deadlines: Annotated[list[DeadlineData], "the time limits not yet met, moved with it"],
        by: By,
        at: At,
    ) -> None:
        self.starts_at = starts_at
        self.deadlines.update({d["name"]: dict(d) for d in deadlines})

    def may_cancel(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._as_convener(actor, path, "cancel", "cancel it")

    def cancel(self, *, actor: Actor, path: AgencyPath, reason: str, at: datetime) -> None:
        self.may_cancel(actor, path, at)
        rules.check_text(reason, "meeting.reason_required", "a reason for cancelling")
        self._cancelled(reason=reason, by=actor_data(actor), at=at)

    @event("Cancelled")
    def _cancelled(self, reason: Reason, by: By, at: At) -> None:
        pass

    # The meeting and its minutes -------------------------------------------------------------

    def may_hold(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        """Once its time has come; the handler asks it before the register resolves who was
        present."""
        self._as_convener(actor, path, "hold", "record that it was held")
        assert self.starts_at is not None
        if at < self.starts_at:
            raise Conflict("a meeting is held once its time has come", code="meeting.not_yet_due")

    def hold(
        self,
        *,
        actor: Actor,
        path: AgencyPath,
        attended: Sequence[AttendanceData],
        at: datetime,
    ) -> None:
        """Who was present; an invitee neither present nor excused is absent without reason."""
        self.may_hold(actor, path, at)
        rules.check_attendance(attended, self.participants)
        present = [a["agency"] for a in attended]
        declined = {a for a, answer in self.answers.items() if answer == Answer.DECLINES}
        absent = [a for a in self.invitees if a not in present and a not in declined]
        self._held(
            attended=list(attended), absent_without_reason=absent, by=actor_data(actor), at=at
        )

    @event("Held")
    def _held(
        self,
        attended: Annotated[list[AttendanceData], "the agencies present and who represented them"],
        absent_without_reason: Annotated[
            list[str], "invitees neither present nor excused by a reason (seed 003: accountable)"
        ],
        by: By,
        at: At,
    ) -> None:
        self.attended = [dict(a) for a in attended]

    def draft_minutes(
        self, *, actor: Actor, path: AgencyPath, minutes: MinutesData, at: datetime
    ) -> None:
        """A draft, or a revision of it; a revision needs signing again."""
        self.may_draft_minutes(actor, path, at)
        assert self.starts_at is not None
        check_minutes(minutes, self.kind, self.participants, self.starts_at, self.subject)
        self._minutes_drafted(minutes=minutes, by=actor_data(actor), at=at)

    def may_draft_minutes(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        """The handler asks it before the register resolves what the minutes name."""
        self._as_convener(actor, path, "draft_minutes", "draft its minutes")

    @event("MinutesDrafted")
    def _minutes_drafted(
        self, minutes: Annotated[MinutesData, "the minutes as drafted"], by: By, at: At
    ) -> None:
        self.minutes = dict(minutes)
        self.signed = set()

    def may_sign_minutes(self, actor: Actor, path: AgencyPath, at: datetime) -> str:
        """The present agency the officer signs for, once for each draft."""
        self._check("sign_minutes")
        agency = check_signer(self.kind, path, actor, self.participants, self.present_officers)
        if actor.officer_id in self.signed:
            raise Conflict("signed already", code="meeting.already_signed")
        return agency

    def sign_minutes(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        """Every participant of a case review signs its minutes (参会人员签字确认)."""
        agency = self.may_sign_minutes(actor, path, at)
        self._minutes_signed(agency=agency, by=actor_data(actor), at=at)

    @event("MinutesSigned")
    def _minutes_signed(
        self, agency: Annotated[str, "the present agency the officer signed for"], by: By, at: At
    ) -> None:
        self.signed.add(by["officer"])

    def may_approve_minutes(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._check("approve_minutes")
        rules.check_head_of(actor, path, self.convener)

    def approve_minutes(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self.may_approve_minutes(actor, path, at)
        self._minutes_approved(by=actor_data(actor), at=at)

    @event("MinutesApproved")
    def _minutes_approved(self, by: By, at: At) -> None:
        pass

    def may_issue_minutes(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        """A case review's minutes once every officer present has signed them."""
        self._as_convener(actor, path, "issue_minutes", "issue its minutes")
        unsigned = sorted(self.present_officers - self.signed)
        if self.kind == MeetingKind.CASE_REVIEW and unsigned:
            raise Conflict(
                f"not yet signed by {', '.join(unsigned)}", code="meeting.signatures_missing"
            )

    def issue_minutes(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        """To every invitee; the decisions' follow-up items start to run."""
        self.may_issue_minutes(actor, path, at)
        assert self.minutes is not None
        deadlines = [
            rules.follow_up_deadline(d["item"], d["follow_up"]["due"])
            for d in self.minutes["decisions"]
            if d["follow_up"]
        ]
        late = at > self.deadlines["minutes"]["due_at"]
        self._minutes_issued(
            recipients=self.invitees, late=late, deadlines=deadlines, by=actor_data(actor), at=at
        )

    @event("MinutesIssued")
    def _minutes_issued(
        self,
        recipients: Annotated[list[str], "every invitee, to whom they went"],
        late: Annotated[bool, "issued after the 5th working day after the meeting"],
        deadlines: Annotated[list[DeadlineData], "the follow-up items' due dates"],
        by: By,
        at: At,
    ) -> None:
        assert self.minutes is not None
        self.deadlines.update({d["name"]: dict(d) for d in deadlines})
        for decision in self.minutes["decisions"]:
            if decision["follow_up"]:
                self.follow_ups[decision["item"]] = dict(decision["follow_up"])

    def may_acknowledge(self, actor: Actor, path: AgencyPath, at: datetime) -> str:
        """The invitee the actor acknowledges for, once."""
        self._check("acknowledge")
        agency = self._invitee_of(actor, path)
        if agency in self.acknowledged:
            raise Conflict("acknowledged already", code="meeting.already_acknowledged")
        return agency

    def acknowledge(self, *, actor: Actor, path: AgencyPath, at: datetime) -> None:
        agency = self.may_acknowledge(actor, path, at)
        self._acknowledged(agency=agency, by=actor_data(actor), at=at)

    @event("MinutesAcknowledged")
    def _acknowledged(
        self, agency: Annotated[str, "the invitee that received them"], by: By, at: At
    ) -> None:
        self.acknowledged.add(agency)

    def may_report_follow_up(
        self, actor: Actor, path: AgencyPath, at: datetime, *, item: str
    ) -> dict[str, Any]:
        """The follow-up item, not yet done, that the actor's agency is responsible for."""
        self._check("report_follow_up")
        follow_up = self.follow_ups.get(item)
        if follow_up is None:
            raise Invalid(f"no follow-up item {item!r}", code="meeting.follow_up_unknown")
        if not path.speaks_for(follow_up["agency"]):
            raise Forbidden(
                f"only {follow_up['agency']} reports it", code="meeting.not_follow_up_owner"
            )
        actor.require_role(*rules.ACTING_ROLES)
        if follow_up.get("done"):
            raise Conflict("reported done already", code="meeting.follow_up_already_done")
        return follow_up

    def report_follow_up(
        self, *, actor: Actor, path: AgencyPath, item: str, report: str, at: datetime
    ) -> None:
        """The agency responsible reports a follow-up item done."""
        follow_up = self.may_report_follow_up(actor, path, at, item=item)
        rules.check_text(report, "meeting.report_required", "the report")
        late = at > self.deadlines[rules.follow_up_name(item)]["due_at"]
        self._follow_up_done(
            item=item,
            agency=follow_up["agency"],
            report=report,
            late=late,
            by=actor_data(actor),
            at=at,
        )

    @event("FollowUpDone")
    def _follow_up_done(
        self,
        item: Annotated[str, "the follow-up item's number"],
        agency: AgencyCode,
        report: Annotated[str, "what was done"],
        late: Late,
        by: By,
        at: At,
    ) -> None:
        self.follow_ups[item]["done"] = True

    # A consultation by letter ----------------------------------------------------------------

    @event("LetterSent")
    def _letter_sent(
        self,
        letter: Annotated[str, "the letter (函) in words"],
        deadline: Annotated[DeadlineData, "the time limit for the written answers"],
        by: By,
        at: At,
    ) -> None:
        self.deadlines["answers"] = dict(deadline)

    def may_answer_letter(self, actor: Actor, path: AgencyPath, at: datetime) -> str:
        """The agency consulted that the actor answers for, once."""
        self._check("answer_letter")
        agency = self._invitee_of(actor, path)
        if agency in self.written:
            raise Conflict("answered already", code="meeting.already_answered")
        return agency

    def answer_letter(self, *, actor: Actor, path: AgencyPath, text: str, at: datetime) -> None:
        agency = self.may_answer_letter(actor, path, at)
        rules.check_text(text, "meeting.answer_required", "the written answer")
        late = at > self.deadlines["answers"]["due_at"]
        self._letter_answered(agency=agency, answer=text, late=late, by=actor_data(actor), at=at)

    @event("LetterAnswered")
    def _letter_answered(
        self,
        agency: Annotated[str, "the agency consulted that answers"],
        answer: Annotated[str, "its written answer"],
        late: Late,
        by: By,
        at: At,
    ) -> None:
        self.written.add(agency)

    def may_conclude(self, actor: Actor, path: AgencyPath, at: datetime) -> None:
        self._as_convener(actor, path, "conclude", "conclude it")

    def conclude(self, *, actor: Actor, path: AgencyPath, conclusion: str, at: datetime) -> None:
        self.may_conclude(actor, path, at)
        rules.check_text(conclusion, "meeting.conclusion_required", "the conclusion")
        unanswered = [a for a in self.invitees if a not in self.written]
        self._concluded(conclusion=conclusion, unanswered=unanswered, by=actor_data(actor), at=at)

    @event("Concluded")
    def _concluded(
        self,
        conclusion: Annotated[str, "what the consultation concluded"],
        unanswered: Annotated[list[str], "agencies consulted that gave no written answer"],
        by: By,
        at: At,
    ) -> None:
        pass

    # Open acts ----------------------------------------------------------------------------

    def offers(self) -> list[OpenAct]:
        """The lifecycle's acts on the meeting, and a follow-up report on each of its items."""
        whole = [act for act in super().offers() if act.name not in ITEM_ACTS]
        return whole + [OpenAct("report_follow_up", {"item": item}) for item in self.follow_ups]

    # Reading ------------------------------------------------------------------------------

    @property
    def participants(self) -> list[str]:
        return [self.convener, *self.invitees]

    @property
    def settlements(self) -> list[SettlementData]:
        """The disputes its minutes decide."""
        decisions = self.minutes["decisions"] if self.minutes else []
        return [d["settles"] for d in decisions if d["settles"]]

    @property
    def present_officers(self) -> set[str]:
        return {o["officer"] for a in self.attended for o in a["officers"]}

    def _check(self, act: str) -> None:
        if self.status == MeetingStatus.CANCELLED:
            raise Conflict("the meeting was cancelled", code="meeting.cancelled")
        if (act in LETTER_ACTS) != (self.form == MeetingForm.LETTER):
            raise Conflict(
                f"a {self.form} does not take the act {act!r}", code="meeting.wrong_form"
            )
        self._check_act(act)

    def _as_convener(self, actor: Actor, path: AgencyPath, act: str, what: str) -> None:
        self._check(act)
        rules.check_acts_for(actor, path, self.convener, what)

    def _invitee_of(self, actor: Actor, path: AgencyPath) -> str:
        """The invitee the actor speaks for, in one of the roles that act for an agency."""
        agency = next((a for a in self.invitees if path.speaks_for(a)), None)
        if agency is None:
            raise Forbidden("only an invitee answers for itself", code="meeting.not_invited")
        actor.require_role(*rules.ACTING_ROLES)
        return agency
