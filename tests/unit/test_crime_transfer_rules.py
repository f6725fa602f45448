"""Crime transfer rules on the aggregate itself (given events, when a command, then events or an
error): the written report of a team of the case's certified officers, the principal head's
decision within 3 days, the transfer within 24 hours to public security at the same level with
its materials and the copy to the procuratorate at the same level, public security's receipt,
its request for materials, its forwarding and its filing decision, the agency's reconsideration
and the procuratorate's filing supervision, the handover after filing, the reverse transfer, the
procuratorate's recommendation, and the case kept from a fine instead of prosecution (以罚代刑)
while its transfer is pending (Decree 310 arts. 5 to 13, 应急〔2019〕54号, seed 000 §三(五)).

The given state is built by the aggregate's own commands; `given` collects what they recorded,
so a test sees only what its command adds, and a refused command adds nothing. "N days" are
calendar days ending on the next working day when the last one is off, "24 hours" wall-clock
time; limits are counted on the real 2026 holiday calendar (2027's schedule is not yet known),
each example worked out by hand in its comment. The default story runs in the ordinary weeks of
late November 2026. The document folded from the recorded events tells the same status as the
aggregate at every step."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.calendar import WorkingCalendar, YearSchedule
from domain.crime_transfer import CrimeTransfer
from domain.crime_transfer_events import (
    BackGround,
    CrimeCategory,
    FilingPeriod,
    TransferMaterialKind,
)
from domain.crime_transfer_states import PENDING
from domain.errors import CertificateInvalid, Conflict, DomainError, Forbidden, Invalid, RoleMissing
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef, Certificate
from projections.crime_transfer_document import CRIME_TRANSFER_FOLD, audience
from projections.records import to_record
from tests.districts import at, end_of
from tests.unit.domain_fixtures import (
    BRIGADE,
    BUREAU,
    CALENDAR,
    DET_OFFICE,
    DETACHMENT,
    NOW,
    OFFICE,
    PATHS,
    POLICE,
    PROCURATORATE,
    REGION,
    XIQING,
    XIQING_POLICE,
    actor,
    new_events,
    registered,
    sequence,
    the_new_event,
)

M = TransferMaterialKind
# The procuratorate of the neighbouring district, and a court of ours: neither is ours to copy.
XIQING_PROCURATORATE = AgencyRef("tj-xq-jcy", AgencyKind.PROCURATORATE, "120111")
COURT = AgencyRef("tj-bh-fy", AgencyKind.COURT, REGION)
TREE = {**PATHS, XIQING_PROCURATORATE.code: AgencyPath([XIQING_PROCURATORATE])}

EXPIRED = Certificate("津应急执00099", date(2026, 6, 30))

WANG = actor("wang-fang", OFFICE)  # the case's officers, in the bureau's office
WU = actor("wu-gang", OFFICE)
XIE = actor("xie-tao", OFFICE)
OLD = actor("ma-li", OFFICE, certificate=EXPIRED)  # her certificate ran out in June
ZHOU = actor("zhou-jun", OFFICE, "unit_head", "officer")  # heads the office, not the bureau
ZHAO = actor("zhao-qiang", BUREAU, "director")  # the bureau's principal head
QIAN = actor("qian-min", BUREAU, "deputy_director")
KONG = actor("kong-wei", BUREAU, "supervisor")  # oversees, acts for nobody
JIANG = actor("jiang-hai", BRIGADE, "officer")  # a brigade acts in its own name
CHU = actor("chu-yan", BRIGADE, "unit_head", "officer")  # the brigade's principal head
ZHENG = actor("zheng-hua", DETACHMENT, "unit_head", "officer")  # the detachment's principal head
LI = actor("li-lei", DETACHMENT, "officer")
DU = actor("du-wen", DETACHMENT, "deputy_director")  # 分管主任 of the detachment
FENG = actor("feng-tao", DET_OFFICE, "unit_head", "officer")  # heads an office of the detachment
LIN = actor("lin-feng", XIQING, "director")  # another district's bureau
QIN = actor("qin-song", POLICE, "officer", "liaison")
YUE = actor("yue-ming", POLICE, "director")
PENG = actor("peng-bo", POLICE, "supervisor")  # police, but no role that acts on a transfer
SONG = actor("song-yu", XIQING_POLICE, "director", "liaison")
XU = actor("xu-ping", PROCURATORATE, "supervisor")
YAN = actor("yan-qing", PROCURATORATE, "officer")  # a procuratorate's clerk, not a procurator
HE = actor("he-jing", XIQING_PROCURATORATE, "supervisor")

REPORTED_AT = NOW  # Monday 23 November 2026, 10:00
DECIDED_AT = at(2026, 11, 24, 10)
SENT_AT = at(2026, 11, 24, 15)
RECEIVED_AT = at(2026, 11, 25, 9)  # Wednesday
MATERIALS_REQUESTED_AT = at(2026, 11, 25, 11)
SUPPLIED_AT = at(2026, 11, 25, 14)
FORWARDED_AT = at(2026, 11, 25, 16)
FORWARD_RECEIVED_AT = at(2026, 11, 26, 9)
EXTENDED_AT = at(2026, 11, 25, 17)
FILING_AT = at(2026, 11, 26, 10)  # Thursday: decided and notified
HANDED_OVER_AT = at(2026, 11, 27, 10)
RECONSIDERATION_AT = at(2026, 11, 27, 10)  # Friday
ANSWERED_AT = at(2026, 11, 30, 10)  # Monday
SUPERVISION_AT = at(2026, 12, 1, 10)
REASONS_REQUESTED_AT = at(2026, 12, 1, 15)
REASONS_STATED_AT = at(2026, 12, 3, 10)
ORDERED_AT = at(2026, 12, 4, 10)  # Friday
FILED_ON_ORDER_AT = at(2026, 12, 7, 10)
CLOSED_AT = at(2026, 12, 4, 15)

CASE_ID = str(uuid4())
FACTS = "某化工有限公司违章动火作业引发爆炸，造成二人死亡"
SUSPECT = {
    "kind": "person",
    "name": "张某",
    "id_number": "120116198001011234",
    "role": "现场负责人",
}
FINE = {"kind": "fine", "amount_fen": 5_000_00}
NOT_FILED_REASONS = "现有证据不足以证明有犯罪事实"
WANG_DATA: Any = {"officer": "wang-fang", "agency": OFFICE.code, "name": "wang-fang"}


def path(person: Actor) -> AgencyPath:
    """The tree as a rule sees it from where the person works."""
    return TREE[person.agency_code]


# Builders: what the acts carry --------------------------------------------------------------------


def case_data(*penalties: dict[str, Any]) -> Any:
    return {
        "id": CASE_ID,
        "number": "津滨应急罚〔2026〕12号",
        "summary": "未按规定对从业人员进行安全生产教育和培训",
        "party": {"kind": "organisation", "name": "天津某化工有限公司", "id_number": None},
        "place": {"region": REGION, "address": "中塘镇工业园区"},
        "occurred_at": at(2026, 11, 20, 9),
        "penalties": list(penalties),
    }


def material(kind: TransferMaterialKind, title: str = "", **changes: Any) -> dict[str, Any]:
    title = title or f"{kind.value}.pdf"
    return {
        "kind": kind,
        "title": title,
        "sha256": hashlib.sha256(title.encode()).hexdigest(),
        "size": 2048,
        "uri": f"s3://liandong/transfers/{title}",
        **changes,
    }


REQUIRED = (M.TRANSFER_LETTER, M.INVESTIGATION_REPORT, M.ITEMS_LIST, M.APPRAISAL)
MATERIALS = [material(kind) for kind in REQUIRED]
WITH_PENALTY = [*MATERIALS, material(M.PENALTY_DECISION)]
NOTICE = {"title": "立案决定书", "sha256": "a" * 64, "size": 1024, "uri": "s3://gaj/notice.pdf"}


# Builders: the acts -------------------------------------------------------------------------------


def report(
    *,
    by: Actor = WANG,
    team: tuple[Actor, ...] = (WANG, WU),
    facts: str = FACTS,
    suspects: tuple[dict[str, Any], ...] = (SUSPECT,),
    unit: AgencyRef = OFFICE,
    agency: AgencyRef = BUREAU,
    penalties: tuple[dict[str, Any], ...] = (),
    calendar: WorkingCalendar = CALENDAR,
    at: datetime = REPORTED_AT,
) -> CrimeTransfer:
    return CrimeTransfer.report(
        transfer_id=uuid4(),
        actor=by,
        case=case_data(*penalties),
        agency=agency.code,
        handling_unit=unit.code,
        category=CrimeCategory.MAJOR_LIABILITY_ACCIDENT,
        facts=facts,
        suspects=list(suspects),
        team=list(team),
        calendar=calendar,
        at=at,
    )


def report_recommended(transfer, by=WANG, team=(WANG, WU), facts=FACTS, suspects=(SUSPECT,)):
    transfer.report_crime(
        actor=by,
        category=CrimeCategory.MAJOR_LIABILITY_ACCIDENT,
        facts=facts,
        suspects=list(suspects),
        team=list(team),
        calendar=CALENDAR,
        at=REPORTED_AT,
    )


def decide(transfer, by=ZHAO, approve=True, presiding=False, reasons="同意移送", at=DECIDED_AT):
    transfer.decide(
        actor=by,
        path=path(by),
        approve=approve,
        presiding=presiding,
        reasons=reasons,
        calendar=CALENDAR,
        at=at,
    )


def send(transfer, by=WANG, police=POLICE, procuratorate=PROCURATORATE, materials=None, at=SENT_AT):
    transfer.send(
        actor=by,
        path=path(by),
        public_security=police,
        procuratorate=procuratorate,
        materials=list(MATERIALS if materials is None else materials),
        at=at,
    )


def receive(transfer: CrimeTransfer, by: Actor = QIN, at: datetime = RECEIVED_AT) -> None:
    transfer.sign_receipt(actor=by, note="", calendar=CALENDAR, at=at)


def request_materials(transfer, by=QIN, note="缺少鉴定结论", at=MATERIALS_REQUESTED_AT):
    transfer.request_materials(
        actor=by, materials=[M.APPRAISAL], note=note, calendar=CALENDAR, at=at
    )


def supply(transfer, by=WANG, materials=None, at=SUPPLIED_AT):
    supplied = [material(M.APPRAISAL, "补充鉴定意见.pdf")] if materials is None else materials
    transfer.supply_materials(actor=by, path=path(by), materials=supplied, at=at)


def forward(transfer, by=QIN, to=XIQING_POLICE, reason="事故发生地在西青区", at=FORWARDED_AT):
    transfer.forward(actor=by, to=to, reason=reason, at=at)


def extend(transfer, period, by=QIN, reason="涉嫌犯罪线索需要查证", at=EXTENDED_AT):
    transfer.extend_filing(actor=by, period=period, reason=reason, calendar=CALENDAR, at=at)


def decide_filing(
    transfer, file=True, by=YUE, decided_at=None, reasons="", document=NOTICE, at=FILING_AT
):
    transfer.decide_filing(
        actor=by,
        file=file,
        decided_at=at if decided_at is None else decided_at,
        reasons=reasons,
        document=document,
        calendar=CALENDAR,
        at=at,
    )


def refuse_filing(transfer, by=YUE, at=FILING_AT):
    decide_filing(transfer, file=False, by=by, reasons=NOT_FILED_REASONS, at=at)


def hand_over(transfer, by=WANG, items="涉案物品三件及案卷一宗", at=HANDED_OVER_AT):
    transfer.hand_over(actor=by, path=path(by), items=items, at=at)


def request_reconsideration(transfer, by=ZHAO, reasons="证据足以认定", at=RECONSIDERATION_AT):
    transfer.request_reconsideration(
        actor=by, path=path(by), reasons=reasons, calendar=CALENDAR, at=at
    )


def answer(
    transfer, upheld=True, by=YUE, reasons="维持不予立案决定", at=ANSWERED_AT, document=NOTICE
):
    transfer.answer_reconsideration(
        actor=by,
        upheld=upheld,
        reasons=reasons,
        document=document,
        calendar=CALENDAR,
        at=at,
    )


def request_supervision(transfer, by=ZHAO, reasons="请求立案监督", at=SUPERVISION_AT):
    transfer.request_supervision(actor=by, path=path(by), reasons=reasons, at=at)


def request_reasons(transfer, by=XU, at=REASONS_REQUESTED_AT):
    transfer.request_reasons(actor=by, note="请说明不立案理由", calendar=CALENDAR, at=at)


def state_reasons(transfer, by=YUE, reasons=NOT_FILED_REASONS, at=REASONS_STATED_AT):
    transfer.state_reasons(actor=by, reasons=reasons, at=at)


def order_filing(transfer, by=XU, reasons="不立案理由不能成立", at=ORDERED_AT):
    transfer.order_filing(actor=by, reasons=reasons, calendar=CALENDAR, at=at)


def close_supervision(transfer, by=XU, reasons="不立案理由成立", at=CLOSED_AT):
    transfer.close_supervision(actor=by, reasons=reasons, at=at)


def transfer_back(transfer, by=YUE, reasons="情节显著轻微，不需要追究刑事责任", at=HANDED_OVER_AT):
    transfer.transfer_back(
        actor=by, ground=BackGround.TOO_SLIGHT, reasons=reasons, referral_id=uuid4(), at=at
    )


def recommend(by=XU, procuratorate=PROCURATORATE, agency=BUREAU, reasons="涉嫌重大责任事故罪"):
    return CrimeTransfer.recommend(
        transfer_id=uuid4(),
        actor=by,
        procuratorate=procuratorate,
        agency=agency,
        case=case_data(),
        handling_unit=OFFICE.code,
        reasons=reasons,
        at=at(2026, 11, 20, 10),
    )


def decline(transfer, by=ZHAO, explanation="已作出行政处罚，尚未达到追诉标准", presiding=False):
    transfer.decline(actor=by, path=path(by), explanation=explanation, presiding=presiding, at=NOW)


# Builders: each state reached by the aggregate's own commands -------------------------------------


def given(transfer: CrimeTransfer) -> CrimeTransfer:
    """The events so far are the given state: collected, so only the next command's show."""
    transfer.collect_events()
    return transfer


