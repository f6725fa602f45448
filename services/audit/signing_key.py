"""The deployment's key for signing the audit log's checkpoints (a signed-note signer key,
`PRIVATE+KEY+<name>+<id>+<key>`): from the settings, or, on the embedded default, made once
and kept under var/ beside the token secret. The key's name is the log's origin."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from services.audit.signed_note import ED25519, NoteSigner

KEY_FILE = "audit-signing-key"


def new_signing_key(name: str) -> str:
    """A fresh Ed25519 signer key of this name."""
    seed = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    signer = NoteSigner(name, Ed25519PrivateKey.from_private_bytes(seed))
    key_id = signer.verifier().vkey().split("+")[1]
    return f"PRIVATE+KEY+{name}+{key_id}+{base64.b64encode(ED25519 + seed).decode()}"


def kept_signing_key(var_dir: Path, name: str) -> str:
    """The embedded default's key, made at its first use."""
    path = var_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_signing_key(name) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()
