"""Plain builders for domain tests: the demo district's tree as rules see it, actors, the events
a command recorded, and the register held in memory for the few rules the handlers hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate

from domain.approval import Places
from domain.calendar import SHANGHAI, WorkingCalendar
from domain.case import Case
from domain.numbering import CaseNumbering, CaseNumberSequence, NumberingRule
from domain.values import Actor, AgencyKind, AgencyPath, AgencyRef, Certificate
from services.application import Liandong
from services.demo import seed

REGION = "120116"
GOV = AgencyRef("tj-bh-qzf", AgencyKind.DISTRICT_GOVERNMENT, REGION)
BUREAU = AgencyRef("tj-bh-yjj", AgencyKind.DISTRICT_BUREAU, REGION)
OFFICE = AgencyRef("tj-bh-yjj-zfs", AgencyKind.BUREAU_OFFICE, REGION)
LEGAL = AgencyRef("tj-bh-yjj-fzk", AgencyKind.LEGAL_DEPARTMENT, REGION)
DETACHMENT = AgencyRef("tj-bh-zfzd", AgencyKind.DETACHMENT, REGION)
DET_OFFICE = AgencyRef("tj-bh-zfzd-jcs", AgencyKind.DETACHMENT_OFFICE, REGION)
SUPERVISION = AgencyRef("tj-bh-zfzd-jds", AgencyKind.SUPERVISION_OFFICE, REGION)
BRIGADE = AgencyRef("tj-bh-zt-dd", AgencyKind.BRIGADE, REGION)
TAIPING = AgencyRef("tj-bh-tp-dd", AgencyKind.BRIGADE, REGION)  # the other town's brigade
JOINT_OFFICE = AgencyRef("tj-bh-yjj-lxb", AgencyKind.JOINT_CONFERENCE_OFFICE, REGION)
MARKET = AgencyRef("tj-bh-scjg", AgencyKind.FUNCTIONAL_DEPARTMENT, REGION)
POLICE = AgencyRef("tj-bh-gaj", AgencyKind.PUBLIC_SECURITY, REGION)
PROCURATORATE = AgencyRef("tj-bh-jcy", AgencyKind.PROCURATORATE, REGION)
# The city bureau and a neighbouring district (西青区), for cross-region matters.
CITY = AgencyRef("tj-yjj", AgencyKind.CITY_BUREAU, "120000")
CITY_LEGAL = AgencyRef("tj-yjj-fgc", AgencyKind.LEGAL_DEPARTMENT, "120000")
XIQING = AgencyRef("tj-xq-yjj", AgencyKind.DISTRICT_BUREAU, "120111")
XIQING_POLICE = AgencyRef("tj-xq-gaj", AgencyKind.PUBLIC_SECURITY, "120111")

PATHS = {
    GOV.code: AgencyPath([GOV]),
    BUREAU.code: AgencyPath([BUREAU, GOV]),
    OFFICE.code: AgencyPath([OFFICE, BUREAU, GOV]),
    LEGAL.code: AgencyPath([LEGAL, BUREAU, GOV]),
    JOINT_OFFICE.code: AgencyPath([JOINT_OFFICE, BUREAU, GOV]),
    DETACHMENT.code: AgencyPath([DETACHMENT, BUREAU, GOV]),
    DET_OFFICE.code: AgencyPath([DET_OFFICE, DETACHMENT, BUREAU, GOV]),
    SUPERVISION.code: AgencyPath([SUPERVISION, DETACHMENT, BUREAU, GOV]),
    BRIGADE.code: AgencyPath([BRIGADE, DETACHMENT, BUREAU, GOV]),
    TAIPING.code: AgencyPath([TAIPING, DETACHMENT, BUREAU, GOV]),
    MARKET.code: AgencyPath([MARKET, GOV]),
    POLICE.code: AgencyPath([POLICE]),
    PROCURATORATE.code: AgencyPath([PROCURATORATE]),
    CITY.code: AgencyPath([CITY]),
    CITY_LEGAL.code: AgencyPath([CITY_LEGAL, CITY]),
    XIQING.code: AgencyPath([XIQING]),
    XIQING_POLICE.code: AgencyPath([XIQING_POLICE]),
}

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
VALID = Certificate("津应急执00001", date(2030, 12, 31))
CALENDAR = WorkingCalendar()


def actor(
    officer: str, agency: AgencyRef, *roles: str, certificate: Certificate | None = VALID
) -> Actor:
    return Actor(officer, agency.code, frozenset(roles or ("officer",)), certificate, officer)


def places(unit: AgencyRef) -> Places:
    """Where the signers of a unit's forms sit, as the demo district's register holds it."""
    return Places(PATHS[unit.code], supervision_office=SUPERVISION.code, legal=LEGAL.code)


def path_of(person: Actor) -> AgencyPath:
    """The tree as a rule sees it from where the person works."""
    return PATHS[person.agency_code]


def details(
    procedure: str = "general",
    party_kind: str = "organisation",
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "procedure": procedure,
        "source": source or {"kind": "inspection", "reference": None, "handed_over_at": None},
        "summary": "未按规定对从业人员进行安全生产教育和培训",
        "party": {"kind": party_kind, "name": "天津某化工有限公司", "id_number": None},
        "place": {"region": REGION, "address": "中塘镇工业园区"},
        "occurred_at": datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI),
    }


def accident_details(handed_over_at: datetime) -> dict[str, Any]:
    source = {
        "kind": "accident_report",
        "reference": "事故调查报告",
        "handed_over_at": handed_over_at,
    }
    accident = details("accident", source=source)
    accident["occurred_at"] = handed_over_at - timedelta(days=20)
    return accident


def registered(
    unit: AgencyRef = OFFICE, procedure: str = "general", at: datetime = NOW, **kwargs: Any
) -> tuple[Case, Actor]:
    officer = actor("wang-fang", unit)
    case = Case.register(
        case_id=uuid4(),
        actor=officer,
        unit=PATHS[unit.code],
        details=kwargs.get("details") or details(procedure, **kwargs.get("detail_args", {})),
        calendar=CALENDAR,
        at=at,
    )
    return case, officer


def sequence(abbreviation: str = "罚", year: int = 2026) -> CaseNumberSequence:
    return CaseNumberSequence.start("津滨应急", abbreviation, year)


def event_names(case: Case) -> list[str]:
    return [type(e).__name__ for e in case.collect_events()]


def new_events(aggregate: Aggregate) -> list[str]:
    """The names of the events recorded since the last look (any aggregate)."""
    return [type(e).__name__ for e in aggregate.collect_events()]


def the_new_event(aggregate: Aggregate, name: str) -> Any:
    """The one event the last command recorded, which must be `name`."""
    events = aggregate.collect_events()
    assert [type(e).__name__ for e in events] == [name]
    return events[0]


def registered_district(
    mechanism: str = "default", clock: Callable[[], datetime] = lambda: NOW
) -> Liandong:
    """The demo district's register, held in memory (no database, no container): the host of
    the few rules that live in the command handlers rather than on an aggregate."""
    app = Liandong(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        numbering=CaseNumbering(NumberingRule("津滨应急")),
        clock=clock,
        mechanisms=(mechanism, {}),
    )
    seed(app)
    return app


# The heads who sign the filing form of each unit the tests file cases in.
FILING_SIGNERS = {
    OFFICE.code: [("zhou-jun", OFFICE, "unit_head"), ("qian-min", BUREAU, "deputy_director")],
    BRIGADE.code: [("chu-yan", BRIGADE, "unit_head"), ("wei-dong", BRIGADE, "deputy_director")],
    DET_OFFICE.code: [
        ("bai-lu", SUPERVISION, "unit_head"),
        ("feng-tao", DET_OFFICE, "unit_head"),
        ("zheng-hua", DETACHMENT, "unit_head"),
        ("qian-min", BUREAU, "deputy_director"),
    ],
}


def filed(unit: AgencyRef = OFFICE, at: datetime = NOW, **kwargs: Any) -> tuple[Case, Actor]:
    """A general-procedure case of the unit, through its filing approval."""
    case, officer = registered(unit, at=at, **kwargs)
    case.request_filing(actor=officer, places=places(unit), at=at)
    *reviewers, approver = FILING_SIGNERS[unit.code]
    for name, agency, role in reviewers:
        signer = actor(name, agency, role, certificate=None)
        case.review_filing(actor=signer, approve=True, opinion="同意", at=at)
    deputy = actor(approver[0], approver[1], approver[2], certificate=None)
    case.approve_filing(
        actor=deputy,
        approve=True,
        opinion="同意立案",
        sequence=sequence(),
        calendar=CALENDAR,
        at=at,
    )
    return case, officer
