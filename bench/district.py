"""The district the view benchmarks read: 200 agencies with one officer each, registered through
the application; the views filled from the stored events 2,000 to a transaction, then vacuumed
and analysed, as autovacuum would leave a settled database (the local server runs with
autovacuum off: without this the planner would know nothing of the tables' sizes).

A benchmark's `fill` builds its aggregates through the domain and saves them; `make` runs the
steps and times each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import psycopg
from eventsourcing.persistence import Tracking

from domain.values import Actor, AgencyKind, AgencyPath, Certificate, Role
from projections.records import to_record
from projections.view import View
from services.application import Liandong
from services.bootstrap import Container
from services.demo import ADMIN
from services.handlers.admin import AdminHandlers
from services.settings import Settings
from services.tokens import mint

REGION = "120116"
BRIGADES, DEPARTMENTS = 140, 57  # with the government, the bureau and its detachment: 200
BUSY = "bench-yjj"  # the district bureau: the agency with the most work
APPLY_BATCH = 2_000  # stored events applied to the views per transaction
ROLES = [Role.OFFICER.value, Role.UNIT_HEAD.value]
CERTIFICATE_VALID_UNTIL = date(2030, 12, 31)


@dataclass(frozen=True)
class Party:
    """An agency's officer, as rules see them: the actor and the agency's path."""

    actor: Actor
    path: AgencyPath

    @property
    def code(self) -> str:
        return self.path.agency.code


@dataclass(frozen=True)
class Shape:
    """What the set-up made, and how long each part took."""

    agencies: int
    aggregates: int
    events: int
    seconds: dict[str, float]


Fill = Callable[[Liandong, dict[str, Party]], int]  # saves its aggregates; how many


# The agencies ----------------------------------------------------------------------------


def agency_tree() -> list[tuple[str, str, AgencyKind, str | None]]:
    """(code, name, kind, parent): the government, its bureau, the bureau's detachment with
    its brigades, and the government's functional departments."""
    tree: list[tuple[str, str, AgencyKind, str | None]] = [
        ("bench-qzf", "区人民政府", AgencyKind.DISTRICT_GOVERNMENT, None),
        (BUSY, "区应急管理局", AgencyKind.DISTRICT_BUREAU, "bench-qzf"),
        ("bench-zfzd", "区应急管理综合行政执法支队", AgencyKind.DETACHMENT, BUSY),
    ]
    tree += [
        (f"bench-dd-{n:03d}", f"第{n}执法大队", AgencyKind.BRIGADE, "bench-zfzd")
        for n in range(1, BRIGADES + 1)
    ]
    tree += [
        (f"bench-bm-{n:03d}", f"第{n}职能部门", AgencyKind.FUNCTIONAL_DEPARTMENT, "bench-qzf")
        for n in range(1, DEPARTMENTS + 1)
    ]
    return tree


def officer_of(code: str) -> str:
    return f"officer-{code}"


def register_district(app: Liandong) -> dict[str, Party]:
    """Every agency and its officer (officer and unit head, certified); their parties."""
    tree = agency_tree()
    for code, name, kind, parent in tree:
        AdminHandlers(app).register_agency(
            ADMIN, code=code, name=name, kind=kind, parent_code=parent, region=REGION
        )
    for number, (code, name, _, _) in enumerate(tree, start=1):
        AdminHandlers(app).register_officer(
            ADMIN,
            officer=officer_of(code),
            name=f"{name}负责人",
            agency_code=code,
            roles=ROLES,
            certificate=Certificate(f"津应急执B{number:05d}", CERTIFICATE_VALID_UNTIL),
        )
    return {code: party(app, code) for code, _, _, _ in tree}


def party(app: Liandong, code: str, roles: list[str] = ROLES) -> Party:
    actor = app.directory.actor_for(officer_of(code), code, roles)
    assert actor is not None, code
    return Party(actor, app.directory.path(code))


def busy_token(settings: Settings) -> str:
    """A bearer token for the busy agency's officer."""
    return token(settings, BUSY)


def token(settings: Settings, code: str, roles: list[str] = ROLES) -> str:
    """A bearer token for an agency's officer (`officer_of` it)."""
    assert settings.jwt_secret is not None
    return mint(settings.jwt_secret, officer=officer_of(code), agency=code, roles=roles)


# The views -------------------------------------------------------------------------------


def project_all(container: Container) -> None:
    """Applies every stored event to every view as the projection runner does, but
    APPLY_BATCH events to a transaction, until the views reach the store's head."""
    app = container.app
    head = app.head_position()
    position = min(container.view_positions().values())
    while position < head:
        notes = app.recorder.select_notifications(
            start=position + 1, limit=APPLY_BATCH, inclusive_of_start=True
        )
        records = [to_record(app.mapper.to_domain_event(n), n.id) for n in notes]
        tracking = Tracking(app.name, records[-1].position)
        for store in container.stores:
            store.apply(records, tracking)
        position = tracking.notification_id
    assert min(container.view_positions().values()) == head


def vacuum(url: str, container: Container, view: type[View]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for table in container.view(view).table.values():
            conn.execute(f"VACUUM ANALYZE {table}")


def make(
    url: str,
    container: Container,
    fill: Fill,
    what: str,
    view: type[View],
    made: str = "build and save",
) -> Shape:
    """The district, the aggregates `fill` saves (`what` they are; `made`: how) and the views
    over them, `view` vacuumed; each part timed."""
    app, seconds = container.app, {}
    started = time.perf_counter()
    parties = register_district(app)
    seconds["register 200 agencies and officers"] = time.perf_counter() - started
    started = time.perf_counter()
    count = fill(app, parties)
    seconds[f"{made} {count:,} {what}"] = time.perf_counter() - started
    started = time.perf_counter()
    project_all(container)
    seconds["apply every event to the views"] = time.perf_counter() - started
    started = time.perf_counter()
    vacuum(url, container, view)
    seconds[f"VACUUM ANALYZE the {container.view(view).name} view"] = time.perf_counter() - started
    return Shape(len(parties), count, app.head_position(), seconds)
