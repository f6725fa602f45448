"""Verify liandong's audit trail without trusting its server: the signature of every checkpoint
under the deployment's key, the consistency of successive checkpoints, the inclusion of every
exported entry in the last one, and the checkpoints a supervisor holds from elsewhere (copies of
`liandong.audit.v1`, or notes fetched earlier). README.md beside this file gives the formats it
reads and every message it writes.

    python3 verify.py --key KEY [--checkpoints FILE ...] EXPORT

The standard library, and `cryptography` for Ed25519 or `gmssl_pyx` for SM3 and SM2, each
imported only for its suite. Nothing of liandong is imported: the tree (RFC 9162 §2.1), signed
notes (c2sp.org/signed-note) and the canonical leaf are written out here again, so that the
verifier runs on a machine that has never seen liandong's code.

Exit status: 0 all verified, 1 some check failed, 2 the input cannot be read.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hashlib
import json
import os
import struct
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

SIGNATURE_PREFIX = "— "  # an em dash (U+2014) and a space
ED25519_TYPE = b"\x01"
SM2_TYPE = b"\xff" + b"liandong/sm2-sm3"
SM2_USER_ID = b"1234567812345678"
Hash = Callable[[bytes], bytes]


class Unusable(Exception):
    """Input that cannot be read as the formats say (exit status 2)."""


class Failure(Exception):
    """A check that failed, with what it found."""


# --- The suites: each a hash for the tree and a signature algorithm for the checkpoints.


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sm3(data: bytes) -> bytes:
    return bytes(_gmssl().sm3_hash(data))


def _gmssl() -> Any:
    try:
        import gmssl_pyx
    except ImportError:
        raise Unusable("the sm3-sm2 suite needs gmssl_pyx: pip install gmssl-pyx") from None
    return gmssl_pyx


SUITES: dict[str, tuple[Hash, str]] = {
    "sha256-ed25519": (sha256, "Ed25519"),
    "sm3-sm2": (sm3, "SM2"),
}


@dataclass(frozen=True)
class Key:
    """A verifier key (vkey): `<name>+<key id in hex>+<base64(signature type ‖ public key)>`."""

    name: str
    id: bytes
    algorithm: str
    public: bytes

    @property
    def suite(self) -> str:
        return next(name for name, (_, algorithm) in SUITES.items() if algorithm == self.algorithm)

    def verifies(self, text: bytes, signature: bytes) -> bool:
        if self.algorithm == "Ed25519":
            return _ed25519_verifies(self.public, text, signature)
        return _sm2_verifies(self.public, text, signature)


def read_key(argument: str) -> Key:
    """A vkey given as it is, or as the path of a file holding one."""
    vkey = argument
    if os.path.isfile(argument):
        with open(argument, encoding="utf-8") as file:
            vkey = file.read()
    name, _, rest = vkey.strip().partition("+")
    id_hex, _, material = rest.partition("+")
    try:
        raw, key_id = base64.b64decode(material, validate=True), bytes.fromhex(id_hex)
    except ValueError:
        raise Unusable("the key is not <name>+<key id in hex>+<base64 key>") from None
    if raw[:1] == ED25519_TYPE and len(raw) == 33:
        algorithm = "Ed25519"
    elif raw.startswith(SM2_TYPE) and len(raw) == len(SM2_TYPE) + 65 and raw[-65] == 4:
        algorithm = "SM2"
    else:
        raise Unusable("the key is neither an Ed25519 nor an SM2 verifier key")
    if not name or len(key_id) != 4 or sha256(name.encode() + b"\n" + raw)[:4] != key_id:
        raise Unusable("the key's id is not the one of its name and key")
    return Key(name, key_id, algorithm, raw[-65:] if algorithm == "SM2" else raw[1:])


def _ed25519_verifies(public: bytes, text: bytes, signature: bytes) -> bool:
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        raise Unusable(
            "the sha256-ed25519 suite needs cryptography: pip install cryptography"
        ) from None
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, text)
    except InvalidSignature:
        return False
    return True


SM2_ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123


def _sm2_verifies(public: bytes, text: bytes, signature: bytes) -> bool:
    """GB/T 32918.2 with SM3 and the default user id; the signature is r ‖ s (64 bytes)."""
    gmssl = _gmssl()
    if len(signature) != 64:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < SM2_ORDER and 0 < s < SM2_ORDER):
        return False
    der = b"".join(b"\x02" + bytes([len(v)]) + v for v in map(_der_integer, (r, s)))
    with _quiet_stderr(), contextlib.suppress(gmssl.GmsslInnerError):
        der = b"\x30" + bytes([len(der)]) + der
        return bool(gmssl.sm2_verify(public[1:], text, der, signer_id=SM2_USER_ID))
    return False


def _der_integer(value: int) -> bytes:
    return value.to_bytes(value.bit_length() // 8 + 1, "big")


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """GmSSL writes a trace to the standard error whenever a signature does not verify."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# --- RFC 9162 §2.1: the Merkle tree's proofs.


