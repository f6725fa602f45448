"""The trail as JSON Lines with its proofs, for a supervisor's own verifier (deploy/verify/):
the checkpoints the supervisor holds and the latest, oldest first, with the consistency proof
between each and the next; then each entry with its canonical leaf, the leaf's hash and its
inclusion proof in the tree of the latest checkpoint. Entries the latest checkpoint does not
yet cover are left for the next export. The format is written down in docs/audit.md."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

from services.audit.checkpoints import SignedCheckpoint, b64
from services.audit.leaf import Leaf
from services.audit.tree_store import TreeStore
from services.bootstrap import Container

BATCH = 200  # entries whose proofs are read in one query
SPAN_PER_ENTRY = 8  # read the positions between a batch's entries when few lie between them


def line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode() + b"\n"


def covered(
    tree: TreeStore, entries: Sequence[dict[str, Any]], size: int
) -> list[tuple[dict[str, Any], int, bytes]]:
    """The entries the tree of `size` holds, with their leaves' indexes and hashes."""
    logged = tree.logged([e["position"] for e in entries])
    return [
        (e, leaf.index, leaf.hash)
        for e in entries
        if (leaf := logged.get(e["position"])) is not None and leaf.index < size
    ]


def export_lines(
    container: Container, checkpoints: list[SignedCheckpoint], entries: Sequence[dict[str, Any]]
) -> Iterator[bytes]:
    tree = container.audit_tree()
    for checkpoint in checkpoints:
        yield line({"type": "checkpoint", **checkpoint.message()})
    for first, second in pairwise(checkpoints):
        proof = tree.consistency_proof(first.tree_size, second.tree_size)
        yield line(
            {
                "type": "consistency",
                "first": first.tree_size,
                "second": second.tree_size,
                "proof": [b64(p) for p in proof],
            }
        )
    size = checkpoints[-1].tree_size
    for start in range(0, len(entries), BATCH):
        batch = entries[start : start + BATCH]
        yield from _entry_lines(container, tree, covered(tree, batch, size), size)


def _entry_lines(
    container: Container,
    tree: TreeStore,
    held: list[tuple[dict[str, Any], int, bytes]],
    size: int,
) -> Iterator[bytes]:
    proofs = tree.inclusion_proofs([index for _, index, _ in held], size)
    leaves = stored_leaves(container, [entry["position"] for entry, _, _ in held])
    for entry, index, digest in held:
        yield line(
            {
                "type": "entry",
                "position": entry["position"],
                "leaf_index": index,
                "tree_size": size,
                "leaf": b64(leaves.get(entry["position"], b"")),
                "leaf_hash": b64(digest),
                "proof": [b64(p) for p in proofs[index]],
                "event": entry,
            }
        )


def stored_leaves(container: Container, positions: list[int]) -> dict[int, bytes]:
    """The events' records as the store holds them now, as canonical leaves, read in one span
    of the notification log when the positions lie close together (a trail's entries mostly
    do), else one by one. A position gone from the store has none: the verifier reports it."""
    if not positions:
        return {}
    wanted, first, last = set(positions), min(positions), max(positions)
    recorder = container.app.recorder
    if last - first < SPAN_PER_ENTRY * len(positions):
        notes = recorder.select_notifications(start=first, stop=last, limit=last - first + 1)
    else:
        notes = [n for p in positions for n in recorder.select_notifications(start=p, limit=1)]
    return {n.id: Leaf.of(n).encode() for n in notes if n.id in wanted}
