"""The penalty decision (行政处罚决定) and what follows it: its prerequisites, the legal
department's stamp (文书加盖印章), the payment slip (非税收入一般缴款书), paid as
`domain.case_payment` records (罚缴分离), and the record filing (备案) of a major decision with
the city bureau (seed 004 §三(一)2-3, §四, §七, §八).

Before a decision: the notice settled (served, and the party's window passed, or the party
stated and waived a hearing, or the hearing held), the legal review approved, for major and
accident cases a case review meeting (案审会) whose minutes were issued, the decision form
(案件处理呈批表) approved, and for accident cases the legality review after it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypedDict
from uuid import UUID

from domain.approval_chains import Form, Gravity
from domain.calendar import WorkingCalendar
from domain.case_documents import DocumentData, DocumentKind, issued
from domain.case_notice import close_window
from domain.case_step import CaseStep, StepEvent
from domain.errors import Conflict, Forbidden, Invalid
from domain.payloads import At, By, DeadlineData, Late, actor_data, deadline_data
from domain.values import Actor, AgencyPath

RECORD_FILING_DAYS = 10  # 自作出行政处罚决定之日起10日内备案 (§八)
PENALTY_KINDS = ("warning", "fine", "other")


class DecidedPenaltyData(TypedDict):
    kind: Annotated[str, "`warning`, `fine` or `other`"]
    amount_fen: Annotated[int | None, "the fine in fen (分); none unless a fine"]
    description: Annotated[str, "the penalty in the decision's words"]
    rectification: Annotated[bool, "the party is also ordered to rectify (责令改正)"]


class ReviewMeetingData(TypedDict):
    """What a case review meeting tells the decision rule, as the handler loaded it."""

    id: UUID
    kind: str
    case_id: UUID | None
    minutes_issued: bool


class PenaltyDecided(StepEvent):
    """The handling unit decides the penalty; the decision bears the case number."""

    document: Annotated[DocumentData, "the decision (行政处罚决定书)"]
    penalty: Annotated[DecidedPenaltyData, "the penalty decided"]
    meeting_id: Annotated[UUID | None, "the case review meeting it followed (major, accident)"]
    deadlines: Annotated[list[DeadlineData], "the record filing's 10 days (major cases)"]
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        issued(case, self.document, step="decision", at=self.at)
        case.penalty = dict(self.penalty)
        case.decision = {"meeting_id": self.meeting_id, "stamped": False, "slip": None}
        case.decision["record_filed"] = False
        case.deadlines["decision"]["met_at"] = self.at
        close_window(case.deadlines, self.at, lapsed=True)
        for deadline in self.deadlines:
            case.deadlines[deadline["name"]] = dict(deadline)


class DecisionStamped(StepEvent):
    """The legal department stamps the decision (文书加盖印章) and hands it to the unit."""

    by: By
    at: At

    def change(self, case: Any) -> None:
        case.decision["stamped"] = True


class PaymentSlipIssued(StepEvent):
    """The legal department issues the payment slip (非税收入一般缴款书)."""

    slip_number: Annotated[str, "the slip's number as the finance system gave it"]
    amount_fen: Annotated[int, "the amount due: the fine, in fen"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.decision["slip"] = {"number": self.slip_number, "amount_fen": self.amount_fen}


class DecisionRecordFiled(StepEvent):
    """A major decision filed for the record (备案) with the city bureau's legal department."""

    filed_with: Annotated[str, "the city bureau's legal department"]
    late: Late
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.decision["record_filed"] = True
        case.deadlines["record_filing"]["met_at"] = self.at


def _check_penalty(penalty: dict[str, Any]) -> None:
    kind, amount = penalty["kind"], penalty.get("amount_fen")
    if kind not in PENALTY_KINDS:
        raise Invalid(f"unknown penalty {kind!r}", code="case.penalty_unknown")
    if (kind == "fine") != (amount is not None) or (amount is not None and amount <= 0):
        raise Invalid("a fine has a positive amount, others none", code="case.fine_amount")
    if not str(penalty.get("description", "")).strip():
        raise Invalid("the penalty is described", code="case.penalty_description_required")


