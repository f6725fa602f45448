"""Errors of the application layer, beside the domain's."""

from __future__ import annotations

from domain.errors import Conflict
from services.idempotency import IdempotencyClaim


class ConcurrentModification(Conflict):
    code = "concurrency.conflict"


class IdempotentReplay(Exception):
    """The Idempotency-Key was used before: answer with the first answer."""

    def __init__(self, claim: IdempotencyClaim) -> None:
        super().__init__(f"idempotency key {claim.key} was used before")
        self.claim = claim
