"""Case numbers (案号): prefix + document abbreviation + 〔year〕 + sequence + 号, gap-free.

Example: 津滨应急罚〔2026〕12号. Each (prefix, abbreviation, year) has its own sequence aggregate;
issuing a number and the act that needs it are saved together, so a number is never lost or
given twice: a racing save fails on the sequence's version and is retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.calendar import SHANGHAI
from domain.ids import case_number_sequence_id

# Case numbers by procedure, and the numbers of a case's documents by their kind, as the
# 2020 forms of the Ministry of Emergency Management abbreviate them. The decision (决定书)
# bears the case's own number.
DEFAULT_ABBREVIATIONS: Mapping[str, str] = {
    "simple": "简罚",
    "general": "罚",
    "accident": "罚",
    "notice": "告",  # 行政处罚告知书
    "hearing_notice": "听通",  # 听证通知书
    "measure": "强措",  # 行政强制措施决定书
    "rectification": "责改",  # 责令限期整改指令书
    "reinspection": "复查",  # 整改复查意见书
}


@dataclass(frozen=True)
class NumberingRule:
    """A district's numbering: its prefix and the abbreviation of each document kind."""

    prefix: str
    abbreviations: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ABBREVIATIONS))

    def abbreviation(self, kind: str) -> str:
        """The abbreviation of a procedure's case numbers or of a kind of document."""
        found = self.abbreviations.get(kind) or DEFAULT_ABBREVIATIONS.get(kind)
        return found or self.abbreviations.get("general", "罚")


@dataclass(frozen=True)
class CaseNumbering:
    """Numbering rules per region, with a default for regions not configured."""

    default: NumberingRule
    by_region: Mapping[str, NumberingRule] = field(default_factory=dict)

    def rule_for(self, region: str) -> NumberingRule:
        return self.by_region.get(region, self.default)

    def sequence_key(self, region: str, kind: str, at: datetime) -> tuple[str, str, int]:
        """The sequence a number of this kind (a procedure, or a kind of document) comes from."""
        rule = self.rule_for(region)
        return rule.prefix, rule.abbreviation(kind), at.astimezone(SHANGHAI).year


def format_case_number(prefix: str, abbreviation: str, year: int, sequence: int) -> str:
    return f"{prefix}{abbreviation}〔{year}〕{sequence}号"


class CaseNumberSequence(Aggregate):
    """The last number issued for one prefix, document kind and year."""

    @classmethod
    def start(cls, prefix: str, abbreviation: str, year: int) -> CaseNumberSequence:
        return cls(
            id=case_number_sequence_id(prefix, abbreviation, year),
            prefix=prefix,
            abbreviation=abbreviation,
            year=year,
        )

    @event("Started")
    def __init__(
        self,
        id: UUID,
        prefix: Annotated[str, "the district's case-number prefix, e.g. 津滨应急"],
        abbreviation: Annotated[str, "the document abbreviation, e.g. 罚 or 简罚"],
        year: Annotated[int, "the year the sequence numbers"],
    ) -> None:
        self.prefix = prefix
        self.abbreviation = abbreviation
        self.year = year
        self.last = 0

    def issue(self, case_id: UUID, at: datetime) -> str:
        sequence = self.last + 1
        number = format_case_number(self.prefix, self.abbreviation, self.year, sequence)
        self._issued(sequence=sequence, number=number, case_id=case_id, at=at)
        return number

    @event("Issued")
    def _issued(
        self,
        sequence: Annotated[int, "the number's place in the sequence, from 1, without gaps"],
        number: Annotated[str, "the case number issued, e.g. 津滨应急罚〔2026〕12号"],
        case_id: Annotated[UUID, "the case that received it"],
        at: Annotated[datetime, "when it was issued"],
    ) -> None:
        self.last = sequence
