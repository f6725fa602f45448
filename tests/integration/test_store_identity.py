"""The views know which event store they follow: beside a new store, or beside an older copy of
theirs restored from a backup, they are built afresh from it, never served as they were."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.api.main import create_app
from services.bootstrap import Container, build
from services.demo import seed
from services.settings import Settings
from tests.conftest import SECRET, auth
from tests.scenarios import case_acts, case_details, person
from tests.support import create_database, drop_database


def district(store: str, views: str, tmp_path: Path) -> Container:
    settings = Settings(
        database_url=store,
        views_database_url=views,
        jwt_secret=SECRET,
        var_dir=tmp_path,
        projection_poll_seconds=0.05,
    )
    container = build(settings)
    seed(container.app)
    return container


def register(container: Container, count: int) -> list[str]:
    app = container.app
    ids = [
        str(case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id)
        for _ in range(count)
    ]
    assert container.wait_for(app.head_position(), 10)
    return ids


def listed(container: Container) -> set[str]:
    with TestClient(create_app(container)) as client:
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready", ready
        assert all(v["lag"] == 0 for v in ready["views"].values()), ready
        page = client.get("/v1/cases", params={"limit": 200}, headers=auth("wang-fang")).json()
    return {item["id"] for item in page["items"]}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stores(request, tmp_path):
    """Two event stores and one views database."""
    if request.param == "sqlite":
        yield (
            [f"sqlite:///{tmp_path / n}.sqlite3" for n in ("one", "two")],
            (f"sqlite:///{tmp_path / 'views.sqlite3'}"),
        )
        return
    # Named for the process too: parallel test workers share the server.
    names = [f"liandong_identity_{n}_{os.getpid()}_{id(request)}" for n in ("one", "two", "views")]
    urls = [create_database(n) for n in names]
    yield urls[:2], urls[2]
    for name in names:
        drop_database(name)


def test_views_beside_a_new_store_are_built_from_it(stores, tmp_path):
    (first, second), views = stores
    old = district(first, views, tmp_path)
    try:
        old_cases = register(old, 3)
    finally:
        old.close()
    new = district(second, views, tmp_path)
    try:
        new_cases = register(new, 1)
        shown = listed(new)
    finally:
        new.close()
    assert shown == set(new_cases)
    assert not shown & set(old_cases)


def test_views_further_on_than_a_restored_store_are_built_afresh(tmp_path):
    store = tmp_path / "events.sqlite3"
    views = f"sqlite:///{tmp_path / 'views.sqlite3'}"
    container = district(f"sqlite:///{store}", views, tmp_path)
    try:
        kept = register(container, 2)
    finally:
        container.close()
    shutil.copy(store, tmp_path / "backup.sqlite3")
    container = district(f"sqlite:///{store}", views, tmp_path)
    try:
        lost = register(container, 2)
    finally:
        container.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.sqlite3", store)
    restored = district(f"sqlite:///{store}", views, tmp_path)
    try:
        shown = listed(restored)
    finally:
        restored.close()
    assert shown == set(kept)
    assert not shown & set(lost)
