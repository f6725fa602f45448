"""Idempotency-Key: a retried command returns the first answer without acting twice.

The claim on a key is an aggregate with a uuid5 id, saved in the same transaction as the
command's events: either both are stored or neither, and a second claim on the key fails.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.ids import NAMESPACE


@dataclass(frozen=True)
class PendingClaim:
    scope: str
    key: str
    fingerprint: str
    status: int

    @property
    def id(self) -> UUID:
        return claim_id(self.scope, self.key)


def claim_id(scope: str, key: str) -> UUID:
    return uuid5(NAMESPACE, f"idempotency:{scope}|{key}")


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


class IdempotencyClaim(Aggregate):
    @event("Claimed")
    def __init__(
        self,
        id: UUID,
        scope: str,
        key: str,
        fingerprint: str,
        status: int,
        resource_type: str,
        resource_id: UUID,
        resource_version: int,
    ) -> None:
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.status = status
        self.resource_type = resource_type
        self.resource_id = resource_id
        self.resource_version = resource_version


def claim_for(pending: PendingClaim, resource: Aggregate) -> IdempotencyClaim:
    """The claim on the key, naming the resource the command acted on."""
    return IdempotencyClaim(
        id=pending.id,
        scope=pending.scope,
        key=pending.key,
        fingerprint=pending.fingerprint,
        status=pending.status,
        resource_type=type(resource).__name__,
        resource_id=resource.id,
        resource_version=resource.version,
    )