class DecisionActs(CaseStep):
    decision: dict[str, Any] | None = None  # set by the step's events

    if TYPE_CHECKING:
        number: str | None
        penalty: Any

    def _check_decision_submittable(self, *, subject: str | None, at: datetime) -> None:
        self._check_notice_settled(at)

    def _check_legality_review_submittable(self, *, subject: str | None, at: datetime) -> None:
        if not self.form_approved(Form.DECISION):  # type: ignore[attr-defined]
            raise Conflict(
                "the legality review follows the decision form",
                code="case.decision_form_missing",
            )

    def may_decide(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("decide")

    def decide(
        self,
        *,
        actor: Actor,
        penalty: dict[str, Any],
        meeting: ReviewMeetingData | None,
        calendar: WorkingCalendar,
        at: datetime,
    ) -> None:
        self.may_decide(actor, None, at)
        _check_penalty(penalty)
        self._check_notice_settled(at)
        self._check_form(Form.LEGAL_REVIEW, "case.legal_review_missing", "the legal review")
        meeting_id = self._check_case_review(meeting)
        self._check_form(Form.DECISION, "case.decision_form_missing", "the decision form")
        if self.gravity == Gravity.ACCIDENT:
            self._check_form(
                Form.LEGALITY_REVIEW, "case.legality_review_missing", "the legality review"
            )
        deadlines = []
        if self.gravity == Gravity.MAJOR:
            due = calendar.add_calendar_days(at, RECORD_FILING_DAYS)
            deadlines.append(deadline_data("record_filing", at, due))
        assert self.number is not None
        self._record(
            PenaltyDecided,
            document={"kind": DocumentKind.DECISION, "number": self.number},
            penalty={**penalty, "rectification": bool(penalty.get("rectification"))},
            meeting_id=meeting_id,
            deadlines=deadlines,
            late=self._is_late("decision", at),
            by=actor_data(actor),
            at=at,
        )

    def stamp_decision(self, *, actor: Actor, legal: str | None, at: datetime) -> None:
        decision = self._legal_act(actor, legal, "stamp", at)
        if decision["stamped"]:
            raise Conflict("the decision was stamped already", code="case.decision_stamped")
        self._record(DecisionStamped, by=actor_data(actor), at=at)

    def issue_payment_slip(
        self, *, actor: Actor, legal: str | None, slip_number: str, at: datetime
    ) -> None:
        decision = self._legal_act(actor, legal, "issue_slip", at)
        if not decision["stamped"]:
            raise Conflict(
                "the slip follows the stamped decision", code="case.decision_not_stamped"
            )
        amount = self._fine()
        if decision["slip"] is not None:
            raise Conflict("the slip was issued already", code="case.slip_issued")
        if not slip_number.strip():
            raise Invalid("the slip's number is required", code="case.slip_number_required")
        self._record(
            PaymentSlipIssued,
            slip_number=slip_number,
            amount_fen=amount,
            by=actor_data(actor),
            at=at,
        )

    def may_file_record(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("file_record")
        decision = self._decided()
        if "record_filing" not in self.deadlines:
            raise Conflict(
                "only a major decision is filed for the record",
                code="case.record_filing_not_required",
            )
        if decision["record_filed"]:
            raise Conflict("the decision was filed already", code="case.record_filed")

    def file_record(self, *, actor: Actor, filed_with: str | None, at: datetime) -> None:
        """The handling unit files a major decision with the city bureau's legal department."""
        self.may_file_record(actor, None, at)
        if filed_with is None:
            raise Conflict("no city bureau legal department is known", code="case.no_record_office")
        self._record(
            DecisionRecordFiled,
            filed_with=filed_with,
            late=self._is_late("record_filing", at),
            by=actor_data(actor),
            at=at,
        )

    # Helpers ------------------------------------------------------------------------------

    def _check_notice_settled(self, at: datetime) -> None:
        if not self.notice_settled(at):  # type: ignore[attr-defined]
            raise Conflict(
                "the notice must be served and the party heard or its 5 working days over",
                code="case.notice_pending",
            )

    def _check_form(self, form: Form, code: str, what: str) -> None:
        if not self.form_approved(form):  # type: ignore[attr-defined]
            raise Conflict(f"a decision needs {what} approved", code=code)

    def _check_case_review(self, meeting: ReviewMeetingData | None) -> UUID | None:
        if self.gravity == Gravity.ORDINARY:
            return None
        if (
            meeting is None
            or meeting["kind"] != "case_review"
            or meeting["case_id"] != self.id
            or not meeting["minutes_issued"]
        ):
            raise Conflict(
                "a major or accident case is decided after a case review meeting whose"
                " minutes were issued",
                code="case.case_review_missing",
            )
        return meeting["id"]

    def _decided(self) -> dict[str, Any]:
        if self.decision is None:
            raise Conflict("the penalty was not decided", code="case.not_decided")
        return self.decision

    def _legal_act(self, actor: Actor, legal: str | None, act: str, at: datetime) -> dict[str, Any]:
        self._check_act(act)
        if legal is None or actor.agency_code != legal:
            raise Forbidden(
                "the bureau's legal department takes this act", code="case.not_legal_department"
            )
        actor.require_valid_certificate(at)
        return self._decided()

    def _fine(self) -> int:
        penalty: dict[str, Any] = self.penalty or {}
        if penalty.get("kind") != "fine":
            raise Conflict("only a fine is paid", code="case.no_fine")
        return int(penalty["amount_fen"])
