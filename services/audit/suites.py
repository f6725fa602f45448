"""The algorithm suites of the audit log, a deployment setting: the hash of its Merkle tree and
the signature of its checkpoints. SHA-256 with Ed25519 is the default; SM3 with SM2 (商用密码,
GB/T 32905 and GB/T 32918) is for the systems expected to use them.

A checkpoint names its suite, so a verifier knows which hash to recompute and which key type
to expect. SM3 and SM2 are GmSSL's (the `gmssl_pyx` binding of the C library).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import gmssl_pyx

from services.audit.merkle import SHA256, TreeHash
from services.audit.signed_note import (
    ED25519,
    SM2,
    NoteError,
    NoteSigner,
    NoteVerifier,
    SignatureAlgorithm,
    generate_skey,
)

SuiteName = Literal["sha256-ed25519", "sm3-sm2"]


def sm3_digest(data: bytes) -> bytes:
    return bytes(gmssl_pyx.sm3_hash(data))


SM3 = TreeHash(sm3_digest)


@dataclass(frozen=True)
class Suite:
    name: SuiteName
    tree: TreeHash
    signature: SignatureAlgorithm

    def verifier(self, vkey: str) -> NoteVerifier:
        """The verifier of a vkey, which must be of this suite's signature type."""
        verifier = NoteVerifier.from_vkey(vkey)
        self._check(verifier.algorithm)
        return verifier

    def signer(self, skey: str) -> NoteSigner:
        signer = NoteSigner.from_skey(skey)
        self._check(signer.algorithm)
        return signer

    def generate_signer(self, name: str) -> str:
        """A new signer key (skey) for this suite's checkpoints."""
        return generate_skey(name, self.signature)

    def _check(self, algorithm: SignatureAlgorithm) -> None:
        if algorithm is not self.signature:
            raise NoteError(f"suite {self.name} signs with {self.signature}, not {algorithm}")


SHA256_ED25519 = Suite("sha256-ed25519", SHA256, ED25519)
SM3_SM2 = Suite("sm3-sm2", SM3, SM2)
DEFAULT = SHA256_ED25519
SUITES: dict[str, Suite] = {s.name: s for s in (SHA256_ED25519, SM3_SM2)}


def suite(name: str) -> Suite:
    try:
        return SUITES[name]
    except KeyError:
        known = ", ".join(SUITES)
        raise ValueError(f"unknown audit suite {name!r}: the known ones are {known}") from None


def generate_signer(name: str, suite_name: str = DEFAULT.name) -> str:
    """A new signer key (skey) of this name for the suite's checkpoints."""
    return suite(suite_name).generate_signer(name)
