"""Read-your-writes when the views are fed elsewhere (Kafka): their positions are read from the
views database, a little at a time, until they reach the asked position."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from services.api.errors import ApiProblem
from services.api.freshness import wait_for_views


@dataclass
class FedElsewhere:
    """A container without a runner whose views move on by one position each time they are read."""

    head: int
    position: int = 0
    reads: int = 0
    runner: None = None
    settings: SimpleNamespace = field(
        default_factory=lambda: SimpleNamespace(min_position_wait_seconds=2.0)
    )

    def __post_init__(self) -> None:
        self.app = SimpleNamespace(head_position=lambda: self.head)

    def view_positions(self) -> dict[str, int]:
        self.reads += 1
        self.position = min(self.position + 1, self.head)
        return {"cases": self.position, "referrals": self.position}


def test_the_wait_ends_when_the_views_reach_the_position():
    container = FedElsewhere(head=5)
    asyncio.run(wait_for_views(container, 4))
    assert container.position == 4 and container.reads == 4


def test_a_position_beyond_the_head_is_refused_without_waiting():
    container = FedElsewhere(head=5)
    with pytest.raises(ApiProblem) as refused:
        asyncio.run(wait_for_views(container, 6))
    assert (refused.value.status, refused.value.code) == (422, "request.position_ahead")
    assert container.reads == 1


def test_views_that_stop_short_are_503_after_the_wait():
    container = FedElsewhere(head=5)
    container.settings.min_position_wait_seconds = 0.2
    container.view_positions = lambda: {"cases": 1}
    with pytest.raises(ApiProblem) as refused:
        asyncio.run(wait_for_views(container, 5))
    assert (refused.value.status, refused.value.code) == (503, "views.behind")
