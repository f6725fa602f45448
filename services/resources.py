"""The kinds of resource a person acts on by id: the aggregate class, its one fold, who is
party to it, and the word errors use. Loading, access and answers all go through these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eventsourcing.domain import Aggregate

from domain.case import Case
from domain.dispute import DisputeResolution
from domain.referral import Referral
from projections import case_document, dispute_document, referral_document
from projections.fold import Document, Fold


@dataclass(frozen=True)
class Resource:
    aggregate: type[Aggregate]
    fold: Fold
    audience: Callable[[Document], list[str]]
    noun: str


CASE = Resource(Case, case_document.CASE_FOLD, case_document.audience, "case")
REFERRAL = Resource(
    Referral, referral_document.REFERRAL_FOLD, referral_document.audience, "referral"
)
DISPUTE = Resource(
    DisputeResolution, dispute_document.DISPUTE_FOLD, dispute_document.audience, "dispute"
)

RESOURCES = (CASE, REFERRAL, DISPUTE)
