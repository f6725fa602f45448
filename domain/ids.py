"""Deterministic aggregate ids: uniqueness of a natural key is held by the id itself."""

from __future__ import annotations

from uuid import UUID, uuid5

# Never change: stored aggregates are keyed by these.
NAMESPACE = UUID("6f1c2e8a-3b6d-5f0e-9a47-0c5d2b8e1a90")


def agency_id(code: str) -> UUID:
    return uuid5(NAMESPACE, f"agency:{code}")


def officer_id(officer: str) -> UUID:
    return uuid5(NAMESPACE, f"officer:{officer}")


def case_number_sequence_id(prefix: str, abbreviation: str, year: int) -> UUID:
    return uuid5(NAMESPACE, f"case-number:{prefix}|{abbreviation}|{year}")


def holiday_schedule_id(year: int) -> UUID:
    return uuid5(NAMESPACE, f"holiday-schedule:{year}")
