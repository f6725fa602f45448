"""Running a command over HTTP: Idempotency-Key, the answer's status and its ETag."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from pydantic import BaseModel

from domain.values import Actor
from services.api.deps import ActorDep, ContainerDep, ExpectedVersion
from services.api.errors import ApiProblem
from services.application import Saved
from services.bootstrap import Container
from services.errors import IdempotentReplay
from services.idempotency import PendingClaim, fingerprint

MAX_KEY = 200
# An act, given the claim on the request's Idempotency-Key if it carries one.
Act = Callable[[PendingClaim | None], Saved]


def run_command(
    request: Request,
    body: bytes,
    container: Container,
    actor: Actor,
    act: Act,
    render: Callable[[Saved], BaseModel],
    status: int = 200,
) -> Response:
    """Acts (once, under an Idempotency-Key) and answers with the resource, already serialised:
    the model is built from the aggregate and needs no second validation on the way out."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        saved = act(None)
    else:
        saved, status = _idempotent(request, body, container, actor, key, act, status)
    return Response(
        content=render(saved).model_dump_json(),
        status_code=status,
        media_type="application/json",
        headers={"ETag": f'"{saved.aggregate.version}"'},
    )


def _idempotent(
    request: Request,
    body: bytes,
    container: Container,
    actor: Actor,
    key: str,
    act: Act,
    status: int,
) -> tuple[Saved, int]:
    if not key or len(key) > MAX_KEY:
        raise ApiProblem(422, "idempotency.key_malformed", f"keys are 1–{MAX_KEY} characters")
    app = container.app
    scope = f"{actor.agency_code}/{actor.officer_id}"
    print_ = fingerprint(request.method, request.url.path, canonical(body))
    claim = PendingClaim(scope, key, print_, status)
    earlier = app.find_claim(scope, key)
    if earlier is None:
        try:
            return act(claim), status
        except IdempotentReplay as replay:
            earlier = replay.claim
    if earlier.fingerprint != claim.fingerprint:
        raise ApiProblem(
            422, "idempotency.key_reused", "this Idempotency-Key was used for a different request"
        )
    return app.replay(earlier), earlier.status


def canonical(body: bytes) -> bytes:
    """The body as its JSON value, so a retry that differs only in whitespace or key order
    is the same request."""
    try:
        value = json.loads(body)
    except ValueError:
        return body
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Command:
    """What every command route needs: who acts, on which store, expecting which version."""

    request: Request
    body: bytes
    container: Container
    actor: Actor
    version: int | None

    def run(self, act: Act, render: Callable[[Saved], BaseModel], status: int = 200) -> Response:
        return run_command(self.request, self.body, self.container, self.actor, act, render, status)


async def command(
    request: Request, container: ContainerDep, actor: ActorDep, version: ExpectedVersion
) -> Command:
    return Command(request, await request.body(), container, actor, version)


CommandDep = Annotated[Command, Depends(command)]
