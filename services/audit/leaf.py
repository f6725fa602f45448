"""The log's leaf: one stored event, encoded canonically, exactly as the store holds it.

    u64 position ‖ str aggregate id ‖ u64 version ‖ str topic ‖ bytes state

where u64 is eight bytes big-endian, `str` a UTF-8 text and `bytes` raw bytes, each after its
length as four bytes big-endian. The aggregate id is the canonical UUID text (lowercase, with
hyphens); the state is the stored bytes untouched, encrypted where the store encrypts, so the
log is kept and verified without the key. The same encoding is written down for supervisors in
docs/audit.md and read by the verifier in deploy/verify/.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any
from uuid import UUID

_U64 = struct.Struct(">Q")
_U32 = struct.Struct(">I")


class LeafError(ValueError):
    """Bytes that are not a canonical leaf."""


@dataclass(frozen=True)
class Leaf:
    position: int
    aggregate_id: UUID
    version: int
    topic: str
    state: bytes

    @classmethod
    def of(cls, stored: Any) -> Leaf:
        """From a stored event or notification of the event store (its `id` the position).
        A state that SQL has turned into text is taken as its UTF-8 bytes, so that verifying
        reports it rather than fails on it."""
        state = stored.state
        if isinstance(state, str):
            state = state.encode()
        return cls(stored.id, stored.originator_id, stored.originator_version, stored.topic, state)

    def encode(self) -> bytes:
        return b"".join(
            (
                _U64.pack(self.position),
                _text(str(self.aggregate_id)),
                _U64.pack(self.version),
                _text(self.topic),
                _U32.pack(len(self.state)),
                bytes(self.state),
            )
        )

    @classmethod
    def decode(cls, data: bytes) -> Leaf:
        reader = _Reader(data)
        position = reader.u64()
        aggregate_id = reader.text()
        version = reader.u64()
        topic = reader.text()
        state = reader.blob()
        if not reader.done():
            raise LeafError("a leaf ends with its state")
        try:
            parsed = UUID(aggregate_id)
        except ValueError as error:
            raise LeafError("a leaf's aggregate id is a UUID") from error
        if str(parsed) != aggregate_id:
            raise LeafError("a leaf's aggregate id is written canonically")
        return cls(position, parsed, version, topic, state)


def _text(value: str) -> bytes:
    encoded = value.encode()
    return _U32.pack(len(encoded)) + encoded


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.at = 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise LeafError("a leaf is cut short")
        part = bytes(self.data[self.at : self.at + n])
        self.at += n
        return part

    def u64(self) -> int:
        return int(_U64.unpack(self.take(8))[0])

    def blob(self) -> bytes:
        return self.take(int(_U32.unpack(self.take(4))[0]))

    def text(self) -> str:
        try:
            return self.blob().decode()
        except UnicodeDecodeError as error:
            raise LeafError("a leaf's text is UTF-8") from error

    def done(self) -> bool:
        return self.at == len(self.data)
