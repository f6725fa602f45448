"""The notice of the proposed penalty (行政处罚告知书) and what the party may do after it: state
and defend (陈述申辩), ask for a hearing (听证), which the bureau's legal department organises
(seed 004 §三(二)2, §五; APL art. 44, 45, 63-65).

The notice needs the matters form (行政执法有关事项审批表) approved; it is served with the
generic serve act, whose event sets the party's 5 working days from the day of service to
ask for a hearing (`hearing_request`); once they are over, with no hearing asked, the decision
may follow. The hearing's notification goes out at least 7 days before it; its presider is the
legal department's head, and no investigator of the case sits on its panel.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, TypedDict

from domain.approval_chains import Form
from domain.calendar import WorkingCalendar
from domain.case_documents import DocumentData, DocumentKind, issued
from domain.case_forms import Consulted
from domain.case_rules import SHA256
from domain.case_states import CaseStatus
from domain.case_step import CaseStep, StepEvent
from domain.errors import Conflict, Forbidden, Invalid
from domain.numbering import CaseNumberSequence
from domain.payloads import At, By, DeadlineData, Late, Reason, actor_data, deadline_data
from domain.values import Actor, AgencyPath, Role

HEARING_REQUEST_WORKING_DAYS = 5  # APL art. 64: within 5 days of the notice
HEARING_NOTICE = timedelta(days=7)  # the party is notified 7 days before the hearing
PENALTY_KINDS = ("warning", "fine")


class ProposedPenaltyData(TypedDict):
    kind: Annotated[str, "`warning` or `fine`"]
    amount_fen: Annotated[int | None, "the fine in fen (分); none for a warning"]
    rectification: Annotated[bool, "the party is also ordered to rectify (责令改正)"]


class PanelistData(TypedDict):
    officer: Annotated[str, "the officer's id"]
    agency: Annotated[str, "the agency the officer works in"]
    name: Annotated[str, "the officer's name"]
    roles: Annotated[list[str], "the officer's roles as registered"]


Document = Annotated[DocumentData, "the document issued"]


def notice_of(case: Any) -> dict[str, Any]:
    notice: dict[str, Any] = case.notice
    return notice


def close_window(deadlines: dict[str, Any], at: Any, lapsed: bool) -> None:
    """The party's window ends when it waives a hearing or, once lapsed, at its due time: it
    is an opportunity, never overdue."""
    window = deadlines.get("hearing_request")
    if window is not None and window.get("met_at") is None:
        window["met_at"] = window["due_at"] if lapsed else at


class NoticeIssued(StepEvent):
    """The notice of the proposed penalty (行政处罚告知书) is issued, numbered 告."""

    document: Document
    penalty: Annotated[ProposedPenaltyData, "the penalty proposed"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        issued(case, self.document, step="notice", at=self.at)
        case.notice = {
            "number": self.document["number"],
            "penalty": dict(self.penalty),
            "statement": None,
            "hearing_requested": False,
        }


class StatementRecorded(StepEvent):
    """The party's statement and defence (陈述申辩), as written or recorded."""

    statement: Annotated[str, "what the party stated, in words"]
    record_sha256: Annotated[str | None, "SHA-256 of the record of the statement, if any"]
    hearing_waived: Annotated[bool, "the party said it asks for no hearing"]
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        notice_of(case)["statement"] = {
            "statement": self.statement,
            "record_sha256": self.record_sha256,
            "hearing_waived": self.hearing_waived,
        }
        if self.hearing_waived:
            close_window(case.deadlines, self.at, lapsed=self.late)


class HearingRequested(StepEvent):
    """The party asked for a hearing within its window (`hearing_request`, which it meets);
    the legal department, which organises it, sees the case from then on."""

    consulted: Consulted
    by: By
    at: At

    def change(self, case: Any) -> None:
        notice_of(case)["hearing_requested"] = True
        case.deadlines["hearing_request"]["met_at"] = self.at
        case.hearing = {"notified": None, "panel": None, "recusals": [], "held": None}


