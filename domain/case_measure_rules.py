"""The rules of compulsory measures, as sentences; each raises a DomainError with a stable code."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.calendar import WorkingCalendar
from domain.errors import Conflict, Invalid
from domain.values import Actor

NOTICE_HOURS = 24  # 应提前24小时通知生产经营单位


class MeasureKind(StrEnum):
    SEAL = "seal"  # 查封
    SEIZE = "seize"  # 扣押
    POWER_CUT = "power_cut"  # 停止供电
    EXPLOSIVES_STOP = "explosives_stop"  # 停止供应民用爆炸物品


def check_proposal(kind: str, grounds: str, known: bool) -> None:
    if kind not in set(MeasureKind):
        raise Invalid(f"unknown measure kind {kind!r}", code="case.measure_kind_unknown")
    if not grounds.strip():
        raise Invalid("a measure states its grounds", code="case.grounds_required")
    if known:
        raise Conflict("a measure of that id exists already", code="case.measure_exists")


def check_status(
    measure_id: str, measure: dict[str, Any] | None, statuses: tuple[str, ...]
) -> None:
    if measure is None:
        raise Conflict(f"the case has no measure {measure_id}", code="case.measure_unknown")
    status = measure["status"]
    if status == "lifted" and "lifted" not in statuses:
        raise Conflict(f"measure {measure_id} was lifted", code="case.measure_lifted")
    if status not in statuses:
        code = "case.measure_not_in_force" if "in_force" in statuses else "case.measure_taken"
        raise Conflict(f"measure {measure_id} is {status}", code=code)


def check_decision_issued(measure: dict[str, Any]) -> None:
    if measure["decision"] is None:
        raise Conflict(
            "the measure's decision is issued first", code="case.measure_decision_required"
        )


def check_notice_period(
    notified_at: datetime | None, calendar: WorkingCalendar, at: datetime
) -> None:
    """除有危及安全生产的紧急情形，应提前24小时通知生产经营单位."""
    if notified_at is None or at < calendar.add_hours(notified_at, NOTICE_HOURS).due_at:
        raise Conflict(
            "a measure is taken no earlier than 24 hours after the enterprise was notified",
            code="case.measure_notice_period",
        )


def check_with_detachment(
    together_with: Sequence[Actor], detachment_units: Collection[str]
) -> None:
    """A brigade takes its measure 会同区执法支队: with officers of the detachment."""
    outside = [a for a in together_with if a.agency_code not in detachment_units]
    if not together_with or outside:
        raise Invalid(
            "a brigade takes a measure together with officers of the detachment",
            code="case.measure_without_detachment",
        )


def check_closable(measures: dict[str, dict[str, Any]]) -> None:
    for measure_id, measure in measures.items():
        if measure["status"] == "in_force":
            raise Conflict(f"measure {measure_id} is still in force", code="case.measure_in_force")
        if "taken_at" in measure and measure["brigade"] and measure["filed_at"] is None:
            raise Conflict(
                f"measure {measure_id} is not filed with the legal department",
                code="case.measure_not_filed",
            )
