"""How a route takes an act on a case: the handler's method is called with the caller, the
case (and any id within it), the If-Match version and the idempotency claim, and the command
answers with the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import Response

from services.api.commands import Command
from services.api.presenters import case_out
from services.application import Saved
from services.idempotency import PendingClaim

Act = Callable[..., Saved]


def run_case_act(
    cmd: Command, act: Act, case_id: UUID, *within: Any, status: int = 200, **data: Any
) -> Response:
    def run(claim: PendingClaim | None) -> Saved:
        return act(cmd.actor, case_id, *within, expected_version=cmd.version, claim=claim, **data)

    return cmd.run(run, lambda saved: case_out(cmd.container.app, saved), status)
