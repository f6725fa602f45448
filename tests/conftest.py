"""Fixtures: the same scenarios run on the embedded SQLite store and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.api.main import create_app
from services.bootstrap import Container, build
from services.demo import OFFICERS, seed
from services.settings import Settings
from services.tokens import mint
from tests.support import FakeClock, create_database, drop_database, reset_schema

SECRET = "test-secret-that-is-long-enough-for-hs256"
STORE_KEY = "bGlhbmRvbmctdGVzdC1zdG9yZS1rZXktMzItYnl0ZXM="  # 32 bytes, base64


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"liandong_test_{os.getpid()}"
    yield create_database(name)
    drop_database(name)


@pytest.fixture(
    params=["sqlite", "sqlite_encrypted", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The store the scenarios run on: SQLite, SQLite with its records encrypted at rest, and
    PostgreSQL. The key goes by the environment, so every process's settings carry it."""
    if request.param == "sqlite_encrypted":
        monkeypatch.setenv("LIANDONG_STORE_CIPHER_KEY", STORE_KEY)
    if request.param.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'events.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    reset_schema(url)
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=store_url, jwt_secret=SECRET, var_dir=tmp_path, projection_poll_seconds=0.05
    )


@pytest.fixture
def container(settings: Settings, clock: FakeClock) -> Iterator[Container]:
    built = build(settings, clock=clock)
    yield built
    built.close()


@pytest.fixture
def demo(container: Container) -> Container:
    seed(container.app)
    return container


@pytest.fixture
def client(demo: Container) -> Iterator[TestClient]:
    with TestClient(create_app(demo), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def binhai_client(settings: Settings, clock: FakeClock) -> Iterator[TestClient]:
    """The demo district under the Binhai mechanism (seed 000), over HTTP: a disputed referral
    goes from negotiation to the bureau's joint meeting."""
    built = build(settings.model_copy(update={"mechanism": "binhai"}), clock=clock)
    try:
        seed(built.app)
        with TestClient(create_app(built), raise_server_exceptions=False) as test_client:
            yield test_client
    finally:
        built.close()


ROLES = {officer: [r.value for r in roles] for officer, _, _, roles, _ in OFFICERS}
AGENCY = {officer: agency for officer, _, agency, _, _ in OFFICERS}


def auth(officer: str) -> dict[str, str]:
    """Headers for a demo officer; "admin" gives an administrator."""
    if officer == "admin":
        token = mint(SECRET, officer="test-admin", agency="", roles=["admin"])
    else:
        token = mint(SECRET, officer=officer, agency=AGENCY[officer], roles=ROLES[officer])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    from tests.kafka_support import broker

    with broker() as bootstrap:
        yield bootstrap


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `make test` spreads the tests over parallel workers (pytest-xdist, --dist loadgroup). The
    # ones on the broker share one worker and run one after another as before: one of them
    # pauses the broker, which would stall the others' clients. The browser's share one worker
    # too: Playwright holds an event loop on its thread while it runs, so they run one after
    # another and it stops before that worker goes on to tests that start loops of their own.
    for item in items:
        if item.get_closest_marker("kafka") or "kafka_bootstrap" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("kafka"))
        elif item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
