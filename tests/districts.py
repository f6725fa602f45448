"""Helpers for the integration tests: a seeded district under another mechanism, moments on
the Shanghai clock, and the events an aggregate recorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.calendar import SHANGHAI
from services.application import Liandong
from services.bootstrap import Container, build
from services.demo import seed
from services.settings import Settings
from tests.conftest import SECRET
from tests.support import FakeClock


@contextmanager
def seeded_district(
    store_url: str, var_dir: Path, clock: FakeClock, **settings: Any
) -> Iterator[Container]:
    """The demo district built with other settings (e.g. ``mechanism="licheng"``)."""
    container = build(
        Settings(
            database_url=store_url,
            jwt_secret=SECRET,
            var_dir=var_dir,
            projection_poll_seconds=0.05,
            **settings,
        ),
        clock=clock,
    )
    try:
        seed(container.app)
        yield container
    finally:
        container.close()


def at(*parts: int) -> datetime:
    """A Shanghai wall-clock moment: at(2026, 9, 30, 15) is 30 September 2026, 15:00."""
    return datetime(*parts, tzinfo=SHANGHAI)


def end_of(year: int, month: int, day: int) -> datetime:
    """The end of a working day, when a "N working days" deadline falls due."""
    return datetime(year, month, day, 23, 59, 59, tzinfo=SHANGHAI)


def events(app: Liandong, aggregate_id: UUID) -> list[Any]:
    return list(app.repository.event_store.get(aggregate_id))


def event_names(app: Liandong, aggregate_id: UUID) -> list[str]:
    return [type(e).__name__ for e in events(app, aggregate_id)]


def last_event(app: Liandong, aggregate_id: UUID) -> Any:
    return events(app, aggregate_id)[-1]
