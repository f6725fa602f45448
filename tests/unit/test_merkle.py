"""The Merkle tree of RFC 9162 §2.1 against the published test vectors of Certificate
Transparency (RFC 6962's reference leaves), and its proofs in every shape of tree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.audit.merkle import (
    SHA256,
    consistency_proof,
    inclusion_proof,
    root,
    verify_consistency,
    verify_inclusion,
)

ENTRIES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657"]
ENTRIES.append("606162636465666768696a6b6c6d6e6f")
LEAVES = [SHA256.leaf(bytes.fromhex(e)) for e in ENTRIES]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = {
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
CONSISTENCY = {
    (2, 8): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}


def hexes(digests):
    return [d.hex() for d in digests]


@pytest.mark.parametrize("size", range(9))
def test_the_root_of_each_size_is_the_published_one(size):
    assert root(SHA256, LEAVES[:size]).hex() == ROOTS[size]


@pytest.mark.parametrize(("index", "size"), list(INCLUSION))
def test_inclusion_proofs_are_the_published_ones_and_verify(index, size):
    proof = inclusion_proof(SHA256, LEAVES[:size], index)
    assert hexes(proof) == INCLUSION[(index, size)]
    head = bytes.fromhex(ROOTS[size])
    assert verify_inclusion(SHA256, LEAVES[index], index, size, proof, head)


@pytest.mark.parametrize(("first", "second"), list(CONSISTENCY))
def test_consistency_proofs_are_the_published_ones_and_verify(first, second):
    proof = consistency_proof(SHA256, LEAVES[:second], first)
    assert hexes(proof) == CONSISTENCY[(first, second)]
    old, new = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
    assert verify_consistency(SHA256, first, second, old, new, proof)


def leaves_of(n):
    return [SHA256.leaf(i.to_bytes(4, "big")) for i in range(n)]


@given(st.integers(1, 70).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_every_leaf_is_proved_in_and_no_other_leaf_or_place_is(case):
    size, index = case
    leaves = leaves_of(size)
    head = root(SHA256, leaves)
    proof = inclusion_proof(SHA256, leaves, index)
    assert verify_inclusion(SHA256, leaves[index], index, size, proof, head)
    other = SHA256.leaf(b"changed")
    assert not verify_inclusion(SHA256, other, index, size, proof, head)
    if size > 1:
        assert not verify_inclusion(SHA256, leaves[index], (index + 1) % size, size, proof, head)
        assert not verify_inclusion(SHA256, leaves[index], index, size, proof[:-1], head)


@given(st.integers(1, 70).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_every_prefix_is_proved_consistent_and_a_changed_history_is_not(case):
    first, second = case
    leaves = leaves_of(second)
    old, new = root(SHA256, leaves[:first]), root(SHA256, leaves)
    proof = consistency_proof(SHA256, leaves, first)
    assert verify_consistency(SHA256, first, second, old, new, proof)
    if 0 < first < second:
        forked = [*leaves[: first - 1], SHA256.leaf(b"rewritten"), *leaves[first:]]
        assert not verify_consistency(SHA256, first, second, old, root(SHA256, forked), proof)
        assert not verify_consistency(SHA256, first, second, old, new, proof[:-1])


def test_proofs_of_what_is_not_in_the_tree_are_refused():
    with pytest.raises(ValueError):
        inclusion_proof(SHA256, LEAVES, 8)
    with pytest.raises(ValueError):
        consistency_proof(SHA256, LEAVES[:3], 4)
    head = bytes.fromhex(ROOTS[8])
    assert not verify_inclusion(SHA256, LEAVES[0], 8, 8, [], head)
    assert not verify_consistency(SHA256, 8, 6, head, head, [])
