"""The coordination duties the yearly assessment counts, defined once: each its name, its title
in Chinese, whose duty it is, and the rows behind it in a view.

Every duty's rows are one statement on its view's tables with the same columns: the agency the
duty binds (`agency`), the resource (`resource`, its id) and the limit's `name` and `rule`, when
it was due (`due_at`, `due_key`) and when it was met (`met_at`, `met_key`, NULL while unmet).
A row is met on time when `met_key <= due_key`. A row counts in a period when it fell due in the
period and was met, or is past due unmet while its resource is still open (a limit left unmet by
a resource that ended — a cancelled meeting, a refused transfer — binds no one); a limit still
running counts once it is met.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.case_states import CASE_LIFECYCLE
from domain.crime_transfer_states import CRIME_TRANSFER_LIFECYCLE
from domain.lifecycle import Lifecycle
from domain.meeting_states import MEETING_LIFECYCLE
from domain.referral_states import REFERRAL_LIFECYCLE
from projections.assessment_weights import DUTY_NAMES
from projections.cases import CaseView
from projections.crime_transfer_log import CrimeTransferLog
from projections.deadlines import open_statuses
from projections.meeting_tracker import MeetingTracker
from projections.referral_assessed import ACKNOWLEDGE_HOURS
from projections.referrals import ReferralView
from projections.view import View

# In every statement: `[agencies]`, the agencies' placeholders; `:from_key`, `:to_key` the
# period's bounds and `:now` the present, as utc_keys.
ON_TIME = "CASE WHEN met_key IS NOT NULL AND met_key <= due_key THEN 1 ELSE 0 END"


def _limits(documents: str, owner: str, lifecycle: Lifecycle, names: str) -> str:
    """The rows of a view's deadlines table whose names match `names` (an SQL condition on
    `d.name`), each binding its `party`."""
    return (
        f"SELECT d.party AS agency, d.{owner} AS resource, d.name, d.rule, d.due_at, d.due_key,"
        f" d.met_at, d.met_key FROM {{deadlines}} d JOIN {{{documents}}} r ON r.id = d.{owner}"
        f" WHERE d.party IN ([agencies]) AND d.due_key >= :from_key AND d.due_key < :to_key"
        f" AND {names} AND (d.met_key IS NOT NULL OR (d.due_key < :now"
        f" AND r.status IN ({open_statuses(lifecycle)})))"
    )


def _referral(names: str) -> str:
    return _limits("referrals", "referral_id", REFERRAL_LIFECYCLE, names)


def _meeting(names: str) -> str:
    return _limits("meetings", "meeting_id", MEETING_LIFECYCLE, names)


def _case(names: str) -> str:
    return _limits("cases", "case_id", CASE_LIFECYCLE, names)


ACKNOWLEDGEMENTS = (
    "SELECT r.to_agency AS agency, r.id AS resource, 'acknowledge' AS name,"
    f" 'hours:{ACKNOWLEDGE_HOURS}' AS rule, NULL AS due_at, r.ack_due_key AS due_key,"
    " NULL AS met_at, r.ack_key AS met_key FROM {referrals} r"
    " WHERE r.to_agency IN ([agencies]) AND r.ack_due_key >= :from_key"
    " AND r.ack_due_key < :to_key AND (r.ack_key IS NOT NULL OR r.ack_due_key < :now)"
)
# A refusal a dispute's decision upheld is a duty kept; one it overturned, a duty failed.
REFUSALS = (
    "SELECT r.rejected_by AS agency, r.id AS resource, 'refusal' AS name, NULL AS rule,"
    " NULL AS due_at, r.settled_key AS due_key, NULL AS met_at,"
    " CASE WHEN r.settled_against = 0 THEN r.settled_key END AS met_key FROM {referrals} r"
    " WHERE r.rejected_by IN ([agencies]) AND r.settled_key >= :from_key"
    " AND r.settled_key < :to_key"
)
# An invitee answers (attends, or declines with a reason) before the meeting starts.
INVITATIONS = (
    "SELECT a.agency, a.meeting_id AS resource, 'invitation' AS name, NULL AS rule,"
    " a.starts_at AS due_at, a.starts_key AS due_key, a.answered_at AS met_at,"
    " a.answered_key AS met_key FROM {attendance} a WHERE a.agency IN ([agencies])"
    " AND a.starts_key >= :from_key AND a.starts_key < :to_key AND a.status <> 'cancelled'"
    " AND (a.answered_key IS NOT NULL OR a.starts_key < :now)"
)
# An invitee of a meeting held attends, or is excused (seed 003: 无故不参加 is accountable).
ATTENDANCE = (
    "SELECT a.agency, a.meeting_id AS resource, 'attendance' AS name, NULL AS rule,"
    " a.starts_at AS due_at, a.starts_key AS due_key,"
    " CASE WHEN a.absent = 0 THEN a.held_at END AS met_at,"
    " CASE WHEN a.absent = 0 THEN a.starts_key END AS met_key FROM {attendance} a"
    " WHERE a.agency IN ([agencies]) AND a.absent IS NOT NULL"
    " AND a.starts_key >= :from_key AND a.starts_key < :to_key"
)


@dataclass(frozen=True)
class Duty:
    name: str
    title: str  # as the yearly report prints it
    whose: str  # the agency it binds, in words
    view: type[View]  # the view whose tables hold its rows
    kind: str  # the kind of resource behind each row
    rows: str  # its statement (see the module's docstring)


DUTIES: tuple[Duty, ...] = (
    Duty(
        "referral_sending",
        "按时移送案件",
        "the sending agency",
        ReferralView,
        "referral",
        _referral("d.name = 'send'"),
    ),
    Duty(
        "acknowledgement",
        "及时抄告移送部门",
        "the receiving agency",
        ReferralView,
        "referral",
        ACKNOWLEDGEMENTS,
    ),
    Duty(
        "refusal",
        "拒绝接受移送理由正当",
        "the agency that rejected it",
        ReferralView,
        "referral",
        REFUSALS,
    ),
    Duty(
        "assistance",
        "按时答复协助请求",
        "the agency asked",
        ReferralView,
        "referral",
        _referral("d.name = 'answer'"),
    ),
    Duty(
        "meeting_materials",
        "按时送达会议材料",
        "the convener",
        MeetingTracker,
        "meeting",
        _meeting("d.name = 'materials'"),
    ),
    Duty(
        "meeting_minutes",
        "按时印发会议纪要",
        "the convener",
        MeetingTracker,
        "meeting",
        _meeting("d.name = 'minutes'"),
    ),
    Duty(
        "invitation",
        "按时答复会议通知",
        "the invitee",
        MeetingTracker,
        "meeting",
        INVITATIONS,
    ),
    Duty(
        "attendance",
        "按要求参加会议",
        "the invitee",
        MeetingTracker,
        "meeting",
        ATTENDANCE,
    ),
    Duty(
        "crime_transfer_steps",
        "两法衔接各环节按时办理",
        "the party whose step it is",
        CrimeTransferLog,
        "crime_transfer",
        _limits("transfers", "transfer_id", CRIME_TRANSFER_LIFECYCLE, "d.name NOT LIKE 'window:%'"),
    ),
    Duty(
        "case_decision",
        "按期作出案件处理决定",
        "the agency handling the case",
        CaseView,
        "case",
        _case("d.name = 'decision'"),
    ),
    Duty(
        "reinspection",
        "按时复查整改情况",
        "the agency handling the case",
        CaseView,
        "case",
        _case("d.name LIKE 'reinspection:%'"),
    ),
    Duty(
        "record_filing",
        "按时报送备案",
        "the agency handling the case",
        CaseView,
        "case",
        _case("d.name IN ('record_filing', 'report_and_file')"),
    ),
)
DUTY = {duty.name: duty for duty in DUTIES}
assert tuple(DUTY) == DUTY_NAMES, "every duty has a default weight, in the same order"
