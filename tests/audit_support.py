"""The audit log in tests: a container that logs on demand (no background thread), and a
database administrator who alters the store behind the application's back."""

from __future__ import annotations

from typing import Any

from services.audit.log import AuditLog
from services.audit.suites import generate_signer
from services.audit.verify import Report
from services.bootstrap import Container, build_audit_log, build_verification

AUDIT_KEY = generate_signer("liandong/test")


def audit_log(container: Container) -> AuditLog:
    log = build_audit_log(container)
    log.resume()
    return log


def log_everything(log: AuditLog) -> None:
    while log.run_once():
        pass


def verify(container: Container) -> Report:
    return build_verification(container).run()


class StoreAdministrator:
    """SQL on the event store's own table, by global position."""

    def __init__(self, container: Container) -> None:
        self.db = container.store_db
        postgres = self.db.dialect == "postgres"
        self.table = "liandong_events" if postgres else "stored_events"
        self.position = "notification_id" if postgres else "rowid"
        self.append_byte = "state || '\\x20'::bytea" if postgres else "CAST(state || X'20' AS BLOB)"

    def execute(self, statement: str, **params: Any) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(statement.format(t=self.table, p=self.position), params)

    def alter(self, position: int) -> None:
        """One more byte of whitespace in the stored JSON: still a valid event."""
        self.execute(
            f"UPDATE {{t}} SET state = {self.append_byte} WHERE {{p}} = :position",
            position=position,
        )

    def delete(self, position: int) -> None:
        self.execute("DELETE FROM {t} WHERE {p} = :position", position=position)

    def move(self, position: int, to: int) -> None:
        self.execute("UPDATE {t} SET {p} = :to WHERE {p} = :position", position=position, to=to)

    def swap(self, first: int, second: int) -> None:
        self.move(first, -1)
        self.move(second, first)
        self.move(-1, second)
