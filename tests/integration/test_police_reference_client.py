"""The reference police client against the local broker: it answers a crime transfer sent to its
agency with a signed Receipt and a signed FilingDecided that liandong's verification accepts."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from projections.records import EventRecord
from services import reply_signing, wire
from services.reply_signing import ReplyRefused
from services.settings import Settings
from tests.signing import PoliceKey, police_reply_keys

pytestmark = pytest.mark.kafka

CLIENT = Path(__file__).resolve().parents[2] / "deploy" / "police" / "reference_client.py"
AGENCY = "tj-bh-gaj"


def sent(transfer: str, public_security: str, position: int) -> EventRecord:
    return EventRecord(
        position=position,
        type="CrimeTransfer.Sent",
        aggregate_id=transfer,
        aggregate_version=1,
        recorded_at="2026-03-02T01:00:00+00:00",
        data={"public_security": public_security, "case_number": "津滨应急罚〔2026〕7号"},
    )


def publish(bootstrap: str, topic: str, records: list[EventRecord]) -> None:
    producer = KafkaProducer(bootstrap_servers=[bootstrap])
    try:
        for record in records:
            producer.send(
                topic,
                key=record.aggregate_id.encode(),
                value=wire.encode(record, "urn:liandong:tj-bh", [AGENCY]),
                headers=wire.headers(record),
            )
        producer.flush(timeout=15)
    finally:
        producer.close()


def create_topics(bootstrap: str, *names: str) -> None:
    admin = KafkaAdminClient(bootstrap_servers=[bootstrap])
    try:
        admin.create_topics(
            [NewTopic(name, num_partitions=3, replication_factor=1) for name in names]
        )
    finally:
        admin.close()


def replies_on(bootstrap: str, topic: str, expected: int, timeout: float = 20) -> list[Any]:
    """The messages on the topic, read from its start until `expected` came and a second more."""
    consumer = KafkaConsumer(
        topic, bootstrap_servers=[bootstrap], group_id=None, auto_offset_reset="earliest"
    )
    messages: list[Any] = []
    try:
        deadline = time.monotonic() + timeout
        quiet_until = None
        while time.monotonic() < deadline and (
            quiet_until is None or time.monotonic() < quiet_until
        ):
            for batch in consumer.poll(timeout_ms=200).values():
                messages.extend(batch)
            if len(messages) >= expected and quiet_until is None:
                quiet_until = time.monotonic() + 1
    finally:
        consumer.close()
    return messages


def run_client(bootstrap: str, prefix: str, key: PoliceKey, pem: Path, decision: str) -> str:
    command = [
        sys.executable,
        str(CLIENT),
        *("--bootstrap", bootstrap, "--topic-prefix", prefix, "--agency", AGENCY),
        *("--officer", "qin-song", "--key-id", key.kid, "--private-key", str(pem)),
        *("--algorithm", key.algorithm, "--decision", decision),
        *("--max-transfers", "1", "--timeout", "60", "--group", f"{prefix}police"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, f"the reference client failed:\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.mark.parametrize(("algorithm", "decision"), [("ES256", "filed"), ("EdDSA", "not-filed")])
def test_the_reference_client_answers_a_transfer_with_two_signed_replies(
    kafka_bootstrap, tmp_path, algorithm, decision
):
    prefix = f"t{uuid.uuid4().hex[:10]}."
    transfers, replies = (
        prefix + "liandong.crime-transfer.v1",
        wire.topic_name(wire.REPLIES_KIND, prefix),
    )
    create_topics(kafka_bootstrap, transfers, replies)
    key = PoliceKey.make(f"{AGENCY}-2026-01", AGENCY, algorithm)
    pem = tmp_path / "police.pem"
    pem.write_text(key.private_pem())
    ours, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    publish(
        kafka_bootstrap,
        transfers,
        [sent(theirs, "tj-hx-gaj", 1), sent(ours, AGENCY, 2)],
    )

    output = run_client(kafka_bootstrap, prefix, key, pem, decision)

    assert f"answered {ours}" in output
    messages = replies_on(kafka_bootstrap, replies, expected=2)
    keys = Settings(police_reply_keys=police_reply_keys(key)).reply_keys()
    verified = [reply_signing.verify(m.value, m.headers, keys) for m in messages]
    assert [m.key.decode() for m in messages] == [ours, ours]
    assert [v.event["type"] for v in verified] == [
        "liandong.CrimeTransferReply.Receipt",
        "liandong.CrimeTransferReply.FilingDecided",
    ]
    assert {(v.agency, v.kid, v.event["subject"]) for v in verified} == {(AGENCY, key.kid, ours)}
    receipt, decided = (v.event["data"] for v in verified)
    assert receipt["officer"] == "qin-song" and receipt["note"]
    assert decided["filed"] is (decision == "filed")
    assert datetime.fromisoformat(decided["decided_at"]).tzinfo is not None
    assert re.fullmatch("[0-9a-f]{64}", decided["document"]["sha256"])
    assert decided["document"]["size"] > 0 and decided["document"]["title"]

    impostor = PoliceKey.make(key.kid, AGENCY, algorithm)
    other_keys = Settings(police_reply_keys=police_reply_keys(impostor)).reply_keys()
    for message in messages:
        with pytest.raises(ReplyRefused) as refused:
            reply_signing.verify(message.value, message.headers, other_keys)
        assert refused.value.code == "reply.bad_signature"
