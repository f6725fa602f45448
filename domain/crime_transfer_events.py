"""What a crime transfer's events carry, field by field (the contract of
`liandong.CrimeTransfer.*`, on its own topic: the only one that carries a suspect's identity)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, TypedDict

from domain.case_events import PartyData, PenaltyData
from domain.payloads import DeadlineData, PlaceData


class CrimeCategory(StrEnum):
    """The suspected crimes of 应急〔2019〕54号 art. 2."""

    MAJOR_LIABILITY_ACCIDENT = "major_liability_accident"  # 重大责任事故
    FORCED_RISKY_OPERATION = "forced_risky_operation"  # 强令违章冒险作业
    MAJOR_LABOUR_SAFETY_ACCIDENT = "major_labour_safety_accident"  # 重大劳动安全事故
    DANGEROUS_GOODS_ACCIDENT = "dangerous_goods_accident"  # 危险物品肇事
    FIRE_LIABILITY_ACCIDENT = "fire_liability_accident"  # 消防责任事故 / 失火
    ACCIDENT_NOT_REPORTED = "accident_not_reported"  # 不报、谎报安全事故
    OTHER = "other"


class TransferMaterialKind(StrEnum):
    TRANSFER_LETTER = "transfer_letter"  # 涉嫌犯罪案件移送书
    INVESTIGATION_REPORT = "investigation_report"  # 涉嫌犯罪案件情况的调查报告
    ITEMS_LIST = "items_list"  # 涉案物品清单
    APPRAISAL = "appraisal"  # 检验报告或者鉴定结论
    PENALTY_DECISION = "penalty_decision"  # 行政处罚决定书, where one was made
    OTHER = "other"


class FilingPeriod(StrEnum):
    """How long public security has for its filing decision, from its receipt."""

    STANDARD = "standard"  # 3 days
    CLUE_CHECK = "clue_check"  # 7 days: a clue needs checking (涉嫌犯罪线索需要查证)
    MAJOR_COMPLEX = "major_complex"  # 30 days: major, difficult or complex, its head approving


class FilingOn(StrEnum):
    """What the filing answered."""

    TRANSFER = "transfer"
    RECONSIDERATION = "reconsideration"  # a refusal reversed on reconsideration (复议)
    ORDER = "order"  # the procuratorate's notice to file (通知立案)


class BackGround(StrEnum):
    """Why public security hands a matter back for administrative handling (Decree 310 art. 13)."""

    NO_CRIME = "no_crime"  # 没有犯罪事实
    TOO_SLIGHT = "too_slight"  # 犯罪事实显著轻微，不需要追究刑事责任


class TransferMaterialData(TypedDict):
    kind: Annotated[TransferMaterialKind, "what the material is"]
    title: Annotated[str, "its title"]
    sha256: Annotated[str, "SHA-256 of its bytes, 64 lowercase hex digits"]
    size: Annotated[int, "its size in bytes"]
    uri: Annotated[str, "where it is kept"]


class NoticeData(TypedDict):
    """A written notice or decision (书面通知), by its metadata and SHA-256."""

    title: Annotated[str, "its title, e.g. 不予立案通知书"]
    sha256: Annotated[str, "SHA-256 of its bytes, 64 lowercase hex digits"]
    size: Annotated[int, "its size in bytes"]
    uri: Annotated[str, "where it is kept"]


class SuspectData(TypedDict):
    """A person or organisation suspected of the crime: personal data, on this topic only."""

    kind: Annotated[str, "`person` or `organisation`"]
    name: Annotated[str, "the name"]
    id_number: Annotated[
        str | None, "the identity number, or an organisation's unified social credit code"
    ]
    role: Annotated[str, "what they are suspected of doing, in words"]


class TeamMemberData(TypedDict):
    officer: Annotated[str, "the officer's id in the register"]
    name: Annotated[str, "the officer's name"]
    certificate: Annotated[str, "the number of the officer's valid enforcement certificate"]


class TransferredCaseData(TypedDict):
    """The administrative case the transfer comes from, as the police system needs it."""

    id: Annotated[str, "the case's id (a UUID)"]
    number: Annotated[str | None, "its case number (案号), once it has one"]
    summary: Annotated[str, "the violation in words"]
    party: Annotated[PartyData, "the party the administrative case is against"]
    place: Annotated[PlaceData, "where it happened"]
    occurred_at: Annotated[datetime, "when it happened"]
    penalties: Annotated[
        list[PenaltyData], "penalties decided before the transfer: they stand (Decree 310 art. 11)"
    ]


class PackageData(TypedDict):
    """Everything a police system needs to take the case, in the one event."""

    case: Annotated[TransferredCaseData, "the administrative case"]
    category: Annotated[CrimeCategory, "the suspected crime"]
    facts: Annotated[str, "the facts of the suspected crime, as reported"]
    suspects: Annotated[list[SuspectData], "who is suspected"]
    materials: Annotated[
        list[TransferMaterialData], "the materials sent with it (Decree 310 art. 6)"
    ]


Category = Annotated[CrimeCategory, "the suspected crime (54号 art. 2)"]
Materials = Annotated[list[TransferMaterialData], "the materials, by metadata and SHA-256"]
Document = Annotated[NoticeData, "the written notice"]
Windows = Annotated[
    list[DeadlineData],
    "periods within which a party may act (ask for materials, forward, ask for reconsideration"
    " or supervision): not obligations, so never overdue; an act after one is recorded late",
]
