"""The metrics module without HTTP: the readiness gauges, and the middleware's outcomes."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, Counter, Histogram

from services.api.metrics import UNMATCHED, Answer, ReadinessCollector, RequestMetrics

KAFKA_BODY: dict[str, Any] = {
    "status": "degraded",
    "store": {"head": 120},
    "views": {"cases": {"position": 100, "lag": 20}, "referrals": {"position": 120, "lag": 0}},
    "relay": {"position": 110, "lag": 10},
    "audit": {"position": 118, "lag": 2, "signed": 100},
    "dead_letters": {"cases": 3, "referrals": 0},
}


def gauges(body: dict[str, Any] | None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in ReadinessCollector(body).collect()
        for s in family.samples
    }


def test_the_readiness_gauges_keep_their_names_and_labels():
    assert gauges(KAFKA_BODY) == {
        ("liandong_up", ()): 1,
        ("liandong_store_head_position", ()): 120,
        ("liandong_relay_position", ()): 110,
        ("liandong_relay_lag_events", ()): 10,
        ("liandong_audit_lag_events", ()): 2,
        ("liandong_audit_signed_size", ()): 100,
        ("liandong_view_position", (("view", "cases"),)): 100,
        ("liandong_view_position", (("view", "referrals"),)): 120,
        ("liandong_view_lag_events", (("view", "cases"),)): 20,
        ("liandong_view_lag_events", (("view", "referrals"),)): 0,
        ("liandong_dead_letters", (("view", "cases"),)): 3,
        ("liandong_dead_letters", (("view", "referrals"),)): 0,
    }


def test_an_unreachable_store_leaves_only_liandong_up_0():
    assert gauges(None) == {("liandong_up", ()): 0}


PROBLEM = b"application/problem+json"


def start(status: int, content_type: bytes = b"application/json") -> dict[str, Any]:
    headers = [(b"content-type", content_type)]
    return {"type": "http.response.start", "status": status, "headers": headers}


def answered(status: int, body: bytes, content_type: bytes) -> Answer:
    answer = Answer()
    answer.see(start(status, content_type))
    answer.see({"type": "http.response.body", "body": body})
    return answer


@pytest.mark.parametrize(
    ("status", "body", "content_type", "outcome"),
    [
        (201, b'{"id": "x"}', b"application/json", "ok"),
        (409, json.dumps({"code": "case.not_awaiting_approval"}).encode(), PROBLEM, None),
        (404, b"not found", b"text/plain", "rejected"),
        (503, b"", b"text/plain", "error"),
        (422, b'{"code": "request.inval', PROBLEM, "rejected"),  # cut short: no code
    ],
)
def test_an_answer_names_its_outcome(status, body, content_type, outcome):
    expected = outcome or json.loads(body)["code"]
    assert answered(status, body, content_type).outcome() == expected


def measured(app: Any, method: str = "POST") -> tuple[CollectorRegistry, BaseException | None]:
    registry = CollectorRegistry()
    middleware = RequestMetrics(
        app,
        Histogram("latency", "", ["method", "route", "status"], registry=registry),
        Counter("commands", "", ["type", "outcome"], registry=registry),
    )
    scope = {"type": "http", "method": method, "path": "/v1/things/7"}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        pass

    try:
        asyncio.run(middleware(scope, receive, send))
    except Exception as error:
        return registry, error
    return registry, None


THING = SimpleNamespace(path="/v1/things/{thing_id}", name="do_thing", methods={"POST"})


def test_a_command_that_raises_counts_as_an_error_answered_500():
    async def raising(scope, receive, send):
        scope["route"] = THING
        raise RuntimeError("boom")

    registry, error = measured(raising)
    assert isinstance(error, RuntimeError)  # passed on to the server's error handling
    assert registry.get_sample_value("commands_total", {"type": "do_thing", "outcome": "error"})
    labels = {"method": "POST", "route": THING.path, "status": "500"}
    assert registry.get_sample_value("latency_count", labels) == 1


def test_an_unmatched_post_is_timed_but_no_command():
    async def missing(scope, receive, send):
        await send(start(404))
        await send({"type": "http.response.body", "body": b""})

    registry, error = measured(missing)
    assert error is None
    labels = {"method": "POST", "route": UNMATCHED, "status": "404"}
    assert registry.get_sample_value("latency_count", labels) == 1
    assert not [s for m in registry.collect() if m.name == "commands" for s in m.samples]


def test_an_unknown_method_is_labelled_other():
    async def refusing(scope, receive, send):
        scope["route"] = THING
        await send(start(405))
        await send({"type": "http.response.body", "body": b""})

    registry, _ = measured(refusing, method="BREW")
    labels = {"method": "OTHER", "route": THING.path, "status": "405"}
    assert registry.get_sample_value("latency_count", labels) == 1
