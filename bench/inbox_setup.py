"""The data of the inbox benchmark: a district of 200 agencies with one officer each, and
100,000 referrals among them in the states a year of work leaves, one agency receiving 5%.

Made fast: the agencies and officers are registered through the application, the referrals
are built as aggregates (drafted, approved, sent, answered… by the officers of both ends, so
every rule is checked) and saved 500 to a transaction, and the views are filled by applying
the stored events 2,000 to a transaction. The referral view is then vacuumed and analysed, as
autovacuum would leave a settled database (the local server runs with autovacuum off: without
this the planner would know nothing of the tables' sizes).
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
from eventsourcing.persistence import Tracking

from domain.calendar import SHANGHAI, WorkingCalendar
from domain.mechanism import Mechanism
from domain.referral import Referral
from domain.referral_events import ReferralKind
from domain.referral_states import ReferralStatus
from domain.values import Actor, AgencyKind, AgencyPath, Certificate, Role
from projections.records import to_record
from projections.referrals import ReferralView
from services.application import Liandong
from services.bootstrap import Container
from services.demo import ADMIN
from services.handlers.admin import AdminHandlers

REGION = "120116"
BRIGADES, DEPARTMENTS = 140, 57  # with the government, the bureau and its detachment: 200
BUSY = "bench-yjj"  # the district bureau: the agency most referrals go to
BUSY_SHARE = 0.05
REFERRALS = 100_000
CHUNK = 500  # referrals saved per transaction
APPLY_BATCH = 2_000  # stored events applied to the views per transaction
ASSISTANCE_SHARE = 0.3
URGENT_SHARE = 0.05
YEAR = timedelta(days=365)
ROLES = [Role.OFFICER.value, Role.UNIT_HEAD.value]
CERTIFICATE_VALID_UNTIL = date(2030, 12, 31)
SEED = 20261120

# The state each referral is left in, with its weight: most sent, a tenth still drafts.
TARGETS = {
    ReferralKind.JURISDICTION: {
        "draft": 8,
        "approved": 2,
        "sent": 50,
        "acknowledged": 12,
        "accepted": 22,
        "rejected": 6,
    },
    ReferralKind.ASSISTANCE: {
        "draft": 8,
        "approved": 2,
        "sent": 50,
        "acknowledged": 12,
        "answered": 28,
    },
}
STAGES = ("draft", "approved", "sent", "acknowledged")
MATERIALS = {
    ReferralKind.JURISDICTION: [
        {"kind": "referral_letter", "title": "行政违法案件移送函"},
        {"kind": "source_material", "title": "现场检查记录"},
        {"kind": "preliminary_evidence", "title": "现场照片"},
    ],
    ReferralKind.ASSISTANCE: [{"kind": "request_letter", "title": "协助调查函"}],
}
SUMMARIES = [
    "无营业执照经营危险化学品",
    "未按规定对从业人员进行安全生产教育和培训",
    "请求协助调查危险化学品储存情况",
    "违规动火作业，未办理审批手续",
    "占用疏散通道，消防设施损坏",
]


@dataclass(frozen=True)
class Party:
    """An agency's officer, as rules see them: the actor and the agency's path."""

    actor: Actor
    path: AgencyPath

    @property
    def code(self) -> str:
        return self.path.agency.code


@dataclass(frozen=True)
class Rules:
    """What every referral of the run is decided with: the region's mechanism and calendar."""

    mechanism: Mechanism
    calendar: WorkingCalendar


@dataclass(frozen=True)
class Shape:
    """What the set-up made, and how long each part took."""

    agencies: int
    referrals: int
    events: int
    seconds: dict[str, float]


# The district ----------------------------------------------------------------------------


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


def party(app: Liandong, code: str) -> Party:
    actor = app.directory.actor_for(officer_of(code), code, ROLES)
    assert actor is not None, code
    return Party(actor, app.directory.path(code))


# The referrals ---------------------------------------------------------------------------


def pick_ends(rng: random.Random, codes: list[str]) -> tuple[str, str]:
    """(sender, receiver): the busy agency receives its share, the others alike."""
    others = [c for c in codes if c != BUSY]
    receiver = BUSY if rng.random() < BUSY_SHARE else rng.choice(others)
    sender = rng.choice(codes)
    while sender == receiver:
        sender = rng.choice(codes)
    return sender, receiver


