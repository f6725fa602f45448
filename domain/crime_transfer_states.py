"""The crime transfer's statuses and which acts each allows: its lifecycle table."""

from __future__ import annotations

from enum import StrEnum

from domain.lifecycle import Lifecycle, act


class CrimeTransferStatus(StrEnum):
    OPENED = "opened"  # never at rest: the act that opens it reports or recommends it
    RECOMMENDED = "recommended"  # 建议移送 by the procuratorate, awaiting the agency's answer
    DECLINED = "declined"  # the agency explained why it does not transfer
    REPORTED = "reported"  # 书面报告, awaiting the principal head's decision
    REFUSED = "refused"  # the head did not approve the transfer (reasons recorded)
    APPROVED = "approved"  # to go to public security within 24 hours
    SENT = "sent"  # with public security, awaiting its receipt
    RECEIVED = "received"  # receipt (回执) signed: the filing decision runs
    MATERIALS_REQUESTED = "materials_requested"  # the agency supplies them within 3 days
    FORWARDED = "forwarded"  # to the competent public security, awaiting its receipt
    FILED = "filed"  # 立案: the agency hands over items and files within 3 days
    HANDED_OVER = "handed_over"  # items and files with public security
    NOT_FILED = "not_filed"  # 不予立案, notified with reasons and the files returned
    RECONSIDERATION_REQUESTED = "reconsideration_requested"  # 复议, answered within 3 days
    SUPERVISION_REQUESTED = "supervision_requested"  # 立案监督 asked of the procuratorate
    REASONS_REQUESTED = "reasons_requested"  # the procuratorate asked why it was not filed
    REASONS_STATED = "reasons_stated"
    FILING_ORDERED = "filing_ordered"  # 通知立案: public security files
    TRANSFERRED_BACK = "transferred_back"  # reverse transfer: the agency handles it


S = CrimeTransferStatus
WITH_POLICE = (S.SENT, S.RECEIVED, S.MATERIALS_REQUESTED, S.FORWARDED)
SUPERVISED = (S.SUPERVISION_REQUESTED, S.REASONS_STATED)
# While a transfer is in one of these, its case is not closed and no new fine is decided on it
# (no fine instead of prosecution, 以罚代刑: Decree 310 art. 11).
ENDED_OR_NOT_BEGUN = (
    S.OPENED,
    S.RECOMMENDED,
    S.DECLINED,
    S.REFUSED,
    S.NOT_FILED,
    S.TRANSFERRED_BACK,
)
PENDING = frozenset(str(s) for s in S if s not in ENDED_OR_NOT_BEGUN)

CRIME_TRANSFER_LIFECYCLE = Lifecycle(
    noun="crime_transfer",
    after={
        "Opened": S.OPENED,
        "Recommended": S.RECOMMENDED,
        "RecommendationDeclined": S.DECLINED,
        "Reported": S.REPORTED,
        "Refused": S.REFUSED,
        "Approved": S.APPROVED,
        "Sent": S.SENT,
        "ReceiptSigned": S.RECEIVED,
        "MaterialsRequested": S.MATERIALS_REQUESTED,
        "MaterialsSupplied": S.RECEIVED,
        "Forwarded": S.FORWARDED,
        "Filed": S.FILED,
        "NotFiled": S.NOT_FILED,
        "ReconsiderationRequested": S.RECONSIDERATION_REQUESTED,
        # Upheld, it stays not filed; reversed, the same act records `Filed` after it.
        "ReconsiderationAnswered": S.NOT_FILED,
        "SupervisionRequested": S.SUPERVISION_REQUESTED,
        "ReasonsRequested": S.REASONS_REQUESTED,
        "ReasonsStated": S.REASONS_STATED,
        "FilingOrdered": S.FILING_ORDERED,
        "SupervisionClosed": S.NOT_FILED,
        "HandedOver": S.HANDED_OVER,
        "TransferredBack": S.TRANSFERRED_BACK,
    },
    acts={
        "report": act("report", S.OPENED, S.RECOMMENDED, code="crime_transfer.already_reported"),
        "decline": act("decline", S.RECOMMENDED, code="crime_transfer.already_reported"),
        "decide": act(
            "decide on",
            S.REPORTED,
            code="crime_transfer.not_reported",
            overtaken=((S.REFUSED, S.APPROVED, *WITH_POLICE), "crime_transfer.already_decided"),
        ),
        "send": act(
            "send",
            S.APPROVED,
            code="crime_transfer.not_approved",
            overtaken=(WITH_POLICE, "crime_transfer.already_sent"),
        ),
        "sign_receipt": act(
            "sign the receipt of",
            S.SENT,
            S.FORWARDED,
            code="crime_transfer.not_sent",
            overtaken=((S.RECEIVED, S.MATERIALS_REQUESTED), "crime_transfer.already_received"),
        ),
        "request_materials": act(
            "request materials for", S.RECEIVED, code="crime_transfer.not_received"
        ),
        "supply_materials": act(
            "supply materials for", S.MATERIALS_REQUESTED, code="crime_transfer.no_request"
        ),
        "forward": act("forward", S.RECEIVED, code="crime_transfer.not_received"),
        "extend_filing": act(
            "extend the filing period of", S.RECEIVED, code="crime_transfer.not_received"
        ),
        "decide_filing": act(
            "decide on filing",
            S.RECEIVED,
            S.FILING_ORDERED,
            code="crime_transfer.not_received",
            overtaken=((S.FILED, S.HANDED_OVER, S.NOT_FILED), "crime_transfer.filing_decided"),
        ),
        "request_reconsideration": act(
            "ask for reconsideration of", S.NOT_FILED, code="crime_transfer.not_refused_filing"
        ),
        "answer_reconsideration": act(
            "answer the reconsideration of",
            S.RECONSIDERATION_REQUESTED,
            code="crime_transfer.no_reconsideration",
        ),
        "request_supervision": act(
            "ask for filing supervision of", S.NOT_FILED, code="crime_transfer.not_refused_filing"
        ),
        "request_reasons": act(
            "ask for the reasons of",
            S.NOT_FILED,
            S.SUPERVISION_REQUESTED,
            code="crime_transfer.not_refused_filing",
        ),
        "state_reasons": act(
            "state the reasons of", S.REASONS_REQUESTED, code="crime_transfer.no_reasons_request"
        ),
        "order_filing": act(
            "order the filing of",
            S.NOT_FILED,
            *SUPERVISED,
            code="crime_transfer.not_refused_filing",
        ),
        "close_supervision": act(
            "close the supervision of", *SUPERVISED, code="crime_transfer.not_supervised"
        ),
        "hand_over": act(
            "hand over the items of",
            S.FILED,
            code="crime_transfer.not_filed",
            overtaken=((S.HANDED_OVER,), "crime_transfer.already_handed_over"),
        ),
        "transfer_back": act(
            "transfer back",
            S.RECEIVED,
            S.NOT_FILED,
            S.FILED,
            S.HANDED_OVER,
            code="crime_transfer.not_received",
        ),
    },
    open=frozenset(s.value for s in S)
    - {str(s) for s in (S.DECLINED, S.REFUSED, S.HANDED_OVER, S.TRANSFERRED_BACK)},
)
