"""Rules a referral must satisfy (seed 000 §三(二)(三), seed 001 §二, seed 003 §三), as
sentences; each raises a DomainError with a stable code."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.errors import Conflict, Forbidden, Invalid
from domain.mechanism import MATERIAL_KINDS
from domain.referral_events import ReferralKind
from domain.referral_states import ReferralStatus
from domain.values import OVERSIGHT_ROLES, Actor, AgencyPath, AgencyRef, Role

OPEN_KINDS = frozenset({ReferralKind.JURISDICTION, ReferralKind.ASSISTANCE})
HEAD_ROLES = frozenset({Role.UNIT_HEAD, Role.DEPUTY_DIRECTOR, Role.DIRECTOR})
ACTING_ROLES = frozenset({Role.OFFICER, Role.LIAISON}) | HEAD_ROLES
# A rejected or disputed referral goes to dispute resolution, never on to a third agency.
NOT_REREFERABLE = frozenset({ReferralStatus.REJECTED, ReferralStatus.DISPUTED})


def check_kind(kind: str) -> None:
    if kind == ReferralKind.CRIMINAL:
        raise Invalid(
            "a suspected crime is transferred to public security: POST /v1/crime-transfers",
            code="referral.kind_not_supported",
        )
    if kind not in OPEN_KINDS:
        raise Invalid(f"unknown referral kind {kind!r}", code="referral.kind_unknown")


def check_sender_competent(sender: AgencyRef) -> None:
    """A referral is an act in an agency's own name, never an internal office's."""
    if not sender.acts_in_own_name:
        raise Forbidden(
            f"{sender.code} is an internal {sender.kind} and cannot refer in its own name;"
            " refer in the name of the agency it belongs to",
            code="referral.sender_not_competent",
        )


def check_acts_for(
    actor: Actor, path: AgencyPath, agency: str, what: str, roles: Iterable[str]
) -> None:
    """The actor works in `agency` or a unit of it (`path` is the actor's) with one of `roles`."""
    if not path.speaks_for(agency):
        raise Forbidden(f"only {agency} may {what}", code="referral.not_your_agency")
    actor.require_role(*roles)


def check_head_of(actor: Actor, path: AgencyPath, agency: str, what: str) -> None:
    """The agency's own head (部门负责人, seed 000 §三(二)(3)): a head working in the agency
    itself, not the head of one of its internal offices."""
    check_acts_for(actor, path, agency, what, HEAD_ROLES)
    if path.agency.code != agency:
        raise Forbidden(
            f"only a head of {agency} itself may {what}", code="referral.not_agency_head"
        )


def check_receiver(sender: str, receiver: AgencyRef | None) -> None:
    if receiver is None:
        raise Invalid("the receiving agency is not registered", code="referral.receiver_unknown")
    if receiver.code == sender:
        raise Invalid("an agency does not refer to itself", code="referral.receiver_is_sender")
    check_receiver_competent(receiver)


def check_receiver_competent(receiver: AgencyRef) -> None:
    if not receiver.acts_in_own_name:
        raise Invalid(
            f"{receiver.code} is an internal unit; refer to the agency it belongs to",
            code="referral.receiver_not_competent",
        )


def check_materials(kinds: Iterable[str], required: frozenset[str]) -> None:
    missing = sorted(required - set(kinds))
    if missing:
        raise Invalid(
            f"the referral lacks its {', '.join(missing)}", code="referral.materials_incomplete"
        )


def check_material(material: dict[str, object]) -> None:
    if material.get("kind") not in MATERIAL_KINDS:
        raise Invalid(
            f"unknown material kind {material.get('kind')!r}", code="referral.material_kind_unknown"
        )
    title = material.get("title")
    if not isinstance(title, str) or not title.strip():
        raise Invalid("a material needs a title", code="referral.material_title_required")


def check_reason(
    reason: str, code: str = "referral.reason_required", what: str = "a reason"
) -> None:
    if not reason or not reason.strip():
        raise Invalid(f"{what} is required", code=code)


def check_not_in_future(moment: datetime, at: datetime, what: str) -> None:
    if moment > at:
        raise Invalid(f"{what} cannot lie in the future", code="referral.time_in_future")


def check_rereferable(status: str, *, was_disputed: bool = False) -> None:
    """Rejected or disputed, it goes to dispute resolution; once a dispute has named its
    handler, that agency handles it and does not pass it on."""
    if status in NOT_REREFERABLE:
        raise Conflict(
            f"a referral that is {status} may not be referred on; it goes to dispute resolution",
            code="referral.disputed_cannot_rerefer",
        )
    if was_disputed:
        raise Conflict(
            "a referral settled by a dispute is handled by the agency the decision names",
            code="referral.disputed_cannot_rerefer",
        )


def is_head(actor: Actor) -> bool:
    return actor.has_role(*HEAD_ROLES)


def oversees(actor: Actor) -> bool:
    return actor.has_role(*OVERSIGHT_ROLES)