def details(rng: random.Random, kind: ReferralKind, at: datetime) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "summary": rng.choice(SUMMARIES),
        "found_at": at - timedelta(hours=rng.uniform(1, 72)),
        "urgent": rng.random() < URGENT_SHARE,
        "place": {"region": REGION, "address": f"工业园区{rng.randint(1, 400)}号"},
        "materials": [dict(m) for m in MATERIALS[kind]],
    }


def build_referral(
    rng: random.Random, sender: Party, receiver: Party, rules: Rules, at: datetime
) -> Referral:
    """A referral drafted at `at`, taken by both ends as far as its drawn target state."""
    kind = ReferralKind.ASSISTANCE if rng.random() < ASSISTANCE_SHARE else ReferralKind.JURISDICTION
    weights = TARGETS[kind]
    target = rng.choices(list(weights), list(weights.values()))[0]
    referral = Referral.draft(
        referral_id=uuid.uuid4(),
        actor=sender.actor,
        actor_path=sender.path,
        sender=sender.path.agency,
        receiver=receiver.path.agency,
        details=details(rng, kind, at),
        mechanism=rules.mechanism,
        calendar=rules.calendar,
        at=at,
    )
    reached = STAGES.index(target) if target in STAGES else len(STAGES)
    s, r, m = sender, receiver, rules.mechanism
    if reached >= 1:
        referral.approve(actor=s.actor, path=s.path, mechanism=m, at=at + timedelta(minutes=20))
    if reached >= 2:
        sent = at + timedelta(hours=rng.uniform(1, 30))
        referral.send(actor=s.actor, path=s.path, mechanism=m, calendar=rules.calendar, at=sent)
    if reached >= 3:
        referral.acknowledge(actor=r.actor, path=r.path, at=at + timedelta(days=2))
    if reached >= 4:
        conclude(referral, target, r, at + timedelta(days=rng.uniform(3, 12)))
    return referral


def conclude(referral: Referral, target: str, receiver: Party, at: datetime) -> None:
    actor, path = receiver.actor, receiver.path
    if target == ReferralStatus.ACCEPTED:
        referral.accept(actor=actor, path=path, at=at)
    elif target == ReferralStatus.REJECTED:
        referral.reject(actor=actor, path=path, reason="不属于本部门职责", at=at)
    else:
        referral.answer(actor=actor, path=path, answer="已协助调查，情况见附件", at=at)


def fill_referrals(app: Liandong, parties: dict[str, Party], count: int) -> None:
    """`count` referrals drafted one after another over the past year, CHUNK per save."""
    rng = random.Random(SEED)
    rules = Rules(app.mechanism_for(REGION), app.calendar())
    codes = sorted(parties)
    first = datetime.now(SHANGHAI) - YEAR
    step = (YEAR - timedelta(days=14)) / count  # the last acts still lie in the past
    chunk: list[Referral] = []
    for n in range(count):
        sender, receiver = pick_ends(rng, codes)
        chunk.append(
            build_referral(rng, parties[sender], parties[receiver], rules, first + n * step)
        )
        if len(chunk) == CHUNK or n == count - 1:
            app.save(*chunk)
            chunk = []


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
    assert container.view_positions()["referrals"] == head


def vacuum(url: str, container: Container) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for table in container.view(ReferralView).table.values():
            conn.execute(f"VACUUM ANALYZE {table}")


def make_district(url: str, container: Container) -> Shape:
    """The district, its referrals and the view over them; each part timed."""
    app, seconds = container.app, {}
    started = time.perf_counter()
    parties = register_district(app)
    seconds["register 200 agencies and officers"] = time.perf_counter() - started
    started = time.perf_counter()
    fill_referrals(app, parties, REFERRALS)
    seconds[f"build and save {REFERRALS:,} referrals"] = time.perf_counter() - started
    started = time.perf_counter()
    project_all(container)
    seconds["apply every event to the views"] = time.perf_counter() - started
    started = time.perf_counter()
    vacuum(url, container)
    seconds["VACUUM ANALYZE the referral view"] = time.perf_counter() - started
    return Shape(len(parties), REFERRALS, app.head_position(), seconds)
