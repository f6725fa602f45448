"""The data of the meetings benchmark: the district of bench.district (200 agencies with one
officer each) and 20,000 meetings among them over the past year, in the states a year of work
leaves: the latest still convened or circulated, most held with their minutes issued,
acknowledged and followed up, a few cancelled, some consultations by letter; 3 to 8 invitees
each. The district bureau convenes a tenth of them and is invited to an eighth of the rest: a
few thousand meetings in its tracker.

Made fast, as the inbox benchmark's data: the meetings are built as aggregates through the
domain (JointMeeting.convene, circulate, answer, hold, draft_minutes, approve_minutes,
issue_minutes, acknowledge, report_follow_up; send_letter, answer_letter, conclude), each act
by the officer of the agency whose act it is, so every rule is checked, and saved 500 to a
transaction; the views are filled from the stored events 2,000 to a transaction and the
meetings' tracker vacuumed and analysed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from bench.district import BUSY, REGION, Party, Shape, make, officer_of
from domain.calendar import SHANGHAI, WorkingCalendar
from domain.meeting import JointMeeting
from domain.meeting_events import (
    CONVENERS,
    Answer,
    AttendanceData,
    DecisionItemData,
    FollowUpData,
    MeetingKind,
    MeetingMaterialData,
    MinutesData,
    RepresentativeData,
    SubjectData,
)
from domain.meeting_states import MeetingStatus
from projections.meeting_tracker import MeetingTracker
from services.application import Liandong
from services.bootstrap import Container

MEETINGS = 20_000
CHUNK = 500  # meetings saved per transaction
BUSY_CONVENES = 0.10  # the share of meetings the bureau calls …
BUSY_INVITED = 0.125  # … and of the others it is invited to
BUSY_KINDS = {
    MeetingKind.CONSULTATION: 4,
    MeetingKind.JOINT_MEETING: 4,
    MeetingKind.SPECIAL_TOPIC: 2,
}
LETTER_SHARE = 0.06  # consultations by letter (函告)
INVITEES = (3, 8)
NOTICE_DAYS = (4, 21)  # a meeting is called this many days ahead
DECLINES, SILENT = 0.08, 0.05  # invitees that decline, that never answer
ACKNOWLEDGES = 0.85  # invitees that acknowledge the minutes they received
FOLLOW_UP, FOLLOW_UP_DONE = 0.5, 0.6  # decisions with a follow-up item; items reported done
YEAR = timedelta(days=365)
SEED = 20261127

S = MeetingStatus
# The state a meeting is left in, with its weight: by whether its time has come. A meeting left
# at an earlier state than drawn is one whose next act would lie in the future.
PAST = {S.CIRCULATED: 3, S.HELD: 8, S.MINUTES_DRAFTED: 5, S.MINUTES_APPROVED: 4}
PAST |= {S.MINUTES_ISSUED: 74, S.CANCELLED: 6}
COMING = {S.CONVENED: 35, S.CIRCULATED: 58, S.CANCELLED: 7}
LETTER = {S.LETTER_SENT: 25, S.CONCLUDED: 75}
STAGES = (S.CONVENED, S.CIRCULATED, S.HELD, S.MINUTES_DRAFTED, S.MINUTES_APPROVED)
TOPICS = [
    "危险化学品企业联合检查安排",
    "移送案件管辖争议协调",
    "安全生产专项整治进展通报",
    "执法信息共享与案件线索移交",
    "重大事故隐患挂牌督办",
    "联合执法行动部署",
    "行政执法与刑事司法衔接",
]
DECISIONS = [
    "由执法支队牵头开展联合检查",
    "相关部门于期限内报送整改情况",
    "建立案件线索定期通报制度",
    "对挂牌督办隐患实行销号管理",
]
NO_SUBJECT: SubjectData = {"case_id": None, "referral_id": None, "dispute_id": None}


@dataclass(frozen=True)
class Context:
    """What every meeting of the run is decided with, and the present: no act lies after it."""

    calendar: WorkingCalendar
    now: datetime
    representatives: dict[str, RepresentativeData]


class Acts:
    """One meeting taken from its call as far as its drawn state, each act at its time; an act
    whose time has not yet come is not taken, nor any after it."""

    def __init__(
        self,
        rng: random.Random,
        ctx: Context,
        meeting: JointMeeting,
        convener: Party,
        invitees: list[Party],
    ) -> None:
        self.rng, self.ctx, self.meeting = rng, ctx, meeting
        self.convener, self.invitees = convener, invitees
        self.parties = {p.code: p for p in (convener, *invitees)}

    def take(self, when: datetime, act: Callable[[datetime], None]) -> bool:
        """The act at `when`, unless that is still to come; whether it was taken."""
        if when > self.ctx.now:
            return False
        act(when)
        return True

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))


# A meeting ----------------------------------------------------------------------------------


def meeting_time(rng: random.Random, calendar: WorkingCalendar, called: datetime) -> datetime:
    """A working day some days ahead, at 9:00 or 14:30."""
    day = (called + timedelta(days=rng.randint(*NOTICE_DAYS))).astimezone(SHANGHAI).date()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, rng.choice([time(9), time(14, 30)]), tzinfo=SHANGHAI)


def convene(
    rng: random.Random, convener: Party, invitees: list[Party], ctx: Context, at: datetime
) -> JointMeeting:
    """A meeting called at `at`, taken as far as its drawn state."""
    kinds = BUSY_KINDS if convener.code == BUSY else {MeetingKind.CONSULTATION: 1}
    starts = meeting_time(rng, ctx.calendar, at)
    meeting = JointMeeting.convene(
        meeting_id=uuid.uuid4(),
        actor=convener.actor,
        actor_path=convener.path,
        kind=rng.choices(list(kinds), list(kinds.values()))[0],
        invitees=[p.code for p in invitees],
        topics=rng.sample(TOPICS, rng.randint(1, 3)),
        starts_at=starts,
        place={"region": REGION, "address": f"区政务中心{rng.randint(1, 12)}号会议室"},
        subject=NO_SUBJECT,
        calendar=ctx.calendar,
        at=at,
    )
    weights = PAST if starts < ctx.now else COMING
    target = rng.choices(list(weights), list(weights.values()))[0]
    acts = Acts(rng, ctx, meeting, convener, invitees)
    if target == S.CANCELLED:
        cancel(acts, at + (starts - at) * rng.uniform(0.1, 0.9))
        return meeting
    reached = STAGES.index(target) if target in STAGES else len(STAGES)
    if reached >= 1 and circulate(acts, at + acts.hours(1, 48), starts) and reached >= 2:
        after_the_meeting(acts, starts, reached)
    return meeting


def cancel(acts: Acts, at: datetime) -> None:
    c, meeting = acts.convener, acts.meeting
    acts.take(
        at,
        lambda when: meeting.cancel(actor=c.actor, path=c.path, reason="议题已另行协调", at=when),
    )


def circulate(acts: Acts, at: datetime, starts: datetime) -> bool:
    """The materials to every invitee, then each invitee's answer; False if not yet."""
    c, meeting = acts.convener, acts.meeting
    materials: list[MeetingMaterialData] = [
        {"title": "会议材料及议题说明", "uri": None, "sha256": None}
    ]
    at = min(at, starts - timedelta(hours=2))
    if not acts.take(
        at, lambda when: meeting.circulate(actor=c.actor, path=c.path, materials=materials, at=when)
    ):
        return False
    answers = []
    for invitee in acts.invitees:
        drawn = acts.rng.random()
        when = min(at + acts.hours(1, 72), starts - timedelta(hours=1))
        if drawn >= SILENT:
            answers.append((when, partial(answer, acts, invitee, drawn < SILENT + DECLINES)))
    for when, act in sorted(answers, key=lambda a: a[0]):
        acts.take(when, act)
    return True


