"""The log's tree as stored: every root and proof read from its perfect subtrees equals the one
RFC 9162 computes over all the leaves, at every size the tree had; and the canonical leaf."""

from __future__ import annotations

import hashlib
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.audit import merkle
from services.audit.leaf import Leaf, LeafError
from services.audit.subtrees import (
    Frontier,
    consistency_ranges,
    inclusion_ranges,
    range_root,
    tiles,
)
from services.audit.tree_store import Appended, TreeError, TreeStore
from services.database import open_database

TREE = merkle.SHA256


def leaf_hashes(n: int) -> list[bytes]:
    return [TREE.leaf(hashlib.sha256(str(i).encode()).digest()) for i in range(n)]


def stored_nodes(hashes: list[bytes]) -> dict[tuple[int, int], bytes]:
    frontier, nodes = Frontier(TREE.node), {}
    for digest in hashes:
        nodes.update(frontier.push(digest))
    return nodes


@given(st.integers(1, 70), st.data())
def test_proofs_from_stored_subtrees_equal_the_rfc_proofs(size, data):
    hashes = leaf_hashes(size)
    nodes = stored_nodes(hashes)
    index = data.draw(st.integers(0, size - 1))
    first = data.draw(st.integers(0, size))
    path = [range_root(a, b, nodes, TREE.node) for a, b in inclusion_ranges(index, size)]
    assert path == merkle.inclusion_proof(TREE, hashes, index)
    proof = [range_root(a, b, nodes, TREE.node) for a, b in consistency_ranges(first, size)]
    assert proof == merkle.consistency_proof(TREE, hashes, first)
    assert range_root(0, size, nodes, TREE.node) == merkle.root(TREE, hashes)


def test_a_frontier_holds_one_subtree_per_set_bit_of_its_size():
    frontier = Frontier(TREE.node)
    for digest in leaf_hashes(13):
        frontier.push(digest)
    assert [node for node, _ in frontier.parts] == tiles(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert frontier.root(TREE.empty()) == merkle.root(TREE, leaf_hashes(13))


@pytest.fixture
def store(tmp_path: Path) -> TreeStore:
    tree = TreeStore(open_database(f"sqlite:///{tmp_path / 'log.sqlite3'}"), TREE)
    tree.create_tables()
    tree.load()
    return tree


def test_the_stored_tree_gives_every_past_root_and_proof_after_a_reload(store):
    hashes = leaf_hashes(37)
    for start in range(0, 37, 10):  # appended in batches, reloaded as a new process would
        batch = hashes[start : start + 10]
        store.append(
            [Appended(2 * (start + i) + 1, UUID(int=i), 1, h) for i, h in enumerate(batch)]
        )
        store = TreeStore(store.db, TREE)
        store.load()
    assert (store.size, store.last_position) == (37, 73)
    for size in range(38):
        assert store.root(size) == merkle.root(TREE, hashes[:size])
        for index in range(size):
            assert store.inclusion_proof(index, size) == merkle.inclusion_proof(
                TREE, hashes[:size], index
            )
        for first in range(size + 1):
            assert store.consistency_proof(first, size) == merkle.consistency_proof(
                TREE, hashes[:size], first
            )
    assert store.leaf_index(73) == 36
    with pytest.raises(TreeError):
        store.leaf_index(2)
    with pytest.raises(TreeError):
        store.inclusion_proof(0, 38)


LEAF = Leaf(
    7, UUID("12345678-1234-5678-1234-567812345678"), 2, "domain.case:Case.Filed", b'{"a":1}'
)


def test_the_canonical_leaf_is_length_prefixed_fields_in_order():
    assert LEAF.encode() == (
        bytes.fromhex("0000000000000007")
        + bytes.fromhex("00000024")
        + b"12345678-1234-5678-1234-567812345678"
        + bytes.fromhex("0000000000000002")
        + bytes.fromhex("00000016")
        + b"domain.case:Case.Filed"
        + bytes.fromhex("00000007")
        + b'{"a":1}'
    )
    assert Leaf.decode(LEAF.encode()) == LEAF


@pytest.mark.parametrize(
    "broken",
    [
        LEAF.encode()[:-1],  # cut short
        LEAF.encode() + b"x",  # trailing bytes
        LEAF.encode().replace(b"12345678-1234", b"12345678-ABCD"),  # not canonical
    ],
)
def test_bytes_that_are_not_a_canonical_leaf_are_refused(broken):
    with pytest.raises(LeafError):
        Leaf.decode(broken)
