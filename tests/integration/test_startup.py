"""Processes starting together on one fresh PostgreSQL store (as `liandong up` and a compose
start do) each create the tables they need without tripping over one another."""

from __future__ import annotations

import threading

import pytest

from services.bootstrap import Container, build
from services.settings import Settings
from tests.conftest import SECRET
from tests.support import reset_schema

pytestmark = pytest.mark.postgres


def start_together(settings: Settings, count: int) -> tuple[list[Container], list[BaseException]]:
    built: list[Container] = []
    failures: list[BaseException] = []

    def start() -> None:
        try:
            built.append(build(settings, run_views=False))
        except BaseException as error:  # reported by the caller
            failures.append(error)

    threads = [threading.Thread(target=start) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return built, failures


def test_processes_starting_together_all_start(postgres_url, tmp_path):
    settings = Settings(database_url=postgres_url, jwt_secret=SECRET, var_dir=tmp_path)
    for _ in range(3):
        reset_schema(postgres_url)
        built, failures = start_together(settings, 4)
        for container in built:
            container.close()
        assert failures == [] and len(built) == 4
