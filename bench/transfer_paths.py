"""The paths a crime transfer takes in the benchmark's year, each acted out through the
CrimeTransfer aggregate by the officers whose acts they are: a brigade (its officer and head,
with a second officer for the report by two), the district's public security (and the one a
case is forwarded to) and its procuratorate. Each path has its weight among the year's
transfers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.district import REGION, Party
from domain.calendar import WorkingCalendar
from domain.crime_transfer import CrimeTransfer
from domain.crime_transfer_events import (
    BackGround,
    CrimeCategory,
    NoticeData,
    SuspectData,
    TransferMaterialData,
    TransferMaterialKind,
    TransferredCaseData,
)
from domain.values import Actor


@dataclass(frozen=True)
class Context:
    calendar: WorkingCalendar
    brigade: Party  # the transferring agency, which handles the case itself
    second: Actor  # the brigade's second officer
    police: Party
    other_police: Party
    procuratorate: Party


@dataclass(frozen=True)
class Path:
    name: str
    weight: float
    steps: tuple[str, ...]
    recommended: bool = False  # begins as the procuratorate's recommendation
    under_way: bool = False  # left with a party's act to come
    forwards: bool = False  # forwarded from the first public security to the other


TO_THE_POLICE = ("approve", "send", "receipt")
REFUSED = (*TO_THE_POLICE, "not_file")
UPHELD = (*REFUSED, "reconsider", "uphold")
SUPERVISED = (*UPHELD, "supervise", "ask_reasons", "state_reasons")
PATHS = (
    Path("reported", 2, (), under_way=True),
    Path("refused", 5, ("refuse",)),
    Path("approved", 1, ("approve",), under_way=True),
    Path("sent", 2, ("approve", "send"), under_way=True),
    Path("received", 3, TO_THE_POLICE, under_way=True),
    Path("materials", 3, (*TO_THE_POLICE, "request_materials", "supply"), under_way=True),
    Path(
        "forwarded",
        4,
        (*TO_THE_POLICE, "forward", "receipt_elsewhere", "file_elsewhere", "hand_over"),
        forwards=True,
    ),
    Path("filed", 5, (*TO_THE_POLICE, "file"), under_way=True),
    Path("handed_over", 45, (*TO_THE_POLICE, "file", "hand_over")),
    Path("not_filed", 8, REFUSED),
    Path("reconsidered", 4, UPHELD),
    Path("filing_ordered", 3, (*SUPERVISED, "order", "file_on_order", "hand_over")),
    Path("supervision_closed", 2, (*SUPERVISED, "close")),
    Path("reversed", 2, (*REFUSED, "reconsider", "reverse", "hand_over")),
    Path("transferred_back", 5, (*TO_THE_POLICE, "transfer_back")),
    Path("recommendation_declined", 2, ("decline",), recommended=True),
    Path(
        "recommendation_reported",
        4,
        ("report", *TO_THE_POLICE, "file", "hand_over"),
        recommended=True,
    ),
)
SUSPECTS: list[SuspectData] = [
    {"kind": "person", "name": "张某", "id_number": "120116198001011234", "role": "现场负责人"},
    {
        "kind": "organisation",
        "name": "天津某化工有限公司",
        "id_number": None,
        "role": "生产经营单位",
    },
]
FACTS = "违章动火作业引发爆炸，造成二人死亡"


def material(kind: TransferMaterialKind, title: str, n: int) -> TransferMaterialData:
    return {
        "kind": kind,
        "title": title,
        "sha256": f"{n:064x}",
        "size": 4096 + n,
        "uri": f"oss://b/{n}",
    }


MATERIALS = [
    material(TransferMaterialKind.TRANSFER_LETTER, "涉嫌犯罪案件移送书", 1),
    material(TransferMaterialKind.INVESTIGATION_REPORT, "涉嫌犯罪案件情况的调查报告", 2),
    material(TransferMaterialKind.ITEMS_LIST, "涉案物品清单", 3),
    material(TransferMaterialKind.APPRAISAL, "鉴定意见书", 4),
]
NOTICE: NoticeData = {"title": "立案告知书", "sha256": "a" * 64, "size": 2048, "uri": "oss://p/1"}
REFUSAL: NoticeData = dict(NOTICE, title="不予立案通知书")  # type: ignore[assignment]


class Acts:
    """One transfer taken along a path, each step some hours after the one before."""

    def __init__(self, ctx: Context, start: datetime) -> None:
        self.ctx, self.at = ctx, start

    def take(self, path: Path) -> CrimeTransfer:
        transfer = self._recommend() if path.recommended else self._report()
        for step in path.steps:
            hours, act = STEPS[step]
            self.at += timedelta(hours=hours)
            act(self, transfer)
        return transfer

    def _case(self) -> TransferredCaseData:
        return {
            "id": str(uuid.uuid4()),
            "number": "津滨应急罚〔2026〕1号",
            "summary": "未按规定对从业人员进行安全生产教育和培训",
            "party": {"kind": "organisation", "name": "天津某化工有限公司", "id_number": None},
            "place": {"region": REGION, "address": "中塘镇工业园区"},
            "occurred_at": self.at - timedelta(days=20),
            "penalties": [],
        }

    def _report(self) -> CrimeTransfer:
        b = self.ctx.brigade
        return CrimeTransfer.report(
            transfer_id=uuid.uuid4(),
            actor=b.actor,
            case=self._case(),
            agency=b.code,
            handling_unit=b.code,
            category=CrimeCategory.MAJOR_LIABILITY_ACCIDENT,
            facts=FACTS,
            suspects=SUSPECTS,
            team=[b.actor, self.ctx.second],
            calendar=self.ctx.calendar,
            at=self.at,
        )

    def _recommend(self) -> CrimeTransfer:
        p, b = self.ctx.procuratorate, self.ctx.brigade
        return CrimeTransfer.recommend(
            transfer_id=uuid.uuid4(),
            actor=p.actor,
            procuratorate=p.path.agency,
            agency=b.path.agency,
            case=self._case(),
            handling_unit=b.code,
            reasons="该案涉嫌重大责任事故罪，建议移送",
            at=self.at,
        )

    # The agency -------------------------------------------------------------------------

    def report(self, t: CrimeTransfer) -> None:
        b, c = self.ctx.brigade, self.ctx
        t.report_crime(
            actor=b.actor,
            category=CrimeCategory.FIRE_LIABILITY_ACCIDENT,
            facts=FACTS,
            suspects=SUSPECTS,
            team=[b.actor, c.second],
            calendar=c.calendar,
            at=self.at,
        )

    def decide(self, t: CrimeTransfer, approve: bool) -> None:
        b = self.ctx.brigade
        reasons = "同意移送" if approve else "不构成犯罪"
        t.decide(
            actor=b.actor,
            path=b.path,
            approve=approve,
            presiding=False,
            reasons=reasons,
            calendar=self.ctx.calendar,
            at=self.at,
        )

    def send(self, t: CrimeTransfer) -> None:
        c = self.ctx
        t.send(
            actor=c.brigade.actor,
            path=c.brigade.path,
            public_security=c.police.path.agency,
            procuratorate=c.procuratorate.path.agency,
            materials=MATERIALS,
            at=self.at,
        )

    def supply(self, t: CrimeTransfer) -> None:
        b = self.ctx.brigade
        more = [material(TransferMaterialKind.APPRAISAL, "补充鉴定意见", 5)]
        t.supply_materials(actor=b.actor, path=b.path, materials=more, at=self.at)

    def reconsider(self, t: CrimeTransfer) -> None:
        b = self.ctx.brigade
        t.request_reconsideration(
            actor=b.actor,
            path=b.path,
            reasons="鉴定已证实违章动火",
            calendar=self.ctx.calendar,
            at=self.at,
        )

    def supervise(self, t: CrimeTransfer) -> None:
        b = self.ctx.brigade
        t.request_supervision(actor=b.actor, path=b.path, reasons="请求立案监督", at=self.at)

    def hand_over(self, t: CrimeTransfer) -> None:
        b = self.ctx.brigade
        t.hand_over(actor=b.actor, path=b.path, items="涉案物品及案卷一宗", at=self.at)

    def decline(self, t: CrimeTransfer) -> None:
        b = self.ctx.brigade
        t.decline(
            actor=b.actor, path=b.path, explanation="经调查不构成犯罪", presiding=False, at=self.at
        )

    # Public security --------------------------------------------------------------------

    def receipt(self, t: CrimeTransfer, police: Party) -> None:
        t.sign_receipt(actor=police.actor, note="", calendar=self.ctx.calendar, at=self.at)

    def request_materials(self, t: CrimeTransfer) -> None:
        t.request_materials(
            actor=self.ctx.police.actor,
            materials=[TransferMaterialKind.APPRAISAL],
            note="缺少爆炸原因技术鉴定",
            calendar=self.ctx.calendar,
            at=self.at,
        )

    def forward(self, t: CrimeTransfer) -> None:
        c = self.ctx
        t.forward(
            actor=c.police.actor, to=c.other_police.path.agency, reason="不属本局管辖", at=self.at
        )

    def filing(self, t: CrimeTransfer, police: Party, file: bool) -> None:
        t.decide_filing(
            actor=police.actor,
            file=file,
            decided_at=self.at,
            reasons="" if file else "现有证据不足以证明存在犯罪事实",
            document=NOTICE if file else REFUSAL,
            calendar=self.ctx.calendar,
            at=self.at,
        )

    def answer(self, t: CrimeTransfer, upheld: bool) -> None:
        t.answer_reconsideration(
            actor=self.ctx.police.actor,
            upheld=upheld,
            reasons="维持不予立案决定" if upheld else "撤销原决定，立案侦查",
            document=REFUSAL if upheld else NOTICE,
            calendar=self.ctx.calendar,
            at=self.at,
        )

    def state_reasons(self, t: CrimeTransfer) -> None:
        t.state_reasons(actor=self.ctx.police.actor, reasons="证据不足", at=self.at)

    def transfer_back(self, t: CrimeTransfer) -> None:
        t.transfer_back(
            actor=self.ctx.police.actor,
            ground=BackGround.TOO_SLIGHT,
            reasons="情节显著轻微，不需追究刑事责任",
            referral_id=uuid.uuid4(),
            at=self.at,
        )

    # The procuratorate ------------------------------------------------------------------

    def ask_reasons(self, t: CrimeTransfer) -> None:
        p = self.ctx.procuratorate
        t.request_reasons(
            actor=p.actor, note="请说明不立案理由", calendar=self.ctx.calendar, at=self.at
        )

    def order(self, t: CrimeTransfer) -> None:
        p = self.ctx.procuratorate
        t.order_filing(
            actor=p.actor, reasons="不立案理由不能成立", calendar=self.ctx.calendar, at=self.at
        )

    def close(self, t: CrimeTransfer) -> None:
        t.close_supervision(
            actor=self.ctx.procuratorate.actor, reasons="不立案理由成立", at=self.at
        )


Step = Callable[[Acts, CrimeTransfer], None]
# Each step: hours after the one before, and the act.
STEPS: dict[str, tuple[float, Step]] = {
    "report": (30, Acts.report),
    "refuse": (20, lambda a, t: a.decide(t, False)),
    "approve": (20, lambda a, t: a.decide(t, True)),
    "send": (6, Acts.send),
    "receipt": (10, lambda a, t: a.receipt(t, a.ctx.police)),
    "request_materials": (6, Acts.request_materials),
    "supply": (30, Acts.supply),
    "forward": (12, Acts.forward),
    "receipt_elsewhere": (10, lambda a, t: a.receipt(t, a.ctx.other_police)),
    "file": (40, lambda a, t: a.filing(t, a.ctx.police, True)),
    "file_elsewhere": (40, lambda a, t: a.filing(t, a.ctx.other_police, True)),
    "not_file": (40, lambda a, t: a.filing(t, a.ctx.police, False)),
    "reconsider": (30, Acts.reconsider),
    "uphold": (40, lambda a, t: a.answer(t, True)),
    "reverse": (40, lambda a, t: a.answer(t, False)),
    "supervise": (30, Acts.supervise),
    "ask_reasons": (48, Acts.ask_reasons),
    "state_reasons": (100, Acts.state_reasons),
    "order": (48, Acts.order),
    "file_on_order": (100, lambda a, t: a.filing(t, a.ctx.police, True)),
    "close": (48, Acts.close),
    "hand_over": (30, Acts.hand_over),
    "transfer_back": (60, Acts.transfer_back),
    "decline": (48, Acts.decline),
}
