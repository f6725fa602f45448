"""Read-your-writes: a read with ?min_position=N waits until the views have applied N.

The wait holds no worker thread: it sleeps on the event loop between cheap looks at the views'
positions (in memory when the views run in process, a short query in a thread otherwise).
"""

from __future__ import annotations

import asyncio
import time

from starlette.concurrency import run_in_threadpool

from services.api.errors import ApiProblem
from services.bootstrap import Container

MEMORY_POLL_SECONDS = 0.005
DATABASE_POLL_SECONDS = 0.05


async def wait_for_views(container: Container, position: int) -> None:
    """Returns once every view has applied `position`; a position beyond the store's head is
    refused at once (no write made it), one the views do not reach in time is 503."""
    if await applied(container, position) >= position:
        return
    head = await run_in_threadpool(container.app.head_position)
    if position > head:
        raise ApiProblem(
            422,
            "request.position_ahead",
            f"min_position {position} lies beyond the store's last position {head}",
        )
    runner = container.runner
    if runner is not None:
        runner.wake()
    poll = MEMORY_POLL_SECONDS if runner is not None else DATABASE_POLL_SECONDS
    deadline = time.monotonic() + container.settings.min_position_wait_seconds
    while await applied(container, position) < position:
        if time.monotonic() >= deadline:
            raise ApiProblem(
                503,
                "views.behind",
                f"the views have not yet applied position {position}",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(poll)


async def applied(container: Container, position: int) -> int:
    """The position every view has applied (`position` itself when there are no views)."""
    if container.runner is not None:
        positions = container.runner.positions
    else:
        positions = await run_in_threadpool(container.view_positions)
    return min(positions.values(), default=position)
