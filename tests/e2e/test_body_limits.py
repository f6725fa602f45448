"""Request bodies: refused before they are read when the token is missing or bad, and cut off
at LIANDONG_MAX_BODY_BYTES (413) whether or not they declare their length."""

from __future__ import annotations

import asyncio
import json
import tracemalloc

import pytest

from services.api.main import create_app
from tests.conftest import auth
from tests.e2e.http import CASE_BODY, assert_problem

CHUNK = b"x" * 65536
HUGE = 256 * 1024 * 1024  # far past the 1 MiB default


class Streamed:
    """An ASGI receive that streams `total` bytes of body and counts what the app pulled."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pulled = 0

    async def __call__(self) -> dict:
        if self.pulled >= self.total:
            await asyncio.sleep(3600)  # the client waits for an answer
        self.pulled += len(CHUNK)
        return {"type": "http.request", "body": CHUNK, "more_body": self.pulled < self.total}


def call(app, path: str, headers: dict[str, str], receive: Streamed):
    """One request straight into the ASGI app; the status and the JSON body it answered."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(asyncio.wait_for(app(scope, receive, send), 30))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), json.loads(body)


@pytest.fixture
def app(demo):
    return create_app(demo)


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "token_headers",
    [{}, {"authorization": "Bearer garbage"}, {"authorization": "Basic d2FuZzp4"}],
)
def test_a_body_without_a_valid_token_is_never_read(app, token_headers):
    receive = Streamed(HUGE)
    headers = {**JSON, "content-length": str(HUGE), **token_headers}
    status, response_headers, body = call(app, "/v1/cases", headers, receive)
    assert status == 401 and body["code"].startswith("auth.token_")
    assert response_headers[b"content-type"] == b"application/problem+json"
    assert receive.pulled == 0


def test_a_declared_length_over_the_limit_is_413_unread(app):
    receive = Streamed(HUGE)
    headers = {**JSON, **auth("wang-fang"), "content-length": str(HUGE)}
    status, _, body = call(app, "/v1/cases", headers, receive)
    assert (status, body["code"]) == (413, "request.too_large")
    assert receive.pulled == 0


def test_a_chunked_body_is_cut_off_at_the_limit_and_memory_stays_flat(app, demo):
    receive = Streamed(HUGE)
    headers = {**JSON, **auth("wang-fang"), "transfer-encoding": "chunked"}
    tracemalloc.start()
    try:
        status, _, body = call(app, "/v1/cases", headers, receive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (status, body["code"]) == (413, "request.too_large")
    limit = demo.settings.max_body_bytes
    assert receive.pulled <= limit + len(CHUNK)
    assert peak < 4 * limit, f"{peak} bytes traced for a {limit}-byte limit"


def test_the_limit_is_a_setting_and_answers_problem_json(client, demo):
    demo.settings.max_body_bytes = 1024
    body = dict(CASE_BODY, summary="很长的案情" * 100)
    response = client.post("/v1/cases", json=body, headers=auth("wang-fang"))
    problem = assert_problem(response, 413, "request.too_large")
    assert "1024" in problem["detail"]
    assert client.post("/v1/cases", json=CASE_BODY, headers=auth("wang-fang")).status_code == 201


def test_an_authenticated_body_within_the_limit_is_read_as_before(client):
    response = client.post(
        "/v1/cases", content=b'{"procedure": ', headers={**auth("wang-fang"), **JSON}
    )
    assert_problem(response, 422, "request.invalid")
