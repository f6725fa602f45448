"""A referral's time limits: sending it (seed 000: 3 working days; seed 003: 5; 24 hours when
urgent) and answering an assistance request (5 working days, seed 003 §三(五))."""

from __future__ import annotations

from datetime import datetime

from domain.calendar import WorkingCalendar
from domain.mechanism import Mechanism
from domain.payloads import FIXED, DeadlineData, deadline_data

URGENT_HOURS = 24
ANSWER_WORKING_DAYS = 5


def send_deadline(
    found: datetime, urgent: bool, mechanism: Mechanism, calendar: WorkingCalendar
) -> DeadlineData:
    """Within N working days of finding it (N per mechanism), or 24 hours when urgent."""
    if urgent:
        return deadline_data("send", found, calendar.add_hours(found, URGENT_HOURS))
    days = mechanism.referral_working_days
    return deadline_data("send", found, calendar.add_working_days(found, days))


def answer_deadline(urgent: bool, calendar: WorkingCalendar, received: datetime) -> DeadlineData:
    """An assistance request is answered within 5 working days of receipt; an urgent one asks
    for presence on the scene, within 24 hours."""
    if urgent:
        return deadline_data("answer", received, calendar.add_hours(received, URGENT_HOURS))
    due = calendar.add_working_days(received, ANSWER_WORKING_DAYS)
    return deadline_data("answer", received, due)


def fixed_deadline(name: str, until: datetime) -> DeadlineData:
    return {"name": name, "start": until, "due_at": until, "rule": FIXED, "provisional": False}
