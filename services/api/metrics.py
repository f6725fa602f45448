"""Prometheus metrics of one app: request latency by route, commands by type and outcome, the
process, and the gauges of /readyz, computed from the readiness of the scrape that serves them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The route label of a path no route serves: raw paths would let any client grow the label space.
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
COMMAND_METHODS = frozenset({"POST", "PUT"})
PROBLEM = b"application/problem+json"
MAX_PROBLEM_BYTES = 64 * 1024


def install(app: FastAPI) -> None:
    """Gives the app a registry of its own (a process may build many apps) and measures every
    request. The commands' outcome is `ok` for 2xx, else the problem's `code`, or `rejected`
    (4xx) or `error` (5xx) when the answer carries none, e.g. an unhandled exception."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    latency = Histogram(
        "liandong_http_request_duration_seconds",
        "Time to answer an HTTP request, by method, route template and status",
        ["method", "route", "status"],
        registry=registry,
    )
    commands = Counter(
        "liandong_commands",
        "Commands (POST and PUT under /v1) by type (the route's handler) and outcome",
        ["type", "outcome"],
        registry=registry,
    )
    app.state.metrics = registry
    app.add_middleware(RequestMetrics, latency=latency, commands=commands)


def exposition(app: FastAPI, readiness: dict[str, Any] | None) -> bytes:
    """The app's metrics and the gauges of `readiness` (None when the store does not answer)."""
    return generate_latest(_Scrape(app.state.metrics, ReadinessCollector(readiness)))


class _Scrape(Collector):
    def __init__(self, *collectors: Collector) -> None:
        self.collectors = collectors

    def collect(self) -> Iterator[Metric]:
        for collector in self.collectors:
            yield from collector.collect()


class ReadinessCollector(Collector):
    """The store's head, the relay's, the audit log's and each view's position and lag, the
    dead letters."""

    def __init__(self, body: dict[str, Any] | None) -> None:
        self.body = body

    def collect(self) -> Iterator[Metric]:
        up = "1 when the store and the views' database answer"
        yield GaugeMetricFamily("liandong_up", up, value=0 if self.body is None else 1)
        if self.body is None:
            return
        head = self.body["store"]["head"]
        yield GaugeMetricFamily("liandong_store_head_position", "last stored event", value=head)
        if "relay" in self.body:
            relay = self.body["relay"]
            yield GaugeMetricFamily(
                "liandong_relay_position", "last event Kafka acknowledged", value=relay["position"]
            )
            yield GaugeMetricFamily(
                "liandong_relay_lag_events", "events stored, not yet published", value=relay["lag"]
            )
        if "gateway" in self.body:
            yield from self._gateway(self.body["gateway"])
        yield from self._audit(self.body["audit"])
        since = self.body.get("watch", {}).get("seconds_since")
        if since is not None:
            yield GaugeMetricFamily(
                "liandong_watch_seconds_since_pass",
                "seconds since the deadline watcher last brought the warnings up to date",
                value=since,
            )
        yield from self._views(self.body["views"], self.body.get("dead_letters", {}))

    def _gateway(self, state: dict[str, int | None]) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "liandong_gateway_refused_replies",
            "police replies refused (dead letters), each answered on the crime-transfer topic",
            value=state["refused"] or 0,
        )
        if state["lag"] is not None:
            yield GaugeMetricFamily(
                "liandong_gateway_lag_replies",
                "replies on the replies topic not yet handled",
                value=state["lag"],
            )

    def _audit(self, state: dict[str, int | None]) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "liandong_audit_lag_events",
            "events stored, not yet leaves of the audit log",
            value=state["lag"] or 0,
        )
        yield GaugeMetricFamily(
            "liandong_audit_signed_size",
            "the tree size the latest checkpoint signs (0 before the first)",
            value=state["signed"] or 0,
        )

    def _views(self, views: dict[str, Any], letters: dict[str, int]) -> Iterator[Metric]:
        families = {
            "liandong_view_position": ("last event the view applied", "position"),
            "liandong_view_lag_events": ("events stored, not yet applied by the view", "lag"),
        }
        for name, (documentation, key) in families.items():
            family = GaugeMetricFamily(name, documentation, labels=["view"])
            for view, state in views.items():
                family.add_metric([view], state[key])
            yield family
        family = GaugeMetricFamily(
            "liandong_dead_letters", "messages the view could not apply", labels=["view"]
        )
        for view in views:
            family.add_metric([view], letters.get(view, 0))
        yield family


class RequestMetrics:
    """ASGI middleware: times every HTTP request by its route template, counts the commands."""

    def __init__(self, app: ASGIApp, latency: Histogram, commands: Counter) -> None:
        self.app = app
        self.latency = latency
        self.commands = commands

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer = Answer()

        async def sending(message: Message) -> None:
            answer.see(message)
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, sending)
        finally:
            self.record(scope, answer, time.perf_counter() - started)

    def record(self, scope: Scope, answer: Answer, seconds: float) -> None:
        route = _route(scope)
        template = getattr(route, "path", UNMATCHED)
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        self.latency.labels(method, template, str(answer.status)).observe(seconds)
        if (
            method in COMMAND_METHODS
            and template.startswith("/v1/")
            and method in (getattr(route, "methods", None) or ())
        ):
            self.commands.labels(_command_type(route), answer.outcome()).inc()


class Answer:
    """What the middleware sees of a response: its status and, for a problem, its body."""

    def __init__(self) -> None:
        self.status = 500  # until the app starts an answer; one that raised never does
        self.problem: bytearray | None = None

    def see(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            headers = dict(message.get("headers", ()))
            if headers.get(b"content-type", b"").startswith(PROBLEM):
                self.problem = bytearray()
        elif message["type"] == "http.response.body" and self.problem is not None:
            self.problem += message.get("body", b"")[: MAX_PROBLEM_BYTES - len(self.problem)]

    def outcome(self) -> str:
        if 200 <= self.status < 300:
            return "ok"
        return self._code() or ("rejected" if self.status < 500 else "error")

    def _code(self) -> str | None:
        try:
            code = json.loads(bytes(self.problem)).get("code") if self.problem else None
        except (ValueError, AttributeError):  # cut short at the limit, or not an object
            return None
        return code if isinstance(code, str) else None


def _route(scope: Scope) -> BaseRoute | None:
    """The route that served the request. FastAPI's routes leave themselves in the scope;
    Starlette's own (the docs, the schema) only their endpoint."""
    route: BaseRoute | None = scope.get("route")
    if route is None and "endpoint" in scope:
        endpoint = scope["endpoint"]
        routes = scope["app"].routes
        route = next((r for r in routes if getattr(r, "endpoint", None) is endpoint), None)
    return route


def _command_type(route: object) -> str:
    """The command's type: its handler's name (`approve_filing`), kept while the route's own
    name (`case.approve_filing`) serves the acts it offers."""
    endpoint = getattr(route, "endpoint", None)
    return getattr(endpoint, "__name__", None) or getattr(route, "name", None) or UNMATCHED
