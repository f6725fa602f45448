"""A reply a police system published that was refused: unsigned, wrongly signed, replayed,
malformed, or breaking a rule. Kept as an event so that the sender learns, on the crime-transfer
topic, that its reply was refused and why, and so that the refusal stays in the audit trail.

Its id is derived from where the message lay on the replies topic, so a message read twice (the
gateway restarted before committing its offsets) is refused once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.ids import NAMESPACE


def refusal_id(topic: str, partition: int, offset: int) -> UUID:
    return uuid5(NAMESPACE, f"crime-transfer-reply:{topic}|{partition}|{offset}")


class CrimeTransferReply(Aggregate):
    @event("Refused")
    def __init__(
        self,
        id: UUID,
        message_id: Annotated[str | None, "the reply's CloudEvents `id`, when it could be read"],
        sender: Annotated[
            str | None, "the police agency the reply claims to come from (its `source`), if read"
        ],
        reply_type: Annotated[str | None, "the reply's `type`, if it could be read"],
        transfer_id: Annotated[str | None, "the transfer it names (`subject`), if read"],
        code: Annotated[str, "why it was refused: a code of the error catalogue"],
        detail: Annotated[str, "why it was refused, in words"],
        topic: Annotated[str, "the replies topic it was read from"],
        partition: Annotated[int, "its partition"],
        offset: Annotated[int, "its offset"],
        at: Annotated[datetime, "when it was refused"],
    ) -> None:
        self.code = code
