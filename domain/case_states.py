"""The case's statuses and which acts each allows: its lifecycle table."""

from __future__ import annotations

from enum import StrEnum

from domain.lifecycle import Lifecycle, act


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    AWAITING_APPROVAL = "awaiting_approval"
    FILED = "filed"
    DECIDED = "decided"
    REPORTED = "reported"
    CLOSED = "closed"


S = CaseStatus
NOT_FILED = (S.REGISTERED, S.AWAITING_APPROVAL, S.CLOSED)
AFTER_FILING = tuple(s for s in S if s not in NOT_FILED)
CASE_LIFECYCLE = Lifecycle(
    noun="case",
    after={
        "Registered": S.REGISTERED,
        "DecidedOnTheSpot": S.DECIDED,
        "DecisionReported": S.REPORTED,
        "FilingRequested": S.AWAITING_APPROVAL,
        "Filed": S.FILED,
        "FilingReturned": S.REGISTERED,
        "Closed": S.CLOSED,
        "PenaltyDecided": S.DECIDED,
    },
    acts={
        "decide_on_the_spot": act("decide on the spot", S.REGISTERED, code="case.not_registered"),
        "report_decision": act("report the decision of", S.DECIDED, code="case.not_decided"),
        "request_filing": act("request filing of", S.REGISTERED, code="case.not_registered"),
        "sign_filing": act(
            "sign the filing form of", S.AWAITING_APPROVAL, code="case.not_awaiting_approval"
        ),
        "attach_evidence": act(
            "attach evidence to",
            *(s for s in S if s != S.CLOSED),
            code="case.closed",
        ),
        "request_extension": act("extend the decision period of", S.FILED, code="case.not_filed"),
        "record_payment": act(
            "record the payment of", S.DECIDED, S.REPORTED, code="case.not_decided"
        ),
        "classify": act("classify", S.FILED, code="case.not_filed"),
        "serve": act("serve a document of", *(s for s in S if s != S.CLOSED), code="case.closed"),
        # Compulsory measures and rectification orders: on a filed case, not yet closed.
        "measure": act(
            "take a compulsory measure in",
            *AFTER_FILING,
            code="case.not_filed",
            overtaken=((S.CLOSED,), "case.closed"),
        ),
        "rectify": act(
            "order rectification in",
            *AFTER_FILING,
            code="case.not_filed",
            overtaken=((S.CLOSED,), "case.closed"),
        ),
        "issue_notice": act("issue the notice of", S.FILED, code="case.not_filed"),
        "state": act("record the party's answer on", S.FILED, code="case.not_filed"),
        "hear": act("hold a hearing on", S.FILED, code="case.not_filed"),
        "decide": act("decide the penalty of", S.FILED, code="case.not_filed"),
        "stamp": act("stamp the decision of", S.DECIDED, code="case.not_decided"),
        "issue_slip": act("issue the payment slip of", S.DECIDED, code="case.not_decided"),
        "file_record": act("file for the record", S.DECIDED, code="case.not_decided"),
        "close": act(
            "close", S.REGISTERED, S.FILED, S.DECIDED, S.REPORTED, code="case.cannot_close"
        ),
    },
    open=frozenset(s.value for s in S if s != S.CLOSED),
)
