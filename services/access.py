"""Who may see, and so act on, a resource: one rule for reads and writes alike.

A resource names the agencies party to it (its document's audience: a case's handling unit, a
referral's sender and receiver, a dispute's parties and deciding bodies). A person sees it when
their unit speaks for one of them (is it, or an internal office acting in its name), or when
they head or supervise an agency above one of them. Administrators keep the register; they are
party to nothing. A resource the caller may not see does not exist for them: 404, from here.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import Forbidden, NotFound
from domain.values import OVERSIGHT_ROLES, Actor, AgencyPath, Role
from services.directory import Directory


class Access:
    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def sees(self, actor: Actor, audience: Iterable[str]) -> bool:
        if actor.has_role(Role.ADMIN) or not actor.agency_code:
            return False
        path = self.directory.path(actor.agency_code)
        return any(self._sees_party(actor, path, party) for party in audience)

    def require(self, actor: Actor, audience: Iterable[str], noun: str) -> None:
        """As if the resource did not exist, when the actor may not see it."""
        if not self.sees(actor, audience):
            raise NotFound(f"no such {noun}", code=f"{noun}.not_found")

    def agency_in_view(self, actor: Actor, code: str | None) -> str:
        """The agency whose lists the actor asks for: the one they act for, or one they speak
        for or oversee (`?agency=`); anything else is not found."""
        if actor.has_role(Role.ADMIN) or not actor.agency_code:
            raise Forbidden(
                "administrators keep the register; they are party to no case or referral",
                code="auth.not_a_party",
            )
        path = self.directory.path(actor.agency_code)
        chosen = code or path.acting_agency().code
        if self.directory.agency(chosen) is None or not self._sees_party(actor, path, chosen):
            raise NotFound(f"no agency {chosen!r} among yours", code="agency.not_found")
        return chosen

    def units_in_view(self, actor: Actor, code: str | None) -> list[str]:
        """The units whose cases a list shows: one asked for (`?agency=`), or the actor's own
        unit and, for heads and supervisors, every unit below it."""
        if code is not None:
            return [self.agency_in_view(actor, code)]
        self.agency_in_view(actor, None)
        if not actor.has_role(*OVERSIGHT_ROLES):
            return [actor.agency_code]
        return [actor.agency_code, *self.directory.below(actor.agency_code)]

    def agencies_seen(self, actor: Actor) -> list[str]:
        """Every agency whose resources `sees` lets the actor see, for lists that look up by
        agency: the unit and the agency it speaks for and, for heads and supervisors, their
        unit and every unit below it."""
        if actor.has_role(Role.ADMIN) or not actor.agency_code:
            return []
        path = self.directory.path(actor.agency_code)
        if not path.chain:
            return []
        seen = [path.agency.code, path.acting_agency().code]
        if actor.has_role(*OVERSIGHT_ROLES):
            seen += [actor.agency_code, *self.directory.below(actor.agency_code)]
        return list(dict.fromkeys(seen))

    def _sees_party(self, actor: Actor, path: AgencyPath, party: str) -> bool:
        if not path.chain:
            return False
        if path.speaks_for(party):
            return True
        if not actor.has_role(*OVERSIGHT_ROLES):
            return False
        return self.directory.is_below(party, actor.agency_code)