def reported(**kwargs: Any) -> CrimeTransfer:
    return given(report(**kwargs))


def approved(penalties: tuple[dict[str, Any], ...] = ()) -> CrimeTransfer:
    transfer = report(penalties=penalties)
    decide(transfer)
    return given(transfer)


def refused() -> CrimeTransfer:
    transfer = report()
    decide(transfer, approve=False, reasons="不符合移送标准")
    return given(transfer)


def sent() -> CrimeTransfer:
    transfer = approved()
    send(transfer)
    return given(transfer)


def received() -> CrimeTransfer:
    transfer = sent()
    receive(transfer)
    return given(transfer)


def materials_requested() -> CrimeTransfer:
    transfer = received()
    request_materials(transfer)
    return given(transfer)


def forwarded() -> CrimeTransfer:
    transfer = received()
    forward(transfer)
    return given(transfer)


def filed() -> CrimeTransfer:
    transfer = received()
    decide_filing(transfer)
    return given(transfer)


def handed_over() -> CrimeTransfer:
    transfer = filed()
    hand_over(transfer)
    return given(transfer)


def not_filed() -> CrimeTransfer:
    transfer = received()
    refuse_filing(transfer)
    return given(transfer)


def reconsideration_requested() -> CrimeTransfer:
    transfer = not_filed()
    request_reconsideration(transfer)
    return given(transfer)


def upheld() -> CrimeTransfer:
    transfer = reconsideration_requested()
    answer(transfer)
    return given(transfer)


def supervision_requested() -> CrimeTransfer:
    transfer = upheld()
    request_supervision(transfer)
    return given(transfer)


def reasons_requested() -> CrimeTransfer:
    transfer = supervision_requested()
    request_reasons(transfer)
    return given(transfer)


def reasons_stated() -> CrimeTransfer:
    transfer = reasons_requested()
    state_reasons(transfer)
    return given(transfer)


def filing_ordered() -> CrimeTransfer:
    transfer = reasons_stated()
    order_filing(transfer)
    return given(transfer)


def transferred_back() -> CrimeTransfer:
    transfer = filed()
    transfer_back(transfer)
    return given(transfer)


def recommended() -> CrimeTransfer:
    return given(recommend())


def declined() -> CrimeTransfer:
    transfer = recommended()
    decline(transfer)
    return given(transfer)


def refused_with(
    error: type[DomainError], code: str, transfer: CrimeTransfer, act: Callable[..., Any]
) -> None:
    """The act is refused with `code`, and the transfer records nothing."""
    status = transfer.status
    with pytest.raises(error) as refusal:
        act(transfer)
    assert refusal.value.code == code
    assert new_events(transfer) == []
    assert transfer.status == status


def reporting_of(**kwargs: Any) -> Any:
    """The `Reported` event of a fresh report (its `Opened` comes first)."""
    _, reporting = report(**kwargs).collect_events()
    return reporting


def due(event: Any) -> datetime:
    return event.deadline["due_at"]


def windows_of(event: Any) -> dict[str, tuple[datetime, str]]:
    return {w["name"]: (w["due_at"], w["rule"]) for w in event.windows}


# 1. The written report -------------------------------------------------------------------------


def test_a_team_of_the_handling_units_officers_reports_the_suspected_crime():
    transfer = report()
    events = transfer.collect_events()
    assert [type(e).__name__ for e in events] == ["Opened", "Reported"]
    opened, reporting = events
    assert (opened.agency, opened.handling_unit, opened.case["id"]) == (
        BUREAU.code,
        OFFICE.code,
        CASE_ID,
    )
    assert (reporting.category, reporting.facts) == ("major_liability_accident", FACTS)
    assert reporting.suspects == [SUSPECT]
    assert reporting.team == [
        {"officer": "wang-fang", "name": "wang-fang", "certificate": "津应急执00001"},
        {"officer": "wu-gang", "name": "wu-gang", "certificate": "津应急执00001"},
    ]
    assert reporting.by["officer"] == "wang-fang"
    assert transfer.status == "reported"


def test_the_head_decides_within_3_days_of_the_report():
    """Reported Monday 23 November: the 3rd day is Thursday the 26th, a working day."""
    reporting = reporting_of()
    assert reporting.deadline == {
        "name": "decision",
        "start": REPORTED_AT,
        "due_at": end_of(2026, 11, 26),
        "rule": "3 days",
        "provisional": False,
    }


def test_a_decision_due_on_a_weekend_is_due_on_the_next_working_day():
    """Reported Wednesday 25 November: the 3rd day is Saturday the 28th, off; so is Sunday;
    the decision is due at the end of Monday the 30th."""
    reporting = reporting_of(at=at(2026, 11, 25, 10))
    assert due(reporting) == end_of(2026, 11, 30)


@pytest.mark.parametrize(
    ("team", "code"),
    [
        ((WANG,), "crime_transfer.team_too_small"),  # one officer reports nothing alone
        ((WANG, WANG), "crime_transfer.team_too_small"),  # nor by being named twice
        ((WU, XIE), "crime_transfer.team"),  # the reporting officer is one of the team
        ((WANG, JIANG), "crime_transfer.team"),  # the brigade's officer is of another unit
    ],
    ids=["alone", "twice", "reporter-not-in-team", "other-unit"],
)
def test_a_report_is_made_by_at_least_two_officers_of_the_handling_unit(team, code):
    with pytest.raises(Invalid) as error:
        report(team=team)
    assert error.value.code == code


def test_three_officers_of_the_handling_unit_may_report_together():
    reporting = reporting_of(team=(WANG, WU, XIE))
    assert [m["officer"] for m in reporting.team] == ["wang-fang", "wu-gang", "xie-tao"]


