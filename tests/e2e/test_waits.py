"""Reads with ?min_position=: authenticated before any wait, a position beyond the store's head
answered at once, and waits that hold no worker thread."""

from __future__ import annotations

import asyncio
import time

import anyio.to_thread
import httpx

from services.api.main import create_app
from tests.conftest import auth
from tests.e2e.http import CASE_BODY, assert_problem

WORKERS = 8  # the default LIANDONG_WORKER_THREADS
FAR = 2**62


async def timed(client: httpx.AsyncClient, path: str, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.get(path, **kwargs)
    return response, time.monotonic() - started


def alongside(demo, waits: list[dict], headers: dict[str, str]):
    """Sends the waiting reads, then (once they are in flight) one plain authenticated GET."""

    async def run():
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKERS
        transport = httpx.ASGITransport(app=create_app(demo))
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=30) as c:
            waiting = [asyncio.create_task(c.get("/v1/cases", **w)) for w in waits]
            await asyncio.sleep(0.2)
            plain = await timed(c, "/v1/cases", headers=headers)
            return plain, await asyncio.gather(*waiting)

    return asyncio.run(run())


def test_unauthenticated_waits_are_401_at_once_and_hold_nothing(demo):
    demo.settings.min_position_wait_seconds = 3
    waits = [{"params": {"min_position": FAR}}] * 24
    (plain, elapsed), answers = alongside(demo, waits, auth("wang-fang"))
    assert plain.status_code == 200 and elapsed < 1.0, elapsed
    for answer in answers:
        assert_problem(answer, 401, "auth.token_missing")


def test_waits_for_views_that_lag_do_not_hold_the_workers(client, demo):
    demo.settings.min_position_wait_seconds = 1.5
    demo.runner.stop()  # the views stay behind what is written next
    created = client.post("/v1/cases", json=CASE_BODY, headers=auth("wang-fang"))
    position = created.json()["position"]
    waits = [{"params": {"min_position": position}, "headers": auth("wang-fang")}] * 24
    (plain, elapsed), answers = alongside(demo, waits, auth("wu-gang"))
    assert plain.status_code == 200 and elapsed < 1.0, elapsed
    for answer in answers:
        assert_problem(answer, 503, "views.behind")
        assert answer.headers["retry-after"] == "1"


def test_a_position_beyond_the_stores_head_is_422_at_once(client, demo):
    demo.settings.min_position_wait_seconds = 5
    started = time.monotonic()
    response = client.get("/v1/cases", params={"min_position": FAR}, headers=auth("wang-fang"))
    assert_problem(response, 422, "request.position_ahead")
    assert time.monotonic() - started < 1.0


def test_a_position_the_views_have_applied_answers_at_once(client, demo):
    head = demo.app.head_position()
    started = time.monotonic()
    response = client.get("/v1/cases", params={"min_position": head}, headers=auth("wang-fang"))
    assert response.status_code == 200
    assert time.monotonic() - started < 1.0
