"""The deadline watcher: every pass it reads the running time limits from the views that have
caught up with the store, and the open warnings from the warnings view, and stores the
difference as Warning events — yellow when a limit comes within its lead time, red when it
passes, withdrawn when it is met, moves or its resource closes.

Only views at the store's head are read: a view being built afresh or rebuilt, or behind,
raises and withdraws nothing until it has caught up. A warning's id is its occurrence (the
resource, the limit, the due time), so a watcher restarted across a crossing raises it once,
and a save another watcher made first is passed over. One watcher leads at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.errors import DomainError
from domain.warning import Colour, Warning, warning_id
from domain.warning_events import WithdrawnWhy
from projections.deadlines import now_key
from projections.document_view import chunks
from projections.warnings import WarningView
from services.errors import ConcurrentModification
from services.store_follower import StoreFollower
from services.warnings.leads import LeadTimes
from services.warnings.passes import Passes
from services.warnings.sources import SOURCES, Source

log = logging.getLogger(__name__)
SAVE_CHUNK = 500
CATCH_UP_SECONDS = 2.0
Fresh = tuple[dict[str, Any], Colour]  # a limit's first warning to raise, and its colour


@dataclass
class Pass:
    """What one pass stored."""

    raised: int = 0
    turned_red: int = 0
    withdrawn: int = 0
    passed_over: int = 0
    skipped_views: list[str] = field(default_factory=list)


def watcher_name(settings: Any) -> str:
    return f"{settings.kafka_topic_prefix}liandong.watch"


class Watcher(StoreFollower):
    def __init__(self, container: Any, *, first_pass_waits: bool = False) -> None:
        settings = container.settings
        super().__init__(settings.database_url, watcher_name(settings))
        self.container = container
        self.app = container.app
        self.poll_seconds = settings.watch_poll_seconds
        self.lead_times = dict(settings.watch_lead_times)
        self.first_pass_waits = first_pass_waits
        self.last: Pass | None = None
        self.passes = Passes(container.views_db, self.lock_name)

    # Running --------------------------------------------------------------------------------

    def run(self, poll_seconds: float = 0.05) -> None:
        super().run(self.poll_seconds)

    def resume(self) -> None:
        if self.first_pass_waits:  # in process: nothing costly until the interval has passed
            self.first_pass_waits = False
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def failed(self, error: Exception) -> None:
        log.exception("watcher: a pass failed")
        self.error = f"{type(error).__name__}: {error}"

    def close(self) -> None:
        """Nothing of its own to close: the container is its caller's."""

    def run_once(self) -> int:
        if self._stop.is_set():
            return 0
        self.last = self.watch()
        return 0  # a pass an interval: the follower waits `poll_seconds` before the next

    # One pass -------------------------------------------------------------------------------

    def watch(self) -> Pass:
        done = Pass()
        head = self.app.head_position()
        self.container.wait_for(head, CATCH_UP_SECONDS)
        positions = self.container.view_positions()
        if positions.get(WarningView.name, 0) < head:
            done.skipped_views.append(WarningView.name)
            return done
        caught = [s for s in SOURCES if positions.get(s.view.name, 0) >= head]
        done.skipped_views += [s.view.name for s in SOURCES if s not in caught]
        now = self.app.clock()
        leads = LeadTimes(self.lead_times, self.app.calendar())
        opened = self._open_warnings({s.kind for s in caught})
        running: set[UUID] = set()
        wanted: list[tuple[dict[str, Any], Colour, UUID]] = []
        for source in caught:
            for limit in self._running(source):
                occurrence = warning_id(limit["resource_id"], limit["name"], limit["due"])
                running.add(occurrence)
                colour = self._colour(limit, leads, now)
                have = opened.get(str(occurrence))
                if colour is not None and (have is None or colour_after(have["colour"], colour)):
                    wanted.append((dict(limit, lead=leads.lead(limit["rule"])), colour, occurrence))
        self._raise(wanted, opened, now, done)
        gone = [w for key, w in opened.items() if UUID(key) not in running]
        self._withdraw(gone, caught, now, done)
        self.passes.save(now, done.raised, done.turned_red, done.withdrawn, done.skipped_views)
        return done

    def _open_warnings(self, kinds: set[str]) -> dict[str, dict[str, Any]]:
        store = self.container.store_of(WarningView.name)
        with self.container.views_db.reading() as cursor:
            found = store.view.all_open(cursor)
        return {w["id"]: w for w in found if w["kind"] in kinds}

    def _running(self, source: Source) -> list[dict[str, Any]]:
        view = self.container.store_of(source.view.name).view
        with self.container.views_db.reading() as cursor:
            limits = source.running(view, cursor)
        for limit in limits:
            limit.update(kind=source.kind, due=datetime.fromisoformat(limit["due_at"]))
        return limits

    @staticmethod
    def _colour(limit: dict[str, Any], leads: LeadTimes, now: datetime) -> Colour | None:
        if limit["due_key"] < now_key(now):
            return Colour.RED
        if now >= leads.yellow_from(limit["rule"], limit["due_at"]):
            return Colour.YELLOW
        return None

    # Storing --------------------------------------------------------------------------------

    def _raise(
        self,
        wanted: list[tuple[dict[str, Any], Colour, UUID]],
        opened: dict[str, dict[str, Any]],
        now: datetime,
        done: Pass,
    ) -> None:
        fresh: list[Fresh] = []
        for limit, colour, occurrence in wanted:
            data = dict(limit, due_at=limit["due"], resource_id=UUID(limit["resource_id"]))
            if str(occurrence) not in opened:
                fresh.append((data, colour))
                continue
            if self._change(occurrence, lambda w, d=data: w.turn_red(d, now), done):
                done.turned_red += 1
        for chunk in chunks(fresh, SAVE_CHUNK):
            done.raised += self._save_new(chunk, now, done)

    def _save_new(self, chunk: list[Fresh], now: datetime, done: Pass) -> int:
        """New warnings, many to a transaction; one another watcher saved first (or an
        occurrence raised and withdrawn before) is passed over."""

        def made(data: dict[str, Any], colour: Colour) -> Warning:
            return Warning.raise_on(data, colour, data["lead"], now)

        try:
            self.app.store(
                *(made(data, colour) for data, colour in chunk),
                conflict_code="warning.changed_elsewhere",
            )
            return len(chunk)
        except ConcurrentModification:
            pass
        saved = 0
        for data, colour in chunk:
            try:
                self.app.store(made(data, colour), conflict_code="warning.changed_elsewhere")
                saved += 1
            except ConcurrentModification:
                done.passed_over += 1
        return saved

    def _withdraw(
        self, gone: list[dict[str, Any]], caught: Sequence[Source], now: datetime, done: Pass
    ) -> None:
        views = {s.kind: self.container.store_of(s.view.name).view for s in caught}
        for warning in gone:
            why = self._why(views[warning["kind"]], warning)
            if self._change(UUID(warning["id"]), lambda w, y=why: w.withdraw(y, now), done):
                done.withdrawn += 1

    def _why(self, view: Any, warning: dict[str, Any]) -> WithdrawnWhy:
        """Met, moved (the limit runs to another due time) or closed (it no longer runs)."""
        with self.container.views_db.reading() as cursor:
            rows = view.deadlines.rows_of(view, cursor, warning["resource_id"])
        row = next((r for r in rows if r["name"] == warning["name"]), None)
        if row is not None and row["met_at"] is not None:
            return WithdrawnWhy.MET
        if row is not None and row["due_key"] != warning["due_key"]:
            return WithdrawnWhy.MOVED
        return WithdrawnWhy.CLOSED

    def _change(self, occurrence: UUID, act: Any, done: Pass) -> bool:
        """Loads a warning, lets it act and saves it; a rule that refuses (red already,
        withdrawn already: another watcher was first) or a conflict passes it over."""
        try:
            warning = self.app.repository.get(occurrence)
            act(warning)
            self.app.store(warning, conflict_code="warning.changed_elsewhere")
            return True
        except (AggregateNotFoundError, DomainError, ConcurrentModification):
            done.passed_over += 1
            return False


def colour_after(have: str, wanted: Colour) -> bool:
    """Only red follows yellow; nothing follows red."""
    return have == Colour.YELLOW and wanted is Colour.RED