def test_every_member_of_the_team_holds_a_valid_certificate():
    with pytest.raises(CertificateInvalid) as error:
        report(team=(WANG, OLD))
    assert error.value.code == "officer.certificate_invalid"


def test_the_reporting_officer_holds_a_valid_certificate():
    with pytest.raises(CertificateInvalid) as error:
        report(by=OLD, team=(OLD, WANG))
    assert error.value.code == "officer.certificate_invalid"


def test_only_an_officer_of_the_handling_unit_reports():
    with pytest.raises(Forbidden) as error:
        report(by=JIANG, team=(JIANG, WANG))
    assert error.value.code == "case.not_handling_unit"


@pytest.mark.parametrize("facts", ["", "   "])
def test_a_report_states_the_facts(facts):
    with pytest.raises(Invalid) as error:
        report(facts=facts)
    assert error.value.code == "crime_transfer.facts_required"


@pytest.mark.parametrize("suspects", [(), ({**SUSPECT, "name": " "},)], ids=["none", "nameless"])
def test_a_report_names_at_least_one_suspect(suspects):
    with pytest.raises(Invalid) as error:
        report(suspects=suspects)
    assert error.value.code == "crime_transfer.suspects_required"


@pytest.mark.parametrize(
    ("report_args", "error", "code"),
    [
        ({"team": (WANG,)}, Invalid, "crime_transfer.team_too_small"),
        ({"team": (WANG, OLD)}, CertificateInvalid, "officer.certificate_invalid"),
        ({"facts": ""}, Invalid, "crime_transfer.facts_required"),
        ({"suspects": ()}, Invalid, "crime_transfer.suspects_required"),
        ({"by": JIANG, "team": (JIANG, WANG)}, Forbidden, "case.not_handling_unit"),
    ],
    ids=["team", "certificate", "facts", "suspects", "unit"],
)
def test_a_refused_report_on_a_recommendation_records_nothing(report_args, error, code):
    refused_with(error, code, recommended(), lambda t: report_recommended(t, **report_args))


# 2. The principal head's decision --------------------------------------------------------------


def test_the_director_approves_the_transfer_and_it_goes_within_24_hours():
    transfer = reported()
    decide(transfer, reasons="同意移送公安机关")
    approval = the_new_event(transfer, "Approved")
    assert (approval.opinion, approval.presiding, approval.late) == (
        "同意移送公安机关",
        False,
        False,
    )
    assert approval.deadline == {
        "name": "transfer",
        "start": DECIDED_AT,
        "due_at": at(2026, 11, 25, 10),
        "rule": "24 hours",
        "provisional": False,
    }
    assert transfer.status == "approved"


def test_a_refusal_is_recorded_with_its_reasons():
    transfer = reported()
    decide(transfer, approve=False, reasons="不符合移送标准")
    refusal = the_new_event(transfer, "Refused")
    assert (refusal.reasons, refusal.presiding, refusal.late) == ("不符合移送标准", False, False)
    assert transfer.status == "refused"
    assert "transfer" not in transfer.deadlines


@pytest.mark.parametrize("reasons", ["", "  "])
def test_a_refusal_gives_its_reasons(reasons):
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        reported(),
        lambda t: decide(t, approve=False, reasons=reasons),
    )


def test_an_approval_may_come_without_an_opinion():
    transfer = reported()
    decide(transfer, reasons="")
    assert the_new_event(transfer, "Approved").opinion == ""


def test_a_deputy_director_decides_only_presiding_in_the_directors_place():
    transfer = reported()
    decide(transfer, by=QIAN, presiding=True)
    assert the_new_event(transfer, "Approved").presiding is True


@pytest.mark.parametrize(
    ("who", "presiding"),
    [
        (QIAN, False),  # a deputy director, not presiding
        (ZHOU, True),  # the head of the office that handles the case, even presiding
        (WANG, True),  # an officer
        (KONG, True),  # a supervisor of the bureau
    ],
    ids=["deputy", "office-head", "officer", "supervisor"],
)
def test_only_the_principal_head_of_the_agency_itself_decides(who, presiding):
    refused_with(
        Forbidden,
        "crime_transfer.not_principal_head",
        reported(),
        lambda t: decide(t, by=who, presiding=presiding),
    )


def test_a_head_of_another_agency_does_not_decide_on_the_transfer():
    """The neighbouring district's director heads an agency in its own name, not this one."""
    refused_with(
        Forbidden, "crime_transfer.not_principal_head", reported(), lambda t: decide(t, by=LIN)
    )


DETACHMENT_CASE = {"by": LI, "team": (LI, ZHENG), "unit": DETACHMENT, "agency": DETACHMENT}
BRIGADE_CASE = {"by": JIANG, "team": (JIANG, CHU), "unit": BRIGADE, "agency": BRIGADE}


@pytest.mark.parametrize(
    ("case", "head", "presiding"),
    [(DETACHMENT_CASE, ZHENG, False), (DETACHMENT_CASE, DU, True), (BRIGADE_CASE, CHU, False)],
    ids=["detachment-head", "detachment-deputy-presiding", "brigade-head"],
)
def test_a_detachment_or_brigade_is_led_by_its_unit_head(case, head, presiding):
    transfer = reported(**case)
    decide(transfer, by=head, presiding=presiding)
    assert the_new_event(transfer, "Approved").by["agency"] == case["agency"].code


@pytest.mark.parametrize(
    ("case", "who", "presiding"),
    [
        (DETACHMENT_CASE, DU, False),  # the deputy, not presiding
        (DETACHMENT_CASE, FENG, True),  # the head of one of its offices
        (DETACHMENT_CASE, ZHAO, False),  # the bureau's director, above it
        (BRIGADE_CASE, ZHAO, False),  # nor the brigade's
        (BRIGADE_CASE, ZHENG, False),  # nor the detachment's head over the brigade
    ],
    ids=["deputy", "office-head", "bureau-over-detachment", "bureau-over-brigade", "detachment"],
)
def test_no_head_above_or_below_decides_a_units_transfer(case, who, presiding):
    refused_with(
        Forbidden,
        "crime_transfer.not_principal_head",
        reported(**case),
        lambda t: decide(t, by=who, presiding=presiding),
    )


@pytest.mark.parametrize(
    ("decided_at", "late"),
    [(end_of(2026, 11, 26), False), (at(2026, 11, 27, 0, 0), True)],
    ids=["last-moment", "next-day"],
)
@pytest.mark.parametrize("approve", [True, False], ids=["approved", "refused"])
def test_a_decision_after_3_days_is_taken_but_recorded_late(approve, decided_at, late):
    transfer = reported()
    decide(transfer, approve=approve, reasons="意见", at=decided_at)
    decision = the_new_event(transfer, "Approved" if approve else "Refused")
    assert decision.late is late


@pytest.mark.parametrize("state", [approved, refused, sent, received])
def test_a_transfer_is_decided_on_once(state):
    refused_with(Conflict, "crime_transfer.already_decided", state(), decide)


def test_a_recommendation_is_decided_on_once_reported():
    refused_with(Conflict, "crime_transfer.not_reported", recommended(), decide)


# 3. Sending to public security, copied to the procuratorate ------------------------------------


def test_the_approved_transfer_goes_to_public_security_with_its_package():
    transfer = approved()
    send(transfer)
    sending = the_new_event(transfer, "Sent")
    assert (sending.public_security, sending.procuratorate) == (POLICE.code, PROCURATORATE.code)
    assert sending.package == {
        "case": case_data(),
        "category": "major_liability_accident",
        "facts": FACTS,
        "suspects": [SUSPECT],
        "materials": MATERIALS,
    }
    assert sending.late is False
    assert transfer.status == "sent"


def test_the_agencys_head_its_office_head_or_a_case_officer_sends_it():
    for who in (ZHOU, WU, ZHAO):
        transfer = approved()
        send(transfer, by=who)
        assert the_new_event(transfer, "Sent").by["officer"] == who.officer_id


@pytest.mark.parametrize(
    ("police", "procuratorate"),
    [
        (XIQING_POLICE, PROCURATORATE),  # public security of another district
        (PROCURATORATE, PROCURATORATE),  # not public security
        (POLICE, XIQING_PROCURATORATE),  # the procuratorate of another district
        (POLICE, COURT),  # a court is copied nothing
        (POLICE, POLICE),
    ],
    ids=["police-elsewhere", "police-not-police", "copy-elsewhere", "copy-to-court", "copy-police"],
)
def test_it_goes_to_public_security_and_the_procuratorate_at_the_same_level(police, procuratorate):
    refused_with(
        Invalid,
        "crime_transfer.not_same_level",
        approved(),
        lambda t: send(t, police=police, procuratorate=procuratorate),
    )


@pytest.mark.parametrize("missing", REQUIRED)
def test_a_transfer_goes_with_every_required_material(missing):
    materials = [m for m in MATERIALS if m["kind"] != missing]
    refused_with(
        Invalid,
        "crime_transfer.materials_missing",
        approved(),
        lambda t: send(t, materials=materials),
    )


def test_a_case_with_a_penalty_sends_its_penalty_decision_too():
    refused_with(Invalid, "crime_transfer.materials_missing", approved(penalties=(FINE,)), send)
    transfer = approved(penalties=(FINE,))
    send(transfer, materials=WITH_PENALTY)
    sending = the_new_event(transfer, "Sent")
    assert sending.package["case"]["penalties"] == [FINE]
    assert [m["kind"] for m in sending.package["materials"]] == [*REQUIRED, M.PENALTY_DECISION]


@pytest.mark.parametrize(
    "change",
    [
        {"sha256": "A" * 64},  # upper case
        {"sha256": "a" * 63},
        {"sha256": "g" * 64},
        {"size": 0},
        {"title": " "},
    ],
    ids=["upper", "short", "not-hex", "empty", "untitled"],
)
def test_each_material_is_named_by_its_title_sha256_and_size(change):
    materials = [*MATERIALS[:3], material(M.APPRAISAL, **change)]
    refused_with(
        Invalid,
        "crime_transfer.material_invalid",
        approved(),
        lambda t: send(t, materials=materials),
    )


