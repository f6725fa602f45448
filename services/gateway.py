"""`liandong gateway`: police systems' replies (the replies topic) turned into commands.

Each message is checked (its signature by the key registered for the police agency it names, its
shape, the reply's own schema, the officer acting) and runs the same command as its HTTP route,
with an idempotency claim on the reply's id saved with the command's events: a reply repeated
under the same id changes nothing. The claim remembers where the reply lay on the topic, so a
message read again after a restart is passed over quietly, while the same reply published again
elsewhere on the topic is refused as replayed. A refused reply becomes a dead letter (shown in
/readyz and /metrics) and a `CrimeTransferReply.Refused` event, which the relay publishes on the
crime-transfer topic for the sender to read. Offsets are committed once every message of a poll
is applied or refused: a crash repeats the poll, and the repeats change nothing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from domain.crime_transfer_reply import CrimeTransferReply, refusal_id
from domain.errors import DomainError
from services import kafka
from services.application import Liandong
from services.consumer_loop import ConsumerLoop
from services.database import Database
from services.dead_letters import DeadLetters, letter
from services.errors import ConcurrentModification, IdempotentReplay
from services.gateway_replies import REPLIES, Reply
from services.handlers.crime_transfers import CrimeTransferHandlers
from services.idempotency import PendingClaim
from services.projector import UNAVAILABLE
from services.reply_signing import SOURCE_PREFIX, TYPE_PREFIX, ReplyKeys, ReplyRefused, verify
from services.settings import Settings

log = logging.getLogger(__name__)
DEAD_LETTERS = "gateway"  # the dead letters' name in /readyz and /metrics
RETRIES = 5  # a reply that meets a concurrent act on its transfer is tried again


PROGRESS_DDL = (
    "CREATE TABLE IF NOT EXISTS gateway_progress (kafka_partition INTEGER PRIMARY KEY,"
    " next_offset BIGINT NOT NULL, end_offset BIGINT NOT NULL)"
)
SAVE_PROGRESS = (
    "INSERT INTO gateway_progress (kafka_partition, next_offset, end_offset)"
    " VALUES (:partition, :next, :end) ON CONFLICT (kafka_partition)"
    " DO UPDATE SET next_offset = excluded.next_offset, end_offset = excluded.end_offset"
)
LAG = "SELECT COALESCE(SUM(end_offset - next_offset), 0) AS lag FROM gateway_progress"
PROGRESS_SECONDS = 1.0


class Progress:
    """How far the gateway has read the replies topic, for /readyz: replies not yet handled."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create_table(self) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(PROGRESS_DDL)

    def save(self, positions: dict[int, tuple[int, int]]) -> None:
        rows = [{"partition": p, "next": n, "end": e} for p, (n, e) in positions.items()]
        if rows:
            with self.db.transaction() as cursor:
                cursor.executemany(SAVE_PROGRESS, rows)

    def lag(self) -> int | None:
        """None until a gateway has run against this database."""
        try:
            with self.db.reading() as cursor:
                cursor.execute(LAG)
                row = cursor.fetchone()
        except Exception:
            return None
        return int(row["lag"]) if row else None


@dataclass(frozen=True)
class Outcome:
    applied: bool
    code: str | None = None  # why it was refused; None when applied or passed over


APPLIED = Outcome(True)
PASSED_OVER = Outcome(False)


