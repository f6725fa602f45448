"""The embedded default's key for signing the audit log's checkpoints, made once at its first
use and kept under var/ beside the token secret (a deployment sets its own)."""

from __future__ import annotations

from pathlib import Path

from services.audit.suites import Suite

KEY_FILE = "audit-signing-key"


def kept_signing_key(var_dir: Path, name: str, suite: Suite) -> str:
    path = var_dir / f"{KEY_FILE}-{suite.name}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(suite.generate_signer(name) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()
