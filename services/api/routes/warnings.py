"""Warning routes: the open warnings on the time limits an agency must meet."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from domain.warning_events import Colour
from projections.warnings import WarningQuery, WarningView
from services.api.deps import ActorDep, ContainerDep, ReadYourWrites
from services.api.listing import AgencyParam, Cursor, Limit, before, next_cursor
from services.api.openapi import ERRORS
from services.api.schemas.warnings import WarningPage
from services.warnings.sources import link

router = APIRouter(prefix="/v1", tags=["warnings"], responses=ERRORS)
Kind = Literal["case", "referral", "meeting", "crime-transfer"]


@router.get("/warnings", response_model=WarningPage, dependencies=[ReadYourWrites])
def warnings(
    actor: ActorDep,
    container: ContainerDep,
    agency: AgencyParam = None,
    colour: Colour | None = None,
    kind: Kind | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> WarningPage:
    """The open warnings on limits the caller's agency must meet (heads and supervisors: and
    the units below; `?agency=` one of them), newest first, with their counts."""
    access = container.app.access
    if agency is not None:
        agencies = [access.agency_in_view(actor, agency)]
    else:
        access.agency_in_view(actor, None)
        agencies = access.agencies_seen(actor)
    query = WarningQuery(tuple(agencies), colour, kind, before(cursor), limit)
    view = container.view(WarningView)
    with container.views_db.reading() as db:
        items = view.page(db, query)
        counts = view.counts(db, agencies)
    page = {
        "agencies": agencies,
        "counts": counts,
        "items": [shown(item) for item in items],
        "next_cursor": next_cursor(items, limit),
    }
    return WarningPage.model_validate(page)


def shown(item: dict[str, Any]) -> dict[str, Any]:
    resource = {"kind": item["kind"], "id": item["resource_id"]}
    return dict(item, resource=dict(resource, link=link(item["kind"], item["resource_id"])))
