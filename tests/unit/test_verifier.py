"""The supervisor's verifier (deploy/verify/verify.py), run as a supervisor runs it: its own
process, from an empty directory, without the project on its path. The exports are built here
with the project's tree and signed notes; each tampering is named with its position or size."""

from __future__ import annotations

import ast
import base64
import json
import os
import struct
import subprocess
import sys
import uuid
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from services.audit import merkle
from services.audit.signed_note import Checkpoint, NoteSigner
from services.audit.suites import SUITES, Suite, generate_signer

VERIFY = Path(__file__).resolve().parents[2] / "deploy" / "verify" / "verify.py"
ORIGIN = "liandong.example/120116"
KEY_NAME = "liandong.example/audit"
SIZES = (3, 5, 8)
POSITIONS = (1, 2, 3, 5, 6, 8, 9, 10)  # the store's positions may have gaps
TRAIL = (0, 2, 3, 5, 7)  # the leaves of the entries the supervisor may read
SIGNERS = {name: s.signer(generate_signer(KEY_NAME, name)) for name, s in SUITES.items()}
AGGREGATES = [str(uuid.UUID(int=n * 0x1111)) for n in range(1, 4)]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def leaf(position: int, aggregate: str, version: int, topic: str, state: bytes) -> bytes:
    def string(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    return (
        struct.pack(">Q", position)
        + string(aggregate.encode())
        + struct.pack(">Q", version)
        + string(topic.encode())
        + string(state)
    )


@dataclass
class Log:
    """A log of eight events and the export of its trail, as the server writes them."""

    suite: Suite
    signer: NoteSigner

    def __post_init__(self) -> None:
        self.records = [
            (position, AGGREGATES[i % 3], i // 3 + 1, f"domain.case:Case.Step{i}", bytes([i]) * 9)
            for i, position in enumerate(POSITIONS)
        ]
        self.leaves = [leaf(*record) for record in self.records]
        self.hashes = [self.suite.tree.leaf(data) for data in self.leaves]

    def root(self, size: int) -> bytes:
        return merkle.root(self.suite.tree, self.hashes[:size])

    def checkpoint(self, size: int, root: bytes | None = None, signer: NoteSigner | None = None):
        root = self.root(size) if root is None else root
        note = (signer or self.signer).sign(Checkpoint(ORIGIN, size, root).text())
        return {
            "origin": ORIGIN,
            "tree_size": size,
            "root_hash": b64(root),
            "suite": self.suite.name,
            "signed_at": "2026-12-01T10:00:00+08:00",
            "note": note,
        }

    def export(self) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = [
            {"type": "checkpoint", **self.checkpoint(size)} for size in SIZES
        ]
        for first, second in pairwise(SIZES):
            proof = merkle.consistency_proof(self.suite.tree, self.hashes[:second], first)
            lines.append(
                {"type": "consistency", "first": first, "second": second, "proof": _b64s(proof)}
            )
        return lines + [self.entry(index) for index in TRAIL]

    def entry(self, index: int) -> dict[str, Any]:
        position, aggregate, version, topic, _ = self.records[index]
        proof = merkle.inclusion_proof(self.suite.tree, self.hashes, index)
        return {
            "type": "entry",
            "position": position,
            "leaf_index": index,
            "tree_size": len(self.hashes),
            "leaf": b64(self.leaves[index]),
            "leaf_hash": b64(self.hashes[index]),
            "proof": _b64s(proof),
            "event": {
                "id": aggregate,
                "kind": "case",
                "version": version,
                "type": topic.rpartition(":")[2],
                "agency": "tj-bh-yjj",
                "officer": "wang-fang",
                "recorded_at": "2026-11-20T09:00:00+08:00",
                "data": {},
            },
        }


def _b64s(digests: list[bytes]) -> list[str]:
    return [b64(d) for d in digests]


def _log(name: str = "sha256-ed25519") -> Log:
    return Log(SUITES[name], SIGNERS[name])


@dataclass
class Run:
    status: int
    lines: list[str]
    stderr: str

    def named(self, start: str) -> list[str]:
        return [line for line in self.lines if line.startswith(start)]


def run(tmp_path: Path, export: list[dict[str, Any]], key: str, *options: str) -> Run:
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in export))
    empty = tmp_path / "cwd"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, str(VERIFY), "--key", key, *options, str(path)],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(done.returncode, done.stdout.splitlines(), done.stderr)


def _vkey(name: str = "sha256-ed25519") -> str:
    return SIGNERS[name].verifier().vkey()


