"""Signed notes (c2sp.org/signed-note) with Ed25519, and the checkpoint they carry
(c2sp.org/tlog-checkpoint): origin, tree size and root hash, one per line.

A note is its text (ending in a newline), a blank line, then one line per signature:
"— <key name> <base64(key id ‖ signature)>". The key id is the first four bytes of
SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key); the signature is over the text alone.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
SIGNATURE_PREFIX = "— "  # an em dash (U+2014) and a space


class NoteError(ValueError):
    """A note that is malformed, or whose signature does not verify."""


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c in name for c in " \n+"):
        raise NoteError("a key name is not empty and has no space, newline or '+'")


@dataclass(frozen=True)
class NoteVerifier:
    name: str
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> NoteVerifier:
        """`<name>+<key id in hex>+<base64(0x01 ‖ public key)>`."""
        try:
            name, id_hex, material = vkey.split("+", 2)
            raw = base64.b64decode(material, validate=True)
        except ValueError as error:
            raise NoteError("a verifier key is <name>+<key id>+<key>") from error
        _check_name(name)
        if raw[:1] != ED25519 or len(raw) != 33:
            raise NoteError("only Ed25519 verifier keys are known")
        verifier = cls(name, raw[1:])
        if key_id(name, verifier.public_key).hex() != id_hex:
            raise NoteError("the verifier key's id does not match its key")
        return verifier

    def vkey(self) -> str:
        material = base64.b64encode(ED25519 + self.public_key).decode()
        return f"{self.name}+{key_id(self.name, self.public_key).hex()}+{material}"

    def verifies(self, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class NoteSigner:
    name: str
    private_key: Ed25519PrivateKey

    @classmethod
    def from_skey(cls, skey: str) -> NoteSigner:
        """`PRIVATE+KEY+<name>+<key id in hex>+<base64(0x01 ‖ seed)>`."""
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a signer key is PRIVATE+KEY+<name>+<key id>+<key>")
        _, _, name, id_hex, material = parts
        _check_name(name)
        raw = base64.b64decode(material, validate=True)
        if raw[:1] != ED25519 or len(raw) != 33:
            raise NoteError("only Ed25519 signer keys are known")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.verifier().vkey().split("+")[1] != id_hex:
            raise NoteError("the signer key's id does not match its key")
        return signer

    def verifier(self) -> NoteVerifier:
        public = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return NoteVerifier(self.name, public)

    def sign(self, text: str) -> str:
        if not text.endswith("\n"):
            raise NoteError("a note's text ends with a newline")
        verifier = self.verifier()
        blob = key_id(self.name, verifier.public_key) + self.private_key.sign(text.encode())
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {base64.b64encode(blob).decode()}\n"


def open_note(note: str, verifier: NoteVerifier) -> str:
    """The note's text, if the verifier's key signed it; otherwise NoteError."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise NoteError("a signed note is its text, a blank line and its signatures")
    text += "\n"
    wanted = key_id(verifier.name, verifier.public_key)
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