def answer(acts: Acts, invitee: Party, declines: bool, at: datetime) -> None:
    acts.meeting.answer(
        actor=invitee.actor,
        path=invitee.path,
        answer=Answer.DECLINES if declines else Answer.ATTENDS,
        representatives=[] if declines else [acts.ctx.representatives[invitee.code]],
        reason="另有执法任务" if declines else None,
        at=at,
    )


def after_the_meeting(acts: Acts, starts: datetime, reached: int) -> None:
    """Held, its minutes drafted, approved and issued, acknowledged and followed up: as far as
    `reached` (an index of STAGES, past them when the minutes are issued) and the present."""
    c, meeting, rng = acts.convener, acts.meeting, acts.rng
    attending = [a for a, answer in meeting.answers.items() if answer == Answer.ATTENDS]
    attended: list[AttendanceData] = [
        {"agency": code, "officers": [acts.ctx.representatives[code]]}
        for code in (c.code, *attending)
    ]
    minutes = minutes_of(rng, meeting, starts.date())
    held = starts + acts.hours(1.5, 3)
    drafted = held + timedelta(days=rng.uniform(0.5, 6))
    approved = drafted + acts.hours(2, 48)
    issued = approved + acts.hours(1, 24)
    steps: list[tuple[datetime, Callable[[datetime], None]]] = [
        (held, lambda at: meeting.hold(actor=c.actor, path=c.path, attended=attended, at=at)),
        (
            drafted,
            lambda at: meeting.draft_minutes(actor=c.actor, path=c.path, minutes=minutes, at=at),
        ),
        (approved, lambda at: meeting.approve_minutes(actor=c.actor, path=c.path, at=at)),
        (issued, lambda at: meeting.issue_minutes(actor=c.actor, path=c.path, at=at)),
    ]
    for when, act in steps[: reached - 1]:
        if not acts.take(when, act):
            return
    if reached == len(STAGES):
        followed_up(acts, issued)


