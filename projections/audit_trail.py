"""The audit trail (GET /v1/audit/events): every act on the record, who took it, when, on which
resource and at which version, found by the agencies that may read it.

An act belongs to the agency of the officer who took it (its `by`); an event with no officer
(an administrator's entry in the register) to the agencies its resource concerns. A resource
copied to a supervising agency (a crime transfer to the procuratorate) brings its whole trail
to it, acts before the copy included. Rows (agency, position) hold who may read what; which
agencies a caller reads for is the one visibility rule's (services/access.py).

Which aggregates the trail follows, their kinds and whom they concern and copy to come from the
catalogue (`trail_of`), the one list of kinds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from projections.deadlines import utc_key
from projections.records import EventRecord
from projections.view import Cursor, Handler, View

Agencies = Callable[[dict[str, Any]], tuple[str, ...]]

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {entries} ("
    " position BIGINT PRIMARY KEY, aggregate_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " type TEXT NOT NULL, version INTEGER NOT NULL, recorded_at TEXT NOT NULL,"
    " at_key TEXT NOT NULL, agency TEXT, officer TEXT, data TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {entries}_aggregate ON {entries} (aggregate_id, position)",
    "CREATE TABLE IF NOT EXISTS {members} ("
    " agency TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (agency, position))",
    "CREATE TABLE IF NOT EXISTS {resources} ("
    " aggregate_id TEXT PRIMARY KEY, concerns TEXT NOT NULL, copies TEXT NOT NULL)",
)
INTO_ENTRIES = (
    "INSERT INTO {entries} (position, aggregate_id, kind, type, version, recorded_at, at_key,"
    " agency, officer, data) VALUES (:position, :aggregate_id, :kind, :type, :version,"
    " :recorded_at, :at_key, :agency, :officer, :data) ON CONFLICT DO NOTHING"
)
INTO_MEMBERS = (
    "INSERT INTO {members} (agency, position) VALUES (:agency, :position) ON CONFLICT DO NOTHING"
)
INTO_RESOURCES = (
    "INSERT INTO {resources} (aggregate_id, concerns, copies) VALUES (:id, :concerns, :copies)"
    " ON CONFLICT (aggregate_id) DO UPDATE SET copies = excluded.copies"
)
RESOURCE = "SELECT concerns, copies FROM {resources} WHERE aggregate_id = :id"
# The trail up to a copy, for the agency it is copied to.
BACKFILL = (
    "INSERT INTO {members} (agency, position) SELECT :agency, position FROM {entries}"
    " WHERE aggregate_id = :id ON CONFLICT DO NOTHING"
)
# Newest first before a cursor; for an export, oldest first after one.
PAGE = (
    "SELECT position, aggregate_id, kind, type, version, recorded_at, agency, officer, data"
    " FROM {entries} WHERE position IN (SELECT position FROM {members}"
    " WHERE agency IN ([agencies]) AND position [beyond]) AND position [beyond][filters]"
    " ORDER BY position [order] LIMIT :limit"
)
FILTERS = {
    "kind": " AND kind = :kind",
    "resource_id": " AND aggregate_id = :resource_id",
    "officer": " AND officer = :officer",
    "from_key": " AND at_key >= :from_key",
    "to_key": " AND at_key < :to_key",
}
OF_RESOURCE = (
    "SELECT position, aggregate_id, kind, type, version, recorded_at, agency, officer, data"
    " FROM {entries} WHERE aggregate_id = :id ORDER BY position"
)


@dataclass
class _Batch:
    """What one batch of events writes, and what it knows of their resources meanwhile."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    resources: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    positions: dict[str, list[int]] = field(default_factory=dict)  # each resource's, so far


@dataclass(frozen=True)
class TrailQuery:
    agencies: Sequence[str]  # those the caller reads for
    before: int | None = None  # the cursor: positions below it, newest first
    after: int | None = None  # or positions above it, oldest first
    limit: int = 50
    kind: str | None = None
    resource_id: str | None = None
    officer: str | None = None
    from_key: str | None = None
    to_key: str | None = None

    def statement(self) -> tuple[str, dict[str, Any]]:
        ascending = self.after is not None
        params: dict[str, Any] = {
            "cursor": self.after if ascending else (self.before or 1 << 62),
            "limit": self.limit,
        }
        names = [f"a{i}" for i in range(len(self.agencies))]
        params.update(zip(names, self.agencies, strict=True))
        filters = ""
        for name, condition in FILTERS.items():
            value = getattr(self, name)
            if value is not None:
                filters += condition
                params[name] = value
        sql = PAGE.replace("[agencies]", ", ".join(f":{n}" for n in names))
        sql = sql.replace("[beyond]", "> :cursor" if ascending else "< :cursor")
        sql = sql.replace("[order]", "ASC" if ascending else "DESC")
        return sql.replace("[filters]", filters), params


