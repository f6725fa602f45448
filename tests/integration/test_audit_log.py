"""The audit log over the event store: every stored event a leaf in position order, checkpoints
signed every N events, resumed after a restart; and `liandong audit verify` naming what a
database administrator changed behind the application's back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from services.audit import merkle
from services.audit.leaf import Leaf
from services.audit.signed_note import Checkpoint, NoteSigner, open_note
from services.audit.suites import SM3, generate_signer
from services.bootstrap import Container, build
from services.demo import seed
from services.settings import Settings
from tests.audit_support import AUDIT_KEY, StoreAdministrator, audit_log, log_everything, verify


@pytest.fixture
def logged(settings: Settings, clock) -> Iterator[Container]:
    """A store with the demo district in it, every event logged, checkpoints every 10."""
    audited = settings.model_copy(
        update={
            "audit_signing_key": AUDIT_KEY,
            "audit_checkpoint_events": 10,
            "audit_batch_size": 7,
        }
    )
    container = build(audited, clock=clock, run_views=False)
    seed(container.app)
    log_everything(audit_log(container))
    yield container
    container.close()


def stored_leaves(container: Container) -> list[bytes]:
    notes = container.app.recorder.select_notifications(start=1, limit=100_000)
    return [merkle.SHA256.leaf(Leaf.of(n).encode()) for n in notes]


def test_every_stored_event_is_a_leaf_in_position_order(logged):
    tree = logged.audit_tree()
    leaves = stored_leaves(logged)
    assert tree.size == len(leaves) == logged.app.head_position() > 20
    assert tree.root() == merkle.root(merkle.SHA256, leaves)


def test_a_checkpoint_is_signed_every_n_events_and_once_the_tree_stops_growing(logged):
    size = logged.audit_tree().size
    # Batches of 7: a checkpoint after the batch that brings 10 or more since the last one.
    expected, signed = [], 0
    for end in [*range(7, size, 7), size]:
        if end - signed >= 10:
            expected.append(end)
            signed = end
    assert [c.tree_size for c in logged.checkpoints().all()] == expected
    assert expected[:2] == [14, 28]
    verifier = NoteSigner.from_skey(AUDIT_KEY).verifier()
    for checkpoint in logged.checkpoints().all():
        text = open_note(checkpoint.note, verifier)
        assert Checkpoint.parse(text) == Checkpoint(
            "liandong/test",
            checkpoint.tree_size,
            merkle.root(merkle.SHA256, stored_leaves(logged)[: checkpoint.tree_size]),
        )


def test_the_log_resumes_where_it_stopped_and_signs_after_the_time_limit(logged):
    restarted = audit_log(logged)
    assert restarted.run_once() == 0
    size = logged.audit_tree().size
    assert logged.checkpoints().latest().tree_size < size  # the last few wait
    restarted.settings = logged.settings.model_copy(update={"audit_checkpoint_seconds": 1e-6})
    restarted.run_once()
    assert logged.checkpoints().latest().tree_size == size
    assert logged.audit_tree().root() == merkle.root(merkle.SHA256, stored_leaves(logged))


def test_verify_holds_for_an_untouched_store(logged):
    report = verify(logged)
    assert report.verified, [f.line() for f in report.findings]
    assert report.events == logged.app.head_position()


def findings(container: Container) -> list[tuple[str, int | None]]:
    return [(f.what, f.position) for f in verify(container).findings if f.position is not None]


def test_verify_names_an_event_altered_with_sql(logged):
    StoreAdministrator(logged).alter(5)
    assert findings(logged) == [("changed", 5)]
    assert {f.what for f in verify(logged).findings} == {"changed", "store_differs"}


def test_verify_names_a_deleted_event(logged):
    StoreAdministrator(logged).delete(8)
    assert findings(logged) == [("removed", 8)]


def test_verify_names_two_events_swapped(logged):
    StoreAdministrator(logged).swap(3, 12)
    assert findings(logged) == [("moved", 3), ("moved", 12)]
    detail = {f.position: f.detail for f in verify(logged).findings}
    assert "logged at position 12" in detail[3] and "logged at position 3" in detail[12]


def test_verify_names_an_event_inserted_where_the_log_passed_over_a_gap(settings, clock):
    audited = settings.model_copy(update={"audit_signing_key": AUDIT_KEY})
    container = build(audited, clock=clock, run_views=False)
    try:
        seed(container.app)
        admin = StoreAdministrator(container)
        admin.move(4, -4)  # a gap at 4 when the log passes, as a rolled-back insert leaves
        log_everything(audit_log(container))
        admin.move(-4, 4)  # an event slipped in afterwards, dated before the log's end
        assert findings(container) == [("inserted", 4)]
    finally:
        container.close()


def test_verify_names_a_forged_checkpoint_and_one_signed_with_another_key(logged):
    first, latest = logged.checkpoints().all()[0], logged.checkpoints().latest()
    other = NoteSigner.from_skey(generate_signer("liandong/test"))
    with logged.store_db.transaction() as cursor:
        cursor.execute(
            "UPDATE audit_checkpoints SET root_hash = :root WHERE tree_size = :size",
            {"root": bytes(32), "size": latest.tree_size},
        )
        cursor.execute(
            "UPDATE audit_checkpoints SET note = :note WHERE tree_size = :size",
            {"note": other.sign(first.note.split("\n\n")[0] + "\n"), "size": first.tree_size},
        )
    report = verify(logged)
    checkpoints = {(f.what, f.tree_size) for f in report.findings}
    assert ("checkpoint", latest.tree_size) in checkpoints  # its row is not what was signed
    assert ("checkpoint", first.tree_size) in checkpoints  # not signed by the deployment's key


def test_verify_sees_the_log_altered_to_match_the_store(logged):
    """The administrator alters an event and rewrites its leaf in the log to match: the
    position-by-position comparison sees nothing, the signed checkpoints do."""
    admin = StoreAdministrator(logged)
    admin.alter(5)
    note = logged.app.recorder.select_notifications(start=5, limit=1)[0]
    with logged.store_db.transaction() as cursor:
        cursor.execute(
            "UPDATE audit_nodes SET hash = :hash WHERE level = 0 AND node_index = 4",
            {"hash": merkle.SHA256.leaf(Leaf.of(note).encode())},
        )
    report = verify(logged)
    assert not [f for f in report.findings if f.position is not None]
    first = logged.checkpoints().all()[0].tree_size
    assert ("store_differs", first) in {(f.what, f.tree_size) for f in report.findings}
    assert ("log_altered", first) in {(f.what, f.tree_size) for f in report.findings}


def test_the_sm3_sm2_suite_logs_signs_and_verifies_the_same_way(settings, clock):
    sm = settings.model_copy(
        update={
            "audit_suite": "sm3-sm2",
            "audit_signing_key": generate_signer("liandong/test", "sm3-sm2"),
        }
    )
    container = build(sm, clock=clock, run_views=False)
    try:
        seed(container.app)
        log_everything(audit_log(container))
        leaves = [
            SM3.leaf(Leaf.of(n).encode())
            for n in container.app.recorder.select_notifications(start=1, limit=1000)
        ]
        assert container.audit_tree().root() == merkle.root(SM3, leaves)
        assert verify(container).verified
        StoreAdministrator(container).alter(2)
        assert findings(container) == [("changed", 2)]
    finally:
        container.close()


def test_a_checkpoint_message_follows_its_published_schema(logged):
    from tests.integration.test_contracts import check, load

    message = logged.checkpoints().latest().message()
    check(load("audit/checkpoint.schema.json"), message)
    assert set(message) == set(load("audit/checkpoint.schema.json")["properties"])


def test_a_checkpoint_the_broker_did_not_take_is_published_on_a_later_pass(logged):
    class Broker:
        def __init__(self):
            self.away, self.sent = True, []

        def publish(self, checkpoints):
            if self.away:
                raise OSError("broker away")
            self.sent.extend(c.tree_size for c in checkpoints)

        def close(self):
            pass

    log = audit_log(logged)
    log.publisher = broker = Broker()
    log.sign()
    log.run_once()
    pending = logged.checkpoints().unpublished()
    assert pending  # kept, and the log went on

    broker.away = False
    log.run_once()
    assert broker.sent == [c.tree_size for c in pending]
    assert not logged.checkpoints().unpublished()


def test_an_encrypted_store_is_logged_and_verified_without_its_key(settings, clock):
    from tests.conftest import STORE_KEY

    secret = settings.model_copy(
        update={"audit_signing_key": AUDIT_KEY, "store_cipher_key": SecretStr(STORE_KEY)}
    )
    container = build(secret, clock=clock, run_views=False)
    try:
        seed(container.app)
        log_everything(audit_log(container))
        notes = container.app.recorder.select_notifications(start=1, limit=1000)
        assert not any("孔文".encode() in Leaf.of(n).encode() for n in notes)  # ciphertext
        assert container.audit_tree().root() == merkle.root(merkle.SHA256, stored_leaves(container))
        assert verify(container).verified  # the verification reads no state: no key needed
        StoreAdministrator(container).alter(6)
        assert findings(container) == [("changed", 6)]
    finally:
        container.close()


def test_a_log_told_to_stop_signs_what_it_has_logged(settings, clock):
    audited = settings.model_copy(update={"audit_signing_key": AUDIT_KEY})
    container = build(audited, clock=clock, run_views=False)
    try:
        seed(container.app)
        log = audit_log(container)
        worker = threading.Thread(target=log.run)
        worker.start()
        head = container.app.head_position()
        deadline = time.monotonic() + 20
        while log.tree.last_position < head and time.monotonic() < deadline:
            time.sleep(0.02)
        assert container.checkpoints().latest() is None  # fewer than 1000 events, within 60 s
        log.stop()
        worker.join(10)
        assert container.checkpoints().latest().tree_size == container.audit_tree().size == head
    finally:
        container.close()