def test_no_material_goes_twice():
    twice = [*MATERIALS, material(M.OTHER, sha256=MATERIALS[0]["sha256"])]
    refused_with(
        Conflict, "crime_transfer.material_twice", approved(), lambda t: send(t, materials=twice)
    )


@pytest.mark.parametrize(
    ("sent_at", "late"),
    [(at(2026, 11, 25, 10), False), (at(2026, 11, 25, 10, 1), True)],
    ids=["24-hours", "a-minute-more"],
)
def test_a_transfer_sent_after_24_hours_is_sent_but_recorded_late(sent_at, late):
    transfer = approved()
    send(transfer, at=sent_at)
    assert the_new_event(transfer, "Sent").late is late


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        (QIN, Forbidden, "crime_transfer.not_your_transfer"),
        (JIANG, Forbidden, "crime_transfer.not_your_transfer"),
        (KONG, RoleMissing, "auth.role_missing"),
    ],
    ids=["police", "other-unit", "supervisor"],
)
def test_only_the_agency_sends_its_transfer(who, error, code):
    refused_with(error, code, approved(), lambda t: send(t, by=who))


def test_a_transfer_is_sent_once_approved_and_once_only():
    refused_with(Conflict, "crime_transfer.not_approved", reported(), send)
    refused_with(Conflict, "crime_transfer.not_approved", refused(), send)
    refused_with(Conflict, "crime_transfer.already_sent", sent(), send)


# 4. Public security: receipt, materials, forwarding, the filing decision -----------------------


def test_the_receipt_starts_the_3_day_filing_period_and_two_24_hour_windows():
    """Received Wednesday 25 November 09:00: the 3rd day is Saturday the 28th, off, and so is
    Sunday; the filing decision is due at the end of Monday the 30th."""
    transfer = sent()
    receive(transfer)
    receipt = the_new_event(transfer, "ReceiptSigned")
    assert receipt.public_security == POLICE.code
    assert (receipt.deadline["name"], due(receipt), receipt.deadline["rule"]) == (
        "filing",
        end_of(2026, 11, 30),
        "3 days",
    )
    assert windows_of(receipt) == {
        "materials_request": (at(2026, 11, 26, 9), "24 hours"),
        "forward": (at(2026, 11, 26, 9), "24 hours"),
    }
    assert transfer.status == "received"


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        (SONG, Forbidden, "crime_transfer.not_your_transfer"),  # not the one it was sent to
        (XU, Forbidden, "crime_transfer.not_your_transfer"),  # the procuratorate has the copy
        (WANG, Forbidden, "crime_transfer.not_your_transfer"),
        (PENG, RoleMissing, "auth.role_missing"),
    ],
    ids=["other-police", "procuratorate", "agency", "no-role"],
)
def test_only_the_public_security_it_was_sent_to_signs_the_receipt(who, error, code):
    refused_with(error, code, sent(), lambda t: receive(t, by=who))


def test_a_receipt_is_signed_once_sent_and_once_only():
    refused_with(Conflict, "crime_transfer.not_sent", approved(), receive)
    refused_with(Conflict, "crime_transfer.already_received", received(), receive)
    refused_with(Conflict, "crime_transfer.already_received", materials_requested(), receive)


def test_public_security_asks_for_missing_materials_supplied_within_3_days():
    """Asked Wednesday 25 November: the 3rd day is Saturday the 28th; due Monday the 30th."""
    transfer = received()
    request_materials(transfer)
    request = the_new_event(transfer, "MaterialsRequested")
    assert (request.materials, request.note, request.late) == ([M.APPRAISAL], "缺少鉴定结论", False)
    assert (request.deadline["name"], due(request)) == ("supply", end_of(2026, 11, 30))
    assert transfer.status == "materials_requested"


@pytest.mark.parametrize(
    ("asked_at", "late"),
    [(at(2026, 11, 26, 9), False), (at(2026, 11, 26, 9, 1), True)],
    ids=["24-hours", "a-minute-more"],
)
def test_materials_asked_for_after_24_hours_are_asked_for_but_recorded_late(asked_at, late):
    transfer = received()
    request_materials(transfer, at=asked_at)
    assert the_new_event(transfer, "MaterialsRequested").late is late


def test_a_request_for_materials_says_what_is_missing():
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        received(),
        lambda t: request_materials(t, note=" "),
    )


@pytest.mark.parametrize(
    ("supplied_at", "late"),
    [(end_of(2026, 11, 30), False), (at(2026, 12, 1, 0, 0), True)],
    ids=["last-day", "next-day"],
)
def test_the_agency_supplies_the_materials_and_public_security_has_them(supplied_at, late):
    transfer = materials_requested()
    supply(transfer, at=supplied_at)
    supplied = the_new_event(transfer, "MaterialsSupplied")
    assert [m["title"] for m in supplied.materials] == ["补充鉴定意见.pdf"]
    assert supplied.late is late
    assert transfer.status == "received"
    assert len(transfer.materials) == 5


@pytest.mark.parametrize(
    ("materials", "error", "code"),
    [
        ([], Invalid, "crime_transfer.materials_missing"),
        ([material(M.APPRAISAL, sha256="x")], Invalid, "crime_transfer.material_invalid"),
        ([MATERIALS[3]], Conflict, "crime_transfer.material_twice"),  # sent already
    ],
    ids=["none", "malformed", "sent-already"],
)
def test_supplied_materials_are_new_and_well_formed(materials, error, code):
    refused_with(error, code, materials_requested(), lambda t: supply(t, materials=materials))


def test_only_the_agency_supplies_materials_and_only_when_asked():
    refused_with(
        Forbidden,
        "crime_transfer.not_your_transfer",
        materials_requested(),
        lambda t: supply(t, by=QIN),
    )
    refused_with(Conflict, "crime_transfer.no_request", received(), supply)


def test_public_security_forwards_a_case_outside_its_jurisdiction():
    transfer = received()
    forward(transfer)
    forwarding = the_new_event(transfer, "Forwarded")
    assert (forwarding.from_public_security, forwarding.to_public_security) == (
        POLICE.code,
        XIQING_POLICE.code,
    )
    assert (forwarding.reason, forwarding.late) == ("事故发生地在西青区", False)
    assert (transfer.status, transfer.public_security) == ("forwarded", XIQING_POLICE.code)
    assert "filing" not in transfer.deadlines  # the next receipt starts the period again


@pytest.mark.parametrize("to", [POLICE, PROCURATORATE, BUREAU], ids=["itself", "jcy", "bureau"])
def test_a_case_is_forwarded_to_another_public_security(to):
    refused_with(Invalid, "crime_transfer.forward_invalid", received(), lambda t: forward(t, to=to))


def test_a_forward_gives_its_reason():
    refused_with(
        Invalid, "crime_transfer.reason_required", received(), lambda t: forward(t, reason="")
    )


@pytest.mark.parametrize(
    ("forwarded_at", "late"),
    [(at(2026, 11, 26, 9), False), (at(2026, 11, 26, 9, 1), True)],
    ids=["24-hours", "a-minute-more"],
)
def test_a_forward_after_24_hours_is_forwarded_but_recorded_late(forwarded_at, late):
    transfer = received()
    forward(transfer, at=forwarded_at)
    assert the_new_event(transfer, "Forwarded").late is late


def test_the_public_security_forwarded_to_signs_a_fresh_receipt_and_the_first_acts_no_more():
    """Received again Thursday 26 November: its filing decision is due Sunday the 29th, off,
    so at the end of Monday the 30th; its windows run 24 hours from its own receipt."""
    transfer = forwarded()
    refused_with(Forbidden, "crime_transfer.not_your_transfer", transfer, receive)
    receive(transfer, by=SONG, at=FORWARD_RECEIVED_AT)
    receipt = the_new_event(transfer, "ReceiptSigned")
    assert receipt.public_security == XIQING_POLICE.code
    assert due(receipt) == end_of(2026, 11, 30)
    assert windows_of(receipt)["forward"] == (at(2026, 11, 27, 9), "24 hours")
    for act in (request_materials, forward, lambda t: refuse_filing(t, by=YUE)):
        refused_with(Forbidden, "crime_transfer.not_your_transfer", transfer, act)
    refuse_filing(transfer, by=SONG, at=at(2026, 11, 27, 10))
    assert the_new_event(transfer, "NotFiled").by["agency"] == XIQING_POLICE.code


@pytest.mark.parametrize(
    ("period", "by", "due_day"),
    [
        (FilingPeriod.CLUE_CHECK, QIN, end_of(2026, 12, 2)),  # 25 November + 7: a Wednesday
        (FilingPeriod.MAJOR_COMPLEX, YUE, end_of(2026, 12, 25)),  # + 30: a Friday
    ],
    ids=["clue-check", "major-complex"],
)
def test_the_filing_period_is_extended_counted_from_the_receipt(period, by, due_day):
    transfer = received()
    extend(transfer, period, by=by)
    extension = the_new_event(transfer, "FilingPeriodExtended")
    assert extension.period == period
    assert extension.deadline["start"] == RECEIVED_AT
    assert (extension.deadline["name"], due(extension)) == ("filing", due_day)
    assert transfer.deadlines["filing"]["due_at"] == due_day
    assert transfer.status == "received"


def test_only_a_head_extends_the_period_for_a_major_or_complex_case():
    refused_with(
        RoleMissing,
        "auth.role_missing",
        received(),
        lambda t: extend(t, FilingPeriod.MAJOR_COMPLEX, by=QIN),
    )


def test_the_standard_period_is_no_extension():
    refused_with(
        Invalid,
        "crime_transfer.period_invalid",
        received(),
        lambda t: extend(t, FilingPeriod.STANDARD, by=YUE),
    )


def test_an_extension_gives_its_reason_and_is_given_by_the_public_security_it_is_with():
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        received(),
        lambda t: extend(t, FilingPeriod.CLUE_CHECK, reason=" "),
    )
    refused_with(
        Forbidden,
        "crime_transfer.not_your_transfer",
        received(),
        lambda t: extend(t, FilingPeriod.CLUE_CHECK, by=SONG),
    )


