"""The data of the crime transfers benchmark: the district of bench.district (200 agencies with
one officer each) with its public security, a second public security cases are forwarded to, and
its procuratorate; 50,000 crime transfers from its 140 brigades over the past year, in the states
a year of work leaves: most filed and handed over, some refused by the head, not filed,
reconsidered, supervised, forwarded or handed back, a few recommended by the procuratorate;
the newest still under way. Every transfer is copied to the one procuratorate, so its log holds
nearly all of them.

Made fast, and honestly: one transfer per path (17 of them, from a report left pending to a
refusal to file reversed on the procuratorate's order) is taken through the CrimeTransfer
aggregate, each act by the officer whose act it is, so every rule is checked and every event is
the aggregate's own. Their events, as the view reads them, are the templates: each of the 50,000
transfers is a template's events with a new transfer id, case id and referral id, another brigade
(and its officer) in the template brigade's place, one of the two public securities in the first
one's place and every moment moved by whole days, given positions of their own above the
store's, and folded by the view's own code (CrimeTransferLog.apply_all) 2,000 events to a
transaction. The store holds the district's events only, so the view's tracking position stays
at the store's head; the runner of the measured server has nothing to catch up. The view is then
vacuumed and analysed.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bench.district import (
    BRIGADES,
    CERTIFICATE_VALID_UNTIL,
    REGION,
    Party,
    Shape,
    make,
    officer_of,
    party,
)
from bench.transfer_paths import PATHS, Acts, Context, Path
from domain.calendar import SHANGHAI
from domain.values import AgencyKind, Certificate, Role
from projections.crime_transfer_log import CrimeTransferLog
from projections.records import EventRecord, to_record
from services.application import Liandong
from services.bootstrap import Container
from services.demo import ADMIN
from services.handlers.admin import AdminHandlers

TRANSFERS = 50_000
APPLY_BATCH = 2_000
SEED = 20261202
YEAR = timedelta(days=365)
RECENT = timedelta(days=10)  # where most transfers still under way were reported
RECENT_SHARE = 0.7
POLICE, OTHER_POLICE, PROCURATORATE = "bench-gaj", "bench-gaj-2", "bench-jcy"
TEMPLATE = "bench-dd-001"  # the brigade the templates are acted out in
EXTRA = [
    (POLICE, "区公安分局", AgencyKind.PUBLIC_SECURITY, [Role.LIAISON, Role.DIRECTOR]),
    (OTHER_POLICE, "邻区公安分局", AgencyKind.PUBLIC_SECURITY, [Role.LIAISON, Role.DIRECTOR]),
    (PROCURATORATE, "区人民检察院", AgencyKind.PROCURATORATE, [Role.SUPERVISOR]),
]
MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
FRESH = ("id", "referral_id")  # a case's id (the only `id` in the events), the referral's


# The parties --------------------------------------------------------------------------------


def register_justice(app: Liandong) -> dict[str, Party]:
    """The public securities and the procuratorate, each with its officer; a second officer of
    the template brigade, for a report by two."""
    admin = AdminHandlers(app)
    parties = {}
    for code, name, kind, roles in EXTRA:
        admin.register_agency(
            ADMIN, code=code, name=name, kind=kind, parent_code=None, region=REGION
        )
        values = [r.value for r in roles]
        admin.register_officer(
            ADMIN,
            officer=officer_of(code),
            name=f"{name}经办人",
            agency_code=code,
            roles=values,
            certificate=None,
        )
        parties[code] = party(app, code, values)
    admin.register_officer(
        ADMIN,
        officer=second_officer(TEMPLATE),
        name="第1执法大队执法人员",
        agency_code=TEMPLATE,
        roles=[Role.OFFICER.value],
        certificate=Certificate("津应急执C00001", CERTIFICATE_VALID_UNTIL),
    )
    return parties


def second_officer(code: str) -> str:
    return f"{officer_of(code)}-2"


# The templates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    path: Path
    records: list[EventRecord]
    lasts: timedelta  # from its first event to its last

    @property
    def weight(self) -> float:
        return self.path.weight


def templates(app: Liandong, parties: dict[str, Party], now: datetime) -> list[Template]:
    """Every path acted out once through the aggregate, a month and a half ago."""
    brigade = party(app, TEMPLATE)
    second = app.directory.actor_for(second_officer(TEMPLATE), TEMPLATE, [Role.OFFICER.value])
    assert second is not None
    ctx = Context(
        app.calendar(),
        brigade,
        second,
        parties[POLICE],
        parties[OTHER_POLICE],
        parties[PROCURATORATE],
    )
    start = now - timedelta(days=45)
    made = []
    for path in PATHS:
        transfer = Acts(ctx, start).take(path)
        events = transfer.collect_events()
        records = [to_record(event, n) for n, event in enumerate(events, start=1)]
        lasts = _moment(records[-1].data["at"]) - _moment(records[0].data["at"])
        made.append(Template(path, records, lasts))
    return made


# The transfers ------------------------------------------------------------------------------


def transfers(
    rng: random.Random, made: list[Template], now: datetime, count: int, first_position: int
) -> Iterator[EventRecord]:
    """`count` transfers' events, each a template's as another brigade's transfer."""
    weights = [t.weight for t in made]
    position = first_position
    for _ in range(count):
        template = rng.choices(made, weights)[0]
        brigade = f"bench-dd-{rng.randint(1, BRIGADES):03d}"
        police = rng.choice([POLICE, OTHER_POLICE]) if not template.path.forwards else POLICE
        names = {
            TEMPLATE: brigade,
            officer_of(TEMPLATE): officer_of(brigade),
            second_officer(TEMPLATE): second_officer(brigade),
            POLICE: police,
        }
        began = opened_at(rng, template, now)
        shift = timedelta(days=(began - _moment(template.records[0].data["at"])).days)
        ids: dict[str, str] = {}
        for record in template.records:
            data = moved(record.data, names, shift, ids)
            yield replace(
                record,
                position=position,
                aggregate_id=ids.setdefault(record.aggregate_id, str(uuid.uuid4())),
                recorded_at=_shifted(record.recorded_at, shift),
                data=data,
            )
            position += 1


