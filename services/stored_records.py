"""Stored events into the neutral records, for readers of many (the relay, rebuilds, the runner).

`RecordReader.record(stored, position)` answers exactly `to_record(mapper.to_domain_event(stored),
position)`, without building the domain event in between: the stored JSON is decoded once (by
orjson), then one walk, innermost values first as the transcoder's own object hook goes, turns
each value the transcoder tagged (a time, an id, a decimal) into its record form with the
application's own transcoding. That is where a relay spends its time, so it is worth the
shortcut; the shortcut is taken only where it cannot differ. An event stored in an older shape
than its class (it must be upcast), a store that compresses or encrypts, a value of any other
transcoding, a number orjson may read otherwise than the standard library (it reads integers
beyond 64 bits as floats, and the domain stores no floats), JSON orjson refuses: those go
through the application's mapper and `to_record`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, cast

import orjson
from eventsourcing.persistence import JSONTranscoder, Mapper, find_id_convertor
from eventsourcing.utils import resolve_topic

from projections.records import ENVELOPE_FIELDS, EventRecord, to_json, to_record

# Transcodings whose stored data is one string: decoded bottom-up, they mean the same.
SCALAR_TRANSCODINGS = ("uuid_hex", "decimal_str", "datetime_iso")
REMEMBERED = 10_000  # tagged values whose record forms are kept (then forgotten all at once)


class Indirect(Exception):
    """This stored event needs the mapper."""


class RecordReader:
    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        transcoder = mapper.transcoder
        self.direct = (
            isinstance(transcoder, JSONTranscoder) and not mapper.compressor and not mapper.cipher
        )
        names = transcoder.names if isinstance(transcoder, JSONTranscoder) else {}
        self.transcodings = {n: t for n, t in names.items() if n in SCALAR_TRANSCODINGS}
        self.forms: dict[tuple[str, str], str] = {}

    def record(self, stored: Any, position: int) -> EventRecord:
        """`stored`: a Notification or StoredEvent."""
        if self.direct:
            try:
                return self._decoded(stored, position)
            except (Indirect, ValueError, KeyError, TypeError):
                pass  # the mapper decides, and raises its own error for a broken event
        return to_record(self.mapper.to_domain_event(stored), position)

    def _decoded(self, stored: Any, position: int) -> EventRecord:
        cls = resolve_topic(stored.topic)
        class_version = getattr(cls, "class_version", 1)
        state = self._object(orjson.loads(stored.state))
        if state.pop("class_version", 1) != class_version:
            raise Indirect  # an older shape: the mapper upcasts it
        recorded_at = state["timestamp"]
        for name in ENVELOPE_FIELDS:  # what is left is the data, in its stored order
            state.pop(name, None)
        id_type = cast(Hashable, type(stored.originator_id))  # as the mapper asks
        originator_id = find_id_convertor(cls, id_type)(stored.originator_id)
        return EventRecord(
            position=position,
            type=cls.__qualname__,
            aggregate_id=str(originator_id),
            aggregate_version=stored.originator_version,
            recorded_at=recorded_at,
            data=state,
            class_version=class_version,
        )

    # The walk: in place, on the fresh values orjson made; each object after its members.

    def _object(self, obj: dict[str, Any]) -> Any:
        for key, value in obj.items():
            kind = type(value)
            if kind is dict:
                obj[key] = self._object(value)
            elif kind is list:
                self._array(value)
            elif kind is float:
                raise Indirect  # perhaps an integer orjson could not hold
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            return self._tagged(obj["_type_"], obj["_data_"])
        return obj

    def _array(self, array: list[Any]) -> None:
        for index, value in enumerate(array):
            kind = type(value)
            if kind is dict:
                array[index] = self._object(value)
            elif kind is list:
                self._array(value)
            elif kind is float:
                raise Indirect

    def _tagged(self, name: str, data: Any) -> Any:
        """A tagged value in its record form. The same time is often stored in several fields of
        an event (and a due date in many events), so the forms made are remembered a while."""
        if type(data) is not str:
            return self._form(name, data)
        key = (name, data)
        form = self.forms.get(key)
        if form is None:
            form = self._form(name, data)
            if type(form) is str:  # shared by the records that hold it: immutable values only
                if len(self.forms) >= REMEMBERED:
                    self.forms.clear()
                self.forms[key] = form
        return form

    def _form(self, name: str, data: Any) -> Any:
        transcoding = self.transcodings.get(name)
        if transcoding is None:
            raise Indirect
        return to_json(transcoding.decode(data))
