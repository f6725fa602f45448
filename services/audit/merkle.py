"""The Merkle tree of RFC 9162 §2.1 over the leaf hashes of a log: its root (MTH), inclusion
proofs (§2.1.3) and consistency proofs (§2.1.4), and their verification.

The hash is a parameter, so that a deployment may use SHA-256 or SM3 (商用密码); trees and
proofs are lists of digests, leaves already hashed with `leaf_hash`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Digest = bytes


@dataclass(frozen=True)
class TreeHash:
    """The tree's hash function: HASH(0x00 ‖ leaf) for a leaf, HASH(0x01 ‖ left ‖ right) for a
    node, HASH() for the empty tree."""

    digest: Callable[[bytes], Digest]

    def leaf(self, data: bytes) -> Digest:
        return self.digest(b"\x00" + data)

    def node(self, left: Digest, right: Digest) -> Digest:
        return self.digest(b"\x01" + left + right)

    def empty(self) -> Digest:
        return self.digest(b"")


SHA256 = TreeHash(lambda data: hashlib.sha256(data).digest())


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(tree: TreeHash, leaves: Sequence[Digest]) -> Digest:
    """MTH(D[n]) over the hashed leaves."""
    n = len(leaves)
    if n == 0:
        return tree.empty()
    if n == 1:
        return leaves[0]
    k = _split(n)
    return tree.node(root(tree, leaves[:k]), root(tree, leaves[k:]))


def inclusion_proof(tree: TreeHash, leaves: Sequence[Digest], index: int) -> list[Digest]:
    """PATH(m, D[n]): the audit path of leaf `index` in the tree of these leaves."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_proof(tree, leaves[:k], index), root(tree, leaves[k:])]
    return [*inclusion_proof(tree, leaves[k:], index - k), root(tree, leaves[:k])]


def consistency_proof(tree: TreeHash, leaves: Sequence[Digest], first: int) -> list[Digest]:
    """PROOF(m, D[n]): that the tree of the first `first` leaves is a prefix of this one."""
    if not 0 <= first <= len(leaves):
        raise ValueError(f"a tree of {first} is not a prefix of a tree of {len(leaves)}")
    if first in (0, len(leaves)):
        return []
    return _subproof(tree, leaves, first, True)


def _subproof(tree: TreeHash, leaves: Sequence[Digest], m: int, whole: bool) -> list[Digest]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(tree, leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(tree, leaves[:k], m, whole), root(tree, leaves[k:])]
    return [*_subproof(tree, leaves[k:], m - k, False), root(tree, leaves[:k])]


def verify_inclusion(
    tree: TreeHash, leaf: Digest, index: int, size: int, proof: Sequence[Digest], expected: Digest
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = tree.node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = tree.node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected


def verify_consistency(
    tree: TreeHash,
    first: int,
    second: int,
    first_root: Digest,
    second_root: Digest,
    proof: Sequence[Digest],
) -> bool:
    """RFC 9162 §2.1.4.2; a tree is consistent with itself and with the empty tree with no
    proof at all."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == tree.empty()
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first tree is a node of the second
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = tree.node(c, fr), tree.node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = tree.node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root
