"""The audit log in Kafka mode: every checkpoint it signs is published on the audit topic, keyed
by the log's origin, the same message the API answers; the supervisor's verifier reads a dump of
the topic as its held checkpoints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kafka import KafkaConsumer, TopicPartition

from services import kafka
from services.bootstrap import build_audit_log
from tests.audit_support import log_everything
from tests.backbone import deployed

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def audit_messages(settings) -> list[tuple[bytes, dict]]:
    topic = kafka.audit_topic(settings)
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_servers(), consumer_timeout_ms=2000)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        return [(m.key, json.loads(m.value)) for m in consumer]
    finally:
        consumer.close()


def test_every_checkpoint_is_published_keyed_by_the_origin(
    postgres_url, kafka_bootstrap, tmp_path: Path
):
    changes = {"audit_checkpoint_events": 10, "audit_batch_size": 7}
    with deployed(postgres_url, kafka_bootstrap, tmp_path, **changes) as container:
        log = build_audit_log(container)
        log.resume()
        log_everything(log)
        stored = container.checkpoints().all()
        assert len(stored) >= 3 and not container.checkpoints().unpublished()
        messages = audit_messages(container.settings)
        assert [m for _, m in messages] == [c.message() for c in stored]
        assert {key for key, _ in messages} == {b"liandong/test"}
        log.close()