class HearingNotified(StepEvent):
    """The legal department notifies the party of the hearing (听证通知书, 听通)."""

    document: Document
    hearing_at: Annotated[datetime, "when the hearing is held"]
    place: Annotated[str, "where it is held"]
    presider: Annotated[PanelistData, "who presides: the legal department's head"]
    members: Annotated[list[PanelistData], "the other members, none an investigator"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        issued(case, self.document, step="hearing", at=self.at)
        case.hearing["notified"] = {"hearing_at": self.hearing_at, "place": self.place}
        case.hearing["panel"] = {"presider": dict(self.presider), "members": list(self.members)}


class RecusalRequested(StepEvent):
    """The party asks that the presider or a member step aside (申请回避)."""

    officer: Annotated[str, "the panelist whose recusal is asked"]
    reason: Reason
    by: By
    at: At

    def change(self, case: Any) -> None:
        entry = {"officer": self.officer, "reason": self.reason, "granted": None}
        case.hearing["recusals"].append(entry)


class RecusalDecided(StepEvent):
    """The legal department grants the recusal (the panelist is replaced) or refuses it."""

    officer: Annotated[str, "the panelist concerned"]
    granted: Annotated[bool, "the recusal was granted"]
    replacement: Annotated[PanelistData | None, "who takes the place, when granted"]
    reason: Reason
    by: By
    at: At

    def change(self, case: Any) -> None:
        entry = next(r for r in case.hearing["recusals"] if r["granted"] is None)
        entry["granted"] = self.granted
        if self.replacement is None:
            return
        panel = case.hearing["panel"]
        if panel["presider"]["officer"] == self.officer:
            panel["presider"] = dict(self.replacement)
        else:
            panel["members"] = [
                dict(self.replacement) if m["officer"] == self.officer else m
                for m in panel["members"]
            ]


class HearingHeld(StepEvent):
    record_sha256: Annotated[str, "SHA-256 of the hearing's record (听证笔录)"]
    opinion: Annotated[str, "the panel's opinion"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.hearing["held"] = {"record_sha256": self.record_sha256, "opinion": self.opinion}


def _check_hash(sha256: str | None) -> None:
    if sha256 is not None and not SHA256.fullmatch(sha256):
        raise Invalid("sha256 must be 64 lowercase hex digits", code="case.record_hash_malformed")


def _check_text(text: str, code: str, what: str) -> None:
    if not text.strip():
        raise Invalid(f"{what} is required", code=code)


def _check_proposed(penalty: dict[str, Any]) -> None:
    kind, amount = penalty["kind"], penalty.get("amount_fen")
    if kind not in PENALTY_KINDS:
        raise Invalid(f"unknown penalty {kind!r}", code="case.penalty_unknown")
    if (kind == "fine") != (amount is not None) or (amount is not None and amount <= 0):
        raise Invalid("a fine has a positive amount, a warning none", code="case.fine_amount")


class NoticeActs(CaseStep):
    notice: dict[str, Any] | None = None  # set by the step's events
    hearing: dict[str, Any] | None = None

    def _check_matters_submittable(self, *, subject: str | None, at: datetime) -> None:
        if self.status != CaseStatus.FILED:
            raise Conflict("the matters form is for a filed case", code="case.not_filed")

    def may_issue_notice(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("issue_notice")
        if self.notice is not None:
            raise Conflict("the notice was issued already", code="case.notice_issued")
        self.require_form_approved(Form.MATTERS, what="the notice")

    def issue_notice(
        self,
        *,
        actor: Actor,
        penalty: dict[str, Any],
        sequence: CaseNumberSequence,
        at: datetime,
    ) -> None:
        self.may_issue_notice(actor, None, at)
        _check_proposed(penalty)
        document: DocumentData = {
            "kind": DocumentKind.NOTICE,
            "number": sequence.issue(self.id, at),
        }
        proposed = {**penalty, "rectification": bool(penalty.get("rectification"))}
        self._record(NoticeIssued, document=document, penalty=proposed, by=actor_data(actor), at=at)

    def may_state(self, actor: Actor, path: AgencyPath | None, at: datetime) -> dict[str, Any]:
        """`state` is taken by its route's act, the party's statement (a hearing's request is
        recorded by its own); it gives the party's window."""
        self._check_handler_acts(actor, at)
        self._check_act("state")
        return self._window()

    def record_statement(
        self,
        *,
        actor: Actor,
        statement: str,
        record_sha256: str | None,
        hearing_waived: bool,
        at: datetime,
    ) -> None:
        """The officer records what the party stated in its defence (陈述申辩)."""
        window = self.may_state(actor, None, at)
        _check_text(statement, "case.statement_required", "the statement")
        _check_hash(record_sha256)
        self._record(
            StatementRecorded,
            statement=statement,
            record_sha256=record_sha256,
            hearing_waived=hearing_waived,
            late=at > window["due_at"],
            by=actor_data(actor),
            at=at,
        )

    def request_hearing(self, *, actor: Actor, legal: str | None, at: datetime) -> None:
        """The officer records the party's request for a hearing (听证申请)."""
        self._check_handler_acts(actor, at)
        self._check_act("state")
        window = self._window()
        if self._notice()["hearing_requested"]:
            raise Conflict("a hearing was requested already", code="case.hearing_requested")
        if at > window["due_at"]:
            raise Conflict(
                "a hearing is asked within 5 working days of the notice's service",
                code="case.hearing_request_late",
            )
        consulted = [legal] if legal else []
        self._record(HearingRequested, consulted=consulted, by=actor_data(actor), at=at)

    def notice_settled(self, at: datetime) -> bool:
        """The party was heard or let its chance pass: the decision may follow."""
        notice = self.notice
        if notice is None or self.served_on(DocumentKind.NOTICE) is None:  # type: ignore[attr-defined]
            return False
        if notice["hearing_requested"]:
            return bool(self.hearing and self.hearing["held"])
        statement = notice["statement"]
        waived = bool(statement and statement["hearing_waived"])
        return waived or at > self.deadlines["hearing_request"]["due_at"]

    def _deadlines_on_notice_served(
        self, *, served_on: datetime, calendar: WorkingCalendar
    ) -> list[DeadlineData]:
        """The party's window runs 5 working days from the day the notice was served."""
        due = calendar.add_working_days(served_on, HEARING_REQUEST_WORKING_DAYS)
        return [deadline_data("hearing_request", served_on, due)]

    # The hearing (听证), by the legal department --------------------------------------------

    def notify_hearing(
        self,
        *,
        actor: Actor,
        legal: str | None,
        hearing_at: datetime,
        place: str,
        presider: PanelistData,
        members: list[PanelistData],
        investigators: set[str],
        sequence: CaseNumberSequence,
        at: datetime,
    ) -> None:
        hearing = self._hearing(actor, legal, at)
        if hearing["notified"] is not None:
            raise Conflict("the hearing was notified already", code="case.hearing_notified")
        if hearing_at - at < HEARING_NOTICE:
            raise Conflict(
                "the party is notified at least 7 days before the hearing",
                code="case.hearing_notice_short",
            )
        _check_text(place, "case.place_required", "the hearing's place")
        _check_presider(presider, legal)
        if not members:
            raise Invalid("the panel has members besides its presider", code="case.panel_empty")
        for panelist in [presider, *members]:
            _check_not_investigator(panelist, investigators)
        number = sequence.issue(self.id, at)
        self._record(
            HearingNotified,
            document={"kind": DocumentKind.HEARING_NOTICE, "number": number},
            hearing_at=hearing_at,
            place=place,
            presider=presider,
            members=members,
            by=actor_data(actor),
            at=at,
        )

    def request_recusal(
        self, *, actor: Actor, legal: str | None, officer: str, reason: str, at: datetime
    ) -> None:
        """The party's request that a panelist step aside, as the legal department took it."""
        hearing = self._hearing(actor, legal, at)
        if hearing["panel"] is None:
            raise Conflict("the hearing's panel is not set", code="case.hearing_not_notified")
        if hearing["held"] is not None:
            raise Conflict("the hearing was held already", code="case.hearing_held")
        if any(r["granted"] is None for r in hearing["recusals"]):
            raise Conflict("a recusal is being decided", code="case.recusal_pending")
        if officer not in _panelists(hearing):
            raise Invalid(f"{officer} is not on the panel", code="case.not_on_panel")
        _check_text(reason, "case.reason_required", "a reason")
        self._record(RecusalRequested, officer=officer, reason=reason, by=actor_data(actor), at=at)

    def decide_recusal(
        self,
        *,
        actor: Actor,
        legal: str | None,
        granted: bool,
        reason: str,
        replacement: PanelistData | None,
        investigators: set[str],
        at: datetime,
    ) -> None:
        hearing = self._hearing(actor, legal, at)
        asked = next((r for r in hearing["recusals"] if r["granted"] is None), None)
        if asked is None:
            raise Conflict("no recusal is waiting for a decision", code="case.recusal_not_pending")
        _check_text(reason, "case.reason_required", "a reason")
        if granted:
            if replacement is None:
                raise Invalid(
                    "a granted recusal names a replacement", code="case.replacement_required"
                )
            if replacement["officer"] in _panelists(hearing):
                raise Invalid("the replacement is on the panel already", code="case.on_panel")
            if hearing["panel"]["presider"]["officer"] == asked["officer"]:
                _check_presider(replacement, legal)
            _check_not_investigator(replacement, investigators)
        self._record(
            RecusalDecided,
            officer=asked["officer"],
            granted=granted,
            replacement=replacement if granted else None,
            reason=reason,
            by=actor_data(actor),
            at=at,
        )

    def hold_hearing(
        self, *, actor: Actor, legal: str | None, record_sha256: str, opinion: str, at: datetime
    ) -> None:
        hearing = self._hearing(actor, legal, at)
        notified = hearing["notified"]
        if notified is None:
            raise Conflict("the hearing was not notified", code="case.hearing_not_notified")
        if hearing["held"] is not None:
            raise Conflict("the hearing was held already", code="case.hearing_held")
        if at < notified["hearing_at"]:
            raise Conflict("the hearing is not due yet", code="case.hearing_not_due")
        if any(r["granted"] is None for r in hearing["recusals"]):
            raise Conflict("a recusal is being decided", code="case.recusal_pending")
        _check_hash(record_sha256)
        _check_text(opinion, "case.opinion_required", "the panel's opinion")
        self._record(
            HearingHeld, record_sha256=record_sha256, opinion=opinion, by=actor_data(actor), at=at
        )

    # Helpers ------------------------------------------------------------------------------

    def require_form_approved(self, form: Form, *, what: str) -> None:
        if not self.form_approved(form):  # type: ignore[attr-defined]
            raise Conflict(
                f"{what} needs the {form} form approved first", code="case.form_not_approved"
            )

    def _notice(self) -> dict[str, Any]:
        if self.notice is None:
            raise Conflict("the notice was not issued", code="case.notice_missing")
        return self.notice

    def _window(self) -> dict[str, Any]:
        """The party's window, set when the notice was served."""
        self._notice()
        if self.served_on(DocumentKind.NOTICE) is None:  # type: ignore[attr-defined]
            raise Conflict("the notice was not served", code="case.notice_not_served")
        return self.deadlines["hearing_request"]

    def _hearing(self, actor: Actor, legal: str | None, at: datetime) -> dict[str, Any]:
        """The hearing's acts are the legal department's."""
        self._check_act("hear")
        if legal is None or actor.agency_code != legal:
            raise Forbidden(
                "the bureau's legal department organises hearings", code="case.not_legal_department"
            )
        actor.require_valid_certificate(at)
        if self.hearing is None:
            raise Conflict("no hearing was requested", code="case.hearing_not_requested")
        return self.hearing


def _panelists(hearing: dict[str, Any]) -> list[str]:
    panel = hearing["panel"]
    return [panel["presider"]["officer"], *(m["officer"] for m in panel["members"])]


def _check_presider(presider: PanelistData, legal: str | None) -> None:
    if presider["agency"] != legal or Role.LEGAL_HEAD not in presider["roles"]:
        raise Forbidden("the legal department's head presides", code="case.presider_not_legal_head")


def _check_not_investigator(panelist: PanelistData, investigators: set[str]) -> None:
    if panelist["officer"] in investigators:
        raise Forbidden(
            f"{panelist['officer']} investigated the case and may not sit on its hearing",
            code="case.investigator_on_panel",
        )