def test_public_security_files_the_case_and_the_agency_hands_over_within_3_days():
    """Filed Thursday 26 November: the 3rd day is Sunday the 29th; due Monday the 30th."""
    transfer = received()
    decide_filing(transfer)
    filing = the_new_event(transfer, "Filed")
    assert (filing.on, filing.decided_at, filing.document) == ("transfer", FILING_AT, NOTICE)
    assert filing.copied_to == [PROCURATORATE.code]
    assert (filing.decision_late, filing.notice_late) == (False, False)
    assert (filing.deadline["name"], due(filing)) == ("handover", end_of(2026, 11, 30))
    assert transfer.status == "filed"


def test_not_filing_gives_reasons_and_opens_3_days_to_ask_for_reconsideration():
    transfer = received()
    refuse_filing(transfer)
    refusal = the_new_event(transfer, "NotFiled")
    assert (refusal.reasons, refusal.copied_to) == (NOT_FILED_REASONS, [PROCURATORATE.code])
    assert windows_of(refusal) == {"reconsideration_request": (end_of(2026, 11, 30), "3 days")}
    assert transfer.status == "not_filed"


@pytest.mark.parametrize("reasons", ["", "  "])
def test_a_refusal_to_file_gives_its_reasons(reasons):
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        received(),
        lambda t: decide_filing(t, file=False, reasons=reasons),
    )


def test_a_filing_decision_is_a_written_notice():
    refused_with(
        Invalid,
        "crime_transfer.document_required",
        received(),
        lambda t: decide_filing(t, document={**NOTICE, "title": ""}),
    )


@pytest.mark.parametrize(
    "decided_at",
    [at(2026, 11, 24, 14, 59), at(2026, 11, 26, 10, 6)],
    ids=["before-the-sending", "after-the-notice-and-five-minutes"],
)
def test_a_filing_decision_is_dated_after_the_sending_and_not_after_its_notice(decided_at):
    """A police system's clock may run up to 5 minutes ahead of ours; its receipt may be
    recorded after a decision its system dated a moment before."""
    refused_with(
        Invalid,
        "crime_transfer.decided_at_invalid",
        received(),
        lambda t: decide_filing(t, decided_at=decided_at),
    )


@pytest.mark.parametrize(
    ("decided_at", "notified_at", "decision_late", "notice_late"),
    [
        (RECEIVED_AT, RECEIVED_AT, False, False),  # at the receipt itself
        (at(2026, 11, 25, 8, 59), RECEIVED_AT, False, False),  # dated before our receipt
        (at(2026, 11, 25, 9, 5), RECEIVED_AT, False, False),  # a clock 5 minutes ahead
        (end_of(2026, 11, 30), end_of(2026, 11, 30), False, False),  # the period's last moment
        (at(2026, 12, 1, 0, 0), at(2026, 12, 1, 0, 0), True, False),
        # Decided Friday 27 November: the notice is due on the 3rd day, Monday the 30th.
        (at(2026, 11, 27, 10), end_of(2026, 11, 30), False, False),
        (at(2026, 11, 27, 10), at(2026, 12, 1, 0, 0), False, True),
    ],
    ids=[
        "at-receipt",
        "before-our-receipt",
        "clock-ahead",
        "last-moment",
        "decided-late",
        "notified-in-time",
        "notified-late",
    ],
)
@pytest.mark.parametrize("file", [True, False], ids=["filed", "not-filed"])
def test_a_late_decision_or_notice_is_recorded_late(
    file, decided_at, notified_at, decision_late, notice_late
):
    transfer = received()
    decide_filing(transfer, file, decided_at=decided_at, reasons="理由", at=notified_at)
    decision = the_new_event(transfer, "Filed" if file else "NotFiled")
    assert (decision.decision_late, decision.notice_late) == (decision_late, notice_late)


@pytest.mark.parametrize(
    ("decided_at", "late"),
    [(end_of(2026, 12, 2), False), (at(2026, 12, 3, 0, 0), True)],
    ids=["7th-day", "8th-day"],
)
def test_an_extended_period_judges_the_filing_decision(decided_at, late):
    transfer = received()
    extend(transfer, FilingPeriod.CLUE_CHECK)
    given(transfer)
    decide_filing(transfer, at=decided_at)
    assert the_new_event(transfer, "Filed").decision_late is late


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        (QIN, RoleMissing, "auth.role_missing"),  # an officer: the head decides
        (SONG, Forbidden, "crime_transfer.not_your_transfer"),
        (ZHAO, Forbidden, "crime_transfer.not_your_transfer"),
    ],
    ids=["officer", "other-police", "agency"],
)
def test_a_head_of_the_public_security_it_is_with_decides_on_filing(who, error, code):
    refused_with(error, code, received(), lambda t: decide_filing(t, by=who))


@pytest.mark.parametrize("state", [filed, not_filed, handed_over])
@pytest.mark.parametrize("file", [True, False], ids=["file", "not-file"])
def test_filing_is_decided_once(state, file):
    refused_with(
        Conflict,
        "crime_transfer.filing_decided",
        state(),
        lambda t: decide_filing(t, file, reasons="理由", at=at(2026, 11, 28, 10)),
    )


@pytest.mark.parametrize("state", [sent, materials_requested, forwarded])
def test_filing_is_decided_on_a_received_transfer(state):
    refused_with(Conflict, "crime_transfer.not_received", state(), decide_filing)


# 5. Not filed: reconsideration and the procuratorate's filing supervision ----------------------


def test_the_agency_asks_for_reconsideration_answered_within_3_days():
    """Asked Friday 27 November: the 3rd day is Monday the 30th, a working day."""
    transfer = not_filed()
    request_reconsideration(transfer)
    request = the_new_event(transfer, "ReconsiderationRequested")
    assert (request.reasons, request.late) == ("证据足以认定", False)
    assert (request.deadline["name"], due(request)) == (
        "reconsideration_answer",
        end_of(2026, 11, 30),
    )
    assert transfer.status == "reconsideration_requested"


@pytest.mark.parametrize(
    ("asked_at", "late"),
    [(end_of(2026, 11, 30), False), (at(2026, 12, 1, 0, 0), True)],
    ids=["last-day", "next-day"],
)
def test_a_reconsideration_asked_for_after_3_days_is_recorded_late(asked_at, late):
    """Not filed Thursday 26 November: the 3rd day is Sunday the 29th, so Monday the 30th."""
    transfer = not_filed()
    request_reconsideration(transfer, at=asked_at)
    assert the_new_event(transfer, "ReconsiderationRequested").late is late


def test_the_head_of_an_office_acting_in_the_agencys_name_asks_too():
    transfer = not_filed()
    request_reconsideration(transfer, by=ZHOU)
    assert the_new_event(transfer, "ReconsiderationRequested").by["officer"] == "zhou-jun"


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        (WANG, RoleMissing, "auth.role_missing"),  # an officer: a head asks
        (CHU, Forbidden, "crime_transfer.not_your_transfer"),  # a brigade's head
        (YUE, Forbidden, "crime_transfer.not_your_transfer"),
    ],
    ids=["officer", "other-unit-head", "police"],
)
def test_a_head_of_the_agency_asks_for_reconsideration(who, error, code):
    refused_with(error, code, not_filed(), lambda t: request_reconsideration(t, by=who))


def test_a_reconsideration_request_gives_its_reasons():
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        not_filed(),
        lambda t: request_reconsideration(t, reasons=" "),
    )


def test_a_refusal_to_file_is_reconsidered_once():
    refused_with(Conflict, "crime_transfer.reconsidered", upheld(), request_reconsideration)


def test_reconsideration_is_asked_of_a_refusal_to_file():
    refused_with(Conflict, "crime_transfer.not_refused_filing", filed(), request_reconsideration)


def test_an_upheld_refusal_stays_not_filed_and_opens_3_days_to_ask_for_supervision():
    """Answered Monday 30 November: supervision may be asked until the end of Thursday 3
    December."""
    transfer = reconsideration_requested()
    answer(transfer)
    answering = the_new_event(transfer, "ReconsiderationAnswered")
    assert (answering.upheld, answering.late, answering.document) == (True, False, NOTICE)
    assert windows_of(answering) == {"supervision_request": (end_of(2026, 12, 3), "3 days")}
    assert transfer.status == "not_filed"


def test_a_reversed_refusal_files_the_case_in_the_same_act():
    transfer = reconsideration_requested()
    answer(transfer, upheld=False, reasons="撤销不予立案决定")
    answering, filing = transfer.collect_events()
    assert [type(e).__name__ for e in (answering, filing)] == ["ReconsiderationAnswered", "Filed"]
    assert (answering.upheld, answering.windows) == (False, [])
    assert (filing.on, filing.decided_at, filing.reasons) == (
        "reconsideration",
        ANSWERED_AT,
        "撤销不予立案决定",
    )
    # Answered Monday 30 November: the items are handed over by Thursday 3 December.
    assert (filing.deadline["name"], due(filing)) == ("handover", end_of(2026, 12, 3))
    assert transfer.status == "filed"
    assert transfer.is_pending


@pytest.mark.parametrize(
    ("answered_at", "late"),
    [(end_of(2026, 11, 30), False), (at(2026, 12, 1, 0, 0), True)],
    ids=["3rd-day", "4th-day"],
)
def test_an_answer_after_3_days_is_recorded_late(answered_at, late):
    transfer = reconsideration_requested()
    answer(transfer, at=answered_at)
    assert the_new_event(transfer, "ReconsiderationAnswered").late is late


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        (QIN, RoleMissing, "auth.role_missing"),
        (SONG, Forbidden, "crime_transfer.not_your_transfer"),
        (ZHAO, Forbidden, "crime_transfer.not_your_transfer"),
    ],
    ids=["officer", "other-police", "agency"],
)
def test_a_head_of_the_public_security_answers_the_reconsideration(who, error, code):
    refused_with(error, code, reconsideration_requested(), lambda t: answer(t, by=who))


