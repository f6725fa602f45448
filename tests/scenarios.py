"""Scenario helpers over the application service: the demo district's people acting."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.calendar import SHANGHAI
from domain.meeting_events import Answer
from domain.values import Actor
from services.application import Liandong, Saved
from services.handlers.admin import AdminHandlers
from services.handlers.cases import CaseHandlers
from services.handlers.crime_transfers import CrimeTransferHandlers
from services.handlers.disputes import DisputeHandlers
from services.handlers.meetings import MeetingHandlers
from services.handlers.referrals import ReferralHandlers
from tests.support import FakeClock

CASE = {
    "procedure": "general",
    "source": {"kind": "inspection", "reference": None, "handed_over_at": None},
    "summary": "未按规定对从业人员进行安全生产教育和培训",
    "party": {"kind": "organisation", "name": "天津某化工有限公司", "id_number": None},
    "place": {"region": "120116", "address": "中塘镇工业园区"},
    "occurred_at": datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI),
}


def case_acts(app: Liandong) -> CaseHandlers:
    return CaseHandlers(app)


def referral_acts(app: Liandong) -> ReferralHandlers:
    return ReferralHandlers(app)


def dispute_acts(app: Liandong) -> DisputeHandlers:
    return DisputeHandlers(app)


def meeting_acts(app: Liandong) -> MeetingHandlers:
    return MeetingHandlers(app)


def crime_transfer_acts(app: Liandong) -> CrimeTransferHandlers:
    return CrimeTransferHandlers(app)


def admin_acts(app: Liandong) -> AdminHandlers:
    return AdminHandlers(app)


def person(app: Liandong, officer: str) -> Actor:
    entry = app.directory.officer(officer)
    assert entry is not None, officer
    actor = app.directory.actor_for(officer, entry.agency_code, entry.roles)
    assert actor is not None
    return actor


def case_details(**changes: Any) -> dict[str, Any]:
    details = {k: (dict(v) if isinstance(v, dict) else v) for k, v in CASE.items()}
    details.update(changes)
    return details


def accident_details(handed_over_at: datetime) -> dict[str, Any]:
    source = {
        "kind": "accident_report",
        "reference": "事故调查报告",
        "handed_over_at": handed_over_at,
    }
    return case_details(
        procedure="accident", source=source, occurred_at=handed_over_at - timedelta(days=20)
    )


def filed_office_case(app: Liandong, **changes: Any) -> Saved:
    """A bureau-office case taken through its whole filing approval (`changes`: fields of
    `case_details`)."""
    saved = case_acts(app).register(person(app, "wang-fang"), case_details(**changes))
    case_id = saved.aggregate.id
    case_acts(app).request_filing(person(app, "wang-fang"), case_id)
    case_acts(app).review_filing(person(app, "zhou-jun"), case_id, approve=True, opinion="同意")
    return case_acts(app).approve_filing(
        person(app, "qian-min"), case_id, approve=True, opinion="同意立案"
    )


# Referrals and disputes ------------------------------------------------------------------

MATERIALS = [
    {"kind": "referral_letter", "title": "行政违法案件移送函"},
    {"kind": "source_material", "title": "现场检查记录"},
    {"kind": "preliminary_evidence", "title": "现场照片"},
]


def referral_details(app: Liandong, **changes: Any) -> dict[str, Any]:
    """A jurisdiction referral from the district bureau to market regulation, found an hour ago."""
    details: dict[str, Any] = {
        "kind": "jurisdiction",
        "from_agency": "tj-bh-yjj",
        "to_agency": "tj-bh-scjg",
        "summary": "无营业执照经营危险化学品",
        "found_at": app.clock() - timedelta(hours=1),
        "urgent": False,
        "place": {"region": "120116", "address": "中塘镇工业园区"},
        "materials": [dict(m) for m in MATERIALS],
    }
    details.update(changes)
    return details


def assistance_details(app: Liandong, **changes: Any) -> dict[str, Any]:
    """A brigade asks the detachment for help with an investigation (seed 000 §三(三))."""
    return referral_details(
        app,
        kind="assistance",
        from_agency="tj-bh-zt-dd",
        to_agency="tj-bh-zfzd",
        summary="请求协助调查危险化学品储存情况",
        materials=[{"kind": "request_letter", "title": "协助调查函"}],
        **changes,
    )


def sent_referral(app: Liandong, **changes: Any) -> Saved:
    """Drafted by 王芳 in the bureau's name, approved by 钱敏, sent."""
    saved = referral_acts(app).draft(person(app, "wang-fang"), referral_details(app, **changes))
    referral_acts(app).approve(person(app, "qian-min"), saved.aggregate.id)
    return referral_acts(app).send(person(app, "wang-fang"), saved.aggregate.id)


