"""Running a command over HTTP: Idempotency-Key, the answer's status and its ETag."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request, Response

from domain.values import Actor
from services.api.errors import ApiProblem
from services.application import Saved
from services.bootstrap import Container
from services.errors import IdempotentReplay
from services.idempotency import PendingClaim, claiming, fingerprint

T = TypeVar("T")
MAX_KEY = 200


def run_command(
    request: Request,
    response: Response,
    body: bytes,
    container: Container,
    actor: Actor,
    act: Callable[[], Saved],
    render: Callable[[Saved], T],
    status: int = 200,
) -> T:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        saved = act()
    else:
        saved, status = _idempotent(request, body, container, actor, key, act, status)
    response.status_code = status
    response.headers["ETag"] = f'"{saved.aggregate.version}"'
    return render(saved)


def _idempotent(
    request: Request,
    body: bytes,
    container: Container,
    actor: Actor,
    key: str,
    act: Callable[[], Saved],
    status: int,
) -> tuple[Saved, int]:
    if not key or len(key) > MAX_KEY:
        raise ApiProblem(422, "idempotency.key_malformed", f"keys are 1–{MAX_KEY} characters")
    app = container.app
    scope = f"{actor.agency_code}/{actor.officer_id}"
    claim = PendingClaim(scope, key, fingerprint(request.method, request.url.path, body), status)
    earlier = app.find_claim(scope, key)
    if earlier is None:
        try:
            with claiming(claim):
                return act(), status
        except IdempotentReplay as replay:
            earlier = replay.claim
    if earlier.fingerprint != claim.fingerprint:
        raise ApiProblem(
            422, "idempotency.key_reused", "this Idempotency-Key was used for a different request"
        )
    return app.replay(earlier), earlier.status
