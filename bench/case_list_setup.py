"""The data of the case-list benchmark: the demo district, with 30 more town brigades under its
detachment, and 100,000 cases in the case view, spread over the units that handle cases: the
bureau's enforcement office (the busy one, 8,000), the detachment's office (6,000), the demo's
two brigades (4,000 each) and the 30 more (2,600 each). Most were registered within the year and
are closed or reported; the newest are still being filed, investigated or decided, some with a
time limit passed.

Made fast, and honestly: in each demo unit a few template cases are taken through the Case
aggregate by the unit's own officers and heads (registered, filing requested, reviewed, filed,
closed, decided on the spot, reported), every rule checked, and the view folds their events as
the projection runner would. Each of the 100,000 cases is then a copy of one template's rows
(its document, its deadlines and its timeline) with a new id, its unit (a new brigade in the
template brigade's place), every moment moved back by whole days, deadlines due again on the
calendar from their moved start, and positions in registration order above the store's; the
rows go in with COPY. The store holds the district's events only, so the view's tracking
position stays at the store's head. The view is then vacuumed and analysed.
"""

from __future__ import annotations

import json
import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg

from bench.district import project_all, vacuum
from domain.calendar import WorkingCalendar
from domain.values import AgencyKind, Certificate, Role
from projections.cases import DEADLINES, CaseView
from projections.deadlines import utc_key
from services.api.schemas.cases import CaseCreate
from services.application import Liandong
from services.bootstrap import Container
from services.demo import ADMIN, CERTIFICATE_VALID_UNTIL, REGION, seed
from services.handlers.admin import AdminHandlers
from services.handlers.cases import CaseHandlers

SEED = 20261202
BUSY = "tj-bh-yjj-zfs"
BRIGADE = "tj-bh-zt-dd"  # the brigade whose templates the bench brigades copy
MORE_BRIGADES = 30
SHARES = {BUSY: 8_000, "tj-bh-zfzd-jcs": 6_000, BRIGADE: 4_000, "tj-bh-tp-dd": 4_000}
PER_MORE_BRIGADE = 2_600
YEAR = 365
RECENT = 40  # days back within which the cases still under way were registered
DEADLINE_COLUMNS = (
    "name",
    "rule",
    "start",
    "start_key",
    "due_at",
    "due_key",
    "provisional",
    "met_at",
)
MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")

# Per unit: (officer, the heads who review the filing in turn, who approves it).
PEOPLE = {
    BUSY: ("wang-fang", ("zhou-jun",), "qian-min"),
    "tj-bh-zfzd-jcs": ("chen-jie", ("bai-lu", "feng-tao", "zheng-hua"), "qian-min"),
    BRIGADE: ("jiang-hai", ("chu-yan",), "wei-dong"),
    "tj-bh-tp-dd": ("yang-lei", ("shen-bo",), "han-mei"),
}
CASE_BODY: dict[str, Any] = {
    "source": {"kind": "inspection"},
    "procedure": "general",
    "summary": "未按规定对从业人员进行安全生产教育和培训",
    "party": {"kind": "organisation", "name": "天津某化工有限公司"},
    "place": {"region": REGION, "address": "中塘镇工业园区"},
    "occurred_at": "2026-11-20T09:00:00+08:00",
}
SIMPLE = dict(CASE_BODY, procedure="simple", party={"kind": "person", "name": "张三"})
# (path, weight, under way): how far a template goes, and how common such a case is.
PATHS = (
    ("registered", 4, True),
    ("requested", 3, True),
    ("reviewed", 3, True),
    ("filed", 10, True),
    ("closed", 45, False),
    ("decided", 5, True),
    ("reported", 30, False),
)


@dataclass(frozen=True)
class Template:
    unit: str
    under_way: bool
    weight: int
    case: dict[str, Any]  # its row in the cases table
    deadlines: list[dict[str, Any]]
    timeline: list[dict[str, Any]]


@dataclass(frozen=True)
class Filled:
    cases: int
    by_unit: dict[str, int]
    seconds: dict[str, float]


# The district and the templates ------------------------------------------------------------


