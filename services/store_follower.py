"""A worker that follows the event store while it leads (the relay, the audit log): one process
at a time holds its lock in the store's database, the others stand by; the leader takes a
batch per pass, waits for a wake-up when there is nothing new, and on trouble reports it, backs
off and tries the same batch again: it never skips an event."""

from __future__ import annotations

import threading

from services.leadership import Leadership


class Backoff:
    def __init__(self, first: float = 0.2, most: float = 10.0) -> None:
        self.first, self.most = first, most
        self.current = first

    def next(self) -> float:
        delay = self.current
        self.current = min(self.current * 2, self.most)
        return delay

    def reset(self) -> None:
        self.current = self.first


class StoreFollower:
    def __init__(self, database_url: str, lock_name: str) -> None:
        self.database_url = database_url
        self.lock_name = lock_name
        self.error: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()

    def run_once(self) -> int:
        """Handles the next batch; answers how many stored events it passed."""
        raise NotImplementedError

    def resume(self) -> None:
        """Reloads where the work stands: the last leader, or a failed pass, may have moved."""

    def failed(self, error: Exception) -> None:
        """A pass that raised: report it (self.error) and make ready to try again."""
        raise NotImplementedError

    def stopping(self) -> None:
        """Told to stop while leading: the last word before the lock goes."""

    def run(self, poll_seconds: float = 0.05) -> None:
        leadership = Leadership(self.database_url, self.lock_name)
        try:
            while leadership.acquire(self._stop):
                self.resume()
                self._follow_while(leadership, poll_seconds)
        finally:
            leadership.release()

    def _follow_while(self, leadership: Leadership, poll_seconds: float) -> None:
        backoff = Backoff()
        while not self._stop.is_set() and leadership.holds():
            try:
                passed = self.run_once()
            except Exception as error:  # never skip an event: report, wait, try again
                self.failed(error)
                self._stop.wait(backoff.next())
                self.resume()
                continue
            backoff.reset()
            self.error = None
            if passed == 0:
                self._wake.wait(poll_seconds)
                self._wake.clear()
        if self._stop.is_set() and leadership.holds():
            self.stopping()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()
