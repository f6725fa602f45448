"""A case's approval forms after filing (行政执法有关事项审批表, 法制审核意见书, 案件处理呈批表, the
compulsory measure's, the extension's, …): submitted by the handling unit, signed step by step
by the chain `domain.approval_chains` gives its unit, approved or returned. The filing form
keeps its own events (`Case.FilingRequested` and those after it) from before this mechanism.

A step says what its form needs before it is submitted with a method
`_check_<form>_submittable(subject=, at=)` of the case, and what follows its approval or return
with `_on_<form>_approved` or `_on_<form>_returned` (given `subject`, `actor` and `at`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from domain import approval
from domain.approval import Places
from domain.approval_chains import Form, Gravity, chain_rule
from domain.case_events import ApprovalStepData, Opinion, StepName
from domain.case_step import CaseStep, StepEvent
from domain.errors import Conflict, Invalid
from domain.lifecycle import OpenAct
from domain.payloads import At, By, Reason, actor_data
from domain.values import Actor, AgencyKind, AgencyPath

FormName = Annotated[Form, "the approval form"]
Consulted = Annotated[
    list[str],
    "agencies off the handling unit's line whose officers sign a step (the legal department,"
    " the detachment's supervision office): from then on they see the case",
]
Subject = Annotated[
    str | None, "what the form is about where a case has several: a measure's or an order's id"
]


def form_key(form: str, subject: str | None) -> str:
    return f"{form}:{subject}" if subject else str(form)


# The forms submitted through the forms' routes; the filing form has its own acts, and those of a
# measure, a re-inspection, an extension and a payment are submitted by their steps' acts.
SUBMITTED_FORMS = (Form.MATTERS, Form.LEGAL_REVIEW, Form.DECISION, Form.LEGALITY_REVIEW)


class Classified(StepEvent):
    """The handling unit judged the case major (重大行政处罚案件) or ordinary."""

    gravity: Annotated[Gravity, "`ordinary` or `major`; accident cases are always `accident`"]
    reason: Reason
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.gravity = str(self.gravity)


class FormSubmitted(StepEvent):
    form: FormName
    subject: Subject
    gravity: Annotated[Gravity, "the case's gravity the chain was chosen by"]
    steps: Annotated[list[ApprovalStepData], "the form's steps, in signing order"]
    consulted: Consulted
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.forms[form_key(self.form, self.subject)] = {
            "form": str(self.form),
            "subject": self.subject,
            "gravity": str(self.gravity),
            "steps": approval.unsigned(self.steps),
            "requested_by": self.by["officer"],
            "requested_at": self.at,
            "outcome": "pending",
        }


class _Signature(StepEvent):
    form: FormName
    subject: Subject
    step: StepName
    opinion: Opinion
    by: By
    at: At

    decision = True
    outcome = "pending"

    def change(self, case: Any) -> None:
        entry = case.forms[form_key(self.form, self.subject)]
        signer = {
            "decision": self.decision,
            "opinion": self.opinion,
            "by": dict(self.by),
            "at": self.at,
        }
        approval.sign(entry["steps"], self.step, signer)
        entry["outcome"] = self.outcome


class FormSigned(_Signature):
    """A step signed in agreement; others remain."""


class FormApproved(_Signature):
    """The form's last step signed in agreement: the form is approved."""

    outcome = "approved"


class FormReturned(_Signature):
    """A step signed in refusal: the form goes back to the handling unit."""

    decision = False
    outcome = "returned"