def sent_assistance(app: Liandong, **changes: Any) -> Saved:
    """Drafted by 蒋海 for the 中塘 brigade, approved by its head 褚燕, sent."""
    saved = referral_acts(app).draft(person(app, "jiang-hai"), assistance_details(app, **changes))
    referral_acts(app).approve(person(app, "chu-yan"), saved.aggregate.id)
    return referral_acts(app).send(person(app, "jiang-hai"), saved.aggregate.id)


def acknowledged_referral(app: Liandong, **changes: Any) -> UUID:
    """The bureau's referral to market regulation, sent and acknowledged by 朱霞."""
    referral_id: UUID = sent_referral(app, **changes).aggregate.id
    referral_acts(app).acknowledge(person(app, "zhu-xia"), referral_id)
    return referral_id


def accepted_referral(app: Liandong, **changes: Any) -> UUID:
    referral_id = acknowledged_referral(app, **changes)
    referral_acts(app).accept(person(app, "lu-yu"), referral_id)
    return referral_id


def rejected_referral(app: Liandong, **changes: Any) -> Saved:
    """Sent, acknowledged, and rejected by market regulation's head 鲁宇 with a reason."""
    referral_id = acknowledged_referral(app, **changes)
    return referral_acts(app).reject(person(app, "lu-yu"), referral_id, reason="不属于本部门职责")


def disputed_referral(app: Liandong, **changes: Any) -> tuple[UUID, UUID]:
    """Rejected by market regulation, then disputed by the bureau: (referral id, dispute id)."""
    referral_id = rejected_referral(app, **changes).aggregate.id
    saved = referral_acts(app).dispute(
        person(app, "qian-min"), referral_id, grounds="无证经营危险化学品属市场监管部门查处"
    )
    return referral_id, UUID(saved.aggregate.dispute_id)


# Meetings ---------------------------------------------------------------------------------

# Who answers for each agency a meeting invites, and is present for it.
SPEAKS_FOR = {
    "tj-bh-yjj": "qian-min",
    "tj-bh-scjg": "zhu-xia",
    "tj-bh-zfzd": "zheng-hua",
    "tj-bh-gaj": "qin-song",
    "tj-bh-zt-dd": "chu-yan",
    "tj-xq-yjj": "lin-feng",
}


def meeting_call(app: Liandong, **changes: Any) -> dict[str, Any]:
    """A consultation the bureau calls with market regulation and the detachment, a week
    ahead at 9:00."""
    starts = (app.clock() + timedelta(days=7)).astimezone(SHANGHAI)
    call: dict[str, Any] = {
        "kind": "consultation",
        "invitees": ["tj-bh-scjg", "tj-bh-zfzd"],
        "topics": ["危险化学品联合检查分工"],
        "starts_at": starts.replace(hour=9, minute=0, second=0, microsecond=0),
        "place": {"region": "120116", "address": "区应急局三楼会议室"},
        "subject": None,
    }
    call.update(changes)
    return call


def convened_meeting(app: Liandong, officer: str = "qian-min", **changes: Any) -> Saved:
    """Called by 钱敏 in the bureau's name (`changes`: fields of `meeting_call`)."""
    return meeting_acts(app).convene(person(app, officer), meeting_call(app, **changes))


def circulated_meeting(app: Liandong, officer: str = "qian-min", **changes: Any) -> Saved:
    """Convened, and its materials sent to every invitee at once."""
    meeting_id = convened_meeting(app, officer, **changes).aggregate.id
    materials = [{"title": "会商材料", "uri": None, "sha256": None}]
    return meeting_acts(app).circulate(person(app, officer), meeting_id, materials)


def answered_meeting(
    app: Liandong, officer: str = "qian-min", declining: tuple[str, ...] = (), **changes: Any
) -> Saved:
    """Circulated; every invitee attends (its officer of SPEAKS_FOR), but those `declining`."""
    saved = circulated_meeting(app, officer, **changes)
    for agency in saved.aggregate.invitees:
        speaker = person(app, SPEAKS_FOR[agency])
        if agency in declining:
            saved = meeting_acts(app).answer(
                speaker, saved.aggregate.id, Answer.DECLINES, [], "另有执法任务"
            )
        else:
            officers = [SPEAKS_FOR[agency]]
            saved = meeting_acts(app).answer(
                speaker, saved.aggregate.id, Answer.ATTENDS, officers, None
            )
    return saved


