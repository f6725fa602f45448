"""Rules a crime transfer must satisfy (Decree 310, 应急〔2019〕54号, seed 000 §三(五)), as
sentences, and its time limits: "N days" are calendar days and "24 hours" wall-clock time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from domain.calendar import WorkingCalendar
from domain.crime_transfer_events import (
    FilingPeriod,
    SuspectData,
    TransferMaterialData,
    TransferMaterialKind,
)
from domain.errors import Conflict, Forbidden, Invalid
from domain.payloads import DeadlineData, deadline_data
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef, Role

DECISION_DAYS = 3  # the head decides within 3 days of the report (art. 5)
TRANSFER_HOURS = 24  # an approved case goes within 24 hours (art. 5)
WINDOW_HOURS = 24  # public security asks for materials, or forwards, within 24 hours (art. 7)
SUPPLY_DAYS = 3  # missing materials are supplied within 3 days (54号)
FILING_DAYS = {FilingPeriod.STANDARD: 3, FilingPeriod.CLUE_CHECK: 7, FilingPeriod.MAJOR_COMPLEX: 30}
NOTICE_DAYS = 3  # the filing decision is notified in writing within 3 days (art. 8)
RECONSIDERATION_DAYS = 3  # asked within 3 days of the notice, answered within 3 days (art. 9)
SUPERVISION_DAYS = 3  # supervision asked within 3 days of the answer (art. 9)
HANDOVER_DAYS = 3  # items and files handed over within 3 days of the filing notice (art. 12)
# Public security states why it did not file within 7 days, and files within 15 days of the
# procuratorate's notice (公安机关办理刑事案件程序规定, on filing supervision).
REASONS_DAYS = 7
ORDERED_FILING_DAYS = 15
CLOCK_SKEW = timedelta(minutes=5)
TEAM_SIZE = 2  # enforcement acts are taken by at least two officers
REQUIRED_MATERIALS = (
    TransferMaterialKind.TRANSFER_LETTER,
    TransferMaterialKind.INVESTIGATION_REPORT,
    TransferMaterialKind.ITEMS_LIST,
    TransferMaterialKind.APPRAISAL,
)
HEAD_ROLES = frozenset({Role.UNIT_HEAD, Role.DEPUTY_DIRECTOR, Role.DIRECTOR})
POLICE_ROLES = frozenset({Role.OFFICER, Role.LIAISON}) | HEAD_ROLES
# The principal head (正职负责人): a director; in a detachment or brigade, its unit head.
UNIT_LED = frozenset({AgencyKind.DETACHMENT, AgencyKind.BRIGADE})


def days(name: str, start: datetime, n: int, calendar: WorkingCalendar) -> DeadlineData:
    return deadline_data(name, start, calendar.add_calendar_days(start, n))


def hours(name: str, start: datetime, n: int, calendar: WorkingCalendar) -> DeadlineData:
    return deadline_data(name, start, calendar.add_hours(start, n))


def is_late(limit: DeadlineData | dict[str, object] | None, at: datetime) -> bool:
    if limit is None:
        return False
    due = limit["due_at"]
    assert isinstance(due, datetime)
    return at > due


def check_text(text: str | None, code: str, what: str) -> None:
    if not text or not text.strip():
        raise Invalid(f"{what} is required", code=code)


def check_some(items: Sequence[object], code: str, what: str) -> None:
    if not items:
        raise Invalid(f"name at least {what}", code=code)


def check_forward_to(to: AgencyRef, current: str) -> None:
    if to.kind != AgencyKind.PUBLIC_SECURITY or to.code == current:
        raise Invalid(
            f"{to.code} is not another public security", code="crime_transfer.forward_invalid"
        )


def longer_periods(current: FilingPeriod) -> list[FilingPeriod]:
    """The periods an extension of `current` may give, shortest first."""
    return [p for p in FilingPeriod if FILING_DAYS[p] > FILING_DAYS[current]]


def check_longer_period(period: FilingPeriod, current: FilingPeriod) -> None:
    """An extension lengthens the period: to 7 days (clue_check), or 30 (major_complex)."""
    if FILING_DAYS[period] <= FILING_DAYS[current]:
        raise Invalid(
            f"the filing period is {FILING_DAYS[current]} days already; an extension is to"
            " 7 days (clue_check) or 30 days (major_complex)",
            code="crime_transfer.period_invalid",
        )


def check_team(team: Sequence[Actor], reporter: Actor, unit: str, at: datetime) -> None:
    """A written report by at least two enforcement officers of the handling unit, each holding
    a valid certificate; the reporting officer is one of them."""
    officers = {member.officer_id for member in team}
    if reporter.officer_id not in officers:
        raise Invalid("the reporting officer is one of the team", code="crime_transfer.team")
    if len(officers) < TEAM_SIZE:
        raise Invalid(
            f"a suspected crime is reported by at least {TEAM_SIZE} enforcement officers",
            code="crime_transfer.team_too_small",
        )
    for member in team:
        if member.agency_code != unit:
            raise Invalid(
                f"officer {member.officer_id} is not of the handling unit {unit}",
                code="crime_transfer.team",
            )
        member.require_valid_certificate(at)


def check_suspects(suspects: Sequence[SuspectData]) -> None:
    if not suspects:
        raise Invalid("name at least one suspect", code="crime_transfer.suspects_required")
    for suspect in suspects:
        check_text(suspect["name"], "crime_transfer.suspects_required", "a suspect's name")


def check_agency_head(actor: Actor, path: AgencyPath, agency: str) -> None:
    """A head of the transferring agency `agency`, working in it (not in an office of it, nor
    in an agency above or below it): its principal head, or one who may preside in their place.
    """
    if path.agency.code != agency:
        raise Forbidden(
            f"only the principal head of {agency} decides on a transfer",
            code="crime_transfer.not_principal_head",
        )
    if not actor.has_role(*HEAD_ROLES):
        raise _not_principal(agency)


def check_principal_head(actor: Actor, path: AgencyPath, agency: str, presiding: bool) -> None:
    """Of the heads of `agency` (`check_agency_head`), its principal head decides, or the head
    presiding in their place (`presiding`): a director; in a detachment or brigade, its unit
    head."""
    principal = Role.UNIT_HEAD if path.agency.kind in UNIT_LED else Role.DIRECTOR
    if actor.has_role(principal):
        return
    if presiding and actor.has_role(*HEAD_ROLES):
        return
    raise _not_principal(agency)


def _not_principal(agency: str) -> Forbidden:
    return Forbidden(
        f"only the principal head of {agency}, or the head presiding, decides on a transfer",
        code="crime_transfer.not_principal_head",
    )


def check_materials(
    materials: Sequence[TransferMaterialData],
    required: Sequence[TransferMaterialKind],
    known: set[str],
) -> None:
    """Each material by title, kind, SHA-256 and size; the required kinds all present."""
    for material in materials:
        check_text(material["title"], "crime_transfer.material_invalid", "a material's title")
        digest = material["sha256"]
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise Invalid(
                "sha256 is 64 lowercase hex digits", code="crime_transfer.material_invalid"
            )
        if material["size"] <= 0:
            raise Invalid("a material has bytes", code="crime_transfer.material_invalid")
        if digest in known:
            raise Conflict(
                f"the material {digest} is attached already", code="crime_transfer.material_twice"
            )
        known.add(digest)
    missing = [str(k) for k in required if k not in {m["kind"] for m in materials}]
    if missing:
        raise Invalid(
            f"a transfer goes with its {', '.join(missing)}",
            code="crime_transfer.materials_missing",
        )


def required_materials(penalties_before: int) -> tuple[TransferMaterialKind, ...]:
    """The penalty decision goes too, where one was made."""
    extra = (TransferMaterialKind.PENALTY_DECISION,) if penalties_before else ()
    return (*REQUIRED_MATERIALS, *extra)


def check_same_level(agency: AgencyRef, other: AgencyRef, kind: AgencyKind, code: str) -> None:
    """Public security and the procuratorate at the same level: of the agency's region."""
    if other.kind != kind:
        raise Invalid(f"{other.code} is not a {kind.value.replace('_', ' ')}", code=code)
    if other.region != agency.region:
        raise Invalid(
            f"{other.code} is not at the same level as {agency.code} (region {agency.region})",
            code=code,
        )


def check_decided_at(decided_at: datetime, sent_at: datetime, at: datetime) -> None:
    """Made once the case was sent, and before its notice: a police system's clock may run a
    little ahead of ours (`CLOCK_SKEW`)."""
    if not sent_at <= decided_at <= at + CLOCK_SKEW:
        raise Invalid(
            "a filing decision is made after the case was sent and before its notice",
            code="crime_transfer.decided_at_invalid",
        )
