"""What every view has in common: its tables, its handlers per event type, its tracking name.

A view's SQL uses `:name` parameters and `{table}` placeholders for its own tables, so one
definition serves SQLite and PostgreSQL and can be built into fresh tables for a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Protocol

from projections.records import EventRecord


class Cursor(Protocol):
    """The part of a DB-API cursor a view uses; rows come back as mappings."""

    def execute(self, statement: str, params: Mapping[str, Any] | None = None) -> Any: ...

    def executemany(self, statement: str, params: Sequence[Mapping[str, Any]]) -> Any: ...

    def fetchone(self) -> Mapping[str, Any] | None: ...

    def fetchall(self) -> Sequence[Mapping[str, Any]]: ...


Handler = Callable[[Any, Cursor, EventRecord], None]


class View:
    """A read model. Subclasses set `name`, `tables` (base names) and `schema` (DDL), and
    register handlers with `@handles("Case.Registered", ...)`, or `@handles("Case")` for every
    event of an aggregate type (a handler for the event type itself comes first)."""

    name: ClassVar[str]
    schema_version: ClassVar[int] = 1  # raised when the tables' shape changes: rebuilt then
    tables: ClassVar[Sequence[str]]
    schema: ClassVar[Sequence[str]]
    handlers: ClassVar[dict[str, Handler]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = {
            event_type: member
            for member in vars(cls).values()
            for event_type in getattr(member, "_handles", ())
        }
        cls.handlers = {**getattr(cls, "handlers", {}), **own}

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix
        self.table = {t: f"{self.name}_{t}{suffix}" for t in self.tables}

    def sql(self, template: str) -> str:
        return template.format(**self.table)

    def ddl(self) -> list[str]:
        return [self.sql(s) for s in self.schema]

    def handler_for(self, event_type: str) -> Handler | None:
        found = self.handlers.get(event_type)
        return found if found is not None else self.handlers.get(event_type.split(".", 1)[0])

    def apply(self, cursor: Cursor, record: EventRecord) -> None:
        handler = self.handler_for(record.type)
        if handler is not None:
            handler(self, cursor, record)

    def apply_all(self, cursor: Cursor, records: Sequence[EventRecord]) -> None:
        """Applies records in order; a view may do it in fewer statements."""
        for record in records:
            self.apply(cursor, record)


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    def mark(fn: Handler) -> Handler:
        fn._handles = event_types  # type: ignore[attr-defined]
        return fn

    return mark
