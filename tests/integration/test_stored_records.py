"""Stored events read straight into records are the very records (and envelopes) the mapper and
`to_record` make, for every kind of event, in its present shape or in an older one."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
)
from eventsourcing.utils import get_topic

from domain.calendar import SHANGHAI
from domain.case import Case
from projections.records import to_record
from services import wire
from services.stored_records import RecordReader
from tests.integration.test_contracts import every_kind_of_act
from tests.scenarios import case_acts, case_details, person
from tests.support import as_stored
from tests.unit.test_wire import json_value, stdlib_encoding

SOURCE = "urn:liandong:tj-bh"


def envelope(record):
    return wire.encode(record, SOURCE, ["tj-bh-yjj"])


class CountingMapper:
    """The application's mapper, counting the events it is asked to map."""

    def __init__(self, mapper):
        self.mapper = mapper
        self.mapped = 0

    def to_domain_event(self, stored):
        self.mapped += 1
        return self.mapper.to_domain_event(stored)

    def __getattr__(self, name):
        return getattr(self.mapper, name)


def test_every_stored_event_reads_as_the_mapper_reads_it(demo):
    app = demo.app
    every_kind_of_act(app)
    mapper = CountingMapper(app.mapper)
    reader = RecordReader(mapper)
    notes = app.recorder.select_notifications(start=1, limit=10_000)
    assert len({n.topic for n in notes}) > 30

    for note in notes:
        expected = to_record(app.mapper.to_domain_event(note), note.id)
        record = reader.record(note, note.id)
        assert record == expected
        assert envelope(record) == envelope(expected)  # the same keys in the same order
    # All in their present shape: none needed the mapper, unless the store encrypts (then each
    # is decrypted by it).
    assert mapper.mapped == (len(notes) if app.mapper.cipher else 0)


def test_every_envelope_is_the_json_value_the_standard_library_wrote(demo):
    app = demo.app
    every_kind_of_act(app)
    reader = RecordReader(app.mapper)
    for note in app.recorder.select_notifications(start=1, limit=10_000):
        record = reader.record(note, note.id)
        if wire.kind_of(record) is None:
            continue
        value = envelope(record)
        assert json_value(value) == json_value(stdlib_encoding(record, SOURCE, ["tj-bh-yjj"]))
        assert b"\\u" not in value, "non-ASCII text stays UTF-8, not escaped"


def test_an_event_stored_in_an_older_shape_is_upcast(demo):
    app = demo.app
    case_id = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    at = datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    first_shape = {"timestamp": at, "reason": "重复登记", "by": {"officer": "wang-fang"}, "at": at}
    app.recorder.insert_events(
        [StoredEvent(case_id, 2, get_topic(Case.Closed), as_stored(app.mapper, first_shape))]
    )
    note = app.recorder.select_notifications(start=app.head_position(), limit=1)[0]

    mapper = CountingMapper(app.mapper)
    record = RecordReader(mapper).record(note, note.id)

    assert mapper.mapped == 1
    assert (record.type, record.class_version) == ("Case.Closed", 2)
    assert record.data["previous_status"] is None
    assert record == to_record(app.mapper.to_domain_event(note), note.id)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def test_a_value_of_another_transcoding_is_left_to_the_mapper():
    transcoder = JSONTranscoder()
    transcoder.register(DatetimeAsISO())
    transcoder.register(DateAsISO())
    mapper: Mapper = Mapper(transcoder=transcoder)
    at = datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    state = {"timestamp": at, "reason": "补正", "due": date(2026, 12, 1), "class_version": 2}
    stored = StoredEvent(uuid4(), 3, get_topic(Case.Closed), transcoder.encode(state))

    counting = CountingMapper(mapper)
    record = RecordReader(counting).record(stored, 7)

    assert counting.mapped == 1
    assert record == to_record(mapper.to_domain_event(stored), 7)
    assert record.data["due"] == "2026-12-01"


@pytest.mark.parametrize("number", [2**70, -(2**64), 1.5, float("inf")])
def test_a_number_orjson_reads_otherwise_or_refuses_is_left_to_the_mapper(number):
    transcoder = JSONTranscoder()
    transcoder.register(DatetimeAsISO())
    mapper: Mapper = Mapper(transcoder=transcoder)
    at = datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    state = {"timestamp": at, "reason": "补正", "amount": number, "class_version": 2}
    stored = StoredEvent(uuid4(), 3, get_topic(Case.Closed), transcoder.encode(state))

    counting = CountingMapper(mapper)
    record = RecordReader(counting).record(stored, 7)

    assert counting.mapped == 1
    assert record == to_record(mapper.to_domain_event(stored), 7)
    assert repr(record.data["amount"]) == repr(number)
