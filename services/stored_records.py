"""Stored events into the neutral records, for readers of many (the relay, rebuilds, the runner).

`RecordReader.record(stored, position)` answers exactly `to_record(mapper.to_domain_event(stored),
position)`, without building the domain event in between: the stored JSON is decoded once, each
value the transcoder tagged (a time, an id, a decimal) decoded by the application's own
transcoding and put into its record form on the spot. That is where a relay spends its time, so
it is worth the shortcut; the shortcut is taken only where it cannot differ. An event stored in
an older shape than its class (it must be upcast), a store that compresses or encrypts, a value
of any other transcoding: those go through the application's mapper and `to_record`.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any, cast

from eventsourcing.persistence import JSONTranscoder, Mapper, find_id_convertor
from eventsourcing.utils import resolve_topic

from projections.records import ENVELOPE_FIELDS, EventRecord, to_json, to_record

# Transcodings whose stored data is one string: decoded bottom-up, they mean the same.
SCALAR_TRANSCODINGS = ("uuid_hex", "decimal_str", "datetime_iso")
NOT_DATA = (*ENVELOPE_FIELDS, "class_version")


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
        self.decoder = json.JSONDecoder(object_hook=self._value)

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
        state = self.decoder.decode(stored.state.decode("utf8"))
        if state.get("class_version", 1) != class_version:
            raise Indirect  # an older shape: the mapper upcasts it
        id_type = cast(Hashable, type(stored.originator_id))  # as the mapper asks
        originator_id = find_id_convertor(cls, id_type)(stored.originator_id)
        return EventRecord(
            position=position,
            type=cls.__qualname__,
            aggregate_id=str(originator_id),
            aggregate_version=stored.originator_version,
            recorded_at=state["timestamp"],
            data={k: v for k, v in state.items() if k not in NOT_DATA},
            class_version=class_version,
        )

    def _value(self, obj: dict[str, Any]) -> Any:
        """The JSON decoder's hook for every object, innermost first."""
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            transcoding = self.transcodings.get(obj["_type_"])
            if transcoding is None:
                raise Indirect
            return to_json(transcoding.decode(obj["_data_"]))
        return obj