def test_an_answer_gives_its_reasons_and_answers_a_request():
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        reconsideration_requested(),
        lambda t: answer(t, reasons=""),
    )
    refused_with(Conflict, "crime_transfer.no_reconsideration", not_filed(), answer)


def test_the_agency_asks_for_filing_supervision_after_an_upheld_answer():
    transfer = upheld()
    request_supervision(transfer)
    request = the_new_event(transfer, "SupervisionRequested")
    assert (request.procuratorate, request.reasons, request.late) == (
        PROCURATORATE.code,
        "请求立案监督",
        False,
    )
    assert transfer.status == "supervision_requested"


@pytest.mark.parametrize(
    ("asked_at", "late"),
    [(end_of(2026, 12, 3), False), (at(2026, 12, 4, 0, 0), True)],
    ids=["3rd-day", "4th-day"],
)
def test_supervision_asked_for_after_3_days_is_recorded_late(asked_at, late):
    transfer = upheld()
    request_supervision(transfer, at=asked_at)
    assert the_new_event(transfer, "SupervisionRequested").late is late


def test_supervision_is_asked_for_only_after_an_upheld_answer():
    refused_with(Conflict, "crime_transfer.not_reconsidered", not_filed(), request_supervision)
    refused_with(
        Conflict,
        "crime_transfer.not_refused_filing",
        reconsideration_requested(),
        request_supervision,
    )
    reversed_ = reconsideration_requested()
    answer(reversed_, upheld=False)
    refused_with(
        Conflict, "crime_transfer.not_refused_filing", given(reversed_), request_supervision
    )


def test_supervision_is_asked_for_once():
    refused_with(
        Conflict, "crime_transfer.not_refused_filing", supervision_requested(), request_supervision
    )
    closed = supervision_requested()
    close_supervision(closed)
    refused_with(Conflict, "crime_transfer.not_reconsidered", given(closed), request_supervision)


def test_a_head_of_the_agency_asks_for_supervision_with_reasons():
    refused_with(
        RoleMissing, "auth.role_missing", upheld(), lambda t: request_supervision(t, by=WANG)
    )
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        upheld(),
        lambda t: request_supervision(t, reasons=""),
    )


def test_the_procuratorate_asks_public_security_for_its_reasons_within_7_days():
    """Asked Tuesday 1 December: the 7th day is Tuesday the 8th."""
    transfer = supervision_requested()
    request_reasons(transfer)
    request = the_new_event(transfer, "ReasonsRequested")
    assert request.note == "请说明不立案理由"
    assert (request.deadline["name"], due(request), request.deadline["rule"]) == (
        "reasons",
        end_of(2026, 12, 8),
        "7 days",
    )
    assert transfer.status == "reasons_requested"


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        (HE, Forbidden, "crime_transfer.not_your_transfer"),  # not the one copied to
        (YAN, RoleMissing, "auth.role_missing"),  # of it, but no procurator
        (KONG, Forbidden, "crime_transfer.not_your_transfer"),  # a supervisor elsewhere
        (YUE, Forbidden, "crime_transfer.not_your_transfer"),
    ],
    ids=["other-procuratorate", "clerk", "bureau-supervisor", "police"],
)
def test_only_a_procurator_of_the_procuratorate_copied_to_supervises(who, error, code):
    refused_with(error, code, supervision_requested(), lambda t: request_reasons(t, by=who))
    refused_with(error, code, reasons_stated(), lambda t: order_filing(t, by=who))
    refused_with(error, code, reasons_stated(), lambda t: close_supervision(t, by=who))


@pytest.mark.parametrize(
    ("stated_at", "late"),
    [(end_of(2026, 12, 8), False), (at(2026, 12, 9, 0, 0), True)],
    ids=["7th-day", "8th-day"],
)
def test_public_security_states_its_reasons_late_or_in_time(stated_at, late):
    transfer = reasons_requested()
    state_reasons(transfer, at=stated_at)
    stating = the_new_event(transfer, "ReasonsStated")
    assert (stating.reasons, stating.late) == (NOT_FILED_REASONS, late)
    assert transfer.status == "reasons_stated"


def test_a_head_of_public_security_states_reasons_when_asked():
    refused_with(
        RoleMissing, "auth.role_missing", reasons_requested(), lambda t: state_reasons(t, by=QIN)
    )
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        reasons_requested(),
        lambda t: state_reasons(t, reasons=""),
    )
    refused_with(
        Conflict, "crime_transfer.no_reasons_request", supervision_requested(), state_reasons
    )


@pytest.mark.parametrize("state", [supervision_requested, reasons_stated])
def test_the_procuratorate_orders_filing_within_15_days(state):
    """Ordered Friday 4 December: the 15th day is Saturday the 19th, off, as is Sunday; public
    security files by the end of Monday the 21st."""
    transfer = state()
    order_filing(transfer)
    order = the_new_event(transfer, "FilingOrdered")
    assert order.reasons == "不立案理由不能成立"
    assert (order.deadline["name"], due(order)) == ("filing_on_order", end_of(2026, 12, 21))
    assert transfer.status == "filing_ordered"


def test_an_order_to_file_is_not_answered_with_a_refusal():
    refused_with(Conflict, "crime_transfer.filing_ordered", filing_ordered(), refuse_filing)


@pytest.mark.parametrize(
    ("filed_at", "late"),
    [(end_of(2026, 12, 21), False), (at(2026, 12, 22, 0, 0), True)],
    ids=["15th-day", "after"],
)
def test_public_security_files_on_the_order_judged_by_the_orders_limit(filed_at, late):
    """The filing period of the receipt ended long before: the order's 15 days judge it."""
    transfer = filing_ordered()
    decide_filing(transfer, at=filed_at)
    filing = the_new_event(transfer, "Filed")
    assert (filing.on, filing.decision_late) == ("order", late)
    assert transfer.status == "filed"


def test_orders_and_closures_give_their_reasons():
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        reasons_stated(),
        lambda t: order_filing(t, reasons=""),
    )
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        reasons_stated(),
        lambda t: close_supervision(t, reasons=" "),
    )


@pytest.mark.parametrize("state", [supervision_requested, reasons_stated])
def test_the_procuratorate_closes_the_supervision_when_the_reasons_hold(state):
    transfer = state()
    close_supervision(transfer)
    assert the_new_event(transfer, "SupervisionClosed").reasons == "不立案理由成立"
    assert transfer.status == "not_filed"


def test_a_supervision_awaiting_reasons_is_not_closed_or_ordered():
    refused_with(Conflict, "crime_transfer.not_supervised", reasons_requested(), close_supervision)
    refused_with(Conflict, "crime_transfer.not_refused_filing", reasons_requested(), order_filing)
    refused_with(Conflict, "crime_transfer.not_supervised", not_filed(), close_supervision)


# 6. After filing: the handover; the reverse transfer --------------------------------------------


@pytest.mark.parametrize(
    ("handed_at", "late"),
    [(end_of(2026, 11, 30), False), (at(2026, 12, 1, 0, 0), True)],
    ids=["last-day", "next-day"],
)
def test_the_agency_hands_over_the_items_and_files_within_3_days(handed_at, late):
    """Filed Thursday 26 November: due Sunday the 29th, off, so Monday the 30th."""
    transfer = filed()
    hand_over(transfer, at=handed_at)
    handing = the_new_event(transfer, "HandedOver")
    assert (handing.items, handing.late) == ("涉案物品三件及案卷一宗", late)
    assert transfer.status == "handed_over"


def test_a_handover_says_what_was_handed_over_by_the_agency():
    refused_with(
        Invalid, "crime_transfer.items_required", filed(), lambda t: hand_over(t, items=" ")
    )
    refused_with(
        Forbidden, "crime_transfer.not_your_transfer", filed(), lambda t: hand_over(t, by=YUE)
    )


def test_items_are_handed_over_once_filed_and_once_only():
    refused_with(Conflict, "crime_transfer.not_filed", received(), hand_over)
    refused_with(Conflict, "crime_transfer.not_filed", not_filed(), hand_over)
    refused_with(Conflict, "crime_transfer.already_handed_over", handed_over(), hand_over)


@pytest.mark.parametrize("state", [received, not_filed, filed, handed_over])
def test_a_head_of_public_security_transfers_the_matter_back(state):
    transfer = state()
    referral_id = uuid4()
    transfer.transfer_back(
        actor=YUE,
        ground=BackGround.NO_CRIME,
        reasons="没有犯罪事实",
        referral_id=referral_id,
        at=at(2026, 11, 28, 10),
    )
    back = the_new_event(transfer, "TransferredBack")
    assert (back.ground, back.reasons, back.referral_id) == (
        "no_crime",
        "没有犯罪事实",
        referral_id,
    )
    assert transfer.status == "transferred_back"


@pytest.mark.parametrize(
    "state", [sent, materials_requested, forwarded, reconsideration_requested, transferred_back]
)
def test_a_matter_is_transferred_back_only_once_received_and_decided_on(state):
    refused_with(Conflict, "crime_transfer.not_received", state(), transfer_back)


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        (QIN, RoleMissing, "auth.role_missing"),
        (SONG, Forbidden, "crime_transfer.not_your_transfer"),
        (ZHAO, Forbidden, "crime_transfer.not_your_transfer"),
    ],
    ids=["officer", "other-police", "agency"],
)
def test_only_a_head_of_the_public_security_it_is_with_transfers_back(who, error, code):
    refused_with(error, code, filed(), lambda t: transfer_back(t, by=who))


def test_a_reverse_transfer_gives_its_reasons():
    refused_with(
        Invalid, "crime_transfer.reason_required", filed(), lambda t: transfer_back(t, reasons="")
    )


# 7. The procuratorate's recommendation ----------------------------------------------------------


def test_the_procuratorate_at_the_same_level_recommends_a_transfer():
    transfer = recommend()
    opened, recommendation = transfer.collect_events()
    assert (opened.agency, opened.handling_unit) == (BUREAU.code, OFFICE.code)
    assert (recommendation.procuratorate, recommendation.reasons) == (
        PROCURATORATE.code,
        "涉嫌重大责任事故罪",
    )
    assert (transfer.status, transfer.procuratorate) == ("recommended", PROCURATORATE.code)
    assert transfer.deadlines == {}


