"""The referral's statuses and which acts each allows: its lifecycle table."""

from __future__ import annotations

from enum import StrEnum

from domain.lifecycle import Lifecycle, act


class ReferralStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DISPUTED = "disputed"
    ANSWERED = "answered"
    CONCLUDED = "concluded"


S = ReferralStatus
# The receiver has decided or answered: a second decision is not "too early" but too late.
DECIDED = (S.ACCEPTED, S.REJECTED, S.DISPUTED, S.ANSWERED, S.CONCLUDED)
ALREADY_DECIDED = (DECIDED, "referral.already_decided")
REFERRAL_LIFECYCLE = Lifecycle(
    noun="referral",
    after={
        "Drafted": S.DRAFT,
        "Approved": S.APPROVED,
        "Sent": S.SENT,
        "Acknowledged": S.ACKNOWLEDGED,
        "Accepted": S.ACCEPTED,
        "Rejected": S.REJECTED,
        "Disputed": S.DISPUTED,
        "Answered": S.ANSWERED,
        "OutcomeReported": S.CONCLUDED,
        "Settled": S.ACCEPTED,
    },
    acts={
        "attach_material": act("add materials to", S.DRAFT, code="referral.not_draft"),
        "approve": act("approve", S.DRAFT, code="referral.not_draft"),
        "send": act("send", S.APPROVED, code="referral.not_approved"),
        "acknowledge": act("acknowledge", S.SENT, code="referral.not_sent"),
        "accept": act(
            "accept", S.ACKNOWLEDGED, code="referral.not_acknowledged", overtaken=ALREADY_DECIDED
        ),
        "reject": act(
            "reject", S.ACKNOWLEDGED, code="referral.not_acknowledged", overtaken=ALREADY_DECIDED
        ),
        "answer": act(
            "answer", S.ACKNOWLEDGED, code="referral.not_acknowledged", overtaken=ALREADY_DECIDED
        ),
        "extend_answer": act("extend", S.SENT, S.ACKNOWLEDGED, code="referral.not_open"),
        "report_outcome": act("report the outcome of", S.ACCEPTED, code="referral.not_accepted"),
        "dispute": act("dispute", S.REJECTED, code="referral.not_rejected"),
        "settle": act("settle", S.DISPUTED, code="referral.not_disputed"),
    },
    open=frozenset({S.DRAFT, S.APPROVED, S.SENT, S.ACKNOWLEDGED, S.ACCEPTED}),
)
