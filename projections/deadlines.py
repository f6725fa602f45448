"""Deadlines in views: stored with their rule and start, recomputed when a year's holiday
schedule is published, so provisional dates become exact without touching the events."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from domain.calendar import SHANGHAI, WorkingCalendar, YearSchedule
from domain.lifecycle import Lifecycle
from domain.payloads import FIXED
from projections.view import Cursor, View

SCHEDULE_DDL = (
    "CREATE TABLE IF NOT EXISTS {schedules} ("
    " year INTEGER PRIMARY KEY, holidays TEXT NOT NULL, working_days TEXT NOT NULL)"
)
UPSERT_SCHEDULE = (
    "INSERT INTO {schedules} (year, holidays, working_days)"
    " VALUES (:year, :holidays, :working_days)"
    " ON CONFLICT (year) DO UPDATE SET holidays = excluded.holidays,"
    " working_days = excluded.working_days"
)
SELECT_SCHEDULES = "SELECT year, holidays, working_days FROM {schedules}"


def utc_key(moment: str | datetime) -> str:
    """A sortable text form of an instant, for comparisons in SQL on both databases."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_key(now: datetime) -> str:
    return utc_key(now)


def open_statuses(lifecycle: Lifecycle) -> str:
    """The statuses in which a kind's time limits run, as an SQL list of literals (they are
    the lifecycle table's own names, never a caller's values)."""
    return ", ".join(f"'{s}'" for s in sorted(lifecycle.open))


def store_schedule(view: View, cursor: Cursor, data: dict[str, object]) -> None:
    cursor.execute(
        view.sql(UPSERT_SCHEDULE),
        {
            "year": data["year"],
            "holidays": json.dumps(data["holidays"]),
            "working_days": json.dumps(data["working_days"]),
        },
    )


def load_calendar(view: View, cursor: Cursor) -> WorkingCalendar:
    cursor.execute(view.sql(SELECT_SCHEDULES))
    schedules = [
        YearSchedule(
            year=int(row["year"]),
            holidays=frozenset(date.fromisoformat(d) for d in json.loads(row["holidays"])),
            working_days=frozenset(date.fromisoformat(d) for d in json.loads(row["working_days"])),
        )
        for row in cursor.fetchall()
    ]
    return WorkingCalendar(schedules)


def computed(
    calendar: WorkingCalendar, rule: str, start: str, due_at: str | None = None
) -> dict[str, object]:
    if rule == FIXED:
        fixed = datetime.fromisoformat(due_at or start)
        return {
            "due_at": fixed.astimezone(SHANGHAI).isoformat(),
            "due_key": utc_key(fixed),
            "provisional": False,
        }
    deadline = calendar.compute(rule, datetime.fromisoformat(start))
    return {
        "due_at": deadline.due_at.astimezone(SHANGHAI).isoformat(),
        "due_key": utc_key(deadline.due_at),
        "provisional": deadline.provisional,
    }


