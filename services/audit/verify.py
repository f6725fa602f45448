"""`liandong audit verify`: the tree recomputed from the store, checked against every signed
checkpoint and against the log's own leaves.

One pass over the store in position order beside the log's leaves in index order, in batches,
keeps two frontiers (the store's tree and the log's) and the events that differ, so memory does
not grow with the store. What it says:
- a checkpoint whose signature does not verify, or whose row differs from its signed text;
- per position, where the log's own leaves are intact: an event changed (same event, other
  bytes), removed (logged, no longer stored), inserted (stored at a position the log passed
  over) or moved (an event logged at one position now stored at another: reordered);
- per checkpoint, whether the store's first events give the signed root, and whether the log's
  leaves do (if not, the log's own tables were altered too, and only the range between the
  last checkpoint that holds and this one can be named).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from services.audit.checkpoints import Checkpoints, SignedCheckpoint
from services.audit.leaf import Leaf
from services.audit.merkle import TreeHash
from services.audit.signed_note import Checkpoint, NoteError, NoteVerifier, open_note
from services.audit.subtrees import Frontier
from services.audit.tree_store import LoggedLeaf, TreeStore

BATCH = 2000
Identity = tuple[str, int]  # aggregate id, version


@dataclass(frozen=True)
class Finding:
    what: str  # changed, removed, inserted, moved, checkpoint, store_differs, log_altered
    detail: str
    position: int | None = None
    tree_size: int | None = None

    def line(self) -> str:
        at = f"position {self.position}" if self.position is not None else f"size {self.tree_size}"
        return f"{self.what} at {at}: {self.detail}"


@dataclass
class Report:
    events: int = 0
    checkpoints: int = 0
    unlogged: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class _StoreLeaf:
    position: int
    identity: Identity
    hash: bytes


class Verification:
    def __init__(
        self,
        app: Any,
        log: TreeStore,
        checkpoints: Checkpoints,
        verifier: NoteVerifier,
        tree: TreeHash,
    ) -> None:
        self.app = app
        self.log = log
        self.tree = tree
        self.verifier = verifier
        self.signed = checkpoints.all()
        self.by_size = {c.tree_size: c for c in self.signed}
        self.report = Report(checkpoints=len(self.signed))
        self.store_tree = Frontier(tree.node)
        self.log_tree = Frontier(tree.node)
        self.moved_from: dict[Identity, int] = {}  # logged at a position, stored elsewhere
        self.moved_to: dict[Identity, int] = {}  # stored at a position, logged elsewhere

    def run(self) -> Report:
        self.log.load()
        for checkpoint in self.signed:
            self._check_signature(checkpoint)
        self._compare(self._store_leaves(), self._log_leaves())
        self._pair_moves()
        self._unreached()
        self.report.unlogged = max(self.app.head_position() - self.log.last_position, 0)
        return self.report

    # Checkpoints ----------------------------------------------------------------------------

    def _check_signature(self, checkpoint: SignedCheckpoint) -> None:
        try:
            signed = Checkpoint.parse(open_note(checkpoint.note, self.verifier))
        except NoteError as error:
            self._found("checkpoint", str(error), tree_size=checkpoint.tree_size)
            return
        row = Checkpoint(checkpoint.origin, checkpoint.tree_size, checkpoint.root_hash)
        if signed != row:
            self._found("checkpoint", "its row differs from its signed text", tree_size=row.size)

    def _check_root(self, which: str, frontier: Frontier) -> None:
        """Whether a tree that has just reached a checkpoint's size gives its signed root."""
        signed = self.by_size.get(frontier.size)
        if signed is None or frontier.root(self.tree.empty()) == signed.root_hash:
            return
        if which == "store":
            self._found(
                "store_differs",
                "the store's first events do not give the signed root",
                tree_size=signed.tree_size,
            )
        else:
            self._found(
                "log_altered",
                "the log's own leaves do not give the signed root",
                tree_size=signed.tree_size,
            )

    def _unreached(self) -> None:
        for checkpoint in self.signed:
            if checkpoint.tree_size > self.store_tree.size:
                self._found(
                    "store_differs",
                    f"the store holds only {self.store_tree.size} events",
                    tree_size=checkpoint.tree_size,
                )
            if checkpoint.tree_size > self.log_tree.size:
                self._found(
                    "log_altered",
                    f"the log holds only {self.log_tree.size} leaves",
                    tree_size=checkpoint.tree_size,
                )

    # The pass -------------------------------------------------------------------------------

    def _compare(self, stored: Iterator[_StoreLeaf], logged: Iterator[LoggedLeaf]) -> None:
        s, g = next(stored, None), next(logged, None)
        while s is not None or g is not None:
            if g is None or (s is not None and s.position < g.position):
                assert s is not None
                self._stored_only(s)
                s = next(stored, None)
            elif s is None or g.position < s.position:
                self._logged_only(g)
                g = next(logged, None)
            else:
                self._both(s, g)
                s, g = next(stored, None), next(logged, None)

    def _both(self, s: _StoreLeaf, g: LoggedLeaf) -> None:
        self._grow(s, g)
        if s.hash == g.hash:
            return
        if s.identity == (g.aggregate_id, g.version):
            self._found("changed", "its stored bytes differ from the logged leaf", s.position)
        else:
            self.moved_to[s.identity] = s.position
            self.moved_from[(g.aggregate_id, g.version)] = g.position

    def _stored_only(self, s: _StoreLeaf) -> None:
        self._grow(s, None)
        if s.position <= self.log.last_position:  # after it: not logged yet
            self.moved_to[s.identity] = s.position

    def _logged_only(self, g: LoggedLeaf) -> None:
        self._grow(None, g)
        self.moved_from[(g.aggregate_id, g.version)] = g.position

    def _grow(self, s: _StoreLeaf | None, g: LoggedLeaf | None) -> None:
        if g is not None:
            self.log_tree.push(g.hash)
            self._check_root("log", self.log_tree)
        if s is not None:
            self.report.events += 1
            self.store_tree.push(s.hash)
            self._check_root("store", self.store_tree)

    def _pair_moves(self) -> None:
        for identity, position in sorted(self.moved_to.items(), key=lambda item: item[1]):
            was = self.moved_from.pop(identity, None)
            if was is None:
                self._found("inserted", "an event the log never had", position)
            else:
                self._found("moved", f"the event logged at position {was}", position)
        for _identity, position in sorted(self.moved_from.items(), key=lambda item: item[1]):
            self._found("removed", "a logged event the store no longer has", position)
        self.report.findings.sort(key=lambda f: (f.position or 0, f.tree_size or 0))

    # Reading --------------------------------------------------------------------------------

    def _store_leaves(self) -> Iterator[_StoreLeaf]:
        """The store's events up to the log's last position, and on while a checkpoint is
        signed for more than the store has given (a log whose own rows were cut short)."""
        start, last = 1, self.log.last_position
        signed_most = max(self.by_size, default=0)
        while start <= last or self.store_tree.size < signed_most:
            notes = self.app.recorder.select_notifications(
                start=start, limit=BATCH, inclusive_of_start=True
            )
            if not notes:
                return
            for note in notes:
                leaf = Leaf.of(note)
                identity = (str(leaf.aggregate_id), leaf.version)
                yield _StoreLeaf(leaf.position, identity, self.tree.leaf(leaf.encode()))
            start = notes[-1].id + 1

    def _log_leaves(self) -> Iterator[LoggedLeaf]:
        start = 0
        while leaves := self.log.leaves(start, BATCH):
            yield from leaves
            start = leaves[-1].index + 1

    def _found(
        self, what: str, detail: str, position: int | None = None, tree_size: int | None = None
    ) -> None:
        self.report.findings.append(Finding(what, detail, position, tree_size))
