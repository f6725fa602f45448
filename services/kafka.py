"""How liandong talks to Kafka: its producer, consumers and topics, configured in one place.

Plain Kafka only: the same settings serve the local development broker and a production cluster.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from services import catalogue, wire
from services.settings import Settings

log = logging.getLogger(__name__)

# Events are the system of record's history: subscribers and rebuilds replay them from the start.
TOPIC_CONFIGS = {"retention.ms": "-1", "cleanup.policy": "delete"}
SESSION_TIMEOUT_MS = 6000
HEARTBEAT_INTERVAL_MS = 1000


def topics(settings: Settings, kinds: Iterable[str] | None = None) -> list[str]:
    kinds = catalogue.topic_kinds() if kinds is None else kinds
    return [wire.topic_name(kind, settings.kafka_topic_prefix) for kind in kinds]


def replies_topic(settings: Settings) -> str:
    """Where police systems publish their replies to crime transfers (read by the gateway)."""
    return wire.topic_name(wire.REPLIES_KIND, settings.kafka_topic_prefix)


def audit_topic(settings: Settings) -> str:
    """Where the audit log publishes its signed checkpoints (services/audit/)."""
    return wire.topic_name(wire.AUDIT_KIND, settings.kafka_topic_prefix)


def gateway_group_id(settings: Settings) -> str:
    return f"{settings.kafka_topic_prefix}liandong.gateway"


def group_id(settings: Settings, view_name: str) -> str:
    return f"{settings.kafka_topic_prefix}liandong.projection.{view_name}"


def producer(settings: Settings) -> KafkaProducer:
    """Idempotent, acks from all in-sync replicas, and fast failure so the relay can back off
    and retry instead of blocking for minutes while the broker is away."""
    return KafkaProducer(
        bootstrap_servers=settings.kafka_servers(),
        client_id="liandong-relay",
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        batch_size=256 * 1024,
        max_block_ms=10_000,
        request_timeout_ms=10_000,
        delivery_timeout_ms=30_000,
    )


def consumer(settings: Settings, group: str | None, **overrides: Any) -> KafkaConsumer:
    """Offsets are committed by the caller, after the database commit that applied them."""
    config: dict[str, Any] = dict(
        bootstrap_servers=settings.kafka_servers(),
        client_id="liandong-projector",
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=SESSION_TIMEOUT_MS,
        heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS,
        max_poll_records=1000,
        fetch_max_wait_ms=50,
    )
    config.update(overrides)
    return KafkaConsumer(**config)


def ensure_topics(settings: Settings) -> list[str]:
    """Creates the topics that are missing; answers the names of those it created."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_servers(), client_id="liandong-admin")
    try:
        existing = set(admin.list_topics())
        wanted = [*topics(settings), replies_topic(settings), audit_topic(settings)]
        missing = [name for name in wanted if name not in existing]
        for name in missing:
            try:
                admin.create_topics([new_topic(settings, name)])
            except TopicAlreadyExistsError:  # another relay created it first
                continue
            log.info("created topic %s", name)
        return missing
    finally:
        admin.close()


def new_topic(settings: Settings, name: str) -> NewTopic:
    return NewTopic(
        name,
        num_partitions=settings.kafka_partitions,
        replication_factor=settings.kafka_replication_factor,
        topic_configs=dict(TOPIC_CONFIGS),
    )