def held_meeting(
    app: Liandong,
    clock: FakeClock,
    officer: str = "qian-min",
    declining: tuple[str, ...] = (),
    **changes: Any,
) -> Saved:
    """Answered, then held an hour after its time (the clock moved there): the convener and
    every invitee that attends are present."""
    saved = answered_meeting(app, officer, declining, **changes)
    meeting = saved.aggregate
    clock.set(meeting.starts_at + timedelta(hours=1))
    present = [{"agency": meeting.convener, "officers": [officer]}]
    present += [
        {"agency": agency, "officers": [SPEAKS_FOR[agency]]}
        for agency in meeting.invitees
        if agency not in declining
    ]
    return meeting_acts(app).hold(person(app, officer), meeting.id, present)


def follow_up_decision(agency: str, due: str, item: str = "1") -> dict[str, Any]:
    return {
        "item": item,
        "text": "联合开展危险化学品专项检查",
        "follow_up": {"task": "报送检查情况", "agency": agency, "due": due},
        "settles": None,
    }


def issued_minutes(
    app: Liandong,
    clock: FakeClock,
    officer: str = "qian-min",
    decisions: list[dict[str, Any]] | None = None,
    passed_up: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> Saved:
    """Held, its minutes drafted by the convener, approved by the bureau's director 赵强 and
    issued the same day; by default one follow-up item for market regulation, due in 10 days."""
    meeting_id = held_meeting(app, clock, officer, **changes).aggregate.id
    if decisions is None:
        due = (app.clock() + timedelta(days=10)).astimezone(SHANGHAI).date().isoformat()
        decisions = [follow_up_decision("tj-bh-scjg", due)]
    minutes = {"text": "经会商，形成如下意见", "decisions": decisions, "passed_up": passed_up or []}
    meeting_acts(app).draft_minutes(person(app, officer), meeting_id, minutes)
    meeting_acts(app).approve_minutes(person(app, "zhao-qiang"), meeting_id)
    return meeting_acts(app).issue_minutes(person(app, officer), meeting_id)


def sent_letter(app: Liandong, officer: str = "qian-min", **changes: Any) -> Saved:
    """A consultation by letter (函告) from the bureau to market regulation and the detachment."""
    letter: dict[str, Any] = {
        "consulted": ["tj-bh-scjg", "tj-bh-zfzd"],
        "topics": ["危险化学品经营许可核查分工"],
        "letter": "请于五个工作日内书面回复意见",
        "subject": None,
    }
    letter.update(changes)
    return meeting_acts(app).send_letter(person(app, officer), letter)


def settled_at_joint_meeting(
    app: Liandong, clock: FakeClock, dispute_id: UUID, handler: str, reasons: str = "依职责分工"
) -> Saved:
    """The Binhai joint meeting on a disputed referral (seed 000 §三(二)(2)): called by 马骏 of
    the joint conference office in the bureau's name with market regulation, held, its minutes
    deciding the dispute approved by 赵强 and issued."""
    settles = {"dispute_id": str(dispute_id), "decision": {"handler": handler, "reasons": reasons}}
    decision = {"item": "1", "text": "明确查处单位", "follow_up": None, "settles": settles}
    return issued_minutes(
        app,
        clock,
        "ma-jun",
        decisions=[decision],
        kind="joint_meeting",
        invitees=["tj-bh-scjg"],
        topics=["移送争议协调"],
        subject={"dispute_id": dispute_id},
    )


# Crime transfers ---------------------------------------------------------------------------


def transfer_material(kind: str, title: str, n: int) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": title,
        "sha256": f"{n:064x}",
        "size": 1024 + n,
        "uri": f"oss://t/{n}",
    }


TRANSFER_MATERIALS = [
    transfer_material("transfer_letter", "涉嫌犯罪案件移送书", 1),
    transfer_material("investigation_report", "涉嫌犯罪案件情况的调查报告", 2),
    transfer_material("items_list", "涉案物品清单", 3),
    transfer_material("appraisal", "鉴定意见书", 4),
]
FILING_NOTICE = {"title": "立案告知书", "sha256": "a" * 64, "size": 2048, "uri": "oss://police/1"}


def crime_report(**changes: Any) -> dict[str, Any]:
    """王芳's written report with 吴刚 of a suspected major liability accident."""
    report: dict[str, Any] = {
        "category": "major_liability_accident",
        "facts": "某化工有限公司违章动火作业引发爆炸，造成二人死亡",
        "suspects": [
            {
                "kind": "person",
                "name": "张某",
                "id_number": "120116198001011234",
                "role": "现场负责人",
            }
        ],
        "team": ["wang-fang", "wu-gang"],
    }
    report.update(changes)
    return report


