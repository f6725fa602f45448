"""Signed notes (c2sp.org/signed-note) with Ed25519 or SM2, and the checkpoint they carry
(c2sp.org/tlog-checkpoint): origin, tree size and root hash, one per line.

A note is its text (ending in a newline), a blank line, then one line per signature:
"— <key name> <base64(key id ‖ signature)>"; the signature is over the text alone.

Every key has a signature type. Ed25519's is the byte the spec assigns, 0x01. SM2 (商用密码) has
no byte of its own, so its type is the byte the spec reserves for such types followed by an
identifier: 0xff ‖ "liandong/sm2-sm3" (UTF-8). The key id is, for both, the first four bytes of
SHA-256(name ‖ 0x0A ‖ signature type ‖ public key), as the spec recommends.

Keys are text: a verifier key (vkey) `<name>+<key id in hex>+<base64(type ‖ public key)>`, a
signer key (skey) `PRIVATE+KEY+<name>+<key id in hex>+<base64(type ‖ private key)>`. Ed25519's
public key is its 32 bytes (RFC 8032), its private key the 32-byte seed. SM2's public key is the
uncompressed point 0x04 ‖ X ‖ Y (65 bytes), its private key the 32-byte scalar.

An SM2 signature is GB/T 32918.2's over the note text with SM3 and the default user id
"1234567812345678", written r ‖ s (two 32-byte big-endian integers, 64 bytes): one encoding
for each signature and a fixed length, where DER has several of both.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property

import gmssl_pyx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

SIGNATURE_PREFIX = "— "  # an em dash (U+2014) and a space
SM2_USER_ID = b"1234567812345678"


class NoteError(ValueError):
    """A note or key that is malformed, or a signature that does not verify."""


class SignatureAlgorithm(ABC):
    """A signature type of signed notes: its identifier, the sizes of its keys, and how it
    signs and verifies."""

    name: str
    type: bytes
    public_size: int
    private_size = 32

    def __repr__(self) -> str:
        return self.name

    @abstractmethod
    def generate(self) -> bytes:
        """A new private key."""

    @abstractmethod
    def public_key(self, private_key: bytes) -> bytes: ...

    @abstractmethod
    def sign(self, private_key: bytes, public_key: bytes, text: bytes) -> bytes: ...

    @abstractmethod
    def verifies(self, public_key: bytes, text: bytes, signature: bytes) -> bool: ...

    def valid_public_key(self, public_key: bytes) -> bool:
        return len(public_key) == self.public_size

    def valid_private_key(self, private_key: bytes) -> bool:
        return len(private_key) == self.private_size


class _Ed25519(SignatureAlgorithm):
    name = "Ed25519"
    type = b"\x01"
    public_size = 32

    def generate(self) -> bytes:
        key = Ed25519PrivateKey.generate()
        return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def public_key(self, private_key: bytes) -> bytes:
        key = Ed25519PrivateKey.from_private_bytes(private_key).public_key()
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, private_key: bytes, public_key: bytes, text: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(private_key).sign(text)

    def verifies(self, public_key: bytes, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


# The curve of GB/T 32918.5: y² = x³ + ax + b over GF(p), base point G of prime order n.
_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
_A = _P - 3
_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
_G = (
    0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
)
_Point = tuple[int, int] | None  # None: the point at infinity


class _SM2(SignatureAlgorithm):
    """Signing and verifying are GmSSL's; only the public key of a private one is computed
    here, since the library does not give it (once for each signer)."""

    name = "SM2"
    type = b"\xff" + b"liandong/sm2-sm3"
    public_size = 65

    def generate(self) -> bytes:
        return (1 + secrets.randbelow(_N - 2)).to_bytes(32, "big")

    def public_key(self, private_key: bytes) -> bytes:
        point = _multiply(int.from_bytes(private_key, "big"), _G)
        if point is None:
            raise NoteError("an SM2 private key is in [1, n - 2]")
        return b"\x04" + point[0].to_bytes(32, "big") + point[1].to_bytes(32, "big")

    def sign(self, private_key: bytes, public_key: bytes, text: bytes) -> bytes:
        r, s = _from_der(gmssl_pyx.sm2_sign(private_key, public_key[1:], text, SM2_USER_ID))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def verifies(self, public_key: bytes, text: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        if not (0 < r < _N and 0 < s < _N):
            return False
        try:
            der = _to_der(r, s)
            return bool(gmssl_pyx.sm2_verify(public_key[1:], text, der, SM2_USER_ID))
        except gmssl_pyx.GmsslInnerError:
            return False

    def valid_public_key(self, public_key: bytes) -> bool:
        if len(public_key) != 65 or public_key[0] != 4:
            return False
        x, y = int.from_bytes(public_key[1:33], "big"), int.from_bytes(public_key[33:], "big")
        return x < _P and y < _P and (y * y - x * x * x - _A * x - _B) % _P == 0

    def valid_private_key(self, private_key: bytes) -> bool:
        """GB/T 32918.1: a private key is in [1, n - 2]."""
        return len(private_key) == 32 and 0 < int.from_bytes(private_key, "big") < _N - 1


def _add(p: _Point, q: _Point) -> _Point:
    if p is None or q is None:
        return q if p is None else p
    (x1, y1), (x2, y2) = p, q
    if x1 == x2 and (y1 + y2) % _P == 0:
        return None
    rise, run = (3 * x1 * x1 + _A, 2 * y1) if p == q else (y2 - y1, x2 - x1)
    slope = rise * pow(run, -1, _P)
    x3 = (slope * slope - x1 - x2) % _P
    return x3, (slope * (x1 - x3) - y1) % _P


def _multiply(k: int, point: _Point) -> _Point:
    result: _Point = None
    for bit in bin(k)[2:]:
        result = _add(result, result)
        if bit == "1":
            result = _add(result, point)
    return result


def _to_der(r: int, s: int) -> bytes:
    """SEQUENCE { INTEGER r, INTEGER s }, the form GmSSL reads."""
    body = b"".join(
        b"\x02" + bytes([len(data)]) + data
        for data in (v.to_bytes(v.bit_length() // 8 + 1, "big") for v in (r, s))
    )
    return b"\x30" + bytes([len(body)]) + body


def _from_der(der: bytes) -> tuple[int, int]:
    """r and s from the DER GmSSL writes (every length fits one byte)."""
    s_at = 4 + der[3]
    if der[0] != 0x30 or der[2] != 0x02 or der[s_at] != 0x02:
        raise NoteError("an SM2 signature is a sequence of two integers")
    r = int.from_bytes(der[4:s_at], "big")
    return r, int.from_bytes(der[s_at + 2 : s_at + 2 + der[s_at + 1]], "big")


ED25519: SignatureAlgorithm = _Ed25519()
SM2: SignatureAlgorithm = _SM2()
ALGORITHMS = (ED25519, SM2)


def key_id(name: str, public_key: bytes, algorithm: SignatureAlgorithm = ED25519) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + algorithm.type + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c in name for c in " \n+"):
        raise NoteError("a key name is not empty and has no space, newline or '+'")


def _typed(material: str, private: bool) -> tuple[SignatureAlgorithm, bytes]:
    """The algorithm and key of base64(signature type ‖ key)."""
    try:
        raw = base64.b64decode(material, validate=True)
    except ValueError as error:
        raise NoteError("a key is base64") from error
    for algorithm in ALGORITHMS:
        key = raw[len(algorithm.type) :]
        size = algorithm.private_size if private else algorithm.public_size
        if raw.startswith(algorithm.type) and len(key) == size:
            return algorithm, key
    raise NoteError("only Ed25519 and SM2 keys are known")


@dataclass(frozen=True)
class NoteVerifier:
    name: str
    public_key: bytes
    algorithm: SignatureAlgorithm = ED25519

    @classmethod
    def from_vkey(cls, vkey: str) -> NoteVerifier:
        """`<name>+<key id in hex>+<base64(type ‖ public key)>`."""
        parts = vkey.split("+", 2)
        if len(parts) != 3:
            raise NoteError("a verifier key is <name>+<key id>+<key>")
        name, id_hex, material = parts
        _check_name(name)
        algorithm, public_key = _typed(material, private=False)
        if not algorithm.valid_public_key(public_key):
            raise NoteError(f"the verifier key is not an {algorithm.name} public key")
        verifier = cls(name, public_key, algorithm)
        if verifier.key_id().hex() != id_hex:
            raise NoteError("the verifier key's id does not match its key")
        return verifier

    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key, self.algorithm)

    def vkey(self) -> str:
        material = base64.b64encode(self.algorithm.type + self.public_key).decode()
        return f"{self.name}+{self.key_id().hex()}+{material}"

    def verifies(self, text: bytes, signature: bytes) -> bool:
        return self.algorithm.verifies(self.public_key, text, signature)


@dataclass(frozen=True)
class NoteSigner:
    name: str
    private_key: bytes = field(repr=False)
    algorithm: SignatureAlgorithm = ED25519

    @classmethod
    def from_skey(cls, skey: str) -> NoteSigner:
        """`PRIVATE+KEY+<name>+<key id in hex>+<base64(type ‖ private key)>`."""
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a signer key is PRIVATE+KEY+<name>+<key id>+<key>")
        _, _, name, id_hex, material = parts
        _check_name(name)
        algorithm, private_key = _typed(material, private=True)
        if not algorithm.valid_private_key(private_key):
            raise NoteError(f"the signer key is not an {algorithm.name} private key")
        signer = cls(name, private_key, algorithm)
        if signer.verifier().key_id().hex() != id_hex:
            raise NoteError("the signer key's id does not match its key")
        return signer

    def skey(self) -> str:
        material = base64.b64encode(self.algorithm.type + self.private_key).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier().key_id().hex()}+{material}"

    def verifier(self) -> NoteVerifier:
        return self._verifier

    @cached_property
    def _verifier(self) -> NoteVerifier:
        public_key = self.algorithm.public_key(self.private_key)
        return NoteVerifier(self.name, public_key, self.algorithm)

    def sign(self, text: str) -> str:
        if not text.endswith("\n"):
            raise NoteError("a note's text ends with a newline")
        verifier = self.verifier()
        signature = self.algorithm.sign(self.private_key, verifier.public_key, text.encode())
        blob = base64.b64encode(verifier.key_id() + signature).decode()
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {blob}\n"


def generate_skey(name: str, algorithm: SignatureAlgorithm = ED25519) -> str:
    """A new signer key of this name and algorithm, as text."""
    _check_name(name)
    return NoteSigner(name, algorithm.generate(), algorithm).skey()


def open_note(note: str, verifier: NoteVerifier) -> str:
    """The note's text, if the verifier's key signed it; otherwise NoteError."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise NoteError("a signed note is its text, a blank line and its signatures")
    text += "\n"
    wanted = verifier.key_id()
    for line in signatures[:-1].split("\n"):
        name, blob = _signature_line(line)
        if name == verifier.name and blob[:4] == wanted:
            if verifier.verifies(text.encode(), blob[4:]):
                return text
            raise NoteError(f"the signature of {name} does not verify")
    raise NoteError(f"the note carries no signature of {verifier.name}")


def _signature_line(line: str) -> tuple[str, bytes]:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError("a signature line starts with an em dash and a space")
    name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except ValueError as error:
        raise NoteError("a signature is base64") from error
    if len(blob) < 5:
        raise NoteError("a signature holds a key id and the signature")
    return name, blob


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or not lines[0] or not lines[1].isdigit():
            raise NoteError("a checkpoint is its origin, tree size and root hash, one per line")
        if lines[1] != str(int(lines[1])):
            raise NoteError("a checkpoint's size has no leading zeros")
        return cls(lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True))
