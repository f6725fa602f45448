"""The fine paid at the bank (罚缴分离, seed 004 §三(二)1, §七): the agency never takes money,
so there is no act for cash; the officer records the bank's confirmation.

An on-the-spot fine (simple procedure) is paid without a slip; its payment form follows for the
head's confirmation (缴款核准). A general-procedure fine is paid through the payment slip
(非税收入一般缴款书) the legal department issued; the payment names the slip.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypedDict

from domain.approval import Places
from domain.approval_chains import Form
from domain.case_step import CaseStep, StepEvent
from domain.errors import Conflict, Invalid
from domain.payloads import At, By, actor_data
from domain.values import Actor, AgencyPath

BANK_FIELDS = ("bank", "branch", "reference")


class BankConfirmationData(TypedDict):
    bank: Annotated[str, "the bank (非税银行)"]
    branch: Annotated[str, "its branch (网点)"]
    reference: Annotated[str, "the bank's confirmation reference"]
    amount_fen: Annotated[int, "the amount paid, in fen"]
    paid_at: Annotated[datetime, "when the bank received it"]


class FinePaid(StepEvent):
    """The bank confirmed the fine's payment; an on-the-spot fine's payment form follows."""

    confirmation: Annotated[BankConfirmationData, "the bank's confirmation"]
    slip: Annotated[str | None, "the payment slip's number; none for an on-the-spot fine"]
    by: By
    at: At

    def change(self, case: Any) -> None:
        case.payment = dict(self.confirmation, slip=self.slip)


def check_confirmation(
    confirmation: BankConfirmationData, fine_fen: int, paid: bool, at: datetime
) -> None:
    """A confirmation of the fine due: once, of its amount, not in the future, from a bank."""
    if paid:
        raise Conflict("the fine was paid already", code="case.fine_paid")
    if confirmation["amount_fen"] != fine_fen:
        raise Invalid("the amount paid must equal the fine", code="case.payment_amount_mismatch")
    if confirmation["paid_at"] > at:
        raise Invalid("a payment cannot be in the future", code="case.payment_in_future")
    given: dict[str, Any] = dict(confirmation)
    for field in BANK_FIELDS:
        if not str(given[field]).strip():
            raise Invalid(f"the confirmation's {field} is required", code="case.bank_required")


class PaymentActs(CaseStep):
    payment: dict[str, Any] | None = None  # the bank's confirmation, with its slip

    if TYPE_CHECKING:
        penalty: Any
        decision: dict[str, Any] | None

        def _fine(self) -> int: ...

        def _decided(self) -> dict[str, Any]: ...

    def may_record_payment(self, actor: Actor, path: AgencyPath | None, at: datetime) -> None:
        self._check_handler_acts(actor, at)
        self._check_act("record_payment")
        self._fine()
        if not self._on_the_spot():
            self._slip()

    def record_payment(
        self,
        *,
        actor: Actor,
        confirmation: BankConfirmationData,
        places: Places,
        at: datetime,
    ) -> None:
        """Records the bank's confirmation of the fine: on the spot, then submits the payment
        form; after a general-procedure decision, against its slip."""
        self.may_record_payment(actor, None, at)
        fine_fen = self._fine()
        on_the_spot = self._on_the_spot()
        slip = None if on_the_spot else self._slip()
        check_confirmation(confirmation, fine_fen, self.payment is not None, at)
        self._record(FinePaid, confirmation=confirmation, slip=slip, by=actor_data(actor), at=at)
        if on_the_spot:
            self.submit_form(actor=actor, form=Form.PAYMENT, places=places, at=at)  # type: ignore[attr-defined]

    def _check_payment_submittable(self, *, subject: str | None, at: datetime) -> None:
        if self.payment is None:
            raise Conflict(
                "the payment form goes with the bank's confirmation", code="case.payment_unrecorded"
            )

    def _on_the_spot(self) -> bool:
        return "report_and_file" in self.deadlines

    def _slip(self) -> str:
        slip = self._decided()["slip"]
        if slip is None:
            raise Conflict("payment follows the payment slip", code="case.slip_missing")
        return str(slip["number"])