def reported_transfer(app: Liandong, **changes: Any) -> UUID:
    """A case of the bureau's office registered by 王芳 and reported by her (`changes`: fields
    of `crime_report`)."""
    case_id = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    saved = crime_transfer_acts(app).report(
        person(app, "wang-fang"), case_id, crime_report(**changes)
    )
    transfer_id: UUID = saved.aggregate.id
    return transfer_id


def sent_crime_transfer(app: Liandong, **changes: Any) -> UUID:
    """Reported, approved by the bureau's director 赵强 and sent by 王芳 to the district's
    public security, copied to its procuratorate."""
    transfer_id = reported_transfer(app, **changes)
    acts = crime_transfer_acts(app)
    acts.decide(person(app, "zhao-qiang"), transfer_id, True, False, "同意移送")
    acts.send(person(app, "wang-fang"), transfer_id, TRANSFER_MATERIALS, None)
    return transfer_id


def received_crime_transfer(app: Liandong, **changes: Any) -> UUID:
    """Sent, and its receipt signed by public security's liaison 秦松."""
    transfer_id = sent_crime_transfer(app, **changes)
    crime_transfer_acts(app).sign_receipt(person(app, "qin-song"), transfer_id, "材料已接收")
    return transfer_id


def decided_filing(
    app: Liandong, transfer_id: UUID, filed: bool, officer: str = "yue-ming"
) -> Saved:
    """Public security's head decides on filing now, and notifies it at once."""
    reasons = "" if filed else "现有证据不足以证明存在犯罪事实"
    notice = FILING_NOTICE if filed else dict(FILING_NOTICE, title="不予立案通知书")
    return crime_transfer_acts(app).decide_filing(
        person(app, officer), transfer_id, filed, app.clock(), reasons, notice
    )


def not_filed_transfer(app: Liandong, **changes: Any) -> UUID:
    """Received, and not filed by public security's head 岳明."""
    transfer_id = received_crime_transfer(app, **changes)
    decided_filing(app, transfer_id, False)
    return transfer_id


class CaseSteps:
    """A filed case taken through its forms and its documents' service by its officer:
    `approve(form, *signers)` submits a form and has each signer approve it; `serve(kind)`
    records the service of the case's latest document of that kind, signed for today."""

    def __init__(self, app: Liandong, case: UUID, officer: str = "wang-fang") -> None:
        from services.handlers.case_forms import CaseFormHandlers

        self.app, self.case = app, case
        self.officer = person(app, officer)
        self.forms = CaseFormHandlers(app)

    def approve(self, form: Any, *signers: str) -> None:
        self.forms.submit_form(self.officer, self.case, form)
        for signer in signers:
            self.forms.sign_form(
                person(self.app, signer), self.case, form, approve=True, opinion="同意"
            )

    def serve(self, kind: str) -> None:
        documents = self.app.load(self.case).documents
        number = next(d["number"] for d in documents if d["kind"] == kind)
        signed_on = self.app.clock().date().isoformat()
        receipt = {"recipient": "李四", "signed_on": signed_on, "sha256": "c" * 64, "size": 9}
        self.forms.serve(
            self.officer, self.case, number=number, receipt=dict(receipt, uri="s3://r")
        )


def case_reviewed(app: Liandong, clock: FakeClock, case: UUID) -> UUID:
    """The bureau's case review meeting (案审会) on `case`, four days on, with the detachment:
    materials at the call, attended, held, its minutes signed by those present, approved by
    the director and issued the same day."""
    acts, qian, zheng = meeting_acts(app), person(app, "qian-min"), person(app, "zheng-hua")
    call = {
        "kind": "case_review",
        "invitees": ["tj-bh-zfzd"],
        "topics": ["审定处罚意见"],
        "starts_at": app.clock() + timedelta(days=4),
        "place": {"region": "120116", "address": "区应急局会议室"},
        "subject": {"case_id": case},
    }
    review = acts.convene(qian, call).aggregate.id
    acts.circulate(qian, review, [{"title": "案件调查终结报告", "uri": None, "sha256": None}])
    acts.answer(zheng, review, Answer.ATTENDS, ["zheng-hua"], None)
    clock.advance(days=4, hours=1)
    present = [
        {"agency": "tj-bh-yjj", "officers": ["qian-min"]},
        {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]},
    ]
    acts.hold(qian, review, present)
    decision = {"item": "1", "text": "同意处罚意见", "follow_up": None, "settles": None}
    acts.draft_minutes(qian, review, {"text": "案审会纪要", "decisions": [decision]})
    for signer in (qian, zheng):
        acts.sign_minutes(signer, review)
    acts.approve_minutes(person(app, "zhao-qiang"), review)
    acts.issue_minutes(qian, review)
    return review
