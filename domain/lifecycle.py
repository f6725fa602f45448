"""A resource's lifecycle as one table: the status each event leaves it in, and the statuses
each act may be taken from. The aggregate, the fold of its events into the document and every
view read the same table, so a status or a transition is written in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.errors import Conflict, DomainError
from domain.values import Actor, AgencyPath


@dataclass(frozen=True)
class Act:
    """An act and the statuses it may be taken from; `code` names the rule it would break."""

    verb: str
    allowed: frozenset[str]
    code: str
    # Statuses the act has been overtaken in (e.g. already decided), with the rule they name.
    overtaken: frozenset[str] = frozenset()
    overtaken_code: str = ""

    def code_for(self, status: str) -> str:
        return self.overtaken_code if status in self.overtaken else self.code


@dataclass(frozen=True)
class Lifecycle:
    noun: str  # "referral", "case": how errors name the resource
    after: Mapping[str, StrEnum]  # event name → the status it leaves the resource in
    acts: Mapping[str, Act]
    open: frozenset[str]  # statuses in which time limits still run

    def status_after(self, event_name: str, current: str | None) -> str | None:
        status = self.after.get(event_name)
        return current if status is None else str(status)

    def check(self, act: str, status: str) -> None:
        rule = self.acts[act]
        if status not in rule.allowed:
            detail = f"cannot {rule.verb} a {self.noun} that is {status}"
            raise Conflict(detail, code=rule.code_for(status))

    def is_open(self, status: str) -> bool:
        return status in self.open


def act(
    verb: str,
    *allowed: StrEnum,
    code: str,
    overtaken: tuple[tuple[StrEnum, ...], str] = ((), ""),
) -> Act:
    statuses, overtaken_code = overtaken
    names = frozenset(str(s) for s in statuses)
    return Act(verb, frozenset(str(s) for s in allowed), code, names, overtaken_code)


@dataclass(frozen=True)
class OpenAct:
    """An act a person may take now; `item` names the part of the resource it is taken on (a
    form, a follow-up item), as the act's route names it, when it is taken on one."""

    name: str
    item: Mapping[str, str] = field(default_factory=dict)


class FollowsLifecycle(Aggregate):
    """An aggregate whose `status` follows its events by its lifecycle table: each event's own
    method assigns the rest of the state, then the table moves the status."""

    lifecycle: ClassVar[Lifecycle]

    class Event(Aggregate.Event):
        def apply(self, aggregate: Any) -> None:
            lifecycle: Lifecycle = aggregate.lifecycle
            current = aggregate.__dict__.get("_status")
            aggregate._status = lifecycle.status_after(type(self).__name__, current)

    @property
    def status(self) -> str:
        status: str = self.__dict__["_status"]
        return status

    def _check_act(self, act: str) -> None:
        self.lifecycle.check(act, self.status)

    def open_acts(self, actor: Actor, path: AgencyPath, at: datetime) -> list[OpenAct]:
        """The acts this person may take now: each act the resource offers whose guard,
        `may_<act>(actor, path, at, **item)`, passes. A guard makes the checks its act makes
        before it reads what is asked in it (who, the status, the resource's own state), and the
        act calls its guard first, so an act offered is refused only for what is asked in it. An
        act without a guard (one another resource's decision takes) is offered to no one."""
        return [o for o in self.offers() if self.passes(o.name, actor, path, at, **o.item)]

    def offers(self) -> list[OpenAct]:
        """Every act that may be open on the resource, each on the item it is taken on: here
        each act of the lifecycle table, on the whole resource. An aggregate whose acts are
        also taken on its parts (a form, a follow-up item) offers one for each part."""
        return [OpenAct(name) for name in self.lifecycle.acts]

    def passes(self, act: str, actor: Actor, path: AgencyPath, at: datetime, **item: str) -> bool:
        guard = getattr(self, f"may_{act}", None)
        if guard is None:
            return False
        try:
            guard(actor, path, at, **item)
        except DomainError:
            return False
        return True
