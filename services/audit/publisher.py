"""Checkpoints onto the audit topic, keyed by the log's origin (one partition holds them in
order), acknowledged by the broker before they count as published."""

from __future__ import annotations

from typing import Any

from services import kafka
from services.audit.checkpoints import SignedCheckpoint
from services.audit.log import encode_message
from services.settings import Settings

FLUSH_TIMEOUT_SECONDS = 30.0


class CheckpointPublisher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topic = kafka.audit_topic(settings)
        self.producer: Any = None

    def publish(self, checkpoints: list[SignedCheckpoint]) -> None:
        producer = self._producer()
        try:
            futures = [
                producer.send(self.topic, key=c.origin.encode(), value=encode_message(c))
                for c in checkpoints
            ]
            producer.flush(timeout=FLUSH_TIMEOUT_SECONDS)
            for future in futures:
                future.get(timeout=0)
        except Exception:
            self.close()  # a producer that failed starts afresh next time
            raise

    def close(self) -> None:
        if self.producer is not None:
            self.producer.close(timeout=5)
            self.producer = None

    def _producer(self) -> Any:
        if self.producer is None:
            kafka.ensure_topics(self.settings)
            self.producer = kafka.producer(self.settings)
        return self.producer