@pytest.mark.parametrize(
    ("who", "procuratorate", "agency", "error", "code"),
    [
        (HE, XIQING_PROCURATORATE, BUREAU, Invalid, "crime_transfer.not_same_level"),
        (XU, PROCURATORATE, XIQING, Invalid, "crime_transfer.not_same_level"),
        (PENG, POLICE, BUREAU, Invalid, "crime_transfer.not_same_level"),  # police is none
        (QIN, PROCURATORATE, BUREAU, Forbidden, "auth.not_a_party"),  # in its name
        (YAN, PROCURATORATE, BUREAU, RoleMissing, "auth.role_missing"),
    ],
    ids=["from-another-region", "for-another-region", "not-a-procuratorate", "not-its", "clerk"],
)
def test_only_a_procurator_at_the_same_level_recommends(who, procuratorate, agency, error, code):
    with pytest.raises(error) as refusal:
        recommend(by=who, procuratorate=procuratorate, agency=agency)
    assert refusal.value.code == code


def test_a_recommendation_gives_its_reasons():
    with pytest.raises(Invalid) as error:
        recommend(reasons=" ")
    assert error.value.code == "crime_transfer.reason_required"


def test_the_agency_reports_the_recommended_case_and_the_normal_path_follows():
    transfer = recommended()
    report_recommended(transfer)
    reporting = the_new_event(transfer, "Reported")
    assert (reporting.facts, due(reporting)) == (FACTS, end_of(2026, 11, 26))
    decide(transfer)
    send(transfer)
    receive(transfer)
    assert [type(e).__name__ for e in transfer.collect_events()] == [
        "Approved",
        "Sent",
        "ReceiptSigned",
    ]
    assert transfer.status == "received"


def test_the_principal_head_declines_a_recommendation_with_an_explanation():
    transfer = recommended()
    decline(transfer)
    declining = the_new_event(transfer, "RecommendationDeclined")
    assert declining.explanation == "已作出行政处罚，尚未达到追诉标准"
    assert declining.by["officer"] == "zhao-qiang"
    assert transfer.status == "declined"


def test_a_decline_explains_itself():
    refused_with(
        Invalid,
        "crime_transfer.reason_required",
        recommended(),
        lambda t: decline(t, explanation=""),
    )


@pytest.mark.parametrize("who", [ZHOU, WANG, LIN], ids=["office-head", "officer", "other-agency"])
def test_only_the_agencys_head_declines(who):
    refused_with(
        Forbidden, "crime_transfer.not_principal_head", recommended(), lambda t: decline(t, by=who)
    )


def test_a_recommendation_is_answered_once():
    refused_with(Conflict, "crime_transfer.already_reported", declined(), report_recommended)
    answered = recommended()
    report_recommended(answered)
    refused_with(Conflict, "crime_transfer.already_reported", given(answered), decline)
    refused_with(Conflict, "crime_transfer.already_reported", reported(), decline)


# 8. No fine instead of prosecution (以罚代刑) --------------------------------------------------


