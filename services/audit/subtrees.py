"""Which perfect subtrees a root or a proof of RFC 9162 §2.1 is made of.

A node (level, index) is the root of the 2**level leaves from index * 2**level: a perfect,
aligned subtree, which the log stores once the tree has grown past it and never changes. Every
hash a root or a proof needs is the root of a range of leaves that is either such a subtree or
runs from an aligned start to the tree's end; the latter is the right fold of the perfect
subtrees that tile it, largest first. So any root or proof, at any size the tree ever had, is
read from stored nodes: these functions say which ones, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

Node = tuple[int, int]  # (level, index)
Range = tuple[int, int]  # leaves [start, end)


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def tiles(start: int, end: int) -> list[Node]:
    """The perfect subtrees that tile [start, end), left to right, each as large as it can be;
    for a range of the recursion of RFC 9162 they are exactly its MTH's subtrees."""
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def completed_by(index: int) -> list[Node]:
    """The nodes above leaf level that appending leaf `index` completes, lowest first."""
    size, level, nodes = index + 1, 1, []
    while size % (1 << level) == 0:
        nodes.append((level, (size >> level) - 1))
        level += 1
    return nodes


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose roots are PATH(index, D[size]), in the proof's order."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The ranges whose roots are PROOF(first, D[second]), in the proof's order."""
    if not 0 <= first <= second:
        raise ValueError(f"a tree of {first} is not a prefix of a tree of {second}")
    if first in (0, second):
        return []
    ranges: list[Range] = []
    start, end, m, whole = 0, second, first, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))
    return ranges[::-1]


def range_root(
    start: int, end: int, hashes: Mapping[Node, bytes], node: Callable[[bytes, bytes], bytes]
) -> bytes:
    """MTH of the leaves [start, end) from the hashes of its tiles."""
    return fold([hashes[n] for n in tiles(start, end)], node)


def fold(parts: Sequence[bytes], node: Callable[[bytes, bytes], bytes]) -> bytes:
    """The root over perfect subtrees' roots, left to right, largest first."""
    digest = parts[-1]
    for left in reversed(parts[:-1]):
        digest = node(left, digest)
    return digest


class Frontier:
    """The right edge of a growing tree: the roots of the perfect subtrees that tile it, one
    per set bit of its size. Enough to append a leaf and to give the root, in memory that grows
    with the logarithm of the size."""

    def __init__(
        self,
        node: Callable[[bytes, bytes], bytes],
        size: int = 0,
        parts: Sequence[tuple[Node, bytes]] = (),
    ) -> None:
        self.node = node
        self.size = size
        self.parts = list(parts)

    def copy(self) -> Frontier:
        return Frontier(self.node, self.size, self.parts)

    def push(self, leaf_hash: bytes) -> list[tuple[Node, bytes]]:
        """Appends a leaf; answers the nodes it completes, the leaf itself first."""
        index = self.size
        made = [((0, index), leaf_hash)]
        self.parts.append(made[0])
        for completed in completed_by(index):
            (_, right), (_, left) = self.parts.pop(), self.parts.pop()
            self.parts.append((completed, self.node(left, right)))
            made.append(self.parts[-1])
        self.size += 1
        return made

    def root(self, empty: bytes) -> bytes:
        return fold([h for _, h in self.parts], self.node) if self.parts else empty
