"""The API, asked in process as the signed-in person: the same routes, rules and answers an
integrator gets, with no network between the page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from services.console.session import Session


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: httpx.Headers

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def problem(self) -> dict[str, Any]:
        """The problem+json the API answered, or nothing if it succeeded."""
        if self.ok:
            return {}
        if isinstance(self.body, dict):
            return self.body
        return {"status": self.status, "detail": str(self.body)}


class SignedOut(Exception):
    """The API no longer accepts the session's token (it lapsed or was revoked)."""


class Api:
    def __init__(self, app: FastAPI, session: Session) -> None:
        self.app = app
        self.session = session

    async def get(self, path: str, **params: Any) -> Answer:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        return await self._call("GET", path, params=query)

    async def post(self, path: str, body: Any = None, version: int | None = None) -> Answer:
        headers = {"If-Match": f'"{version}"'} if version is not None else {}
        return await self._call("POST", path, json=body, headers=headers)

    async def raw(self, path: str, **params: Any) -> httpx.Response:
        """An answer to pass on as it is (a PDF, a CSV)."""
        async with self._client() as client:
            return await client.get(path, params=params)

    async def _call(self, method: str, path: str, **request: Any) -> Answer:
        async with self._client() as client:
            response = await client.request(method, path, **request)
        if response.status_code == 401:
            raise SignedOut()
        type_ = response.headers.get("content-type", "")
        body = response.json() if "json" in type_ else response.text
        return Answer(response.status_code, body, response.headers)

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="http://console.internal",
            headers={"Authorization": f"Bearer {self.session.token}"},
        )
