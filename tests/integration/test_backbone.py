"""The event backbone against the local broker and PostgreSQL: the relay publishes every event,
projectors fed from Kafka build the same views as the store, exactly once in effect."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from kafka import KafkaProducer

from projections.cases import CaseView
from services import catalogue, kafka, wire
from services.api.main import create_app
from services.bootstrap import Container, build_projectors, build_relay
from services.progress import Progress
from services.rebuild import rebuild
from services.relay import Relay
from tests.backbone import (
    deployed,
    eventually,
    history,
    project_until_current,
    published,
    published_positions,
    relay_everything,
    replayed,
    rows,
    running,
)
from tests.conftest import auth
from tests.e2e.http import get_case, register
from tests.scenarios import case_acts, case_details, filed_office_case, person

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


@pytest.fixture
def deployment(postgres_url: str, kafka_bootstrap: str, tmp_path: Path) -> Iterator[Container]:
    with deployed(postgres_url, kafka_bootstrap, tmp_path) as container:
        yield container


def test_the_relay_publishes_every_stored_event_with_its_envelope(deployment):
    app = deployment.app
    history(app, 3)
    relay_everything(build_relay(deployment))

    messages = published(deployment.settings)
    envelopes = [json.loads(m.value) for m in messages]
    assert {e["position"] for e in envelopes} == published_positions(app)
    assert len(envelopes) == len(published_positions(app))  # one run, no repeats
    for message, envelope in zip(messages, envelopes, strict=True):
        assert message.key.decode() == envelope["subject"]
        assert dict(message.headers) == {
            "ce_type": envelope["type"].encode(),
            "position": str(envelope["position"]).encode(),
        }
        kind = catalogue.TOPIC_OF[envelope["type"].split(".")[1]]
        assert message.topic == wire.topic_name(kind, deployment.settings.kafka_topic_prefix)
    filed = [e for e in envelopes if e["type"] == "liandong.Case.Filed"]
    assert filed and all(e["agencies"] == "tj-bh-yjj tj-bh-yjj-zfs" for e in filed)


def test_each_aggregate_s_events_arrive_in_their_order(deployment):
    history(deployment.app, 4)
    relay_everything(build_relay(deployment))
    versions: dict[str, list[int]] = {}
    for message in published(deployment.settings):
        envelope = json.loads(message.value)
        versions.setdefault(envelope["subject"], []).append(envelope["aggregateversion"])
    assert versions and all(v == list(range(1, len(v) + 1)) for v in versions.values())


def test_the_relay_resumes_from_the_position_the_broker_acknowledged(deployment):
    app = deployment.app
    history(app, 1)
    relay_everything(build_relay(deployment))
    first = len(published(deployment.settings))
    filed_office_case(app)
    again = build_relay(deployment)  # a new process: only the recorded position carries over
    assert again.position == deployment.relay_position().load() > 0
    relay_everything(again)
    assert len(published(deployment.settings)) == len(published_positions(app)) > first


def test_a_view_fed_from_kafka_equals_one_replayed_from_the_store(deployment):
    history(deployment.app, 5)
    relay_everything(build_relay(deployment))
    [projector] = build_projectors(deployment, ["cases"])
    try:
        project_until_current(deployment, projector)
    finally:
        projector.close()
    assert rows(deployment, deployment.view(CaseView)) == rows(
        deployment, replayed(deployment).view
    )


def test_events_published_twice_change_the_view_once(deployment):
    history(deployment.app, 3)
    relay = build_relay(deployment)
    relay_everything(relay)
    [projector] = build_projectors(deployment, ["cases"])
    try:
        project_until_current(deployment, projector)
        before = rows(deployment, deployment.view(CaseView))
        deployment.relay_position().save(0)  # as after a crash that lost the recorded position
        relay_everything(Relay(deployment.app, deployment.relay_position(), deployment.settings))
        assert len(published(deployment.settings)) == 2 * len(published_positions(deployment.app))
        while projector.run_once(timeout_ms=500):
            pass
    finally:
        projector.close()
    assert rows(deployment, deployment.view(CaseView)) == before


def test_poison_messages_become_dead_letters_and_park_their_aggregate(deployment):
    app = deployment.app
    poisoned = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    healthy = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    relay = build_relay(deployment)
    relay_everything(relay)
    case_topic = wire.topic_name("case", deployment.settings.kafka_topic_prefix)
    producer = KafkaProducer(bootstrap_servers=deployment.settings.kafka_servers())
    producer.send(case_topic, key=str(poisoned).encode(), value=b"{not json")
    stranger = json.loads(published(deployment.settings)[0].value)
    stranger.update(type="liandong.Case.Teleported", subject="stranger", position=10**9)
    producer.send(case_topic, key=b"stranger", value=json.dumps(stranger).encode())
    producer.flush()
    producer.close()
    case_acts(app).request_filing(person(app, "wang-fang"), poisoned)
    case_acts(app).request_filing(person(app, "wang-fang"), healthy)
    relay_everything(relay)

    [projector] = build_projectors(deployment, ["cases"])
    try:
        for _ in range(40):
            projector.run_once(timeout_ms=200)
    finally:
        projector.close()
    reasons = {
        (d["message_key"], d["reason"].split(":")[0]) for d in projector.dead_letters.listing()
    }
    assert reasons == {
        (str(poisoned), "unreadable envelope"),
        ("stranger", "unknown event type 'Case.Teleported'"),
        (str(poisoned), "parked behind an earlier dead letter of its aggregate"),
    }
    with deployment.views_db.reading() as db:
        statuses = {
            case_id: deployment.view(CaseView).get_case(db, str(case_id), app.clock())["status"]
            for case_id in (poisoned, healthy)
        }
    assert statuses == {poisoned: "registered", healthy: "awaiting_approval"}
    with TestClient(create_app(deployment)) as client:
        ready = client.get("/readyz").json()
        metrics = client.get("/metrics").text
    assert ready["status"] == "degraded" and ready["dead_letters"] == {"cases": 3}
    assert 'liandong_dead_letters{view="cases"} 3' in metrics


def test_read_your_writes_holds_when_views_are_fed_from_kafka(deployment):
    relay = build_relay(deployment)
    projectors = build_projectors(deployment)
    with running(relay, *projectors), TestClient(create_app(deployment)) as client:
        # Joining the consumer group takes the broker a few seconds on a loaded machine; the
        # guarantee is about the steady state, so the views first catch up with the store.
        register(client)
        eventually(lambda: _current(deployment), what="the views catching up with the store")
        for _ in range(3):
            created = register(client)
            position = created["position"]
            shown = get_case(client, "wang-fang", created["id"], position=position)
            assert shown["position"] >= position and shown["status"] == "registered"
        ready = client.get("/readyz").json()
        assert ready["relay"]["lag"] == 0
        assert "liandong_relay_lag_events 0" in client.get("/metrics").text


def test_topics_are_created_with_the_configured_partitions(deployment):
    build_relay(deployment).run_once()
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=deployment.settings.kafka_servers())
    try:
        described = admin.describe_topics(kafka.topics(deployment.settings))
    finally:
        admin.close()
    # One topic per kind of the catalogue, each of 4.
    assert sorted(len(t["partitions"]) for t in described) == [4] * len(catalogue.topic_kinds())
    assert {"case", "referral", "agency"} <= set(catalogue.topic_kinds())


def _current(container: Container) -> bool:
    return container.view_positions()["cases"] >= container.app.head_position()


def test_a_command_needs_no_broker(deployment):
    saved = case_acts(deployment.app).register(person(deployment.app, "wang-fang"), case_details())
    with TestClient(create_app(deployment)) as client:
        response = client.get(f"/v1/cases/{saved.aggregate.id}", headers=auth("wang-fang"))
    # The view has not seen it: nothing relays in this test; the store has it all the same.
    assert response.status_code == 404
    assert deployment.app.head_position() >= saved.position


def test_a_rebuild_makes_good_the_dead_letters_and_lets_their_aggregate_flow(deployment):
    app = deployment.app
    poisoned = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    relay = build_relay(deployment)
    relay_everything(relay)
    producer = KafkaProducer(bootstrap_servers=deployment.settings.kafka_servers())
    topic = wire.topic_name("case", deployment.settings.kafka_topic_prefix)
    producer.send(topic, key=str(poisoned).encode(), value=b"\xff garbage")
    producer.flush()
    producer.close()
    case_acts(app).request_filing(person(app, "wang-fang"), poisoned)
    relay_everything(relay)
    [projector] = build_projectors(deployment, ["cases"])
    try:
        project_until_current(deployment, projector)
        assert len(projector.dead_letters.listing()) == 2  # the garbage and the parked filing

        rebuild(deployment, ["cases"], "kafka", lambda: Progress(io.StringIO()))
        assert projector.dead_letters.listing() == []
        case_acts(app).review_filing(
            person(app, "zhou-jun"), poisoned, approve=True, opinion="同意"
        )
        relay_everything(relay)
        projector._last_parked = 0.0  # as five seconds later
        project_until_current(deployment, projector)
    finally:
        projector.close()
    assert rows(deployment, deployment.view(CaseView)) == rows(
        deployment, replayed(deployment).view
    )


def test_a_second_relay_stands_by_until_the_first_is_gone(deployment):
    app, position = deployment.app, deployment.relay_position()
    first, second = build_relay(deployment), build_relay(deployment)
    with running(first):
        eventually(lambda: first.producer is not None, 30, "the first relay to lead")
        with running(second):
            history(app, 2)
            eventually(lambda: position.load() == app.head_position(), 30, "the leader")
            assert second.producer is None  # standing by
            first.stop()  # the leader goes; the standby takes over
            history(app, 2)
            eventually(lambda: position.load() == app.head_position(), 30, "the standby")
            assert second.producer is not None
    messages = published(deployment.settings)
    assert {json.loads(m.value)["position"] for m in messages} == published_positions(app)