class FormActs(CaseStep):
    def may_classify(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("classify")
        if self.gravity == Gravity.ACCIDENT:
            raise Conflict("an accident case stays an accident case", code="case.accident_gravity")

    def classify(self, *, actor: Actor, gravity: str, reason: str, at: datetime) -> None:
        self.may_classify(actor, None, at)
        if gravity == Gravity.ACCIDENT:
            raise Conflict("an accident case stays an accident case", code="case.accident_gravity")
        if gravity not in (Gravity.ORDINARY, Gravity.MAJOR):
            raise Invalid(f"unknown gravity {gravity!r}", code="case.gravity_unknown")
        if not reason.strip():
            raise Invalid("a reason is required", code="case.reason_required")
        self._record(
            Classified, gravity=Gravity(gravity), reason=reason, by=actor_data(actor), at=at
        )

    def may_submit_form(
        self,
        actor: Actor,
        path: AgencyPath | None,
        at: datetime,
        *,
        form: str,
        subject: str | None = None,
    ) -> None:
        """`path` is the handling unit's, whose kind chooses the form's chain; given none (an
        act gives its places' unit), the chain is left to the act."""
        self._check_handler_acts(actor, at)
        current = self.forms.get(form_key(form, subject))
        if current is not None and current["outcome"] != "returned":
            raise Conflict(
                f"the {form} form is {current['outcome']} already", code="case.form_submitted"
            )
        precondition = getattr(self, f"_check_{form}_submittable", None)
        if precondition is not None:
            precondition(subject=subject, at=at)
        if path is not None:
            gravity = Gravity(self.gravity)
            if chain_rule(Form(form), gravity, AgencyKind(path.agency.kind)) is None:
                raise Conflict(
                    f"a {gravity} case has no {form} form", code="case.form_not_applicable"
                )

    def submit_form(
        self, *, actor: Actor, form: Form, places: Places, at: datetime, subject: str | None = None
    ) -> None:
        """The handling unit submits a form; its chain is its unit's for the case's gravity."""
        self.may_submit_form(actor, None, at, form=form, subject=subject)
        steps = approval.chain(form, Gravity(self.gravity), places)
        self._record(
            FormSubmitted,
            form=form,
            subject=subject,
            gravity=Gravity(self.gravity),
            steps=[s.as_data() for s in steps],
            consulted=approval.consulted(steps),
            by=actor_data(actor),
            at=at,
        )

    def may_sign_form(
        self,
        actor: Actor,
        path: AgencyPath | None,
        at: datetime,
        *,
        form: str,
        subject: str | None = None,
    ) -> dict[str, Any]:
        """The form's pending step this person signs, or the rule they would break."""
        entry = self.forms.get(form_key(form, subject))
        if entry is None or entry["outcome"] != "pending":
            raise Conflict(
                f"no {form} form is waiting for signatures", code="case.form_not_pending"
            )
        return approval.step_to_sign(entry["steps"], actor, entry["requested_by"])

    def sign_form(
        self,
        *,
        actor: Actor,
        form: Form,
        approve: bool,
        opinion: str,
        at: datetime,
        subject: str | None = None,
    ) -> None:
        step = self.may_sign_form(actor, None, at, form=form, subject=subject)
        entry = self.forms[form_key(form, subject)]
        if not approve and not opinion.strip():
            raise Invalid("an opinion on a refusal is required", code="case.opinion_required")
        last = approval.is_last(entry["steps"])
        event = FormReturned if not approve else FormApproved if last else FormSigned
        data = {"form": form, "subject": subject, "step": step["name"], "opinion": opinion}
        self._record(event, **data, by=actor_data(actor), at=at)
        if event is not FormSigned:
            follow_up = getattr(self, f"_on_{form}_{entry['outcome']}", None)
            if follow_up is not None:
                follow_up(subject=subject, actor=actor, at=at)

    def form_offers(self) -> list[OpenAct]:
        """Submitting each form the forms' routes take, and signing each such form pending:
        those without a subject, which the route's path names whole."""
        pending = [e["form"] for e in self.forms.values() if e["subject"] is None]
        submit = [OpenAct("submit_form", {"form": str(f)}) for f in SUBMITTED_FORMS]
        return submit + [OpenAct("sign_form", {"form": str(f)}) for f in pending]

    def form_approved(self, form: Form, subject: str | None = None) -> bool:
        entry = self.forms.get(form_key(form, subject))
        return (
            entry is not None
            and entry["outcome"] == "approved"
            and entry["gravity"] == self.gravity
        )

    def require_form(self, form: Form, subject: str | None = None, *, what: str) -> None:
        if not self.form_approved(form, subject):
            raise Conflict(
                f"{what} needs the {form} form approved first", code="case.form_not_approved"
            )