def opened_at(rng: random.Random, template: Template, now: datetime) -> datetime:
    """When a transfer of this path began: one still under way mostly in the last days; any
    other within the year, so that it ended before now."""
    room = YEAR - template.lasts - timedelta(days=1)
    if template.path.under_way and rng.random() < RECENT_SHARE:
        room = min(room, RECENT)
    return now - template.lasts - timedelta(days=1) - room * rng.random()


def moved(value: Any, names: dict[str, str], shift: timedelta, ids: dict[str, str]) -> Any:
    """A template's event data as another transfer's: its codes and officers renamed, its
    moments moved, the ids of its case and of its reverse transfer's referral new."""
    if isinstance(value, dict):
        return {
            k: ids.setdefault(v, str(uuid.uuid4())) if k in FRESH else moved(v, names, shift, ids)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [moved(v, names, shift, ids) for v in value]
    if isinstance(value, str):
        if value in names:
            return names[value]
        if MOMENT.match(value):
            return _shifted(value, shift)
    return value


def _shifted(moment: str, shift: timedelta) -> str:
    return (datetime.fromisoformat(moment) + shift).isoformat()


def _moment(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


# Filling the view ---------------------------------------------------------------------------


def fill_transfers(container: Container, count: int) -> int:
    """The public securities and the procuratorate registered, the templates made, and
    `count` transfers folded into the view; how many."""
    app = container.app
    justice = register_justice(app)
    now = datetime.now(SHANGHAI)
    made = templates(app, justice, now)
    view = container.view(CrimeTransferLog)
    # Above every position the store will have once the district is in it.
    records = transfers(random.Random(SEED), made, now, count, app.head_position() + 1_000)
    batch: list[EventRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == APPLY_BATCH:
            apply(container, view, batch)
            batch = []
    if batch:
        apply(container, view, batch)
    return count


def apply(container: Container, view: CrimeTransferLog, records: list[EventRecord]) -> None:
    with container.views_db.transaction() as cursor:
        view.apply_all(cursor, records)


def make_district(url: str, container: Container) -> Shape:
    """The district, the view's rows and the views over the store; each part timed."""

    def fill(app: Liandong, parties: dict[str, Party]) -> int:
        return fill_transfers(container, TRANSFERS)

    return make(url, container, fill, "crime transfers", CrimeTransferLog, "fold the rows of")