def minutes_of(rng: random.Random, meeting: JointMeeting, day: date) -> MinutesData:
    """1 to 3 decisions, half of them with a follow-up item owned by a participant."""
    decisions: list[DecisionItemData] = []
    for item in range(1, rng.randint(1, 3) + 1):
        owner = rng.choice(meeting.participants)
        due = (day + timedelta(days=rng.randint(10, 45))).isoformat()
        task: FollowUpData = {"task": "报送落实情况", "agency": owner, "due": due}
        decisions.append(
            {
                "item": str(item),
                "text": rng.choice(DECISIONS),
                "follow_up": task if rng.random() < FOLLOW_UP else None,
                "settles": None,
            }
        )
    return {
        "text": "会议听取了各部门情况汇报，议定事项如下",
        "decisions": decisions,
        "passed_up": [],
    }


def followed_up(acts: Acts, issued: datetime) -> None:
    """The minutes acknowledged by most invitees, most follow-up items reported done (a few
    after their day)."""
    meeting, rng = acts.meeting, acts.rng
    for invitee in acts.invitees:
        if rng.random() < ACKNOWLEDGES:
            acts.take(issued + acts.hours(1, 120), partial(acknowledge, meeting, invitee))
    for item, follow_up in list(meeting.follow_ups.items()):
        if rng.random() >= FOLLOW_UP_DONE:
            continue
        owner = acts.parties[follow_up["agency"]]
        due = datetime.combine(date.fromisoformat(follow_up["due"]), time(17), tzinfo=SHANGHAI)
        done = max(due - timedelta(days=rng.uniform(-5, 9)), issued + acts.hours(1, 24))
        acts.take(done, partial(report_done, meeting, owner, item))


def acknowledge(meeting: JointMeeting, invitee: Party, at: datetime) -> None:
    meeting.acknowledge(actor=invitee.actor, path=invitee.path, at=at)


