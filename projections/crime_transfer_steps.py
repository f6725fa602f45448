"""A crime transfer's steps as its lists show them: every deadline (what a party must do) and
every window (a period within which a party may act), whose step it is, and how it stands now.

A deadline is pending, on_time, late or overdue (unmet, past due, while the transfer is open).
A window is never overdue: pending while its act may still be taken within it, on_time or late
once used, lapsed once it ended unused (its time passed, or the transfer moved on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from domain.crime_transfer_states import CRIME_TRANSFER_LIFECYCLE
from projections.deadlines import deadline_entry, now_key, state_of
from projections.fold import Document

AGENCY, POLICE, PROCURATORATE = "agency", "public_security", "procuratorate"
# Whose obligation each deadline is.
DEADLINE_PARTY = {
    "decision": AGENCY,
    "transfer": AGENCY,
    "supply": AGENCY,
    "handover": AGENCY,
    "filing": POLICE,
    "reconsideration_answer": POLICE,
    "reasons": POLICE,
    "filing_on_order": POLICE,
}
WINDOW = "window:"  # a window's name in the view's deadlines table, beside the deadlines
# Each window: the act it is a period for, and whose act that is.
WINDOW_ACT = {
    "materials_request": ("request_materials", POLICE),
    "forward": ("forward", POLICE),
    "reconsideration_request": ("request_reconsideration", AGENCY),
    "supervision_request": ("request_supervision", AGENCY),
}


def held(document: Document) -> list[dict[str, Any]]:
    """What the view's deadlines table holds of a transfer, due dates recomputed there when a
    schedule comes: its deadlines, and its windows as `window:<name>`, met when used."""
    windows = document["windows"].values()
    return [
        *document["deadlines"].values(),
        *({**w, "name": WINDOW + w["name"], "met_at": w["used_at"]} for w in windows),
    ]


def split(
    rows: Iterable[Mapping[str, Any]], now: datetime, is_open: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The deadlines table's rows of a transfer, as its deadlines (judged now) and its
    windows."""
    deadlines, windows, key = [], [], now_key(now)
    for row in rows:
        if not row["name"].startswith(WINDOW):
            deadlines.append(deadline_entry(row, key, is_open))
            continue
        window = {k: row[k] for k in ("rule", "start", "due_at")}
        name, used_at = row["name"][len(WINDOW) :], row["met_at"]
        windows.append(
            dict(window, name=name, provisional=bool(row["provisional"]), used_at=used_at)
        )
    return deadlines, windows


def window_state(name: str, due_at: str, used_at: str | None, status: str, now: datetime) -> str:
    due = datetime.fromisoformat(due_at)
    if used_at is not None:
        return "late" if datetime.fromisoformat(used_at) > due else "on_time"
    act = WINDOW_ACT.get(name, ("", ""))[0]
    allowed = act in CRIME_TRANSFER_LIFECYCLE.acts and status in (
        CRIME_TRANSFER_LIFECYCLE.acts[act].allowed
    )
    return "pending" if allowed and due >= now else "lapsed"


def steps(
    document: Document, rows: Iterable[Mapping[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """A transfer's deadlines and windows as its steps, from the deadlines table's rows in the
    order it answers them (soonest first), judged now."""
    status, key = document["status"], now_key(now)
    is_open = CRIME_TRANSFER_LIFECYCLE.is_open(status)
    return [
        _window(row, status, now)
        if row["name"].startswith(WINDOW)
        else _deadline(row, key, is_open)
        for row in rows
    ]


def _deadline(row: Mapping[str, Any], now: str, is_open: bool) -> dict[str, Any]:
    return {
        "name": row["name"],
        "kind": "deadline",
        "party": DEADLINE_PARTY.get(row["name"], AGENCY),
        "due_at": row["due_at"],
        "provisional": bool(row["provisional"]),
        "met_at": row["met_at"],
        "used_at": None,
        # Once the transfer is closed nothing of it is overdue: unmet, it stays pending.
        "state": state_of(row, now, is_open),
    }


def _window(row: Mapping[str, Any], status: str, now: datetime) -> dict[str, Any]:
    name = row["name"][len(WINDOW) :]
    return {
        "name": name,
        "kind": "window",
        "party": WINDOW_ACT.get(name, ("", AGENCY))[1],
        "due_at": row["due_at"],
        "provisional": bool(row["provisional"]),
        "met_at": None,
        "used_at": row["met_at"],
        "state": window_state(name, row["due_at"], row["met_at"], status, now),
    }


def pending(shown: Iterable[Mapping[str, Any]], is_open: bool) -> list[str]:
    """What the transfer waits for now: the deadlines unmet while it is open, and the windows
    still open."""
    if not is_open:
        return []
    return [s["name"] for s in shown if s["state"] in ("pending", "overdue")]


def late(shown: Iterable[Mapping[str, Any]]) -> list[str]:
    """The steps kept after their time: deadlines met late, windows used late."""
    return [s["name"] for s in shown if s["state"] == "late"]