def _node(hash: Hash, left: bytes, right: bytes) -> bytes:
    return hash(b"\x01" + left + right)


def verify_inclusion(
    hash: Hash, leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2, `leaf` already hashed."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(hash, p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(hash, r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    hash: Hash, first: int, second: int, first_root: bytes, root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2; a tree is consistent with itself and with the empty tree."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == root
    if first == 0:
        return not proof and first_root == hash(b"")
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
            fr, sr = _node(hash, c, fr), _node(hash, c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(hash, sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == root


# --- Signed notes and the checkpoint they carry (c2sp.org/tlog-checkpoint).


def note_text(note: str) -> tuple[str, list[str]]:
    """The text of a signed note and its signature lines."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise Failure("the note is not a text, a blank line and signature lines")
    return text + "\n", signatures[:-1].split("\n")


def open_note(note: str, key: Key) -> str:
    """The note's text, if the key signed it."""
    text, lines = note_text(note)
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise Failure("a signature line of the note does not start with an em dash")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise Failure("a signature of the note is not base64") from None
        if name == key.name and blob[:4] == key.id:
            if key.verifies(text.encode(), blob[4:]):
                return text
            raise Failure(f"the signature of {key.name} does not verify")
    raise Failure(f"the note carries no signature of the key {key.name}+{key.id.hex()}")


def parse_checkpoint(text: str) -> tuple[str, int, bytes]:
    """Origin, tree size and root hash: the first three lines of a checkpoint's text."""
    lines = text.split("\n")
    if len(lines) < 4 or not lines[0] or not lines[1].isdigit() or lines[1] != str(int(lines[1])):
        raise Failure("the signed text is not a checkpoint: origin, tree size, root hash")
    try:
        return lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise Failure("the signed root hash is not base64") from None


# --- The canonical leaf: the event store's record as stored.


def decode_leaf(leaf: bytes) -> tuple[int, str, int]:
    """Position, aggregate id and version of `u64 position ‖ u32 n ‖ id ‖ u64 version ‖
    u32 n ‖ topic ‖ u32 n ‖ state` (big-endian); ValueError if the bytes are not one."""
    try:
        (position,) = struct.unpack_from(">Q", leaf, 0)
        aggregate, at = _string(leaf, 8)
        (version,) = struct.unpack_from(">Q", leaf, at)
        _, at = _string(leaf, at + 8)
        (size,) = struct.unpack_from(">I", leaf, at)
    except struct.error:
        raise ValueError("it ends before its last part") from None
    if at + 4 + size != len(leaf):
        raise ValueError("its length is not the sum of its parts")
    if str(uuid.UUID(aggregate)) != aggregate:
        raise ValueError(f"its aggregate id {aggregate!r} is not a canonical UUID")
    return position, aggregate, version


def _string(data: bytes, at: int) -> tuple[str, int]:
    (size,) = struct.unpack_from(">I", data, at)
    end = at + 4 + size
    if end > len(data):
        raise struct.error
    return data[at + 4 : end].decode(), end


# --- Reading the input.


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, subject: str, message: str) -> None:
        self.failures.append(f"{subject}: {message}")

    def warn(self, subject: str, message: str) -> None:
        self.warnings.append(f"warning: {subject}: {message}")


def _get(record: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = record.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Unusable(f"{where}: no {name} of the right type")
    return value


def _b64(value: Any, where: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise Unusable(f"{where}: {value!r} is not base64") from None


def _proof(record: dict[str, Any], where: str) -> list[bytes]:
    return [_b64(p, where) for p in _get(record, "proof", list, where)]


def _records(lines: Iterable[str], source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        try:
            record = json.loads(line)
        except ValueError:
            raise Unusable(f"{where}: not JSON") from None
        if not isinstance(record, dict):
            raise Unusable(f"{where}: not a JSON object")
        yield where, record


def _lines(path: str) -> Iterator[str]:
    try:
        if path == "-":
            yield from sys.stdin
            return
        with open(path, encoding="utf-8") as file:
            yield from file
    except (OSError, UnicodeDecodeError) as error:
        raise Unusable(f"{path}: {error}") from None


@dataclass(frozen=True)
class Message:
    """A checkpoint message (the JSON fields are None for a bare signed note)."""

    where: str
    note: str
    origin: str | None = None
    size: int | None = None
    root: bytes | None = None
    suite: str | None = None


def _message(record: dict[str, Any], where: str) -> Message:
    return Message(
        where,
        _get(record, "note", str, where),
        _get(record, "origin", str, where),
        _get(record, "tree_size", int, where),
        _b64(_get(record, "root_hash", str, where), where),
        _get(record, "suite", str, where),
    )


def read_held(path: str) -> list[Message]:
    """JSON Lines of checkpoint messages, one checkpoint message (as the API answers it, which
    may span lines), or one signed note."""
    lines = list(_lines(path))
    content = "".join(lines)
    if not content.lstrip().startswith("{"):
        return [Message(path, content)]
    if sum(1 for line in lines if line.strip()) > 1:  # JSON Lines do not parse as a whole
        with contextlib.suppress(ValueError):
            whole = json.loads(content)
            if isinstance(whole, dict):
                return [_message(whole, path)]
    return [_message(record, where) for where, record in _records(lines, path)]


# --- The checks.


@dataclass(frozen=True)
class Checkpoint:
    subject: str
    origin: str
    size: int
    root: bytes
    suite: str
    signed: bool


def check_checkpoint(message: Message, key: Key, report: Report, held: bool) -> Checkpoint:
    """The checkpoint as signed, if its note opens under the key; as the JSON says otherwise."""
    subject = _subject(message, held)
    suite = message.suite or key.suite
    if suite not in SUITES:
        report.fail(subject, f"its suite {suite!r} is not one of {', '.join(SUITES)}")
    elif SUITES[suite][1] != key.algorithm:
        report.fail(
            subject,
            f"its suite {suite} signs with {SUITES[suite][1]}, the key is an {key.algorithm} key",
        )
        return _unsigned(message, subject, suite)
    try:
        origin, size, root = parse_checkpoint(open_note(message.note, key))
    except Failure as failure:
        report.fail(subject, str(failure))
        return _unsigned(message, subject, suite)
    for name, claimed, signed in (
        ("origin", message.origin, origin),
        ("tree_size", message.size, size),
        ("root_hash", message.root, root),
    ):
        if claimed is not None and claimed != signed:
            report.fail(
                subject, f"the JSON's {name} {_show(claimed)} is not the signed {_show(signed)}"
            )
    return Checkpoint(subject, origin, size, root, suite, signed=True)


def _subject(message: Message, held: bool) -> str:
    size = message.size
    if size is None:
        with contextlib.suppress(Failure):
            size = parse_checkpoint(note_text(message.note)[0])[1]
    name = f"checkpoint {'?' if size is None else size}"
    return f"{name} ({message.where})" if held else name


def _unsigned(message: Message, subject: str, suite: str) -> Checkpoint:
    size = -1 if message.size is None else message.size
    return Checkpoint(subject, message.origin or "", size, message.root or b"", suite, False)


def _show(value: object) -> str:
    return base64.b64encode(value).decode() if isinstance(value, bytes) else repr(value)


def check_chain(
    hash: Hash,
    checkpoints: list[Checkpoint],
    proofs: dict[tuple[int, int], list[bytes]],
    report: Report,
) -> None:
    """Every checkpoint of the export consistent with the one before it."""
    for before, after in pairwise(checkpoints):
        pair = f"checkpoints {before.size} and {after.size}"
        if after.origin != before.origin:
            report.fail(after.subject, f"its origin {after.origin!r} is not {before.origin!r}")
        elif after.size < before.size:
            report.fail(
                after.subject,
                f"the export's checkpoints are not ascending: it follows checkpoint {before.size}",
            )
        elif after.size == before.size:
            if after.root != before.root:
                _split_view(report, after, before, "the checkpoint before it")
        elif (before.size, after.size) not in proofs:
            report.fail(pair, "the export has no consistency proof between them")
        elif not verify_consistency(
            hash, before.size, after.size, before.root, after.root, proofs[before.size, after.size]
        ):
            report.fail(
                pair,
                f"the consistency proof does not verify: the tree of {after.size} "
                f"does not extend the tree of {before.size}",
            )


def check_held(held: list[Checkpoint], checkpoints: list[Checkpoint], report: Report) -> None:
    """Every checkpoint held elsewhere is one of the export's, where the export has its size."""
    by_size = {c.size: c for c in checkpoints}
    origin = checkpoints[-1].origin
    for checkpoint in held:
        if not checkpoint.signed:
            continue
        same = by_size.get(checkpoint.size)
        if checkpoint.origin != origin:
            report.fail(
                checkpoint.subject,
                f"its origin {checkpoint.origin!r} is not the export's {origin!r}",
            )
        elif same is None:
            report.warn(
                checkpoint.subject,
                "the export has no checkpoint of this size, so it "
                "could not be linked to the export's",
            )
        elif same.root != checkpoint.root:
            _split_view(report, checkpoint, same, "the export")


def _split_view(report: Report, this: Checkpoint, other: Checkpoint, where: str) -> None:
    """Two roots for one size: a split view if both are signed (the log showed two trees)."""
    roots = f"{_show(this.root)} here, {_show(other.root)} in {where}"
    if this.signed and other.signed:
        report.fail(this.subject, f"split view: two signed roots for the size {this.size}: {roots}")
    else:
        report.fail(this.subject, f"two roots for the size {this.size}: {roots}")


@dataclass
class Entries:
    """The entries' checks against the last checkpoint of the export."""

    last: Checkpoint
    hash: Hash
    report: Report
    count: int = 0
    position: int | None = None

    def check(self, record: dict[str, Any], where: str) -> None:
        position = _get(record, "position", int, where)
        index = _get(record, "leaf_index", int, where)
        size = _get(record, "tree_size", int, where)
        leaf = _b64(_get(record, "leaf", str, where), where)
        claimed = _b64(_get(record, "leaf_hash", str, where), where)
        proof = _proof(record, where)
        event = _get(record, "event", dict, where)
        subject = f"entry {position}"
        self.count += 1
        if self.position is not None and position <= self.position:
            self.report.fail(subject, f"the positions do not increase: it follows {self.position}")
        self.position = position
        leaf_hash = self.hash(b"\x00" + leaf)
        if claimed != leaf_hash:
            self.report.fail(subject, "its leaf_hash is not the hash of its leaf")
        if size != self.last.size:
            self.report.fail(
                subject,
                f"its proof is against a tree of {size}, not the last "
                f"checkpoint's {self.last.size}",
            )
        elif not verify_inclusion(self.hash, leaf_hash, index, size, proof, self.last.root):
            self.report.fail(
                subject,
                f"its leaf is not at index {index} of checkpoint {size}: "
                "the inclusion proof does not verify",
            )
        self._check_leaf(subject, leaf, position, event, where)

    def _check_leaf(
        self, subject: str, leaf: bytes, position: int, event: dict[str, Any], where: str
    ) -> None:
        try:
            found = decode_leaf(leaf)
        except ValueError as error:
            self.report.fail(subject, f"its leaf is not a canonical record: {error}")
            return
        said = (position, _get(event, "id", str, where), _get(event, "version", int, where))
        for name, in_leaf, in_entry in zip(
            ("position", "aggregate id", "version"), found, said, strict=True
        ):
            if in_leaf != in_entry:
                self.report.fail(
                    subject, f"its leaf holds {name} {in_leaf}, the entry says {in_entry}"
                )


def verify(
    export: Iterable[str], source: str, key: Key, held: list[Message]
) -> tuple[Report, int, int]:
    """The report on an export and the held checkpoints, and how many checkpoints and entries
    it checked."""
    report = Report()
    checkpoints: list[Checkpoint] = []
    proofs: dict[tuple[int, int], list[bytes]] = {}
    entries: Entries | None = None
    for where, record in _records(export, source):
        kind = record.get("type")
        if kind == "entry":
            entries = entries or _start_entries(checkpoints, proofs, held, key, report)
            entries.check(record, where)
        elif entries is not None:
            raise Unusable(f"{where}: a {kind} after the entries")
        elif kind == "checkpoint":
            checkpoints.append(check_checkpoint(_message(record, where), key, report, False))
        elif kind == "consistency":
            first, second = (_get(record, n, int, where) for n in ("first", "second"))
            proofs[first, second] = _proof(record, where)
        else:
            raise Unusable(f"{where}: the type {kind!r} is not checkpoint, consistency or entry")
    if entries is None:
        entries = _start_entries(checkpoints, proofs, held, key, report)
    return report, len(checkpoints) + len(held), entries.count


def _start_entries(
    checkpoints: list[Checkpoint],
    proofs: dict[tuple[int, int], list[bytes]],
    held: list[Message],
    key: Key,
    report: Report,
) -> Entries:
    if not checkpoints:
        raise Unusable("the export holds no checkpoint")
    last = checkpoints[-1]
    hash = SUITES.get(last.suite, SUITES[key.suite])[0]
    check_chain(hash, checkpoints, proofs, report)
    check_held([check_checkpoint(m, key, report, True) for m in held], checkpoints, report)
    return Entries(last, hash, report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--key", required=True, help="the deployment's verifier key, or a file")
    parser.add_argument(
        "--checkpoints",
        action="append",
        default=[],
        metavar="FILE",
        help="checkpoints held elsewhere: JSON Lines of checkpoint messages or one signed note",
    )
    parser.add_argument("export", help="the JSON Lines export of /v1/audit/events (- for stdin)")
    args = parser.parse_args(argv)
    try:
        key = read_key(args.key)
        held = [message for path in args.checkpoints for message in read_held(path)]
        report, checkpoints, entries = verify(_lines(args.export), args.export, key, held)
    except Unusable as error:
        print(f"verify: unusable input: {error}", file=sys.stderr)
        return 2
    for line in [*report.failures, *report.warnings]:
        print(line)
    counted = f"{_count(checkpoints, 'checkpoint')}, {_count(entries, 'entry')}"
    if report.failures:
        print(f"{counted}: {_count(len(report.failures), 'failure')}")
        return 1
    print(f"{counted}: all verified")
    return 0


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


if __name__ == "__main__":
    sys.exit(main())