def _flip_signature(note: str) -> str:
    text, _, line = note.rpartition("\n\n")
    prefix, _, encoded = line.rpartition(" ")
    blob = bytearray(base64.b64decode(encoded))
    blob[10] ^= 1
    return f"{text}\n\n{prefix} {b64(bytes(blob))}\n"


def _with(export: list[dict[str, Any]], index: int, **fields: Any) -> list[dict[str, Any]]:
    return [*export[:index], {**export[index], **fields}, *export[index + 1 :]]


ENTRY_AT_5 = 3 + 2 + TRAIL.index(3)  # the export's line of the entry at position 5 (leaf 3)


@pytest.mark.parametrize("name", sorted(SUITES))
def test_a_good_export_verifies(tmp_path, name):
    result = run(tmp_path, _log(name).export(), _vkey(name))
    assert result.lines == ["3 checkpoints, 5 entries: all verified"]
    assert result.status == 0
    assert result.stderr == ""


def test_the_key_may_be_a_file_and_held_checkpoints_of_the_export_verify_in_each_form(tmp_path):
    log = _log()
    (tmp_path / "audit.vkey").write_text(_vkey() + "\n")
    dump = tmp_path / "topic.jsonl"
    dump.write_text("".join(json.dumps(log.checkpoint(size)) + "\n" for size in (3, 5)))
    note = tmp_path / "checkpoint.note"
    note.write_text(log.checkpoint(8)["note"])
    latest = tmp_path / "latest.json"  # as GET /v1/audit/checkpoint may answer: one object
    latest.write_text(json.dumps(log.checkpoint(8), indent=2))
    options = [f"--checkpoints={path}" for path in (dump, note, latest)]
    result = run(tmp_path, log.export(), str(tmp_path / "audit.vkey"), *options)
    assert result.lines == ["7 checkpoints, 5 entries: all verified"]
    assert result.status == 0


def test_a_held_checkpoint_of_a_size_not_in_the_export_is_a_warning(tmp_path):
    log = _log()
    dump = tmp_path / "topic.jsonl"
    dump.write_text(json.dumps(log.checkpoint(4)) + "\n")
    result = run(tmp_path, log.export(), _vkey(), "--checkpoints", str(dump))
    assert result.status == 0
    [warning] = result.named("warning: checkpoint 4 (")
    assert "could not be linked" in warning
    assert result.lines[-1] == "4 checkpoints, 5 entries: all verified"


@pytest.mark.parametrize("name", sorted(SUITES))
def test_an_altered_leaf_is_named_by_its_position(tmp_path, name):
    export = _log(name).export()
    altered = bytearray(base64.b64decode(export[ENTRY_AT_5]["leaf"]))
    altered[-1] ^= 1
    result = run(tmp_path, _with(export, ENTRY_AT_5, leaf=b64(bytes(altered))), _vkey(name))
    assert result.status == 1
    failures = result.named("entry 5: ")
    assert any("leaf_hash is not the hash of its leaf" in f for f in failures)
    assert any("inclusion proof does not verify" in f for f in failures)
    assert result.lines[-1] == "3 checkpoints, 5 entries: 2 failures"


def test_an_altered_proof_is_named_by_its_position(tmp_path):
    export = _log().export()
    proof = export[ENTRY_AT_5]["proof"]
    proof = [b64(bytes(32)), *proof[1:]]
    result = run(tmp_path, _with(export, ENTRY_AT_5, proof=proof), _vkey())
    assert result.status == 1
    assert result.named("entry 5: ") == [
        "entry 5: its leaf is not at index 3 of checkpoint 8: the inclusion proof does not verify"
    ]


def test_a_claimed_position_id_or_version_differing_from_the_leaf_is_named(tmp_path):
    export = _log().export()
    event = {**export[ENTRY_AT_5]["event"], "version": 7, "id": AGGREGATES[2]}
    result = run(tmp_path, _with(export, ENTRY_AT_5, position=4, event=event), _vkey())
    assert result.status == 1
    assert result.named("entry 4: ") == [
        "entry 4: its leaf holds position 5, the entry says 4",
        f"entry 4: its leaf holds aggregate id {AGGREGATES[0]}, the entry says {AGGREGATES[2]}",
        "entry 4: its leaf holds version 2, the entry says 7",
    ]


def test_positions_that_do_not_increase_are_named(tmp_path):
    export = _log().export()
    export[-2], export[-1] = export[-1], export[-2]
    result = run(tmp_path, export, _vkey())
    assert result.named("entry 8: ") == ["entry 8: the positions do not increase: it follows 10"]


