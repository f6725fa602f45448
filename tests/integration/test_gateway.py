"""The public-security gateway against the local broker: police replies on the replies topic
become the same commands as the HTTP routes, exactly once in effect; a duplicated, malformed,
unsigned, wrongly signed or misaddressed reply changes nothing, is kept as a dead letter and
answered on the crime-transfer topic; a gateway killed mid-batch loses nothing and applies
nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer

from domain.calendar import SHANGHAI
from services import kafka
from services.api.metrics import ReadinessCollector
from services.api.routes.health import readiness
from services.bootstrap import Container, build_gateway, build_relay
from services.dead_letters import DeadLetters
from services.handlers.crime_transfers import CrimeTransferHandlers
from services.reply_signing import HEADER, sign
from tests.backbone import deployed, relay_everything
from tests.integration.test_police_reference_client import CLIENT
from tests.scenarios import FILING_NOTICE, TRANSFER_MATERIALS, person, sent_crime_transfer
from tests.signing import PoliceKey, police_reply_keys

pytestmark = pytest.mark.kafka

NOTICE = dict(FILING_NOTICE, title="不予立案通知书")


POLICE_KEY = PoliceKey.make("bh-gaj-1", "tj-bh-gaj")
XIQING_KEY = PoliceKey.make("xq-gaj-1", "tj-xq-gaj")
STRANGER_KEY = PoliceKey.make("bh-gaj-1", "tj-bh-gaj")  # the same kid, another key
KEYS = police_reply_keys(POLICE_KEY, XIQING_KEY)


@pytest.fixture
def deployment(postgres_url: str, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Container]:
    with deployed(postgres_url, kafka_bootstrap, tmp_path, police_reply_keys=KEYS) as container:
        kafka.ensure_topics(container.settings)
        yield container


class Police:
    """A police system publishing signed replies."""

    def __init__(self, container: Container, agency: str = "tj-bh-gaj") -> None:
        self.settings = container.settings
        self.agency = agency
        self.producer = KafkaProducer(bootstrap_servers=container.settings.kafka_servers())

    def reply(
        self,
        name: str,
        transfer: uuid.UUID,
        data: dict[str, Any],
        *,
        message_id: str | None = None,
        key: PoliceKey = POLICE_KEY,
        signed: bool = True,
    ) -> str:
        message_id = message_id or str(uuid.uuid4())
        value = envelope(name, transfer, data, self.agency, message_id)
        signature = sign(value, key.private_pem(), key.kid, key.algorithm).encode()
        self.raw(value, transfer, [(HEADER, signature)] if signed else [])
        return message_id

    def raw(self, value: bytes, transfer: uuid.UUID, headers: list[tuple[str, bytes]]) -> None:
        topic = kafka.replies_topic(self.settings)
        self.producer.send(topic, value=value, key=str(transfer).encode(), headers=headers)
        self.producer.flush()

    def close(self) -> None:
        self.producer.close()


def envelope(name: str, transfer: uuid.UUID, data: dict[str, Any], agency: str, mid: str) -> bytes:
    event = {
        "specversion": "1.0",
        "id": mid,
        "source": f"urn:liandong:police:{agency}",
        "type": f"liandong.CrimeTransferReply.{name}",
        "subject": str(transfer),
        "time": datetime.now(SHANGHAI).isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }
    return json.dumps(event, ensure_ascii=False).encode()


def sent_transfer(container: Container) -> uuid.UUID:
    return sent_crime_transfer(container.app)


def handle_all(gateway: Any, expected: int) -> list[Any]:
    """Polls until `expected` replies were handled; answers their outcomes."""
    outcomes: list[Any] = []
    original = gateway.handle

    def counting(message: Any) -> Any:
        outcome = original(message)
        outcomes.append(outcome)
        return outcome

    gateway.handle = counting
    for _ in range(200):
        if len(outcomes) >= expected:
            break
        gateway.run_once(timeout_ms=200)
    assert len(outcomes) == expected, outcomes
    return outcomes


def status(container: Container, transfer: uuid.UUID) -> str:
    found: str = container.app.repository.get(transfer).status
    return found


def refusals(container: Container) -> list[str]:
    letters = DeadLetters(container.views_db, "gateway").listing()
    return [letter["reason"].split(":", 1)[0] for letter in letters]


def test_the_police_answer_through_the_replies_topic(deployment):
    app, police = deployment.app, Police(deployment)
    acts = CrimeTransferHandlers(app)
    gateway = build_gateway(deployment)
    try:
        t = sent_transfer(deployment)
        police.reply("Receipt", t, {"officer": "qin-song", "note": "收到"})
        police.reply(
            "MaterialsRequested",
            t,
            {"officer": "qin-song", "materials": ["appraisal"], "note": "缺鉴定"},
        )
        handle_all(gateway, 2)
        assert status(deployment, t) == "materials_requested"
        supplied = dict(TRANSFER_MATERIALS[3], sha256="e" * 64)
        acts.supply_materials(person(app, "wang-fang"), t, [supplied])
        decided = datetime.now(SHANGHAI).isoformat()
        refusal = {"officer": "yue-ming", "filed": False, "decided_at": decided}
        police.reply("FilingDecided", t, dict(refusal, reasons="证据不足", document=NOTICE))
        handle_all(gateway, 1)
        assert status(deployment, t) == "not_filed"
        acts.request_reconsideration(person(app, "zhao-qiang"), t, "请复议")
        answer = {"officer": "yue-ming", "upheld": True, "reasons": "维持", "document": NOTICE}
        police.reply("ReconsiderationAnswered", t, answer)
        handle_all(gateway, 1)
        acts.request_supervision(person(app, "zhao-qiang"), t, "请监督")
        acts.request_reasons(person(app, "xu-ping"), t, "请说明理由")
        police.reply("ReasonsStated", t, {"officer": "yue-ming", "reasons": "证据不足"})
        handle_all(gateway, 1)
        acts.order_filing(person(app, "xu-ping"), t, "理由不成立")
        filing = dict(refusal, filed=True, decided_at=datetime.now(SHANGHAI).isoformat())
        police.reply("FilingDecided", t, dict(filing, reasons="", document=NOTICE))
        handle_all(gateway, 1)
        assert status(deployment, t) == "filed"
        acts.hand_over(person(app, "wang-fang"), t, "物品一宗")
        assert status(deployment, t) == "handed_over"
        assert refusals(deployment) == []
    finally:
        gateway.close()
        police.close()


def test_a_duplicated_reply_changes_nothing_and_is_answered_as_replayed(deployment):
    police, gateway = Police(deployment), build_gateway(deployment)
    try:
        t = sent_transfer(deployment)
        first = police.reply("Receipt", t, {"officer": "qin-song"})
        police.reply("Receipt", t, {"officer": "qin-song"}, message_id=first)
        outcomes = handle_all(gateway, 2)
        assert [o.applied for o in outcomes] == [True, False]
        assert outcomes[1].code == "reply.replayed"
        assert (
            deployment.app.repository.get(t).version == 5
        )  # opened, reported, approved, sent, receipt
        assert refusals(deployment) == ["reply.replayed"]
    finally:
        gateway.close()
        police.close()


def test_bad_replies_are_refused_kept_and_answered(deployment):
    police, gateway = Police(deployment), build_gateway(deployment)
    try:
        t = sent_transfer(deployment)
        police.raw(b"not json at all", t, [])
        police.reply("Receipt", t, {"officer": "qin-song"}, signed=False)
        police.reply("Receipt", t, {"officer": "qin-song"}, key=STRANGER_KEY)
        police.reply("Receipt", t, {"officer": "qin-song"}, key=XIQING_KEY)
        police.reply("Receipt", t, {"officer": "qin-song", "note": 12})
        police.reply("Receipt", t, {"officer": "nobody"})
        police.reply("Opened", t, {"officer": "qin-song"})
        xiqing = Police(deployment, agency="tj-xq-gaj")
        xiqing.reply("Receipt", t, {"officer": "song-yu"}, key=XIQING_KEY)
        xiqing.close()
        outcomes = handle_all(gateway, 8)
        assert [o.code for o in outcomes] == [
            "reply.unsigned",
            "reply.unsigned",
            "reply.bad_signature",
            "reply.wrong_sender",
            "reply.invalid",
            "reply.officer_unknown",
            "reply.unknown_type",
            "crime_transfer.not_found",  # sent to another public security
        ]
        assert status(deployment, t) == "sent"
        assert len(refusals(deployment)) == 8
        answers = [
            e
            for e in deployment.app.recorder.select_notifications(start=1, limit=10_000)
            if e.topic.endswith("CrimeTransferReply.Refused")
        ]
        assert len(answers) == 8
        shown = readiness(deployment)
        assert shown["gateway"] == {"refused": 8, "lag": 0}
        assert shown["status"] == "ready"  # a refused reply is the sender's fault, not ours
        gauges = {m.name: m.samples[0].value for m in ReadinessCollector(shown).collect()}
        assert gauges["liandong_gateway_refused_replies"] == 8
        assert gauges["liandong_gateway_lag_replies"] == 0
    finally:
        gateway.close()
        police.close()


def test_a_gateway_killed_mid_batch_loses_nothing_and_applies_nothing_twice(deployment):
    police = Police(deployment)
    transfers = [sent_transfer(deployment) for _ in range(6)]
    for t in transfers:
        police.reply("Receipt", t, {"officer": "qin-song"})
    police.reply("Receipt", transfers[0], {"officer": "qin-song"}, signed=False)
    first = build_gateway(deployment)
    try:
        consumer = first._consumer()
        messages: list[Any] = []
        for _ in range(100):
            batch = consumer.poll(timeout_ms=200)
            messages += [m for tp in sorted(batch) for m in batch[tp]]
            if len(messages) >= 7:
                break
        # Killed after four, before committing: the next gateway reads all seven again.
        before = [first.handle(message) for message in messages[:4]]
    finally:
        first.close()
    second = build_gateway(deployment)
    try:
        outcomes = handle_all(second, 7)
    finally:
        second.close()
    assert sum(o.applied for o in outcomes) == 6 - sum(o.applied for o in before)
    assert {status(deployment, t) for t in transfers} == {"received"}
    assert all(deployment.app.repository.get(t).version == 5 for t in transfers)
    assert refusals(deployment) == ["reply.unsigned"]
    police.close()


def test_the_reference_client_and_the_gateway_carry_a_transfer_to_its_filing(deployment, tmp_path):
    """The relay publishes a real transfer; the reference police client reads it and replies;
    the gateway applies both replies."""
    t = sent_transfer(deployment)
    relay_everything(build_relay(deployment))
    private = tmp_path / "police.pem"
    private.write_text(POLICE_KEY.private_pem())
    settings = deployment.settings
    command = [
        sys.executable,
        str(CLIENT),
        *("--bootstrap", ",".join(settings.kafka_servers())),
        *("--topic-prefix", settings.kafka_topic_prefix, "--agency", "tj-bh-gaj"),
        *("--officer", "qin-song", "--head", "yue-ming", "--key-id", POLICE_KEY.kid),
        *("--private-key", str(private), "--algorithm", POLICE_KEY.algorithm),
        *("--max-transfers", "1", "--timeout", "60", "--group", f"{settings.kafka_topic_prefix}p"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stdout + done.stderr
    gateway = build_gateway(deployment)
    try:
        outcomes = handle_all(gateway, 2)
    finally:
        gateway.close()
    assert [o.applied for o in outcomes] == [True, True], outcomes
    assert status(deployment, t) == "filed"