@pytest.mark.parametrize(
    ("state", "pending"),
    [
        (reported, True),
        (approved, True),
        (sent, True),
        (received, True),
        (materials_requested, True),
        (filed, True),
        (handed_over, True),
        (reconsideration_requested, True),
        (supervision_requested, True),
        (filing_ordered, True),
        (recommended, False),
        (declined, False),
        (refused, False),
        (not_filed, False),
        (upheld, False),
        (transferred_back, False),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_a_transfer_is_pending_exactly_in_the_pending_statuses(state, pending):
    transfer = state()
    assert transfer.is_pending is pending
    assert (transfer.status in PENDING) is pending


def pending_of(*transfers: CrimeTransfer) -> list[Any]:
    """What the case's handler passes: its transfers still pending."""
    return [t.id for t in transfers if t.is_pending]


def test_a_case_whose_transfer_is_pending_is_not_closed():
    case, officer = registered()
    case.collect_events()
    with pytest.raises(Conflict) as error:
        case.close(
            actor=officer, reason="已移送公安机关", pending_transfers=pending_of(sent()), at=NOW
        )
    assert error.value.code == "case.transfer_pending"
    assert (new_events(case), case.status) == ([], "registered")


def test_a_case_closes_once_its_transfer_has_ended():
    case, officer = registered()
    case.collect_events()
    ended = pending_of(transferred_back(), refused(), not_filed())
    case.close(actor=officer, reason="公安机关移回，另行处理", pending_transfers=ended, at=NOW)
    assert the_new_event(case, "Closed").previous_status == "registered"


def test_no_fine_is_decided_on_the_spot_while_the_cases_transfer_is_pending():
    case, officer = registered(procedure="simple")
    case.collect_events()
    numbers = sequence("简罚")
    with pytest.raises(Conflict) as error:
        case.decide_on_the_spot(
            actor=officer,
            penalty_kind="fine",
            amount_fen=100_00,
            sequence=numbers,
            calendar=CALENDAR,
            pending_transfers=pending_of(reported()),
            at=NOW,
        )
    assert error.value.code == "case.transfer_pending"
    assert (new_events(case), case.penalty, numbers.last) == ([], None, 0)


def test_the_case_records_its_transfer_unless_closed():
    case, officer = registered()
    case.collect_events()
    transfer_id = uuid4()
    case.record_crime_transfer(transfer_id=transfer_id, by=WANG_DATA, at=NOW)
    assert the_new_event(case, "CrimeTransferOpened").transfer_id == transfer_id
    assert case.crime_transfers == [transfer_id]
    case.close(actor=officer, reason="违法事实不能成立", pending_transfers=(), at=NOW)
    case.collect_events()
    with pytest.raises(Conflict) as error:
        case.record_crime_transfer(transfer_id=uuid4(), by=WANG_DATA, at=NOW)
    assert error.value.code == "case.closed"
    assert new_events(case) == []


# 9. Time limits at their edges, on the real holiday calendar -----------------------------------


def test_the_2026_national_day_holiday_is_the_one_the_examples_count_on():
    """The State Council's 2026 schedule, as the calendar has it: 1 to 7 October off, Thursday
    8 October the first working day after, Saturday 10 October worked in exchange (调休)."""
    assert CALENDAR.knows_year(2026)
    assert [CALENDAR.is_working_day(date(2026, 10, d)) for d in range(1, 11)] == [
        *[False] * 7,
        True,  # Thursday 8 October
        True,  # Friday 9 October
        True,  # Saturday 10 October, worked
    ]


@pytest.mark.parametrize(
    ("sent_at", "late"),
    [(at(2026, 10, 1, 15), False), (at(2026, 10, 1, 15, 1), True)],
    ids=["15:00", "15:01"],
)
def test_24_hours_across_national_day_are_24_wall_clock_hours(sent_at, late):
    """Approved Wednesday 30 September 15:00: due Thursday 1 October 15:00, National Day; a
    holiday does not stop the clock of a 24-hour limit."""
    transfer = reported(at=at(2026, 9, 29, 10))
    decide(transfer, at=at(2026, 9, 30, 15))
    approval = the_new_event(transfer, "Approved")
    assert (due(approval), approval.deadline["provisional"]) == (at(2026, 10, 1, 15), False)
    send(transfer, at=sent_at)
    assert the_new_event(transfer, "Sent").late is late


@pytest.mark.parametrize(
    ("decided_at", "late"),
    [(end_of(2026, 10, 8), False), (at(2026, 10, 9, 0, 0), True)],
    ids=["end-of-8-october", "9-october"],
)
def test_3_days_ending_on_a_statutory_holiday_end_on_the_next_working_day(decided_at, late):
    """Reported Monday 28 September 2026: day 1 is the 29th, day 3 Thursday 1 October, National
    Day. 1 to 7 October are all off, so the decision is due at the end of Thursday 8 October,
    the first working day after the holiday; a minute past midnight on the 9th is late."""
    transfer = report(at=at(2026, 9, 28, 10))
    reporting = transfer.collect_events()[-1]
    assert (due(reporting), reporting.deadline["provisional"]) == (end_of(2026, 10, 8), False)
    decide(transfer, at=decided_at)
    assert the_new_event(transfer, "Approved").late is late


@pytest.mark.parametrize(
    ("decided_at", "late"),
    [(end_of(2026, 10, 8), False), (at(2026, 10, 9, 0, 0), True)],
    ids=["end-of-8-october", "9-october"],
)
def test_the_filing_period_runs_over_national_day_to_the_first_working_day(decided_at, late):
    """Received Tuesday 29 September 2026 09:00: day 3 is Friday 2 October, a holiday; due at
    the end of Thursday 8 October. Its 24-hour windows close on Wednesday the 30th, 09:00."""
    transfer = reported(at=at(2026, 9, 28, 10))
    decide(transfer, at=at(2026, 9, 28, 15))
    send(transfer, at=at(2026, 9, 28, 16))
    receive(given(transfer), at=at(2026, 9, 29, 9))
    receipt = the_new_event(transfer, "ReceiptSigned")
    assert due(receipt) == end_of(2026, 10, 8)
    assert windows_of(receipt)["forward"] == (at(2026, 9, 30, 9), "24 hours")
    decide_filing(transfer, at=decided_at)
    assert the_new_event(transfer, "Filed").decision_late is late


@pytest.mark.parametrize(
    ("decided_at", "late"),
    [(end_of(2026, 10, 10), False), (at(2026, 10, 11, 0, 0), True)],
    ids=["end-of-10-october", "11-october"],
)
def test_3_days_ending_on_a_saturday_worked_in_exchange_end_that_day(decided_at, late):
    """Reported Wednesday 7 October 2026, the holiday's last day: day 3 is Saturday 10
    October, a working day in exchange for the holiday (调休), so the decision is due at its
    end, not on Monday."""
    transfer = report(at=at(2026, 10, 7, 10))
    assert due(transfer.collect_events()[-1]) == end_of(2026, 10, 10)
    decide(transfer, at=decided_at)
    assert the_new_event(transfer, "Approved").late is late


def test_a_limit_ending_in_2027_is_provisional_until_its_schedule_is_known():
    """The calendar knows 2026 but not yet 2027. Reported Wednesday 30 December 2026: day 3 is
    Saturday 2 January 2027; with only weekends known to be off, the decision is due at the end
    of Monday 4 January, provisionally. A 24-hour limit needs no schedule: approved Thursday 31
    December 15:00, it is due 1 January 2027 15:00, exactly."""
    assert not CALENDAR.knows_year(2027)
    transfer = report(at=at(2026, 12, 30, 10))
    reporting = transfer.collect_events()[-1]
    assert (due(reporting), reporting.deadline["provisional"]) == (end_of(2027, 1, 4), True)
    decide(transfer, at=at(2026, 12, 31, 15))
    approval = the_new_event(transfer, "Approved")
    assert (due(approval), approval.deadline["provisional"]) == (at(2027, 1, 1, 15), False)


def test_a_published_2027_schedule_makes_the_limit_exact():
    """Say New Year 2027 is published as 1 to 3 January off and Monday 4 January worked: the
    same report is then due at the end of the 4th, no longer provisionally."""
    published = CALENDAR.with_schedule(
        YearSchedule.create(2027, {date(2027, 1, d) for d in (1, 2, 3)}, ())
    )
    transfer = report(at=at(2026, 12, 30, 10), calendar=published)
    reporting = transfer.collect_events()[-1]
    assert (due(reporting), reporting.deadline["provisional"]) == (end_of(2027, 1, 4), False)


# 10. The document folded from the events --------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.isoformat()


class Story:
    """A transfer and every event it recorded, folded after each act as every view folds them;
    the document's status is the aggregate's at every step."""

    def __init__(self, transfer: CrimeTransfer) -> None:
        self.transfer = transfer
        self.events: list[Any] = []
        self.document = self._fold()

    def then(self, act: Callable[..., None], *args: Any, **kwargs: Any) -> Story:
        act(self.transfer, *args, **kwargs)
        self.document = self._fold()
        return self

    def met(self) -> dict[str, str | None]:
        return {name: d["met_at"] for name, d in self.document["deadlines"].items()}

    @property
    def status(self) -> str:
        return str(self.document["status"])

    @property
    def audience(self) -> list[str]:
        return audience(self.document)

    def _fold(self) -> dict[str, Any]:
        self.events += self.transfer.collect_events()
        records = [to_record(e, n) for n, e in enumerate(self.events, start=1)]
        document = CRIME_TRANSFER_FOLD.fold(records)
        assert document["status"] == self.transfer.status
        return document


def test_the_document_follows_the_transfer_from_its_report_to_the_handover():
    story = Story(report())
    assert (story.status, story.audience) == ("reported", [BUREAU.code, OFFICE.code])
    assert story.then(decide).met() == {"decision": iso(DECIDED_AT), "transfer": None}
    story.then(send)
    assert (story.status, story.met()["transfer"]) == ("sent", iso(SENT_AT))
    assert story.audience == [BUREAU.code, OFFICE.code, POLICE.code, PROCURATORATE.code]
    assert story.then(receive).met()["filing"] is None
    assert story.then(request_materials).status == "materials_requested"
    assert story.then(supply).met()["supply"] == iso(SUPPLIED_AT)
    story.then(forward)
    assert (story.status, story.met()["filing"]) == ("forwarded", iso(FORWARDED_AT))
    assert story.audience == [
        BUREAU.code,
        OFFICE.code,
        POLICE.code,
        XIQING_POLICE.code,
        PROCURATORATE.code,
    ]
    story.then(receive, by=SONG, at=FORWARD_RECEIVED_AT)
    assert (story.status, story.met()["filing"]) == ("received", None)
    story.then(extend, FilingPeriod.CLUE_CHECK, by=SONG, at=at(2026, 11, 26, 10))
    # Received again Thursday 26 November: 7 days end Thursday 3 December.
    assert story.document["deadlines"]["filing"]["due_at"] == iso(end_of(2026, 12, 3))
    assert story.document["filing_period"] == "clue_check"
    story.then(decide_filing, by=SONG, at=at(2026, 11, 27, 10))
    assert (story.status, story.document["filing"]["on"]) == ("filed", "transfer")
    story.then(hand_over, at=at(2026, 11, 27, 15))
    assert story.status == "handed_over"
    assert story.met() == {
        "decision": iso(DECIDED_AT),
        "transfer": iso(SENT_AT),
        "supply": iso(SUPPLIED_AT),
        "filing": iso(at(2026, 11, 27, 10)),
        "handover": iso(at(2026, 11, 27, 15)),
    }


def test_the_document_follows_a_refusal_to_file_through_supervision_to_an_ordered_filing():
    story = Story(report())
    steps = [
        (decide, "approved"),
        (send, "sent"),
        (receive, "received"),
        (refuse_filing, "not_filed"),
        (request_reconsideration, "reconsideration_requested"),
        (answer, "not_filed"),
        (request_supervision, "supervision_requested"),
        (request_reasons, "reasons_requested"),
        (state_reasons, "reasons_stated"),
        (order_filing, "filing_ordered"),
    ]
    for act, status in steps:
        assert story.then(act).status == status
    assert story.audience == [BUREAU.code, OFFICE.code, POLICE.code, PROCURATORATE.code]
    assert set(story.document["supervision"]) == {
        "requested",
        "reasons_requested",
        "reasons_stated",
        "filing_ordered",
    }
    story.then(decide_filing, at=FILED_ON_ORDER_AT)
    assert (story.status, story.document["filing"]["on"]) == ("filed", "order")
    story.then(hand_over, at=at(2026, 12, 8, 10))
    assert story.status == "handed_over"
    assert story.met() == {
        "decision": iso(DECIDED_AT),
        "transfer": iso(SENT_AT),
        "filing": iso(FILING_AT),  # met by the refusal, not again by the ordered filing
        "reconsideration_answer": iso(ANSWERED_AT),
        "reasons": iso(REASONS_STATED_AT),
        "filing_on_order": iso(FILED_ON_ORDER_AT),
        "handover": iso(at(2026, 12, 8, 10)),
    }


def test_a_filing_on_reconsideration_leaves_the_filing_period_met_by_the_refusal():
    story = Story(report())
    for act in (decide, send, receive, refuse_filing, request_reconsideration):
        story.then(act)
    story.then(answer, upheld=False, reasons="撤销不予立案决定")
    assert (story.status, story.document["filing"]["on"]) == ("filed", "reconsideration")
    assert story.document["reconsideration"]["answer"]["upheld"] is False
    met = story.met()
    assert (met["filing"], met["reconsideration_answer"]) == (iso(FILING_AT), iso(ANSWERED_AT))
    assert met["handover"] is None


def test_the_document_follows_a_closed_supervision_back_to_not_filed():
    story = Story(report())
    for act in (decide, send, receive, refuse_filing, request_reconsideration, answer):
        story.then(act)
    assert story.document["windows"]["supervision_request"]["used_at"] is None
    story.then(request_supervision)
    assert story.document["windows"]["supervision_request"]["used_at"] == iso(SUPERVISION_AT)
    assert story.then(close_supervision).status == "not_filed"
    assert story.document["supervision"]["closed"]["reasons"] == "不立案理由成立"


def test_the_procuratorate_that_recommends_sees_the_transfer_from_the_start():
    story = Story(recommend())
    assert (story.status, story.audience) == (
        "recommended",
        [BUREAU.code, OFFICE.code, PROCURATORATE.code],
    )
    assert story.then(report_recommended).status == "reported"
    story.then(decide).then(send)
    assert story.audience == [BUREAU.code, OFFICE.code, POLICE.code, PROCURATORATE.code]
    declined_story = Story(recommend()).then(decline)
    assert declined_story.status == "declined"
    assert declined_story.document["recommendation"]["declined"]["explanation"] == (
        "已作出行政处罚，尚未达到追诉标准"
    )


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "refused"])
def test_a_decision_meets_the_decision_deadline_in_the_document(approve):
    story = Story(report()).then(decide, approve=approve, reasons="意见")
    assert story.status == ("approved" if approve else "refused")
    assert story.met()["decision"] == iso(DECIDED_AT)
    assert story.document["decision"]["approved"] is approve


def test_a_transfer_back_ends_the_story_in_the_document():
    story = Story(report())
    for act in (decide, send, receive, transfer_back):
        story.then(act)
    assert story.status == "transferred_back"
    assert story.document["transferred_back"]["ground"] == "too_slight"


# Review ------------------------------------------------------------------------------------


def test_a_deputy_declines_a_recommendation_only_presiding_and_it_is_recorded():
    refused_with(
        Forbidden, "crime_transfer.not_principal_head", recommended(), lambda t: decline(t, QIAN)
    )
    transfer = recommended()
    decline(transfer, QIAN, presiding=True)
    [declined] = transfer.collect_events()
    assert declined.presiding is True and transfer.status == "declined"


def test_an_extension_never_shortens_the_filing_period():
    transfer = received()
    extend(transfer, "major_complex", by=YUE)
    given(transfer)
    refused_with(
        Invalid, "crime_transfer.period_invalid", transfer, lambda t: extend(t, "clue_check")
    )


def test_a_reconsideration_is_answered_by_a_written_notice():
    refused_with(
        Invalid,
        "crime_transfer.document_required",
        reconsideration_requested(),
        lambda t: answer(t, document={**NOTICE, "title": " "}),
    )


def test_a_filing_decision_meets_its_period_when_it_was_made_not_when_notified():
    story = Story(report()).then(decide).then(send).then(receive)
    decided = at(2026, 11, 27, 10)  # within the period ending on the 28th
    story.then(decide_filing, decided_at=decided, at=at(2026, 11, 30, 10))
    assert story.met()["filing"] == iso(decided)
