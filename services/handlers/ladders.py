"""A dispute ladder's rungs with the agency that decides on each, found in the register."""

from __future__ import annotations

from domain.dispute_events import RungData
from domain.errors import Conflict
from domain.mechanism import Body, LadderKind, Mechanism
from domain.values import AgencyKind
from services.directory import Directory


def resolve_ladder(
    directory: Directory, mechanism: Mechanism, kind: LadderKind, region: str
) -> list[RungData]:
    """The ladder's rungs with the agency that decides each (none for negotiation)."""
    return [
        {"name": rung.name, "body": rung.body, "agency": body_agency(directory, rung.body, region)}
        for rung in mechanism.ladder(kind)
    ]


def body_agency(directory: Directory, body: Body, region: str) -> str | None:
    if body == Body.PARTIES:
        return None
    found = bodies(directory, body, region)
    if not found:
        raise Conflict(
            f"no {body.value.replace('_', ' ')} is registered to decide disputes in {region}",
            code="dispute.body_missing",
        )
    return found[0]


def bodies(directory: Directory, body: Body, region: str) -> list[str]:
    find = directory.find
    if body == Body.DISTRICT_GOVERNMENT:
        return find(AgencyKind.DISTRICT_GOVERNMENT, region=region)
    if body == Body.CITY_LEGAL:
        return [
            c
            for city in find(AgencyKind.CITY_BUREAU)
            for c in find(AgencyKind.LEGAL_DEPARTMENT, under=city)
        ]
    kind = (
        AgencyKind.LEGAL_DEPARTMENT
        if body == Body.LEGAL_DEPARTMENT
        else AgencyKind.JOINT_CONFERENCE_OFFICE
    )
    bureaus = find(AgencyKind.DISTRICT_BUREAU, region=region)
    return [c for bureau in bureaus for c in find(kind, under=bureau)]