@pytest.mark.parametrize("name", sorted(SUITES))
def test_a_flipped_signature_byte_is_named_by_the_checkpoint_size(tmp_path, name):
    export = _log(name).export()
    note = _flip_signature(export[1]["note"])
    result = run(tmp_path, _with(export, 1, note=note), _vkey(name))
    assert result.status == 1
    assert result.lines == [
        f"checkpoint 5: the signature of {KEY_NAME} does not verify",
        "3 checkpoints, 5 entries: 1 failure",
    ]
    assert result.stderr == ""


def test_a_checkpoint_signed_with_another_key_is_named(tmp_path):
    log = _log()
    other = NoteSigner.from_skey(generate_signer(KEY_NAME))
    export = _with(log.export(), 1, **log.checkpoint(5, signer=other))
    result = run(tmp_path, export, _vkey())
    assert result.status == 1
    [failure] = result.named("checkpoint 5: ")
    assert "carries no signature of the key" in failure


def test_a_json_root_differing_from_the_signed_text_is_named(tmp_path):
    log = _log()
    export = _with(log.export(), 2, root_hash=b64(log.root(7)))
    result = run(tmp_path, export, _vkey())
    assert result.status == 1
    assert result.lines == [
        f"checkpoint 8: the JSON's root_hash {b64(log.root(7))} is not the signed "
        f"{b64(log.root(8))}",
        "3 checkpoints, 5 entries: 1 failure",
    ]


def test_successive_checkpoints_that_are_not_consistent_are_named(tmp_path):
    log = _log()
    rewritten = [*log.hashes[:4], log.suite.tree.leaf(b"rewritten")]
    forged = log.checkpoint(5, root=merkle.root(log.suite.tree, rewritten))
    result = run(tmp_path, _with(log.export(), 1, **forged), _vkey())
    assert result.status == 1
    assert result.lines == [
        "checkpoints 3 and 5: the consistency proof does not verify: the tree of 5 does not "
        "extend the tree of 3",
        "checkpoints 5 and 8: the consistency proof does not verify: the tree of 8 does not "
        "extend the tree of 5",
        "3 checkpoints, 5 entries: 2 failures",
    ]


def test_a_missing_consistency_proof_is_named(tmp_path):
    export = _log().export()
    result = run(tmp_path, [*export[:4], *export[5:]], _vkey())
    assert result.named("checkpoints 5 and 8: ") == [
        "checkpoints 5 and 8: the export has no consistency proof between them"
    ]


def test_a_held_checkpoint_with_another_signed_root_for_a_size_is_a_split_view(tmp_path):
    log = _log()
    other_root = merkle.root(log.suite.tree, [*log.hashes[:7], log.suite.tree.leaf(b"fork")])
    held = tmp_path / "held.jsonl"
    held.write_text(json.dumps(log.checkpoint(8, root=other_root)) + "\n")
    result = run(tmp_path, log.export(), _vkey(), "--checkpoints", str(held))
    assert result.status == 1
    assert result.lines == [
        f"checkpoint 8 ({held} line 1): split view: two signed roots for the size 8: "
        f"{b64(other_root)} here, {b64(log.root(8))} in the export",
        "4 checkpoints, 5 entries: 1 failure",
    ]


def test_a_key_of_the_other_suite_is_named_for_every_checkpoint(tmp_path):
    result = run(tmp_path, _log("sm3-sm2").export(), _vkey("sha256-ed25519"))
    assert result.status == 1
    assert result.lines[:3] == [
        f"checkpoint {size}: its suite sm3-sm2 signs with SM2, the key is an Ed25519 key"
        for size in SIZES
    ]


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda lines: [*lines[:1], "not json", *lines[1:]], "line 2: not JSON"),
        (lambda lines: lines[3:], "no checkpoint"),
        (lambda lines: [*lines, lines[0]], "a checkpoint after the entries"),
    ],
)
def test_an_export_that_cannot_be_read_is_unusable(tmp_path, damage, said):
    lines = damage([json.dumps(line) for line in _log().export()])
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n")
    done = subprocess.run(
        [sys.executable, str(VERIFY), "--key", _vkey(), str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2
    assert said in done.stderr


def test_a_key_that_is_no_vkey_is_unusable(tmp_path):
    name, _, material = _vkey().split("+", 2)
    done = subprocess.run(
        [sys.executable, str(VERIFY), "--key", f"{name}+00000000+{material}", "export.jsonl"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2
    assert "id" in done.stderr


def test_the_verifier_imports_only_the_standard_library_and_its_signature_libraries():
    tree = ast.parse(VERIFY.read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    outside = imported - set(sys.stdlib_module_names) - {"__future__"}
    assert outside == {"cryptography", "gmssl_pyx"}
