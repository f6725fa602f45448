"""The log's tree, kept in the store's own database: every leaf and every perfect subtree.

`audit_leaves` maps each leaf's index in the tree to the store position it logs (positions
may have gaps; the tree has none) with the event it held (aggregate id and version), so that a
verification can tell a moved event from a changed one. `audit_nodes` holds the hash of every
perfect aligned subtree (level 0: the leaves' hashes), written once when the tree grows past
it. Appending keeps only the frontier (one node per level) in memory; roots and proofs at any
size are read in one query (see subtrees.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.audit.merkle import TreeHash
from services.audit.subtrees import (
    Frontier,
    Node,
    consistency_ranges,
    inclusion_ranges,
    range_root,
    tiles,
)
from services.database import Database

BINARY = {"sqlite": "BLOB", "postgres": "BYTEA"}
LEAVES_DDL = (
    "CREATE TABLE IF NOT EXISTS audit_leaves ("
    " leaf_index BIGINT PRIMARY KEY, position BIGINT NOT NULL UNIQUE,"
    " aggregate_id TEXT NOT NULL, version BIGINT NOT NULL)"
)
NODES_DDL = (
    "CREATE TABLE IF NOT EXISTS audit_nodes ("
    " level INTEGER NOT NULL, node_index BIGINT NOT NULL, hash {binary} NOT NULL,"
    " PRIMARY KEY (level, node_index))"
)
INSERT_LEAF = (
    "INSERT INTO audit_leaves (leaf_index, position, aggregate_id, version)"
    " VALUES (:leaf_index, :position, :aggregate_id, :version)"
)
INSERT_NODE = (
    "INSERT INTO audit_nodes (level, node_index, hash) VALUES (:level, :node_index, :hash)"
)
SIZE = "SELECT MAX(leaf_index) AS last, MAX(position) AS position FROM audit_leaves"
LEAF_BY_POSITION = "SELECT leaf_index FROM audit_leaves WHERE position = :position"
LEAVES_AT = (
    "SELECT l.leaf_index, l.position, l.aggregate_id, l.version, n.hash FROM audit_leaves l"
    " JOIN audit_nodes n ON n.level = 0 AND n.node_index = l.leaf_index"
    " WHERE l.position IN ([positions])"
)
LEAVES_FROM = (
    "SELECT l.leaf_index, l.position, l.aggregate_id, l.version, n.hash FROM audit_leaves l"
    " JOIN audit_nodes n ON n.level = 0 AND n.node_index = l.leaf_index"
    " WHERE l.leaf_index >= :start ORDER BY l.leaf_index LIMIT :limit"
)


class TreeError(LookupError):
    """A leaf or a tree size the log does not have."""


@dataclass(frozen=True)
class LoggedLeaf:
    index: int
    position: int
    aggregate_id: str
    version: int
    hash: bytes


@dataclass(frozen=True)
class Appended:
    position: int
    aggregate_id: UUID
    version: int
    hash: bytes


class TreeStore:
    def __init__(self, db: Database, tree: TreeHash) -> None:
        self.db = db
        self.tree = tree
        self.size = 0
        self.last_position = 0
        self._frontier: Frontier | None = Frontier(tree.node)

    def create_tables(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(LEAVES_DDL)
            cursor.execute(NODES_DDL.format(binary=BINARY[self.db.dialect]))

    def load(self) -> None:
        """The size and the last position, as stored; the frontier is read when it is first
        needed (to grow the tree or give its root), not by every reader."""
        with self.db.reading() as cursor:
            cursor.execute(SIZE)
            row = cursor.fetchone()
        self.size = 0 if row is None or row["last"] is None else int(row["last"]) + 1
        self.last_position = int(row["position"] or 0) if row else 0
        self._frontier = None

    @property
    def frontier(self) -> Frontier:
        if self._frontier is None:
            nodes = tiles(0, self.size)
            hashes = self.nodes(nodes)
            self._frontier = Frontier(self.tree.node, self.size, [(n, hashes[n]) for n in nodes])
        return self._frontier

    # Growing --------------------------------------------------------------------------------

    def append(self, leaves: Sequence[Appended]) -> None:
        """Adds the leaves in order, with the nodes they complete, in one transaction."""
        if not leaves:
            return
        frontier = self.frontier.copy()
        leaf_rows, node_rows = [], []
        for leaf in leaves:
            leaf_rows.append(
                {
                    "leaf_index": frontier.size,
                    "position": leaf.position,
                    "aggregate_id": str(leaf.aggregate_id),
                    "version": leaf.version,
                }
            )
            node_rows += [
                {"level": level, "node_index": index, "hash": digest}
                for (level, index), digest in frontier.push(leaf.hash)
            ]
        with self.db.transaction(pipelined=True) as cursor:
            cursor.executemany(INSERT_LEAF, leaf_rows)
            cursor.executemany(INSERT_NODE, node_rows)
        self._frontier, self.size, self.last_position = frontier, frontier.size, leaves[-1].position

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (now: the whole tree)."""
        size = self.size if size is None else size
        self._check_size(size)
        if size == 0:
            return self.tree.empty()
        if size == self.size:
            return self.frontier.root(self.tree.empty())
        return range_root(0, size, self.nodes(tiles(0, size)), self.tree.node)

    # Proving --------------------------------------------------------------------------------

    def leaf_index(self, position: int) -> int:
        with self.db.reading() as cursor:
            cursor.execute(LEAF_BY_POSITION, {"position": position})
            row = cursor.fetchone()
        if row is None:
            raise TreeError(f"position {position} is not in the log")
        return int(row["leaf_index"])

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        self._check_size(size)
        return self._roots(inclusion_ranges(index, size))

    def inclusion_proofs(self, indexes: Sequence[int], size: int) -> dict[int, list[bytes]]:
        """Many leaves' proofs at one size, their nodes read in one query."""
        self._check_size(size)
        plans = {i: inclusion_ranges(i, size) for i in indexes}
        hashes = self.nodes(n for ranges in plans.values() for a, b in ranges for n in tiles(a, b))
        return {
            i: [range_root(a, b, hashes, self.tree.node) for a, b in ranges]
            for i, ranges in plans.items()
        }

    def logged(self, positions: Sequence[int]) -> dict[int, LoggedLeaf]:
        """The leaves of these store positions, those the log has."""
        if not positions:
            return {}
        # Positions are integers (cast here), never text from a request.
        listed = ", ".join(str(int(p)) for p in positions)
        with self.db.reading() as cursor:
            cursor.execute(LEAVES_AT.replace("[positions]", listed))
            rows = cursor.fetchall()
        return {int(r["position"]): _logged(r) for r in rows}

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        self._check_size(second)
        return self._roots(consistency_ranges(first, second))

    def leaves(self, start: int, limit: int) -> list[LoggedLeaf]:
        with self.db.reading() as cursor:
            cursor.execute(LEAVES_FROM, {"start": start, "limit": limit})
            rows = cursor.fetchall()
        return [_logged(r) for r in rows]

    def nodes(self, wanted: Iterable[Node]) -> dict[Node, bytes]:
        """The stored hashes of these nodes, in one query."""
        by_level: dict[int, set[int]] = {}
        for level, index in wanted:
            by_level.setdefault(level, set()).add(index)
        if not by_level:
            return {}
        # Levels and indexes are integers computed here, never input: written in the query.
        where = " OR ".join(
            f"(level = {int(level)} AND node_index IN ({', '.join(str(int(i)) for i in indexes)}))"
            for level, indexes in sorted(by_level.items())
        )
        with self.db.reading() as cursor:
            cursor.execute(f"SELECT level, node_index, hash FROM audit_nodes WHERE {where}")
            rows = cursor.fetchall()
        found = {(int(r["level"]), int(r["node_index"])): bytes(r["hash"]) for r in rows}
        missing = [(lv, i) for lv, ids in by_level.items() for i in ids if (lv, i) not in found]
        if missing:
            raise TreeError(f"the log has lost its nodes {sorted(missing)[:5]}")
        return found

    def _roots(self, ranges: list[tuple[int, int]]) -> list[bytes]:
        hashes = self.nodes(n for start, end in ranges for n in tiles(start, end))
        return [range_root(start, end, hashes, self.tree.node) for start, end in ranges]

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise TreeError(f"the log has no tree of size {size}; it has {self.size} leaves")


def _logged(row: Any) -> LoggedLeaf:
    return LoggedLeaf(
        int(row["leaf_index"]),
        int(row["position"]),
        str(row["aggregate_id"]),
        int(row["version"]),
        bytes(row["hash"]),
    )
