"""The audit trail over HTTP: who reads which agencies' acts (the one visibility rule), its
filters and pages, each entry's leaf hash and its proof against the signed checkpoint, a
resource as it stood at a time, the reading itself on the record, and the export checked by the
supervisor's own verifier, which also catches a server showing two histories."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.api.main import create_app
from services.audit import merkle
from services.audit.log import AuditLog
from services.bootstrap import Container, build, start_audit_log
from services.demo import seed
from tests.audit_support import AUDIT_KEY, StoreAdministrator, audit_log, log_everything
from tests.conftest import auth
from tests.e2e.http import act, assert_problem, head, register, sent_transfer

VERIFIER = Path(__file__).parents[2] / "deploy" / "verify" / "verify.py"


def logging_in_process(settings, clock) -> Container:
    """The log in process, signing a checkpoint as soon as it grows: the embedded default's
    way; on PostgreSQL, where `liandong audit` runs it, started here alike."""
    update = {"audit_checkpoint_seconds": 0.01, "audit_signing_key": AUDIT_KEY}
    built = build(settings.model_copy(update=update), clock=clock)
    if built.worker(AuditLog) is None:
        start_audit_log(built)
    return built


@pytest.fixture
def audited(settings, clock) -> Iterator[tuple[TestClient, Container]]:
    built = logging_in_process(settings, clock)
    try:
        seed(built.app)
        with TestClient(create_app(built), raise_server_exceptions=False) as client:
            yield client, built
    finally:
        built.close()


def signed_up_to_head(container: Container) -> int:
    """Waits until the log has every stored event and a checkpoint of them all."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        tree, latest = container.audit_tree(), container.checkpoints().latest()
        caught_up = tree.last_position == container.app.head_position()
        if caught_up and latest is not None and latest.tree_size == tree.size:
            return latest.tree_size
        time.sleep(0.02)
    raise AssertionError("the audit log did not catch up")


def trail(client, reader, expect=200, **params):
    params = {"min_position": head(client), **params}
    response = client.get("/v1/audit/events", params=params, headers=auth(reader))
    assert response.status_code == expect, response.text
    return response.json()


def filed_case(client) -> str:
    case = register(client)
    act(client, "wang-fang", case["id"], "request-filing")
    act(client, "zhou-jun", case["id"], "review-filing", {"approve": True})
    act(client, "qian-min", case["id"], "approve-filing", {"approve": True})
    return case["id"]


def test_each_reads_the_acts_of_the_agencies_the_one_rule_lets_them_see(audited):
    client, _ = audited
    bureau_case = filed_case(client)
    brigade_case = register(client, "jiang-hai")["id"]

    def cases_seen(officer):
        entries = trail(client, officer, kind="case", limit=200)["entries"]
        return {e["id"] for e in entries}

    # The bureau's director and the district government's supervisor see the units below.
    assert cases_seen("zhao-qiang") == cases_seen("he-jing") == {bureau_case, brigade_case}
    # An officer of the bureau's office sees its acts and the bureau's, not a brigade's.
    assert cases_seen("wang-fang") == {bureau_case}
    assert cases_seen("jiang-hai") == {brigade_case}
    # Another department sees none; an administrator keeps the register and reads no trail.
    assert cases_seen("zhu-xia") == set()
    assert_problem(client.get("/v1/audit/events", headers=auth("admin")), 403, "auth.not_a_party")
    # `agency` narrows to one agency among those; one beyond them is not found.
    narrowed = trail(client, "zhao-qiang", agency="tj-bh-zt-dd", kind="case")["entries"]
    assert {e["id"] for e in narrowed} == {brigade_case}
    response = client.get(
        "/v1/audit/events", params={"agency": "tj-bh-zt-dd"}, headers=auth("wang-fang")
    )
    assert_problem(response, 404, "agency.not_found")


def test_an_entry_says_who_did_what_when_under_which_version(audited):
    client, _ = audited
    case_id = filed_case(client)
    entries = trail(client, "zhou-jun", resource_id=case_id)["entries"]
    assert [e["type"] for e in entries] == [
        "Case.Filed",
        "Case.FilingReviewed",
        "Case.FilingRequested",
        "Case.Registered",
    ]
    assert [e["version"] for e in entries] == [4, 3, 2, 1]
    approved = entries[0]
    assert (approved["officer"], approved["agency"], approved["kind"]) == (
        "qian-min",
        "tj-bh-yjj",
        "case",
    )
    assert approved["data"]["by"]["name"] == "钱敏"
    assert [
        e["officer"]
        for e in trail(client, "zhou-jun", officer="wang-fang", resource_id=case_id)["entries"]
    ] == ["wang-fang", "wang-fang"]


