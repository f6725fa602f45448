"""Which agencies an event concerns: the `agencies` extension subscribers filter on.

An aggregate's concerned agencies are named by its first event, so later events look them up
from a cache, or from the aggregate's first stored event after a restart.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from projections.records import EventRecord
from services import catalogue

FirstRecord = Callable[[str], "EventRecord | None"]


class Concerns:
    def __init__(self, first_record: FirstRecord, maxsize: int = 100_000) -> None:
        self._first_record = first_record
        self._rules = catalogue.concerns()
        self._maxsize = maxsize
        self._known: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def of(self, record: EventRecord) -> tuple[str, ...]:
        rule = self._rules.get(record.aggregate_type)
        if rule is None:  # calendars and number sequences concern everyone or no one
            return ()
        codes = self._known.get(record.aggregate_id)
        if codes is None:
            first = record if record.aggregate_version == 1 else self._first(record)
            codes = rule(first.data) if first is not None else ()
            self._remember(record.aggregate_id, codes)
        return codes

    def _first(self, record: EventRecord) -> EventRecord | None:
        return self._first_record(record.aggregate_id)

    def _remember(self, aggregate_id: str, codes: tuple[str, ...]) -> None:
        self._known[aggregate_id] = codes
        if len(self._known) > self._maxsize:
            self._known.popitem(last=False)
