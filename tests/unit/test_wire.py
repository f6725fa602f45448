"""The CloudEvents envelope: what a subscriber receives for each stored event."""

from __future__ import annotations

import json

import pytest

from projections.records import EventRecord
from services.wire import (
    EnvelopeInvalid,
    decode,
    encode,
    envelope,
    headers,
    kind_of,
    loads,
    topic_name,
)

SOURCE = "urn:liandong:tj-bh"
RECORD = EventRecord(
    position=42,
    type="Case.Filed",
    aggregate_id="0b6f6c1e-3f5a-4a57-9d8e-1a2b3c4d5e6f",
    aggregate_version=4,
    recorded_at="2026-11-23T10:00:00+08:00",
    data={"number": "津滨应急罚〔2026〕1号", "step": "approval"},
)


def test_an_envelope_is_a_cloudevent_with_our_extensions():
    body = envelope(RECORD, "urn:liandong:tj-bh", ["tj-bh-yjj-zfs", "tj-bh-yjj"])
    assert body["specversion"] == "1.0"
    assert body["type"] == "liandong.Case.Filed"
    assert body["subject"] == RECORD.aggregate_id
    assert body["id"] == f"{RECORD.aggregate_id}/4", "a repeat of the same event has the same id"
    assert (body["position"], body["aggregateversion"]) == (42, 4)
    assert body["agencies"] == "tj-bh-yjj tj-bh-yjj-zfs"
    assert body["data"]["number"] == "津滨应急罚〔2026〕1号"


def test_an_envelope_carries_the_record_unchanged():
    assert decode(encode(RECORD, "urn:liandong:tj-bh")) == RECORD


def stdlib_encoding(record: EventRecord, source: str, agencies: list[str]) -> bytes:
    """The envelope as the standard library's encoder wrote it before orjson did."""
    return json.JSONEncoder(ensure_ascii=False).encode(envelope(record, source, agencies)).encode()


def json_value(value: bytes) -> str:
    """The JSON value read by the standard library, written back in one form: two values compare
    equal only with the same members in the same order and numbers of the same kind."""
    return json.dumps(json.loads(value), ensure_ascii=False)


ODD_DATA = {
    "text": '津滨应急罚〔2026〕1号 — 𠀋 \u2028 \x01 "quoted" \\ /',
    "empty": {"list": [], "dict": {}, "text": ""},
    "numbers": [0, -1, 2**63, 2**64 - 1, -(2**63), 10**30, -(10**30)],
    "nested": [[{"a": [None, True, False]}]],
}


@pytest.mark.parametrize("data", [RECORD.data, ODD_DATA])
def test_the_envelope_is_the_json_value_the_standard_library_wrote(data):
    record = EventRecord(42, "Case.Filed", RECORD.aggregate_id, 4, RECORD.recorded_at, data)
    value = encode(record, SOURCE, ["tj-bh-yjj"])
    assert json_value(value) == json_value(stdlib_encoding(record, SOURCE, ["tj-bh-yjj"]))
    assert "津滨应急罚〔2026〕1号".encode() in value, "non-ASCII text stays UTF-8, not escaped"
    assert decode(value) == record


@pytest.mark.parametrize(
    "value",
    [
        b'{"big": 18446744073709551616, "small": -9223372036854775809}',
        b'{"digits": "1234567890123456789", "n": 1}',
        b'{"nan": NaN, "inf": Infinity}',
        b'\xef\xbb\xbf{"bom": "\xe6\xb4\xa5"}',
        '{"utf16": "津"}'.encode("utf-16"),
        b'{"lone": "\\ud800", "pair": "\\ud840\\udc0b"}',
    ],
)
def test_envelopes_are_read_as_the_standard_library_reads_them(value):
    assert repr(loads(value)) == repr(json.loads(value))  # repr: NaN is not equal to itself


def test_headers_repeat_the_type_and_position():
    assert headers(RECORD) == [("ce_type", b"liandong.Case.Filed"), ("position", b"42")]


@pytest.mark.parametrize(
    "value",
    [
        b"not json",
        b"{}",
        json.dumps({"specversion": "1.0", "type": "other.Thing"}).encode(),
        json.dumps({"specversion": "1.0", "type": "liandong.Case.Filed", "data": []}).encode(),
    ],
)
def test_anything_else_is_refused_as_invalid(value):
    with pytest.raises(EnvelopeInvalid):
        decode(value)


def test_each_aggregate_kind_has_its_topic_and_internal_claims_none():
    assert topic_name(kind_of(RECORD)) == "liandong.case.v1"
    officer = EventRecord(1, "Officer.Registered", "x", 1, "2026-11-23T10:00:00+08:00")
    assert topic_name(kind_of(officer), prefix="tj-bh.") == "tj-bh.liandong.agency.v1"
    claim = EventRecord(1, "IdempotencyClaim.Claimed", "x", 1, "2026-11-23T10:00:00+08:00")
    assert kind_of(claim) is None
    with pytest.raises(EnvelopeInvalid):
        kind_of(EventRecord(1, "Unknown.Thing", "x", 1, "t"))


def test_every_aggregate_has_a_place_on_the_wire():
    from services.catalogue import TOPIC_OF
    from services.event_types import aggregates, own_events
    from services.idempotency import IdempotencyClaim

    with_events = [a for a in aggregates() if own_events(a)]
    assert len(with_events) == 8
    for aggregate in (*with_events, IdempotencyClaim):
        assert aggregate.__name__ in TOPIC_OF