def report_done(meeting: JointMeeting, owner: Party, item: str, at: datetime) -> None:
    meeting.report_follow_up(
        actor=owner.actor, path=owner.path, item=item, report="已按要求落实", at=at
    )


def consult_by_letter(
    rng: random.Random, convener: Party, consulted: list[Party], ctx: Context, at: datetime
) -> JointMeeting:
    """A letter sent at `at`: answered in writing by most agencies consulted, most concluded."""
    meeting = JointMeeting.send_letter(
        meeting_id=uuid.uuid4(),
        actor=convener.actor,
        actor_path=convener.path,
        consulted=[p.code for p in consulted],
        topics=rng.sample(TOPICS, 1),
        letter="就下列事项征求贵单位意见，请于5个工作日内书面回复",
        subject=NO_SUBJECT,
        calendar=ctx.calendar,
        at=at,
    )
    acts = Acts(rng, ctx, meeting, convener, consulted)
    answering = [p for p in consulted if rng.random() >= SILENT]
    times = sorted(at + timedelta(days=rng.uniform(0.5, 8)) for _ in answering)
    for p, when in zip(answering, times, strict=True):
        acts.take(when, partial(answer_letter, meeting, p))
    if rng.choices(list(LETTER), list(LETTER.values()))[0] == S.CONCLUDED:
        acts.take(
            at + timedelta(days=rng.uniform(9, 14)),
            lambda when: meeting.conclude(
                actor=convener.actor, path=convener.path, conclusion="按多数意见办理", at=when
            ),
        )
    return meeting


def answer_letter(meeting: JointMeeting, agency: Party, at: datetime) -> None:
    meeting.answer_letter(actor=agency.actor, path=agency.path, text="无不同意见", at=at)


# The meetings -------------------------------------------------------------------------------


def pick_parties(
    rng: random.Random, conveners: list[str], codes: list[str]
) -> tuple[str, list[str]]:
    """(convener, invitees): the busy agency calls its share and is invited to its share of
    the others, 3 to 8 invitees each."""
    convener = BUSY if rng.random() < BUSY_CONVENES else rng.choice(conveners)
    others = [c for c in codes if c not in (convener, BUSY)]
    count = rng.randint(*INVITEES)
    if convener != BUSY and rng.random() < BUSY_INVITED:
        return convener, [BUSY, *rng.sample(others, count - 1)]
    return convener, rng.sample(others, count)


def context(app: Liandong, parties: dict[str, Party]) -> Context:
    representatives: dict[str, RepresentativeData] = {}
    for code in parties:
        entry = app.directory.officer(officer_of(code))
        assert entry is not None, code
        representatives[code] = {"officer": entry.officer, "name": entry.name}
    return Context(app.calendar(), datetime.now(SHANGHAI), representatives)


def fill_meetings(app: Liandong, parties: dict[str, Party], count: int) -> int:
    """`count` meetings called one after another over the past year, CHUNK per save."""
    rng = random.Random(SEED)
    ctx = context(app, parties)
    codes = sorted(parties)
    may_call = CONVENERS[MeetingKind.CONSULTATION]
    conveners = [c for c in codes if c != BUSY and parties[c].path.agency.kind in may_call]
    first = ctx.now - YEAR
    step = (YEAR - timedelta(days=1)) / count
    chunk: list[JointMeeting] = []
    for n in range(count):
        convener, invitees = pick_parties(rng, conveners, codes)
        build = consult_by_letter if rng.random() < LETTER_SHARE else convene
        chunk.append(
            build(rng, parties[convener], [parties[c] for c in invitees], ctx, first + n * step)
        )
        if len(chunk) == CHUNK or n == count - 1:
            app.save(*chunk)
            chunk = []
    return count


def make_district(url: str, container: Container) -> Shape:
    """The district, its meetings and the views over them; each part timed."""
    fill = partial(fill_meetings, count=MEETINGS)
    return make(url, container, fill, "meetings", MeetingTracker)