class Gateway(ConsumerLoop):
    retried = UNAVAILABLE  # the database away: the poll is repeated once it is back

    def __init__(
        self,
        app: Liandong,
        settings: Settings,
        keys: ReplyKeys,
        letters: DeadLetters,
        progress: Progress,
    ) -> None:
        super().__init__("gateway")
        self.app = app
        self.settings = settings
        self.keys = keys
        self.letters = letters
        self.progress = progress
        self._last_progress = 0.0
        self.handlers = CrimeTransferHandlers(app)
        self.topic = kafka.replies_topic(settings)

    # Running --------------------------------------------------------------------------------

    def run_once(self, timeout_ms: int = 200) -> int:
        """Handles one poll's replies, then commits their offsets; answers how many."""
        consumer = self._consumer()
        batch = consumer.poll(timeout_ms=timeout_ms)
        messages = [m for tp in sorted(batch) for m in batch[tp]]
        for message in messages:
            self.handle(message)
        if messages:
            consumer.commit()
        self._record_progress(consumer, handled=bool(messages))
        return len(messages)

    # One reply ------------------------------------------------------------------------------

    def handle(self, message: Any) -> Outcome:
        value: bytes = message.value or b""
        event = _event_or_none(value)
        try:
            return self._apply(message, value)
        except ReplyRefused as refused:
            return self._refuse(message, event, refused.code, refused.detail)
        except DomainError as broken:
            return self._refuse(message, event, broken.code, broken.detail)

    def _apply(self, message: Any, value: bytes) -> Outcome:
        verified = verify(value, list(message.headers or ()), self.keys)
        reply, data = _parsed(verified.event)
        transfer_id = _transfer_id(verified.event)
        actor = self.app.directory.registered_actor(data.officer, verified.agency)
        if actor is None:
            raise ReplyRefused(
                "reply.officer_unknown",
                f"{data.officer!r} is not an officer of {verified.agency} in the register",
            )
        claim = PendingClaim(
            scope=f"gateway:{verified.agency}",
            key=str(verified.event["id"]),
            fingerprint=_place(message),
            status=200,
        )
        earlier = self.app.find_claim(claim.scope, claim.key)
        if earlier is not None:
            return self._repeated(earlier.fingerprint, claim)
        return self._command(reply, actor, transfer_id, data, claim)

    def _command(
        self, reply: Reply, actor: Any, transfer_id: UUID, data: Any, claim: PendingClaim
    ) -> Outcome:
        """The reply's command; one that meets a concurrent act on its transfer runs again."""
        attempts = RETRIES
        while True:
            try:
                reply.command(self.handlers, actor, transfer_id, data, claim)
                return APPLIED
            except IdempotentReplay:  # applied by another gateway a moment ago
                return PASSED_OVER
            except ConcurrentModification:
                attempts -= 1
                if not attempts:
                    raise

    def _repeated(self, earlier_place: str, claim: PendingClaim) -> Outcome:
        if earlier_place == claim.fingerprint:
            return PASSED_OVER  # the same message, read again after a restart
        raise ReplyRefused(
            "reply.replayed", f"the reply {claim.key} was applied already, from {earlier_place}"
        )

    def _refuse(
        self, message: Any, event: dict[str, Any] | None, code: str, detail: str
    ) -> Outcome:
        seen = event or {}
        refusal = CrimeTransferReply(
            id=refusal_id(message.topic, message.partition, message.offset),
            message_id=_text(seen.get("id")),
            sender=_sender(seen.get("source")),
            reply_type=_text(seen.get("type")),
            transfer_id=_text(seen.get("subject")),
            code=code,
            detail=detail,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            at=self.app.clock(),
        )
        with contextlib.suppress(ConcurrentModification):  # refused already, before a restart
            self.app.store(refusal)
        self.letters.record([letter(message, f"{code}: {detail}", None, _text(seen.get("type")))])
        log.info("gateway: refused %s at %s: %s", seen.get("id"), _place(message), code)
        return Outcome(False, code)

    # Parts ----------------------------------------------------------------------------------

    def _consumer(self) -> Any:
        if self.consumer is None:
            kafka.ensure_topics(self.settings)
            self.consumer = kafka.consumer(
                self.settings, kafka.gateway_group_id(self.settings), client_id="liandong-gateway"
            )
            self.consumer.subscribe([self.topic])
        return self.consumer

    def _record_progress(self, consumer: Any, handled: bool) -> None:
        """After every poll that handled replies; while idle, once a second (replies may come)."""
        now = time.monotonic()
        assigned = consumer.assignment()
        if not assigned or (not handled and now - self._last_progress < PROGRESS_SECONDS):
            return
        self._last_progress = now
        ends = consumer.end_offsets(list(assigned))
        positions = {tp.partition: (int(consumer.position(tp)), int(ends[tp])) for tp in assigned}
        self.progress.save(positions)


def _event_or_none(value: bytes) -> dict[str, Any] | None:
    """What can be read of the message, for the refusal's record, whatever its fault."""
    try:
        event = json.loads(value)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def _parsed(event: dict[str, Any]) -> tuple[Reply, Any]:
    name = str(event.get("type", ""))
    reply = REPLIES.get(name.removeprefix(TYPE_PREFIX)) if name.startswith(TYPE_PREFIX) else None
    if reply is None:
        known = ", ".join(TYPE_PREFIX + n for n in REPLIES)
        raise ReplyRefused("reply.unknown_type", f"{name!r} is not a reply type; known: {known}")
    try:
        return reply, reply.data.model_validate(event.get("data"))
    except ValidationError as error:
        raise ReplyRefused("reply.invalid", _first_error(error)) from None


def _first_error(error: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(p) for p in e['loc']) or 'data'}: {e['msg']}" for e in error.errors()
    ]
    return "; ".join(problems[:5])


def _transfer_id(event: dict[str, Any]) -> UUID:
    try:
        return UUID(str(event.get("subject")))
    except ValueError:
        raise ReplyRefused("reply.malformed", "`subject` is not a transfer's id") from None


def _place(message: Any) -> str:
    return f"{message.topic}/{message.partition}/{message.offset}"


def _sender(source: Any) -> str | None:
    text = _text(source)
    return text.removeprefix(SOURCE_PREFIX) if text else None


def _text(value: Any) -> str | None:
    return str(value)[:200] if value is not None else None
