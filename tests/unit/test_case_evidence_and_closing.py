"""Full-process records attached by hash, and closing a case."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

import pytest

from domain.calendar import SHANGHAI
from domain.errors import DomainError
from tests.unit.domain_fixtures import BRIGADE, NOW, OFFICE, actor, places, registered

HASH = "a" * 64


def record(sha256=HASH, kind="audio_video", size=1024):
    return {
        "kind": kind,
        "title": "现场检查执法记录仪视频",
        "sha256": sha256,
        "size": size,
        "recorded_at": datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI),
        "stage": "inspection",
        "uri": "s3://evidence/2026/11/20/a.mp4",
    }


def attach(case, officer, rec):
    case.attach_evidence(actor=officer, evidence_id=uuid4(), record=rec, at=NOW)


def test_evidence_is_attached_by_its_metadata_and_hash():
    case, officer = registered()
    attach(case, officer, record())
    assert [e["sha256"] for e in case.evidence] == [HASH]
    assert case.evidence[0]["attached_by"] == "wang-fang"


def test_the_same_record_is_not_attached_twice():
    case, officer = registered()
    attach(case, officer, record())
    with pytest.raises(DomainError) as error:
        attach(case, officer, record())
    assert error.value.code == "case.evidence_duplicate"


@pytest.mark.parametrize(
    ("rec", "code"),
    [
        (record(sha256="XYZ"), "case.evidence_hash_malformed"),
        (record(sha256="A" * 64), "case.evidence_hash_malformed"),
        (record(kind="rumour"), "case.evidence_kind_unknown"),
        (record(size=-1), "case.evidence_size_negative"),
    ],
)
def test_malformed_evidence_is_refused(rec, code):
    case, officer = registered()
    with pytest.raises(DomainError) as error:
        attach(case, officer, rec)
    assert error.value.code == code


def test_only_the_handling_units_certified_officers_attach_evidence():
    case, _ = registered()
    with pytest.raises(DomainError) as error:
        attach(case, actor("jiang-hai", BRIGADE), record())
    assert error.value.code == "case.not_handling_unit"
    with pytest.raises(DomainError) as error:
        attach(case, actor("uncertified", OFFICE, certificate=None), record())
    assert error.value.code == "officer.certificate_invalid"


def test_closing_needs_a_reason():
    case, officer = registered()
    with pytest.raises(DomainError) as error:
        case.close(actor=officer, reason="  ", pending_transfers=(), at=NOW)
    assert error.value.code == "case.reason_required"


def test_a_closed_case_takes_no_more_acts():
    case, officer = registered()
    case.close(actor=officer, reason="经核查不存在违法行为，不予立案", pending_transfers=(), at=NOW)
    assert case.status == "closed"
    with pytest.raises(DomainError) as error:
        attach(case, officer, record())
    assert error.value.code == "case.closed"
    with pytest.raises(DomainError) as error:
        case.close(actor=officer, reason="again", pending_transfers=(), at=NOW)
    assert error.value.code == "case.cannot_close"


def test_a_case_awaiting_approval_is_not_closed():
    case, officer = registered()
    case.request_filing(actor=officer, places=places(OFFICE), at=NOW)
    with pytest.raises(DomainError) as error:
        case.close(actor=officer, reason="撤回", pending_transfers=(), at=NOW)
    assert error.value.code == "case.cannot_close"


def test_a_record_names_the_step_of_the_case_it_belongs_to():
    case, officer = registered()
    with pytest.raises(DomainError) as error:
        attach(case, officer, dict(record(), stage="lunch"))
    assert error.value.code == "case.evidence_stage_unknown"
    attach(case, officer, dict(record(), stage="service", subject="津滨应急告〔2026〕1号"))
    assert (case.evidence[0]["stage"], case.evidence[0]["subject"]) == (
        "service",
        "津滨应急告〔2026〕1号",
    )


def test_a_record_stored_before_steps_were_named_reads_as_of_no_step():
    from domain.case import Case

    state = {"evidence": {"kind": "photo", "title": "照片"}}
    Case.EvidenceAttached.upcast_v1_v2(state)
    assert state["evidence"]["stage"] is None and state["evidence"]["subject"] is None
