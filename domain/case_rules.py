"""Rules a case must satisfy, as sentences; each raises a DomainError with a stable code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.case_events import EvidenceKind, PartyKind, Procedure, RecordStage, SourceKind
from domain.errors import Conflict, Forbidden, Invalid
from domain.values import CASE_HANDLING_KINDS, AgencyKind, AgencyRef

EVIDENCE_KINDS = frozenset(k.value for k in EvidenceKind)
RECORD_STAGES = frozenset(s.value for s in RecordStage)
SHA256 = re.compile(r"^[0-9a-f]{64}$")

# Simple procedure: on-the-spot fines up to 200 yuan for a citizen, 3,000 yuan for an
# organisation (Administrative Penalty Law art. 51; seed 004 §三(二)1). Amounts in fen.
SIMPLE_FINE_LIMIT_FEN = {PartyKind.PERSON: 200_00, PartyKind.ORGANISATION: 3_000_00}

DETACHMENT_KINDS = frozenset({AgencyKind.DETACHMENT, AgencyKind.DETACHMENT_OFFICE})


def check_unit_handles_cases(unit: AgencyRef) -> None:
    if unit.kind not in CASE_HANDLING_KINDS:
        raise Forbidden(
            f"a {unit.kind} does not handle enforcement cases", code="case.unit_cannot_handle"
        )


def check_source(procedure: str, source_kind: str, reference: str | None, unit: AgencyRef) -> None:
    if source_kind == SourceKind.REFERRAL and not reference:
        raise Invalid(
            "a case from a referral names the referral it came from",
            code="case.source_reference_required",
        )
    is_accident = procedure == Procedure.ACCIDENT
    if is_accident != (source_kind == SourceKind.ACCIDENT_REPORT):
        raise Invalid(
            "accident cases, and only they, come from an accident investigation report",
            code="case.accident_source_mismatch",
        )
    if is_accident and unit.kind not in DETACHMENT_KINDS:
        raise Invalid(
            "accident cases are filed by the enforcement detachment",
            code="case.accident_not_detachment",
        )


def check_handed_over(procedure: str, handed_over_at: datetime | None, at: datetime) -> None:
    if procedure != Procedure.ACCIDENT:
        return
    if handed_over_at is None:
        raise Invalid(
            "an accident case records when the investigation report was handed over",
            code="case.handover_required",
        )
    check_not_in_future(handed_over_at, at, "the report's handover")


def check_not_in_future(moment: datetime, at: datetime, what: str) -> None:
    if moment > at:
        raise Invalid(f"{what} cannot lie in the future", code="case.time_in_future")


def check_simple_penalty(party_kind: str, penalty_kind: str, amount_fen: int | None) -> None:
    if penalty_kind == "warning":
        if amount_fen:
            raise Invalid("a warning carries no fine", code="case.penalty_malformed")
        return
    if penalty_kind != "fine" or amount_fen is None or amount_fen <= 0:
        raise Invalid("a fine needs a positive amount", code="case.penalty_malformed")
    limit = SIMPLE_FINE_LIMIT_FEN[PartyKind(party_kind)]
    if amount_fen > limit:
        raise Invalid(
            f"simple procedure allows a fine of at most {limit // 100} yuan for a "
            f"{party_kind}; use the general procedure",
            code="case.simple_procedure_limit",
        )


def check_procedure(procedure: str, *allowed: Procedure, act: str) -> None:
    if procedure not in allowed:
        raise Conflict(f"cannot {act} a case in {procedure} procedure", code="case.wrong_procedure")


def check_text_given(text: str, code: str, what: str) -> None:
    if not text or not text.strip():
        raise Invalid(f"{what} is required", code=code)


def check_evidence(kind: str, sha256: str, size: int, known: set[str]) -> None:
    if kind not in EVIDENCE_KINDS:
        raise Invalid(f"unknown evidence kind {kind!r}", code="case.evidence_kind_unknown")
    check_record_hash(sha256, size)
    if sha256 in known:
        raise Conflict("this record is already attached", code="case.evidence_duplicate")


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise Invalid(f"{what} is a date, YYYY-MM-DD", code="case.date_malformed") from None


def check_stage(stage: str) -> None:
    if stage not in RECORD_STAGES:
        raise Invalid(f"unknown step {stage!r} of a case", code="case.evidence_stage_unknown")


def check_record_hash(sha256: str, size: int) -> None:
    """A record attached by its hash: a photograph, a recording, a document."""
    if not SHA256.fullmatch(sha256):
        raise Invalid("sha256 must be 64 lowercase hex digits", code="case.evidence_hash_malformed")
    if size < 0:
        raise Invalid("size cannot be negative", code="case.evidence_size_negative")


def check_filing_act(step: dict[str, Any], *, final: bool, last: bool) -> None:
    """review-filing signs a step before the last; approve-filing the last, which files."""
    if last != final:
        act = "approve-filing" if last else "review-filing"
        raise Conflict(
            f"the form now awaits its {step['name']} step: use {act}", code="case.not_at_this_step"
        )


def check_no_transfer_pending(pending: Sequence[UUID], act: str) -> None:
    """No fine instead of prosecution (以罚代刑, Decree 310 art. 11): while the case's crime
    transfer is reported, approved, sent or filed, it is not closed and no new fine is decided."""
    if pending:
        raise Conflict(
            f"cannot {act} a case while its crime transfer {pending[0]} is pending",
            code="case.transfer_pending",
        )