def more_brigades() -> list[str]:
    return [f"tj-bh-bench-dd-{n:02d}" for n in range(1, MORE_BRIGADES + 1)]


def register_brigades(app: Liandong) -> None:
    admin = AdminHandlers(app)
    for n, code in enumerate(more_brigades(), start=1):
        admin.register_agency(
            ADMIN,
            code=code,
            name=f"第{n}镇应急管理综合执法大队",
            kind=AgencyKind.BRIGADE,
            parent_code="tj-bh-zfzd",
            region=REGION,
        )
        admin.register_officer(
            ADMIN,
            officer=f"officer-{code}",
            name=f"第{n}镇执法人员",
            agency_code=code,
            roles=[Role.OFFICER.value],
            certificate=Certificate(f"津应急执D{n:05d}", CERTIFICATE_VALID_UNTIL),
        )


def take(app: Liandong, unit: str, path: str) -> UUID:
    """One case of the unit taken along a path by the unit's people; its id."""
    who, heads, approves = PEOPLE[unit]
    officer, approver = actor(app, who), actor(app, approves)
    cases = CaseHandlers(app)
    body = SIMPLE if path in ("decided", "reported") else CASE_BODY
    details = CaseCreate.model_validate(body).details()
    case_id: UUID = cases.register(officer, details).aggregate.id
    if path in ("decided", "reported"):
        cases.decide_on_the_spot(officer, case_id, penalty_kind="fine", amount_fen=20_000)
        if path == "reported":
            cases.report_decision(officer, case_id)
        return case_id
    if path == "closed":
        cases.close(officer, case_id, reason="不予立案")
        return case_id
    if path == "registered":
        return case_id
    cases.request_filing(officer, case_id)
    if path == "requested":
        return case_id
    for head in heads:
        cases.review_filing(actor(app, head), case_id, approve=True, opinion="同意")
    if path == "reviewed":
        return case_id
    cases.approve_filing(approver, case_id, approve=True, opinion="同意立案")
    return case_id


def actor(app: Liandong, officer: str) -> Any:
    found = app.directory.officer(officer)
    assert found is not None, officer
    made = app.directory.actor_for(officer, found.agency_code, sorted(found.roles))
    assert made is not None, officer
    return made


def templates(container: Container) -> list[Template]:
    """Every path taken once in each demo unit, folded into the view; their rows."""
    app = container.app
    made = [(unit, path, take(app, unit, path)) for unit in PEOPLE for path, _, _ in PATHS]
    project_all(container)
    view = container.view(CaseView)
    found = []
    with container.views_db.reading() as cursor:
        for unit, path, case_id in made:
            _, weight, under_way = next(p for p in PATHS if p[0] == path)
            rows = {
                name: rows_of(cursor, view, name, owner, str(case_id))
                for name, owner in (
                    ("cases", "id"),
                    ("deadlines", "case_id"),
                    ("timeline", "case_id"),
                )
            }
            [case] = rows["cases"]
            found.append(
                Template(unit, under_way, weight, case, rows["deadlines"], rows["timeline"])
            )
    return found


def rows_of(
    cursor: Any, view: CaseView, table: str, owner: str, case_id: str
) -> list[dict[str, Any]]:
    cursor.execute(view.sql(f"SELECT * FROM {{{table}}} WHERE {owner} = :id"), {"id": case_id})
    return [dict(row) for row in cursor.fetchall()]


# The copies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Copy:
    template: Template
    unit: str
    days_back: int
    registered: str  # its moved registration moment, to order the copies


def copies(rng: random.Random, made: list[Template]) -> list[Copy]:
    """Each unit's share of cases: its templates (a bench brigade takes the brigade's), each
    moved back by whole days, in the order they were registered."""
    shares = dict(SHARES, **dict.fromkeys(more_brigades(), PER_MORE_BRIGADE))
    planned = []
    for unit, count in shares.items():
        own = [t for t in made if t.unit == (unit if unit in PEOPLE else BRIGADE)]
        for template in rng.choices(own, [t.weight for t in own], k=count):
            days = rng.randint(0, RECENT if template.under_way else YEAR)
            registered = moved(json.loads(template.case["doc"])["registered_at"], days)
            planned.append(Copy(template, unit, days, registered))
    return sorted(planned, key=lambda c: utc_key(c.registered))


