"""The audit page's check: the latest checkpoint's signature against the log's key, and each
event of a resource's trail proved to be in that checkpoint's tree (RFC 9162 §2.1.3.2). The
page says which events the signed tree holds, which it does not hold yet, and any that fail."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

import httpx

from services.audit.merkle import verify_inclusion
from services.audit.signed_note import Checkpoint, NoteError, open_note
from services.audit.suites import suite
from services.console.api import Answer, Api

INCLUDED, PENDING, FAILED = "included", "pending", "failed"


@dataclass
class Checked:
    tree_size: int = 0
    signed_at: str | None = None
    signature_ok: bool = False
    events: dict[int, str] = field(default_factory=dict)  # position → INCLUDED, PENDING, FAILED

    @property
    def all_included(self) -> bool:
        return self.signature_ok and all(v == INCLUDED for v in self.events.values())


async def check(api: Api, events: list[dict[str, Any]]) -> Checked:
    checkpoint = await api.get("/v1/audit/checkpoint")
    key = await api.get("/v1/audit/key")
    checked = Checked()
    signed = _signed(checkpoint, key)
    if signed is None:
        checked.events = {e["position"]: PENDING for e in events}
        return checked
    checked.tree_size, checked.signed_at = signed.size, checkpoint.body["signed_at"]
    checked.signature_ok = True
    tree = suite(checkpoint.body["suite"]).tree
    for event in events:
        checked.events[event["position"]] = await _proved(api, tree, signed, event)
    return checked


def _signed(checkpoint: Answer, key: Answer) -> Checkpoint | None:
    """The checkpoint its note says, if the note's signature verifies with the log's key."""
    if not (checkpoint.ok and key.ok):
        return None
    try:
        verifier = suite(checkpoint.body["suite"]).verifier(key.body["vkey"])
        return Checkpoint.parse(open_note(checkpoint.body["note"], verifier))
    except (NoteError, ValueError):
        return None


async def _proved(api: Api, tree: Any, signed: Checkpoint, event: dict[str, Any]) -> str:
    if not event.get("leaf_hash"):
        return PENDING
    proof = await api.get(
        "/v1/audit/proofs/inclusion", position=event["position"], tree_size=signed.size
    )
    if not proof.ok:
        return PENDING  # logged after the checkpoint was signed
    body = proof.body
    leaf = base64.b64decode(event["leaf_hash"])
    path = [base64.b64decode(p) for p in body["proof"]]
    holds = verify_inclusion(tree, leaf, body["leaf_index"], signed.size, path, signed.root)
    return INCLUDED if holds and body["leaf_hash"] == event["leaf_hash"] else FAILED


def answer_of(response: httpx.Response) -> Answer:
    """A raw answer (one passed on as it is) that refused, as the pages show refusals."""
    is_json = "json" in response.headers.get("content-type", "")
    body = response.json() if is_json else {"detail": response.text}
    return Answer(response.status_code, body, response.headers)


def not_found() -> Answer:
    return Answer(404, {"detail": "没有这一类记录"}, httpx.Headers())
