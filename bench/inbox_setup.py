"""The data of the inbox benchmark: a district of 200 agencies with one officer each, and
100,000 referrals among them in the states a year of work leaves, one agency receiving 5%.

Made fast: the agencies and officers are registered through the application, the referrals
are built as aggregates (drafted, approved, sent, answered… by the officers of both ends, so
every rule is checked) and saved 500 to a transaction, and the views are filled by applying
the stored events 2,000 to a transaction; the referral view is then vacuumed and analysed (see
bench.district).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bench.district import BUSY, REGION, Party, Shape, make
from domain.calendar import SHANGHAI, WorkingCalendar
from domain.mechanism import Mechanism
from domain.referral import Referral
from domain.referral_events import ReferralKind
from domain.referral_states import ReferralStatus
from projections.referrals import ReferralView
from services.application import Liandong
from services.bootstrap import Container

BUSY_SHARE = 0.05
REFERRALS = 100_000
CHUNK = 500  # referrals saved per transaction
ASSISTANCE_SHARE = 0.3
URGENT_SHARE = 0.05
YEAR = timedelta(days=365)
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
class Rules:
    """What every referral of the run is decided with: the region's mechanism and calendar."""

    mechanism: Mechanism
    calendar: WorkingCalendar


# The referrals ---------------------------------------------------------------------------


def pick_ends(rng: random.Random, codes: list[str]) -> tuple[str, str]:
    """(sender, receiver): the busy agency receives its share, the others alike."""
    others = [c for c in codes if c != BUSY]
    receiver = BUSY if rng.random() < BUSY_SHARE else rng.choice(others)
    sender = rng.choice(codes)
    while sender == receiver:
        sender = rng.choice(codes)
    return sender, receiver


def details(rng: random.Random, kind: ReferralKind, to: str, at: datetime) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "to_agency": to,
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
        request=details(rng, kind, receiver.code, at),
        lead_region=None,
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


def fill_referrals(app: Liandong, parties: dict[str, Party], count: int) -> int:
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
    return count


def make_district(url: str, container: Container) -> Shape:
    """The district, its referrals and the view over them; each part timed."""
    fill = partial(fill_referrals, count=REFERRALS)
    return make(url, container, fill, "referrals", ReferralView)