def moved(value: Any, days: int, renamed: dict[str, str] | None = None) -> Any:
    """A template's value as a copy's: moments moved back by `days`, units renamed."""
    if isinstance(value, dict):
        return {k: moved(v, days, renamed) for k, v in value.items()}
    if isinstance(value, list):
        return [moved(v, days, renamed) for v in value]
    if isinstance(value, str):
        if renamed and value in renamed:
            return renamed[value]
        if MOMENT.match(value):
            return (datetime.fromisoformat(value) - timedelta(days=days)).isoformat()
    return value


def rows(
    copy: Copy, position: int, calendar: WorkingCalendar
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """One copy's rows: the case, its deadlines (due on the calendar), its timeline."""
    template, case_id = copy.template, str(uuid.uuid4())
    renamed = {template.unit: copy.unit, template.case["id"]: case_id}
    document = moved(json.loads(template.case["doc"]), copy.days_back, renamed)
    offset = int(template.case["position"]) - int(template.case["registered_position"])
    case = dict(
        template.case,
        id=case_id,
        handling_unit=copy.unit,
        registered_position=position,
        position=position + offset,
        doc=json.dumps(document, ensure_ascii=False),
    )
    held = DEADLINES.held_rows(calendar, case_id, document["deadlines"].values())
    deadlines = [{k: row[k] for k in DEADLINE_COLUMNS} | {"case_id": case_id} for row in held]
    timeline = [
        dict(
            entry,
            case_id=case_id,
            position=position + entry["version"] - 1,
            at=moved(entry["at"], copy.days_back),
        )
        for entry in template.timeline
    ]
    return case, deadlines, timeline


def copy_rows(
    url: str, view: CaseView, made: list[Template], calendar: WorkingCalendar, first: int
) -> dict[str, int]:
    """The copies written with COPY; how many cases each unit has."""
    planned = copies(random.Random(SEED), made)
    by_unit: dict[str, int] = {}
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        writers = {
            name: Writer(cursor, view.sql(f"{{{name}}}"))
            for name in ("cases", "deadlines", "timeline")
        }
        for n, planned_copy in enumerate(planned):
            case, deadlines, timeline = rows(planned_copy, first + n * 20, calendar)
            writers["cases"].add([case])
            writers["deadlines"].add(deadlines)
            writers["timeline"].add(timeline)
            by_unit[planned_copy.unit] = by_unit.get(planned_copy.unit, 0) + 1
        for writer in writers.values():
            writer.flush()
        conn.commit()
    return by_unit


class Writer:
    """Rows of one table gathered and sent with COPY, a few thousand at a time."""

    def __init__(self, cursor: psycopg.Cursor[Any], table: str) -> None:
        self.cursor, self.table = cursor, table
        self.pending: list[dict[str, Any]] = []

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.pending.extend(rows)
        if len(self.pending) >= 5_000:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        columns = list(self.pending[0])
        with self.cursor.copy(f"COPY {self.table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in self.pending:
                copy.write_row([row[c] for c in columns])
        self.pending = []


def timed(seconds: dict[str, float], label: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = step()
    seconds[label] = time.perf_counter() - started
    return result


def fill(url: str, container: Container) -> Filled:
    """The district, the templates and the copies; each part timed."""
    app, seconds = container.app, {}
    timed(
        seconds,
        "seed the demo district and 30 more brigades",
        lambda: (seed(app), register_brigades(app)),
    )
    made = timed(
        seconds,
        f"take {len(PEOPLE) * len(PATHS)} template cases through the aggregate",
        lambda: templates(container),
    )
    view = container.view(CaseView)
    first = app.head_position() + 1_000
    by_unit = timed(
        seconds,
        "copy them into 100,000 cases (COPY)",
        lambda: copy_rows(url, view, made, app.calendar(), first),
    )
    timed(seconds, "VACUUM ANALYZE the cases view", lambda: vacuum(url, container, CaseView))
    return Filled(sum(by_unit.values()), by_unit, seconds)