def test_pages_follow_their_cursor_and_days_bound_the_period(audited):
    client, _ = audited
    filed_case(client)
    # Each reading is itself an act on the trail: the pages of the acts on cases alone.
    everything = trail(client, "zhao-qiang", limit=200, kind="case")["entries"]
    first = trail(client, "zhao-qiang", limit=3, kind="case")
    second = trail(client, "zhao-qiang", limit=3, kind="case", cursor=first["next_cursor"])
    assert [e["position"] for e in first["entries"] + second["entries"]] == [
        e["position"] for e in everything[:6]
    ]
    today = everything[0]["recorded_at"][:10]
    assert trail(client, "zhao-qiang", to="2020-01-01")["entries"] == []
    assert trail(client, "zhao-qiang", limit=200, kind="case", **{"from": today})["entries"] == [
        dict(e) for e in everything
    ]


def test_every_entry_carries_its_leaf_hash_and_its_proof_holds_against_the_checkpoint(audited):
    client, container = audited
    case_id = filed_case(client)
    size = signed_up_to_head(container)
    checkpoint = client.get("/v1/audit/checkpoint", headers=auth("wang-fang")).json()
    assert checkpoint["tree_size"] == size
    root = base64.b64decode(checkpoint["root_hash"])
    for entry in trail(client, "wang-fang", resource_id=case_id)["entries"]:
        proof = client.get(
            "/v1/audit/proofs/inclusion",
            params={"position": entry["position"], "tree_size": size},
            headers=auth("zhu-xia"),  # proofs are hashes: anyone signed in may check them
        ).json()
        assert proof["leaf_hash"] == entry["leaf_hash"]
        leaf = base64.b64decode(entry["leaf_hash"])
        path = [base64.b64decode(p) for p in proof["proof"]]
        assert merkle.verify_inclusion(merkle.SHA256, leaf, proof["leaf_index"], size, path, root)
    consistency = client.get(
        "/v1/audit/proofs/consistency",
        params={"first": 5, "second": size},
        headers=auth("wang-fang"),
    ).json()
    five = container.audit_tree().root(5)
    path = [base64.b64decode(p) for p in consistency["proof"]]
    assert merkle.verify_consistency(merkle.SHA256, 5, size, five, root, path)
    key = client.get("/v1/audit/key", headers=auth("wang-fang")).json()
    assert key["vkey"] == container.settings.audit_signer().verifier().vkey()


def test_an_export_refuses_a_checkpoint_the_log_never_signed(audited):
    client, container = audited
    signed_up_to_head(container)
    response = client.get(
        "/v1/audit/events",
        params={"known": [10**9]},
        headers={**auth("zhao-qiang"), "Accept": "application/x-ndjson"},
    )
    assert_problem(response, 422, "audit.checkpoint_unknown")


def test_proofs_refuse_what_the_log_does_not_have(audited):
    client, container = audited
    size = signed_up_to_head(container)
    ask = lambda path, **params: client.get(path, params=params, headers=auth("wang-fang"))  # noqa: E731
    assert_problem(ask("/v1/audit/proofs/inclusion", position=10**9), 404, "audit.not_logged")
    assert_problem(
        ask("/v1/audit/proofs/inclusion", position=size, tree_size=size - 1),
        422,
        "audit.tree_size_invalid",
    )
    assert_problem(
        ask("/v1/audit/proofs/inclusion", position=1, tree_size=size + 50),
        422,
        "audit.tree_size_invalid",
    )
    assert_problem(
        ask("/v1/audit/proofs/consistency", first=size + 1, second=size),
        422,
        "audit.tree_size_invalid",
    )
    assert_problem(
        ask("/v1/audit/proofs/consistency", first=1, second=size + 50),
        422,
        "audit.tree_size_invalid",
    )
    assert_problem(ask("/v1/audit/proofs/inclusion", position="x"), 422, "request.invalid")


