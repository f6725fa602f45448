"""Runs the views in process, following the event store's notification log (embedded mode).

SQLite recorders cannot be subscribed to, and a PostgreSQL NOTIFY can be lost, so the runner
polls; a commit in this process wakes it at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from projections.records import EventRecord
from services.stored_records import RecordReader
from services.viewstore import ViewStore

log = logging.getLogger(__name__)
BATCH = 500
COALESCE_SECONDS = 0.005


class ProjectionRunner:
    def __init__(self, app: Any, stores: Sequence[ViewStore], poll_seconds: float = 0.5) -> None:
        self.app = app
        self.stores = list(stores)
        self.poll_seconds = poll_seconds
        self.reader = RecordReader(app.mapper)
        self.positions = {s.tracking_name: s.max_tracking_id(app.name) or 0 for s in stores}
        self.errors: dict[str, str] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._progress = threading.Condition()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="projections", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                applied = self.run_once()
            except Exception:  # keep serving; the store or view database may come back
                log.exception("projection batch failed; retrying")
                applied = 0
                self._stop.wait(1.0)
            if applied == 0:
                self._wake.wait(self.poll_seconds if not self.errors else 1.0)
                self._wake.clear()
            elif applied < BATCH:
                # Under a stream of commands, let a few more arrive: bigger batches, fewer commits.
                self._stop.wait(COALESCE_SECONDS)

    def run_once(self) -> int:
        """Applies the next batch of stored events to every view behind; returns its size."""
        start = min(self.positions.values(), default=0)
        notes = self.app.recorder.select_notifications(
            start=start + 1, limit=BATCH, inclusive_of_start=True
        )
        if not notes:
            return 0
        records = [self.reader.record(n, n.id) for n in notes]
        applied = sum([self._feed(store, records) for store in self.stores])
        with self._progress:
            self._progress.notify_all()
        return applied

    def _feed(self, store: ViewStore, records: list[EventRecord]) -> int:
        """Feeds one view; a view that fails stays behind and is retried, the others go on."""
        name = store.tracking_name
        fresh = [r for r in records if r.position > self.positions[name]]
        if not fresh:
            return 0
        try:
            store.apply(fresh, Tracking(self.app.name, fresh[-1].position))
        except IntegrityError:
            # Someone else moved the view on (a rebuild swapped in): continue from its position.
            self.positions[name] = store.max_tracking_id(self.app.name) or 0
            return 0
        except Exception as error:
            log.exception(
                "view %s failed on positions %s..%s", name, fresh[0].position, fresh[-1].position
            )
            self.errors[name] = f"{type(error).__name__}: {error}"
            return 0
        self.errors.pop(name, None)
        self.positions[name] = fresh[-1].position
        return len(fresh)

    def wait_for(self, position: int, timeout: float) -> bool:
        """Blocks until every view has applied `position`, or the timeout passes."""
        deadline = time.monotonic() + timeout
        with self._progress:
            while min(self.positions.values(), default=position) < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.wake()
                self._progress.wait(min(remaining, 0.05))
        return True