class DeadlineTable:
    """A view's `{deadlines}` table, keyed by its owner (`case_id`, `referral_id`, …): due
    dates computed from the calendar the view holds, recomputed when a schedule arrives.
    `replaced`: an owner's rows are those its document holds now, and no others (a document
    may drop one); else a row, once written, stays. Each row names the agency the limit binds
    (`party`, None where none does) and when it was met as a sortable key (`met_key`), so the
    yearly assessment counts limits kept and missed per agency in SQL."""

    def __init__(self, owner: str, replaced: bool = False) -> None:
        self.owner = owner
        self.replaced = replaced
        self.delete_held = f"DELETE FROM {{deadlines}} WHERE {owner} = :owner"
        self.ddl = (
            f"CREATE TABLE IF NOT EXISTS {{deadlines}} ({owner} TEXT NOT NULL, name TEXT NOT NULL,"
            " rule TEXT NOT NULL, start TEXT NOT NULL, start_key TEXT NOT NULL,"
            " due_at TEXT NOT NULL, due_key TEXT NOT NULL, provisional BOOLEAN NOT NULL,"
            f" met_at TEXT, party TEXT, met_key TEXT, PRIMARY KEY ({owner}, name))"
        )
        self.index = "CREATE INDEX IF NOT EXISTS {deadlines}_start ON {deadlines} (start_key)"
        self.party_index = (
            "CREATE INDEX IF NOT EXISTS {deadlines}_party ON {deadlines} (party, due_key)"
        )
        # A deadline as a document holds it, met or not: what a batch of events left it as.
        self.upsert_held = (
            f"INSERT INTO {{deadlines}} ({owner}, name, rule, start, start_key, due_at, due_key,"
            f" provisional, met_at, party, met_key) VALUES (:owner, :name, :rule, :start,"
            " :start_key, :due_at, :due_key, :provisional, :met_at, :party, :met_key)"
            f" ON CONFLICT ({owner}, name) DO UPDATE SET"
            " rule = excluded.rule, start = excluded.start, start_key = excluded.start_key,"
            " due_at = excluded.due_at, due_key = excluded.due_key,"
            " provisional = excluded.provisional, met_at = excluded.met_at,"
            " party = excluded.party, met_key = excluded.met_key"
        )
        self._to_recompute = (
            f"SELECT {owner} AS owner, name, rule, start FROM {{deadlines}} WHERE rule <> 'fixed'"
            " AND (provisional OR (start_key >= :from_key AND start_key < :to_key))"
        )
        self._update_due = (
            "UPDATE {deadlines} SET due_at = :due_at, due_key = :due_key,"
            f" provisional = :provisional WHERE {owner} = :owner AND name = :name"
        )
        self._of_many = (
            f"SELECT {owner} AS owner, name, rule, start, due_at, due_key, provisional, met_at"
            f" FROM {{deadlines}} WHERE {owner} IN ([owners]) ORDER BY due_key, name"
        )
        self._of = (
            "SELECT name, rule, start, due_at, due_key, provisional, met_at FROM {deadlines}"
            f" WHERE {owner} = :owner ORDER BY due_key, name"
        )

    def held_rows(
        self,
        calendar: WorkingCalendar,
        owner: str,
        deadlines: Iterable[Mapping[str, Any]],
        party: Callable[[Mapping[str, Any]], str | None] = lambda deadline: None,
    ) -> list[dict[str, Any]]:
        """The rows of `upsert_held` for a document's deadlines, due dates on `calendar`;
        `party`: the agency each limit binds."""
        return [
            dict(
                computed(calendar, d["rule"], d["start"], d.get("due_at")),
                owner=owner,
                name=d["name"],
                rule=d["rule"],
                start=d["start"],
                start_key=utc_key(d["start"]),
                met_at=d.get("met_at"),
                party=party(d),
                met_key=utc_key(d["met_at"]) if d.get("met_at") else None,
            )
            for d in deadlines
        ]

    def recompute(self, view: View, cursor: Cursor, year: int) -> None:
        """Provisional deadlines, and those starting near the year, after its schedule came."""
        calendar = load_calendar(view, cursor)
        cursor.execute(
            view.sql(self._to_recompute),
            {"from_key": f"{year - 1}-01-01", "to_key": f"{year + 1}-01-01"},
        )
        for row in list(cursor.fetchall()):
            values = computed(calendar, row["rule"], row["start"])
            cursor.execute(
                view.sql(self._update_due), dict(values, owner=row["owner"], name=row["name"])
            )

    def of_many(
        self, view: View, cursor: Cursor, owners: list[str], now: datetime
    ) -> dict[str, list[dict[str, Any]]]:
        """The deadlines of several owners in one query (a page of a list)."""
        key = now_key(now)
        found = self.rows_of_many(view, cursor, owners)
        return {owner: [deadline_entry(r, key) for r in rows] for owner, rows in found.items()}

    def rows_of_many(
        self, view: View, cursor: Cursor, owners: list[str]
    ) -> dict[str, list[Mapping[str, Any]]]:
        """The rows of several owners, soonest first, as the table holds them (to judge with
        `state_of`)."""
        if not owners:
            return {}
        placeholders, params = owner_placeholders(owners)
        cursor.execute(view.sql(self._of_many.replace("[owners]", placeholders)), params)
        found: dict[str, list[Mapping[str, Any]]] = {}
        for row in cursor.fetchall():
            found.setdefault(row["owner"], []).append(row)
        return found

    def of(
        self, view: View, cursor: Cursor, owner: str, now: datetime, open_: bool
    ) -> list[dict[str, Any]]:
        key = now_key(now)
        return [deadline_entry(r, key, open_) for r in self.rows_of(view, cursor, owner)]

    def rows_of(self, view: View, cursor: Cursor, owner: str) -> list[Mapping[str, Any]]:
        cursor.execute(view.sql(self._of), {"owner": owner})
        return list(cursor.fetchall())


