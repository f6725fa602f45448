"""The contract files as checked in under deploy/contracts, and which of them drifted from the code;
and the error catalogue, docs/errors.md, which lives beside the guide for integrators.

Schemas of older versions of an event type stay: messages of that version may still be on a topic.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from services.contracts.asyncapi import document
from services.contracts.audit import audit_files
from services.contracts.envelope import envelope_schema
from services.contracts.errors import catalogue
from services.contracts.events import data_schema, published_events
from services.contracts.replies import reply_files

REPOSITORY = Path(__file__).resolve().parents[2]
ROOT = REPOSITORY / "deploy" / "contracts"
ERRORS = REPOSITORY / "docs" / "errors.md"
ASYNCAPI = "asyncapi.json"
EVENT_FILE = re.compile(r"^events/(?P<name>\w+\.\w+)\.v(?P<version>\d+)\.schema\.json$")


def render(value: Any) -> str:
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """Each contract file's path under the root and its text."""
    events = published_events()
    files = {"envelope.schema.json": render(envelope_schema()), ASYNCAPI: render(document(events))}
    for event in events:
        files[f"events/{event.key}.schema.json"] = render(data_schema(event))
    files.update({path: render(schema) for path, schema in reply_files().items()})
    files.update({path: render(schema) for path, schema in audit_files().items()})
    return files


def write(root: Path = ROOT) -> list[str]:
    """Makes the root hold what the code generates; answers the paths it changed."""
    files = generate()
    changed = drifted(root, files)
    for path in changed:
        if path in files:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(files[path], encoding="utf-8")
        else:
            (root / path).unlink()
    return changed


def drifted(root: Path = ROOT, files: dict[str, str] | None = None) -> list[str]:
    """Files missing or different from what the code generates, and files it would not keep."""
    files = generate() if files is None else files
    changed = [p for p, text in files.items() if _read(root / p) != text]
    present = {p.relative_to(root).as_posix() for p in root.rglob("*.json")}
    return sorted(changed + [p for p in present - set(files) if not _history(p, files)])


def write_errors(path: Path = ERRORS, text: str | None = None) -> bool:
    """Makes the catalogue what the code generates; answers whether it changed."""
    text = catalogue() if text is None else text
    if _read(path) == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def errors_drifted(path: Path = ERRORS, text: str | None = None) -> bool:
    """The catalogue is missing or differs from what the code generates."""
    return _read(path) != (catalogue() if text is None else text)


def _history(path: str, files: dict[str, str]) -> bool:
    """An older version of an event type that has a current schema."""
    match = EVENT_FILE.match(path)
    if match is None:
        return False
    name, version = match["name"], int(match["version"])
    return any(
        (m := EVENT_FILE.match(p)) and m["name"] == name and int(m["version"]) > version
        for p in files
    )


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
