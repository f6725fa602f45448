"""What a case's events carry, field by field (the contract of `liandong.Case.*`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, TypedDict
from uuid import UUID

from domain.payloads import PlaceData
from domain.values import Role


class SourceKind(StrEnum):
    INSPECTION = "inspection"
    RANDOM_CHECK = "random_check"
    COMPLAINT = "complaint"
    SUPERIOR_ASSIGNMENT = "superior_assignment"
    REFERRAL = "referral"
    ACCIDENT_REPORT = "accident_report"


class Procedure(StrEnum):
    SIMPLE = "simple"
    GENERAL = "general"
    ACCIDENT = "accident"


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class PenaltyKind(StrEnum):
    WARNING = "warning"
    FINE = "fine"


class EvidenceKind(StrEnum):
    AUDIO_VIDEO = "audio_video"
    PHOTO = "photo"
    DOCUMENT = "document"
    RECORD = "record"
    OTHER = "other"


class RecordStage(StrEnum):
    """The part of the enforcement process a record documents (seed 004 §一(三))."""

    INSPECTION = "inspection"  # 现场检查
    RANDOM_CHECK = "random_check"  # 随机抽查
    INVESTIGATION = "investigation"  # 调查取证
    PRESERVATION = "preservation"  # 证据保全
    HEARING = "hearing"  # 听证
    COMPULSION = "compulsion"  # 行政强制
    SERVICE = "service"  # 送达
    RECTIFICATION = "rectification"  # 整改与复查
    OTHER = "other"


class SourceData(TypedDict):
    kind: Annotated[SourceKind, "where the case came from (案源)"]
    reference: Annotated[str | None, "the source's reference, e.g. the referral it came from"]
    handed_over_at: Annotated[
        datetime | None, "accident cases: when the investigation report was handed over"
    ]


class PartyData(TypedDict):
    kind: Annotated[PartyKind, "a natural person or an organisation"]
    name: Annotated[str, "the party's name"]
    id_number: Annotated[
        str | None, "the party's identity or unified social credit number, when known"
    ]


class CaseDetails(TypedDict):
    procedure: Annotated[Procedure, "simple (简易程序), general (普通程序) or accident"]
    source: Annotated[SourceData, "where the case came from"]
    summary: Annotated[str, "the violation in words"]
    party: Annotated[PartyData, "the party the case is against"]
    place: Annotated[PlaceData, "where the violation happened"]
    occurred_at: Annotated[datetime, "when the violation happened"]


class PenaltyData(TypedDict):
    kind: Annotated[PenaltyKind, "a warning or a fine"]
    amount_fen: Annotated[int | None, "the fine in fen (1/100 yuan); none for a warning"]


class ApprovalStepData(TypedDict):
    name: Annotated[str, "`first_review`, `review` or `approval`"]
    role: Annotated[Role, "the role that signs this step"]
    agencies: Annotated[list[str], "codes of the agencies whose holder of the role may sign"]
    title: Annotated[str, "the step as the approval form names it, e.g. 分管局长审批"]


class EvidenceData(TypedDict):
    id: Annotated[UUID, "the record's id"]
    kind: Annotated[EvidenceKind, "what kind of record"]
    title: Annotated[str, "the record's title"]
    sha256: Annotated[str, "SHA-256 of the record's bytes, 64 lowercase hex digits"]
    size: Annotated[int, "the record's size in bytes"]
    recorded_at: Annotated[datetime, "when the record was made"]
    uri: Annotated[str, "where the record is kept"]
    stage: Annotated[
        RecordStage | None,
        "the step of the case the record belongs to (none for records attached before v2)",
    ]
    subject: Annotated[
        str | None, "within that step, the measure's or order's id or the document's number"
    ]


StepName = Annotated[str, "the approval step signed: `first_review`, `review` or `approval`"]
Opinion = Annotated[str, "the signer's opinion in words (required when returning)"]
CaseNumber = Annotated[str, "the case number (案号), e.g. 津滨应急罚〔2026〕12号"]