def test_a_resource_as_it_stood_at_a_time_is_its_view_fold_over_the_events_until_then(audited):
    client, _ = audited
    case_id = filed_case(client)
    events = list(reversed(trail(client, "zhou-jun", resource_id=case_id)["entries"]))
    requested_at = events[1]["recorded_at"]

    def as_of(moment, officer="zhou-jun", expect=200):
        response = client.get(
            f"/v1/audit/case/{case_id}", params={"as_of": moment}, headers=auth(officer)
        )
        assert response.status_code == expect, response.text
        return response.json()

    then = as_of(requested_at)
    assert then["version"] == 2 and then["document"]["status"] == "awaiting_approval"
    assert [e["type"] for e in then["events"]] == ["Case.Registered", "Case.FilingRequested"]
    now = as_of(events[-1]["recorded_at"])
    current = client.get(f"/v1/cases/{case_id}", headers=auth("zhou-jun")).json()
    assert now["document"]["status"] == current["status"] == "filed"
    assert now["document"]["number"] == current["number"]
    assert_problem(
        client.get(
            f"/v1/audit/case/{case_id}",
            params={"as_of": "2020-01-01T00:00:00+08:00"},
            headers=auth("zhou-jun"),
        ),
        404,
        "audit.not_yet",
    )
    # Visibility: the one rule, as for the case itself; the wrong kind is not found.
    assert_problem(
        client.get(
            f"/v1/audit/case/{case_id}", params={"as_of": requested_at}, headers=auth("zhu-xia")
        ),
        404,
        "case.not_found",
    )
    assert_problem(
        client.get(
            f"/v1/audit/referral/{case_id}",
            params={"as_of": requested_at},
            headers=auth("zhou-jun"),
        ),
        404,
        "referral.not_found",
    )


def test_reading_the_trail_is_on_the_record_for_those_above_the_reader(audited):
    client, _ = audited
    filed_case(client)
    trail(client, "wang-fang", kind="case", officer="qian-min")
    readings = trail(client, "zhao-qiang", kind="supervision")["entries"]
    assert readings[0]["type"] == "TrailReading.Read"
    assert readings[0]["officer"] == "wang-fang"
    data = readings[0]["data"]
    assert (data["scope"], data["kind"], data["officer"], data["entries"]) == (
        "trail",
        "case",
        "qian-min",
        1,
    )
    assert trail(client, "jiang-hai", kind="supervision")["entries"] == []


def test_the_procuratorate_reads_the_whole_trail_of_a_transfer_copied_to_it(audited):
    client, _ = audited
    transfer = sent_transfer(client)
    entries = trail(client, "xu-ping", limit=200)["entries"]
    # Its own entries in the register, and the transfer; never the case it came from.
    assert {e["kind"] for e in entries} == {"agency", "crime-transfer"}
    transfer_events = [e["type"] for e in reversed(entries) if e["id"] == transfer["id"]]
    # Reported and decided before it was copied, and sent: all of it.
    assert transfer_events[:4] == [
        "CrimeTransfer.Opened",
        "CrimeTransfer.Reported",
        "CrimeTransfer.Approved",
        "CrimeTransfer.Sent",
    ]
    assert not [e for e in entries if e["kind"] == "case"]


def run_verifier(
    tmp_path: Path, export: bytes, vkey: str, *held: dict
) -> subprocess.CompletedProcess:
    (tmp_path / "export.jsonl").write_bytes(export)
    args = [sys.executable, str(VERIFIER), "--key", vkey]
    for n, checkpoint in enumerate(held):
        path = tmp_path / f"held-{n}.json"
        path.write_text(json.dumps(checkpoint))
        args += ["--checkpoints", str(path)]
    return subprocess.run(
        [*args, str(tmp_path / "export.jsonl")], capture_output=True, text=True, cwd=tmp_path
    )


