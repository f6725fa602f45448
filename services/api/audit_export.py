"""The trail as JSON Lines with its proofs, for a supervisor's own verifier (deploy/verify/):
the checkpoints the supervisor holds and the latest, oldest first, with the consistency proof
between each and the next; then each entry with its canonical leaf, the leaf's hash and its
inclusion proof in the tree of the latest checkpoint. Entries the latest checkpoint does not
yet cover are left for the next export. The format is written down in docs/audit.md."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

from services.audit.checkpoints import SignedCheckpoint
from services.audit.leaf import Leaf
from services.audit.tree_store import TreeStore
from services.bootstrap import Container

BATCH = 200  # entries whose proofs are read in one query


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


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
    for entry, index, digest in held:
        yield line(
            {
                "type": "entry",
                "position": entry["position"],
                "leaf_index": index,
                "tree_size": size,
                "leaf": b64(stored_leaf(container, entry["position"])),
                "leaf_hash": b64(digest),
                "proof": [b64(p) for p in proofs[index]],
                "event": entry,
            }
        )


def stored_leaf(container: Container, position: int) -> bytes:
    """The event's record as the store holds it now, as its canonical leaf."""
    notes = container.app.recorder.select_notifications(start=position, limit=1)
    if not notes or notes[0].id != position:
        return b""  # gone from the store: the verifier reports the entry
    return Leaf.of(notes[0]).encode()
