"""A worker that consumes Kafka a poll at a time until it is stopped (the projectors, the
gateway). On trouble its consumer is closed without committing, so that after a pause it
resumes from its committed offsets and the poll is repeated: a worker commits only what it has
applied."""

from __future__ import annotations

import logging
import threading
from typing import Any, ClassVar

from kafka.errors import KafkaError

log = logging.getLogger(__name__)
PAUSE_SECONDS = 1.0


class ConsumerLoop:
    # Besides the broker's and the network's errors, what is retried rather than let through;
    # anything retried that is not the broker's is logged with its traceback.
    retried: ClassVar[tuple[type[Exception], ...]] = ()

    def __init__(self, name: str) -> None:
        self.name = name  # as the logs call it
        self.consumer: Any = None
        self.error: str | None = None
        self._stop = threading.Event()

    def run_once(self, timeout_ms: int = 200) -> int:
        raise NotImplementedError

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once(timeout_ms=200)
                self.error = None
            except (KafkaError, OSError) as error:
                self._trouble(error)
            except self.retried as error:
                log.exception("%s: poll failed", self.name)
                self._trouble(error)

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        if self.consumer is not None:
            self.consumer.close(autocommit=False)
            self.consumer = None

    def _forget_assignment(self) -> None:
        """What the worker keeps of its consumer's partitions, dropped with the consumer."""

    def _trouble(self, error: Exception) -> None:
        self.error = f"{type(error).__name__}: {error}"
        log.warning("%s: %s; retrying", self.name, self.error)
        try:
            self.close()
        except Exception:
            self.consumer = None
        self._forget_assignment()
        self._stop.wait(PAUSE_SECONDS)