class TrailView(View):
    """Made for the catalogue's aggregates by `trail_of`."""

    name = "audit_trail"
    tables = ("entries", "members", "resources")
    schema = SCHEMA
    kinds: ClassVar[Mapping[str, str]] = {}  # aggregate type → its kind's name
    concerns: ClassVar[Mapping[str, Agencies]] = {}  # from a resource's first event
    copies: ClassVar[Mapping[str, Agencies]] = {}  # agencies an event copies its resource to

    def entry(self, cursor: Cursor, record: EventRecord) -> None:
        self.apply_all(cursor, [record])

    def apply_all(self, cursor: Cursor, records: Sequence[EventRecord]) -> None:
        batch = _Batch()
        for record in records:
            if record.aggregate_type in self.kinds:
                self._entry(cursor, record, batch)
        if batch.entries:
            cursor.executemany(self.sql(INTO_ENTRIES), batch.entries)
        if batch.members:
            cursor.executemany(self.sql(INTO_MEMBERS), batch.members)

    def _entry(self, cursor: Cursor, record: EventRecord, batch: _Batch) -> None:
        concerned, copied = batch.resources.get(record.aggregate_id) or self._stored(cursor, record)
        batch.resources[record.aggregate_id] = (concerned, copied)
        earlier = batch.positions.setdefault(record.aggregate_id, [])
        rule = self.copies.get(record.aggregate_type)
        new = [a for a in (rule(record.data) if rule else ()) if a not in copied]
        if new or record.aggregate_version == 1:
            copied.extend(new)
            cursor.execute(
                self.sql(INTO_RESOURCES),
                {
                    "id": record.aggregate_id,
                    "concerns": json.dumps(concerned),
                    "copies": json.dumps(copied),
                },
            )
        for agency in new:  # the trail so far, stored and in this batch, to the new copy
            cursor.execute(self.sql(BACKFILL), {"agency": agency, "id": record.aggregate_id})
            batch.members += [{"agency": agency, "position": p} for p in earlier]
        earlier.append(record.position)
        batch.entries.append(self._row(record))
        by = record.data.get("by")
        acting = [by["agency"]] if isinstance(by, dict) and by.get("agency") else concerned
        for agency in dict.fromkeys([*acting, *copied]):
            batch.members.append({"agency": agency, "position": record.position})

    def _stored(self, cursor: Cursor, record: EventRecord) -> tuple[list[str], list[str]]:
        if record.aggregate_version == 1:
            rule = self.concerns.get(record.aggregate_type)
            return (list(rule(record.data)) if rule else []), []
        cursor.execute(self.sql(RESOURCE), {"id": record.aggregate_id})
        row = cursor.fetchone()
        if row is None:  # its first event came before the trail was made: unknown concerns
            return [], []
        return json.loads(row["concerns"]), json.loads(row["copies"])

    def _row(self, record: EventRecord) -> dict[str, Any]:
        by = record.data.get("by")
        acted = by if isinstance(by, dict) else {}
        return {
            "position": record.position,
            "aggregate_id": record.aggregate_id,
            "kind": self.kinds[record.aggregate_type],
            "type": record.type,
            "version": record.aggregate_version,
            "recorded_at": record.recorded_at,
            "at_key": utc_key(record.recorded_at),
            "agency": acted.get("agency"),
            "officer": acted.get("officer"),
            "data": json.dumps(record.data, ensure_ascii=False, sort_keys=True),
        }

    # Reading --------------------------------------------------------------------------------

    def page(self, db: Cursor, query: TrailQuery) -> list[dict[str, Any]]:
        if not query.agencies:
            return []
        sql, params = query.statement()
        db.execute(self.sql(sql), params)
        return [entry_out(r) for r in db.fetchall()]

    def of_resource(self, db: Cursor, aggregate_id: str) -> list[dict[str, Any]]:
        db.execute(self.sql(OF_RESOURCE), {"id": aggregate_id})
        return [entry_out(r) for r in db.fetchall()]


def entry_out(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "position": int(row["position"]),
        "id": row["aggregate_id"],
        "kind": row["kind"],
        "type": row["type"],
        "version": int(row["version"]),
        "recorded_at": row["recorded_at"],
        "agency": row["agency"],
        "officer": row["officer"],
        "data": json.loads(row["data"]),
    }


def trail_of(
    kinds: Mapping[str, str], concerns: Mapping[str, Agencies], copies: Mapping[str, Agencies]
) -> type[TrailView]:
    """The trail of these aggregate types (kind by type), as a view class of its own."""

    class AuditTrail(TrailView):
        handlers: ClassVar[dict[str, Handler]] = {a: TrailView.entry for a in kinds}

    AuditTrail.kinds, AuditTrail.concerns, AuditTrail.copies = kinds, concerns, copies
    return AuditTrail
