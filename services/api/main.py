"""The HTTP API: create_app(container) builds it; nothing heavy happens at import time."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from services import catalogue
from services.api import errors, limits, methods, metrics, openapi
from services.bootstrap import Container, build
from services.console.app import install as install_console
from services.settings import Settings

DESCRIPTION = (
    "Coordination backend for law-enforcement agencies: cases, referrals, disputes, meetings. "
    "Every act is an immutable event. Errors are application/problem+json with a stable code."
)


def create_app(
    container: Container | None = None,
    settings: Settings | None = None,
    *,
    close_on_shutdown: bool = False,
) -> FastAPI:
    """Serves the given container, or builds one from settings at startup. A container it built,
    or one handed over with close_on_shutdown, is closed when the server shuts down."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = container is None or close_on_shutdown
        app.state.container = container or build(settings or Settings())
        # Commands queue for one store anyway; a few threads do that work with less contention
        # for the interpreter than FastAPI's default forty.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = app.state.container.settings.worker_threads
        try:
            yield
        finally:
            if owned:
                app.state.container.close()

    app = FastAPI(title="liandong 联动", version="1", description=DESCRIPTION, lifespan=lifespan)
    if container is not None:
        app.state.container = container
    errors.install(app)
    openapi.install(app)
    app.add_middleware(limits.BodyLimit)
    app.add_middleware(methods.AllowedMethods)
    metrics.install(app)
    for name in catalogue.routers():
        app.include_router(importlib.import_module(f"services.api.routes.{name}").router)
    install_console(app)
    return app
