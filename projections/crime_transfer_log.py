"""The crime transfers' log (两法衔接台账): for each agency, the transfers it is party to — the
transferring agency and its handling unit, every public security a transfer was sent or
forwarded to, the procuratorate it was copied to or that recommended it — each with its steps;
the procuratorate's supervision list (`projections.crime_transfer_supervision`); the yearly
figures (`projections.crime_transfer_statistics`); one transfer with its history.

An agency's list is rows of its own (agency, position), so a busy agency's page is an index
range however many transfers the district holds, and a page decodes each transfer's card, not
its whole document. The deadlines table holds a transfer's windows beside its deadlines, so
both are recomputed when a holiday schedule is published. `overdue` is judged at query time: a
deadline unmet past due while the transfer is open (windows are never overdue).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from domain.crime_transfer_states import CRIME_TRANSFER_LIFECYCLE
from projections.crime_transfer_cards import card_text, log_entry, member, parties
from projections.crime_transfer_document import CRIME_TRANSFER_FOLD
from projections.crime_transfer_statistics import MILESTONES, year_span
from projections.crime_transfer_steps import (
    AGENCY,
    DEADLINE_PARTY,
    POLICE,
    WINDOW,
    held,
    pending,
    split,
    steps,
)
from projections.crime_transfer_supervision import SupervisionQuery, supervision_entry
from projections.deadlines import (
    SCHEDULE_DDL,
    DeadlineTable,
    limit_row,
    now_key,
    open_statuses,
    owner_placeholders,
    utc_key,
)
from projections.document_view import DocumentView, Writes, chunks, history_ddl
from projections.fold import Document
from projections.records import EventRecord
from projections.view import Cursor

# Its deadlines and its windows (`window:<name>`), recomputed when a schedule comes; a transfer
# drops windows (a forward, a new refusal), so its rows are replaced whenever they change.
DEADLINES = DeadlineTable("transfer_id", replaced=True)
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {transfers} ("
    " id TEXT PRIMARY KEY, status TEXT NOT NULL, agency TEXT NOT NULL,"
    " card TEXT NOT NULL, created_position BIGINT NOT NULL, version INTEGER NOT NULL,"
    " position BIGINT NOT NULL, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {members} ("
    " agency TEXT NOT NULL, created_position BIGINT NOT NULL, transfer_id TEXT NOT NULL,"
    " role TEXT NOT NULL, status TEXT NOT NULL, category TEXT, opened_key TEXT NOT NULL,"
    " not_filed INTEGER NOT NULL, reconsidered INTEGER NOT NULL, supervised INTEGER NOT NULL,"
    " recommended INTEGER NOT NULL, PRIMARY KEY (agency, created_position))",
    "CREATE INDEX IF NOT EXISTS {members}_transfer ON {members} (transfer_id)",
    "CREATE INDEX IF NOT EXISTS {members}_opened ON {members} (agency, opened_key)",
    "CREATE TABLE IF NOT EXISTS {milestones} ("
    " transfer_id TEXT NOT NULL, name TEXT NOT NULL, at_key TEXT NOT NULL,"
    " PRIMARY KEY (transfer_id, name))",
    DEADLINES.ddl,
    DEADLINES.index,
    DEADLINES.party_index,
    # The deadlines still to meet, for `overdue`: a few of a transfer's, and of few transfers.
    "CREATE INDEX IF NOT EXISTS {deadlines}_unmet ON {deadlines} (due_key, transfer_id)"
    " WHERE met_at IS NULL AND name NOT LIKE 'window:%'",
    history_ddl("history", "transfer_id"),
    SCHEDULE_DDL,
)
INTO_MEMBERS = (
    "INSERT INTO {members} (agency, created_position, transfer_id, role, status, category,"
    " opened_key, not_filed, reconsidered, supervised, recommended) VALUES (:agency, :created,"
    " :id, :role, :status, :category, :opened_key, :not_filed, :reconsidered, :supervised,"
    " :recommended) ON CONFLICT DO NOTHING"
)
MEMBERS_NOW = (
    "UPDATE {members} SET status = :status, category = :category, not_filed = :not_filed,"
    " reconsidered = :reconsidered, supervised = :supervised, recommended = :recommended"
    " WHERE transfer_id = :id"
)
INTO_MILESTONES = (
    "INSERT INTO {milestones} (transfer_id, name, at_key) VALUES (:id, :name, :at_key)"
    " ON CONFLICT DO NOTHING"
)
OVERDUE = (
    f"(m.status IN ({open_statuses(CRIME_TRANSFER_LIFECYCLE)}) AND EXISTS (SELECT 1"
    " FROM {deadlines} d WHERE d.transfer_id = m.transfer_id AND d.met_at IS NULL"
    " AND d.name NOT LIKE 'window:%' AND d.due_key < :now))"
)
# The log's page, and the supervision list's (the procuratorate's rows, `role`): the rows of one
# agency before a cursor, with a condition for each filter given (only those: PostgreSQL plans
# a statement afresh each time, and every condition left in costs planning).
PAGE = (
    "SELECT m.transfer_id, m.role, m.created_position FROM {members} m"
    " WHERE m.agency = :agency AND m.created_position < :before[filters]"
    " ORDER BY m.created_position DESC LIMIT :limit"
)
FILTERS = {
    "role": " AND m.role = :role",
    "status": " AND m.status = :status",
    "category": " AND m.category = :category",
    "from_key": " AND m.opened_key >= :from_key",
    "to_key": " AND m.opened_key < :to_key",
    "not_filed": " AND m.not_filed = 1",
    "reconsidered": " AND m.reconsidered = 1",
    "supervised": " AND m.supervised = 1",
    "recommended": " AND m.recommended = 1",
    "overdue": " AND " + OVERDUE,
}
SELECT_PAGE = (
    "SELECT m.role, m.created_position, d.version, d.position, d.card"
    " FROM (" + PAGE + ") m JOIN {transfers} d ON d.id = m.transfer_id"
    " ORDER BY m.created_position DESC"
)
# How many of an agency's transfers reached each milestone within a period.
MILESTONES_OF = (
    "SELECT m.agency, s.name, COUNT(*) AS n FROM {members} m"
    " JOIN {milestones} s ON s.transfer_id = m.transfer_id"
    " WHERE m.agency IN ([owners]) AND s.at_key >= :from_key AND s.at_key < :to_key"
    " GROUP BY m.agency, s.name"
)
# The events that add parties: the first (the agency, its unit), a recommendation (the
# procuratorate), the sending (public security, the procuratorate copied), a forward.
JOINING = frozenset({"Recommended", "Sent", "Forwarded"})
# The events that open or use a window.
WINDOWED = frozenset(
    {
        *("ReceiptSigned", "MaterialsRequested", "Forwarded", "NotFiled"),
        *("ReconsiderationRequested", "ReconsiderationAnswered", "SupervisionRequested"),
    }
)
AGENCIES_PER_STATEMENT = 300


@dataclass(frozen=True)
class LogQuery:
    agency: str
    status: str | None = None
    category: str | None = None
    overdue: bool = False
    from_key: str | None = None  # opened from this instant (a utc_key) …
    to_key: str | None = None  # … until before this one
    before: int = 2**62
    limit: int = 50


class CrimeTransferLog(DocumentView):
    name = "crime_transfers"
    schema_version = 2
    tables = ("transfers", "members", "milestones", "deadlines", "history", "schedules")
    schema = SCHEMA
    fold = CRIME_TRANSFER_FOLD
    aggregate = "CrimeTransfer"
    documents = "transfers"
    created_column = "created_position"
    columns = ("agency",)
    computed: ClassVar[Mapping[str, Callable[[Document], Any]]] = {"card": card_text}
    history = "history"
    history_owner = "transfer_id"
    deadlines = DEADLINES

    def entered(
        self, writes: Writes, record: EventRecord, document: Document, created: int
    ) -> None:
        if record.aggregate_version == 1 or record.event_name in JOINING:
            for agency, role in parties(document):
                writes.add(
                    self.sql(INTO_MEMBERS),
                    dict(member(document, created), agency=agency, role=role),
                )
        milestone = MILESTONES.get(record.event_name)
        if milestone is not None:
            row = {"id": document["id"], "name": milestone, "at_key": utc_key(record.data["at"])}
            writes.add(self.sql(INTO_MILESTONES), row)

    def settled(self, writes: Writes, document: Document, created: int) -> None:
        writes.add(self.sql(MEMBERS_NOW), member(document, created))

    def dates(self, record: EventRecord) -> bool:
        return super().dates(record) or record.event_name in WINDOWED

    def held(self, document: Document) -> list[dict[str, Any]]:
        return held(document)

    def party_of(self, document: Document) -> Callable[[Mapping[str, Any]], str | None]:
        """A deadline binds the party whose step it is: the transferring agency, or the public
        security holding the transfer now; a window binds no one (a party may act in it)."""
        parties = {AGENCY: document["agency"], POLICE: document["public_security"]}

        def party(deadline: Mapping[str, Any]) -> str | None:
            name = deadline["name"]
            if name.startswith(WINDOW):
                return None
            return parties.get(DEADLINE_PARTY.get(name, AGENCY))

        return party

    # Queries ------------------------------------------------------------------------------

    def detail(self, cursor: Cursor, aggregate_id: str, now: datetime) -> Document | None:
        """The document with its history, its deadlines judged now and its windows' ends as
        the view's calendar has them, its steps and what it waits for."""
        document = self.document(cursor, aggregate_id)
        if document is None:
            return None
        is_open = CRIME_TRANSFER_LIFECYCLE.is_open(document["status"])
        rows = DEADLINES.rows_of(self, cursor, aggregate_id)
        document["deadlines"], document["windows"] = split(rows, now, is_open)
        document["overdue"] = any(d["overdue"] for d in document["deadlines"])
        document["steps"] = steps(document, rows, now)
        document["pending"] = pending(document["steps"], is_open)
        return document

    def page(self, cursor: Cursor, query: LogQuery, now: datetime) -> list[dict[str, Any]]:
        """One agency's transfers, newest first, each with its steps."""
        found = self._found(cursor, page_params(query, now), now)
        return [log_entry(row, c, shown) for row, c, shown in found]

    def supervision(
        self, cursor: Cursor, query: SupervisionQuery, now: datetime
    ) -> list[dict[str, Any]]:
        """The transfers copied to a procuratorate, or recommended by it, newest first, as
        its filing supervision follows them."""
        params = dict(page_params(query.log, now), role="procuratorate", **query.flags())
        found = self._found(cursor, params, now)
        return [supervision_entry(log_entry(row, c, shown), c) for row, c, shown in found]

    def milestones(self, cursor: Cursor, agencies: list[str], year: int) -> list[Mapping[str, Any]]:
        """Per agency, how many of its transfers reached each milestone in the year."""
        from_key, to_key = year_span(year)
        counted: list[Mapping[str, Any]] = []
        for chunk in chunks(agencies, AGENCIES_PER_STATEMENT):
            placeholders, params = owner_placeholders(chunk)
            statement = self.sql(MILESTONES_OF.replace("[owners]", placeholders))
            cursor.execute(statement, dict(params, from_key=from_key, to_key=to_key))
            counted += cursor.fetchall()
        return counted

    def _found(
        self, cursor: Cursor, params: dict[str, Any], now: datetime
    ) -> list[tuple[Mapping[str, Any], Document, list[dict[str, Any]]]]:
        """A page's rows, their cards and their steps: two statements in all."""
        filters = "".join(f for name, f in FILTERS.items() if params.get(name))
        cursor.execute(self.sql(SELECT_PAGE.replace("[filters]", filters)), params)
        rows = cursor.fetchall()
        if not rows:
            return []
        cards = [json.loads(row["card"]) for row in rows]
        dated = DEADLINES.rows_of_many(self, cursor, [c["id"] for c in cards])
        return [
            (row, shown, steps(shown, dated.get(shown["id"], []), now))
            for row, shown in zip(rows, cards, strict=True)
        ]


def page_params(query: LogQuery, now: datetime) -> dict[str, Any]:
    return dict(vars(query), now=now_key(now), overdue=int(query.overdue))


RUNNING = (
    "SELECT d.transfer_id AS owner, d.name, d.rule, d.due_at, d.due_key, d.provisional,"
    " t.agency, t.doc FROM {deadlines} d JOIN {transfers} t ON t.id = d.transfer_id"
    " WHERE d.met_at IS NULL AND d.name NOT LIKE 'window:%'"
    f" AND t.status IN ({open_statuses(CRIME_TRANSFER_LIFECYCLE)})"
)


def running_limits(view: CrimeTransferLog, cursor: Cursor) -> list[dict[str, Any]]:
    """Whose limit is whose: each step is its party's (`DEADLINE_PARTY`): the transferring
    agency's, or the public security the transfer is with now (windows are no one's duty)."""
    cursor.execute(view.sql(RUNNING))
    limits = []
    for row in cursor.fetchall():
        agency = row["agency"]
        if DEADLINE_PARTY.get(row["name"]) == POLICE:
            agency = json.loads(row["doc"])["public_security"] or agency
        limits.append(limit_row(row, agency))
    return limits