def export(client, officer="zhao-qiang", known=()) -> bytes:
    response = client.get(
        "/v1/audit/events",
        params={"min_position": head(client), "known": list(known)},
        headers={**auth(officer), "Accept": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return response.content


def test_the_export_verifies_with_the_supervisors_own_verifier(audited, tmp_path):
    client, container = audited
    filed_case(client)
    signed_up_to_head(container)
    held = client.get("/v1/audit/checkpoint", headers=auth("he-jing")).json()
    register(client, "jiang-hai")
    latest = signed_up_to_head(container)
    lines = [json.loads(line) for line in export(client).splitlines()]
    # Without `known`: the latest checkpoint alone, then the entries it holds.
    assert [line["type"] for line in lines[:2]] == ["checkpoint", "entry"]
    lines = [json.loads(line) for line in export(client, known=[held["tree_size"]]).splitlines()]
    sizes = [line["tree_size"] for line in lines if line["type"] == "checkpoint"]
    assert sizes[0] == held["tree_size"] and sizes[-1] >= latest
    assert lines[len(sizes)]["type"] == "consistency" and lines[-1]["type"] == "entry"
    vkey = container.settings.audit_signer().verifier().vkey()
    result = run_verifier(tmp_path, export(client, known=[held["tree_size"]]), vkey, held)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all verified" in result.stdout


def test_an_event_altered_after_it_was_logged_fails_its_entry_in_the_export(audited, tmp_path):
    client, container = audited
    case_id = filed_case(client)
    signed_up_to_head(container)
    position = trail(client, "zhao-qiang", resource_id=case_id)["entries"][-1]["position"]
    StoreAdministrator(container).alter(position)
    vkey = container.settings.audit_signer().verifier().vkey()
    result = run_verifier(tmp_path, export(client), vkey)
    assert result.returncode == 1
    assert f"entry {position}:" in result.stdout


def test_a_server_that_shows_two_histories_is_caught_when_the_copies_meet(
    settings, clock, tmp_path
):
    """The operator, key in hand, rewrites an event and the whole log, and signs the new tree:
    on its own the new export verifies; beside a checkpoint a supervisor kept, it does not."""
    built = logging_in_process(settings, clock)
    try:
        seed(built.app)
        with TestClient(create_app(built), raise_server_exceptions=False) as client:
            filed_case(client)
            size = signed_up_to_head(built)
            kept = client.get("/v1/audit/checkpoint", headers=auth("he-jing")).json()
            built.stop_workers()
            StoreAdministrator(built).alter(3)
            with built.store_db.transaction() as cursor:
                for table in ("audit_leaves", "audit_nodes", "audit_checkpoints"):
                    cursor.execute(f"DELETE FROM {table}")
            rewritten = audit_log(built)
            log_everything(rewritten)
            forged = rewritten.sign()
            assert (
                forged.tree_size == size
                and base64.b64encode(forged.root_hash).decode() != kept["root_hash"]
            )
            vkey = built.settings.audit_signer().verifier().vkey()
            alone = run_verifier(tmp_path, export(client), vkey)
            assert alone.returncode == 0, alone.stdout
            met = run_verifier(tmp_path, export(client, known=[size]), vkey, kept)
            assert met.returncode == 1
            assert "split view" in met.stdout and str(size) in met.stdout
    finally:
        built.close()


def test_bad_questions_to_the_trail_are_problems_that_change_nothing(audited):
    client, container = audited
    before = container.app.head_position()
    ask = lambda path, **params: client.get(path, params=params, headers=auth("zhao-qiang"))  # noqa: E731
    some = "77ce50b0-f5ad-4d37-a01e-b9f8da7ff754"
    for response in (
        ask("/v1/audit/events", kind="nope"),
        ask("/v1/audit/events", resource_id="not-a-uuid"),
        ask("/v1/audit/events", limit=0),
        ask("/v1/audit/events", **{"from": "2026-13-01"}),
        ask(f"/v1/audit/agency/{some}", as_of="2026-12-01T00:00:00+08:00"),  # not read by id
        ask(f"/v1/audit/case/{some}"),  # as_of missing
        ask(f"/v1/audit/case/{some}", as_of="yesterday"),
    ):
        assert_problem(response, 422, "request.invalid")
    assert container.app.head_position() == before  # a refused reading is not recorded


def test_an_exports_leaves_are_the_stored_records_read_together_or_one_by_one(audited):
    from services.api.audit_export import stored_leaves
    from services.audit.leaf import Leaf

    _, container = audited
    notes = container.app.recorder.select_notifications(start=1, limit=100)
    expected = {n.id: Leaf.of(n).encode() for n in notes}
    close = [2, 3, 5, 6]  # read as one span of the log
    far = [1, len(notes)]  # read one by one
    assert stored_leaves(container, close) == {p: expected[p] for p in close}
    assert stored_leaves(container, far) == {p: expected[p] for p in far}
    assert stored_leaves(container, [10**6]) == {}  # not in the store: no leaf
