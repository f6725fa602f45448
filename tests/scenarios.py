"""Scenario helpers over the application service: the demo district's people acting."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.calendar import SHANGHAI
from domain.values import Actor
from services.application import Liandong, Saved

CASE = {
    "procedure": "general",
    "source": {"kind": "inspection", "reference": None, "handed_over_at": None},
    "summary": "未按规定对从业人员进行安全生产教育和培训",
    "party": {"kind": "organisation", "name": "天津某化工有限公司", "id_number": None},
    "place": {"region": "120116", "address": "中塘镇工业园区"},
    "occurred_at": datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI),
}


def person(app: Liandong, officer: str) -> Actor:
    entry = app.directory.officer(officer)
    assert entry is not None, officer
    actor = app.directory.actor_for(officer, entry.agency_code, entry.roles)
    assert actor is not None
    return actor


def case_details(**changes: Any) -> dict[str, Any]:
    details = {k: (dict(v) if isinstance(v, dict) else v) for k, v in CASE.items()}
    details.update(changes)
    return details


def accident_details(handed_over_at: datetime) -> dict[str, Any]:
    source = {
        "kind": "accident_report",
        "reference": "事故调查报告",
        "handed_over_at": handed_over_at,
    }
    return case_details(
        procedure="accident", source=source, occurred_at=handed_over_at - timedelta(days=20)
    )


def filed_office_case(app: Liandong) -> Saved:
    """A bureau-office case taken through its whole filing approval."""
    saved = app.register_case(person(app, "wang-fang"), case_details())
    case_id = saved.aggregate.id
    app.request_filing(person(app, "wang-fang"), case_id)
    app.review_filing(person(app, "zhou-jun"), case_id, approve=True, opinion="同意")
    return app.approve_filing(person(app, "qian-min"), case_id, approve=True, opinion="同意立案")
