"""The `agencies` extension: which agencies an event concerns, named by its aggregate's first
event and remembered for the later ones."""

from __future__ import annotations

from projections.records import EventRecord
from services.concerns import Concerns


def record(type_: str, version: int, data: dict, aggregate: str = "a1") -> EventRecord:
    return EventRecord(1, type_, aggregate, version, "2026-11-23T10:00:00+08:00", data)


def test_a_referral_concerns_its_sender_and_receiver_from_first_to_last_event():
    concerns = Concerns(lambda _: None)
    drafted = {"from_agency": "tj-bh-yjj", "to_agency": "tj-bh-scjg"}
    assert concerns.of(record("Referral.Drafted", 1, drafted)) == ("tj-bh-yjj", "tj-bh-scjg")
    assert concerns.of(record("Referral.Sent", 3, {})) == ("tj-bh-yjj", "tj-bh-scjg")


def test_a_dispute_concerns_its_parties_and_the_bodies_on_its_ladder():
    rungs = [
        {"name": "negotiation", "body": "parties", "agency": None},
        {"name": "legal_department", "body": "legal_department", "agency": "tj-bh-yjj-fzk"},
    ]
    opened = {"parties": ["tj-bh-yjj", "tj-bh-scjg"], "rungs": rungs}
    assert Concerns(lambda _: None).of(record("DisputeResolution.Opened", 1, opened)) == (
        "tj-bh-yjj",
        "tj-bh-scjg",
        "tj-bh-yjj-fzk",
    )


def test_after_a_restart_the_first_event_is_looked_up_once():
    looked_up = []

    def first(aggregate_id: str) -> EventRecord:
        looked_up.append(aggregate_id)
        return record(
            "Case.Registered", 1, {"agency": "tj-bh-yjj", "handling_unit": "tj-bh-yjj-zfs"}
        )

    concerns = Concerns(first)
    for version in (2, 3):
        assert concerns.of(record("Case.Filed", version, {})) == ("tj-bh-yjj", "tj-bh-yjj-zfs")
    assert looked_up == ["a1"]
    assert concerns.of(record("HolidaySchedule.Published", 2, {})) == ()