def owner_placeholders(ids: list[str]) -> tuple[str, dict[str, str]]:
    """`IN (...)` placeholders for a list, the same on both databases."""
    names = {f"o{i}": owner for i, owner in enumerate(ids)}
    return ", ".join(f":{n}" for n in names), names


def _instant(moment: str) -> datetime:
    """Aware times compare as instants, whatever their offsets."""
    return datetime.fromisoformat(moment)


def deadline_entry(row: Any, now: str, open_: bool = True) -> dict[str, Any]:
    """One deadline as every answer shows it: met (on time or late), or overdue while the
    resource is open. `now` is a `now_key`."""
    return {
        "name": row["name"],
        "rule": row["rule"],
        "start": row["start"],
        "due_at": row["due_at"],
        "provisional": bool(row["provisional"]),
        "met_at": row["met_at"],
        "late": met_late(row),
        "overdue": past_due(row, now, open_),
    }


def met_late(row: Mapping[str, Any]) -> bool:
    met_at = row["met_at"]
    return met_at is not None and _instant(met_at) > _instant(row["due_at"])


def past_due(row: Mapping[str, Any], now: str, open_: bool) -> bool:
    """Unmet and past due (`now` a `now_key`) while the resource is open."""
    return open_ and row["met_at"] is None and row["due_key"] < now


def state_of(row: Mapping[str, Any], now: str, open_: bool) -> str:
    """A deadline table's row in one word, as `deadline_state` words a judged deadline."""
    return _state(past_due(row, now, open_), row["met_at"], met_late(row))


def judged(
    deadlines: Iterable[Mapping[str, Any]],
    calendar: WorkingCalendar,
    now: datetime,
    open_: bool,
) -> list[dict[str, Any]]:
    """A document's deadlines (as its fold keeps them) with their due dates on `calendar`,
    judged at `now`, soonest first: what a command answers, as the view would."""
    rows = [dict(d, **computed(calendar, d["rule"], d["start"], d["due_at"])) for d in deadlines]
    entries = [deadline_entry(row, now_key(now), open_) for row in rows]
    return sorted(entries, key=lambda e: (utc_key(e["due_at"]), e["name"]))


def deadline_state(deadline: Mapping[str, Any]) -> str:
    """pending, on_time, late or overdue: a judged deadline in one word."""
    return _state(deadline["overdue"], deadline["met_at"], deadline["late"])


def _state(overdue: bool, met_at: str | None, late: bool) -> str:
    if overdue:
        return "overdue"
    if met_at is None:
        return "pending"
    return "late" if late else "on_time"


def with_states(deadlines: Iterable[Mapping[str, Any]], is_open: bool) -> list[dict[str, Any]]:
    """Judged deadlines with their `state`; none is overdue once the resource is closed."""
    judged = [dict(d, overdue=d["overdue"] and is_open) for d in deadlines]
    return [dict(d, state=deadline_state(d)) for d in judged]


def judged_windows(
    windows: Iterable[Mapping[str, Any]], calendar: WorkingCalendar
) -> list[dict[str, Any]]:
    """Periods within which a party may act (never overdue), their ends on `calendar`, soonest
    first: a provisional end becomes exact once the year's schedule is known."""
    shown = []
    for window in windows:
        if window["rule"] == FIXED:
            shown.append((datetime.fromisoformat(window["due_at"]), dict(window)))
            continue
        due = calendar.compute(window["rule"], datetime.fromisoformat(window["start"]))
        ends = due.due_at.astimezone(SHANGHAI)
        shown.append((ends, dict(window, due_at=ends.isoformat(), provisional=due.provisional)))
    return [w for _, w in sorted(shown, key=lambda pair: (pair[0], pair[1]["name"]))]


def limit_row(row: Any, agency: str) -> dict[str, Any]:
    """A running limit as the watcher takes it, with the agency that must meet it."""
    return {
        "resource_id": row["owner"],
        "name": row["name"],
        "rule": row["rule"],
        "due_at": row["due_at"],
        "due_key": row["due_key"],
        "provisional": bool(row["provisional"]),
        "agency": agency,
    }
