"""The yearly assessment of the duties the referrals-and-meetings year leaves out: a scripted
year of assistance requests, disputed refusals, crime transfers and cases whose figures, for
every duty, equal those counted by hand here; the score one agency earns by the default
weights; the items behind a figure."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import pytest

from domain.approval_chains import Form
from projections.assessment_weights import DUTY_NAMES
from services.application import Liandong
from services.handlers.case_decision import CaseDecisionHandlers
from services.handlers.case_forms import CaseFormHandlers
from services.handlers.case_measures import CaseMeasureHandlers
from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import head
from tests.scenarios import (
    TRANSFER_MATERIALS,
    CaseSteps,
    case_acts,
    case_details,
    case_reviewed,
    crime_report,
    crime_transfer_acts,
    decided_filing,
    dispute_acts,
    disputed_referral,
    filed_office_case,
    person,
    referral_acts,
    sent_assistance,
)
from tests.support import FakeClock

# One store is enough: the figures are SQL on the views, the same on every store.
pytestmark = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)

FINE = {"kind": "fine", "amount_fen": 500000}


def a_week_ago(app: Liandong) -> datetime:
    return app.clock() - timedelta(days=7)


def assisted(app: Liandong, clock: FakeClock, answered_after: timedelta) -> None:
    """The 中塘 brigade asks the detachment for help; 郑华 acknowledges at once and answers
    `answered_after` later (the limit: 5 working days)."""
    asked = sent_assistance(app).aggregate.id
    referral_acts(app).acknowledge(person(app, "zheng-hua"), asked)
    clock.set(clock() + answered_after)
    referral_acts(app).answer(person(app, "zheng-hua"), asked, answer="已派员协助调查")


def refusal_settled(app: Liandong, handler: str) -> None:
    """The bureau's referral rejected by market regulation, disputed, escalated and decided by
    the district's legal head 孙丽: `handler` must handle it."""
    _, dispute = disputed_referral(app)
    dispute_acts(app).record_position(
        person(app, "qian-min"), dispute, position="应由市场监管", proposed_handler="tj-bh-scjg"
    )
    dispute_acts(app).escalate(person(app, "lu-yu"), dispute, reason="协商不成")
    dispute_acts(app).decide(person(app, "sun-li"), dispute, {"handler": handler})


def transferred(app: Liandong, clock: FakeClock, late_by: timedelta) -> UUID:
    """A suspected crime reported by 王芳; the director decides `late_by` after the 3 days it
    has, she sends it at once, public security signs the receipt at once and its head decides
    on filing `late_by` after its 3 days (at once when `late_by` is nothing): filed on time,
    not filed when late."""
    wang = person(app, "wang-fang")
    case = case_acts(app).register(wang, case_details(occurred_at=a_week_ago(app)))
    transfer: UUID = (
        crime_transfer_acts(app).report(wang, case.aggregate.id, crime_report()).aggregate.id
    )
    acts = crime_transfer_acts(app)
    if late_by:
        clock.set(clock() + timedelta(days=3) + late_by)
    acts.decide(person(app, "zhao-qiang"), transfer, True, False, "同意移送")
    acts.send(person(app, "wang-fang"), transfer, TRANSFER_MATERIALS, None)
    acts.sign_receipt(person(app, "qin-song"), transfer, "材料已接收")
    if late_by:
        clock.set(clock() + timedelta(days=3) + late_by)
    decided_filing(app, transfer, filed=not late_by)
    return transfer


def decided_major_case(
    app: Liandong, clock: FakeClock, decided_after: timedelta, filed_after: timedelta
) -> UUID:
    """A bureau-office case filed now, classified major, noticed (the party waives a hearing),
    reviewed by a case review meeting (the convener circulates at once, the detachment
    attends, the minutes issued the same day), decided `decided_after` its filing, stamped,
    served, paid, and filed for the record `filed_after` its decision."""
    wang = person(app, "wang-fang")
    case = filed_office_case(app, occurred_at=a_week_ago(app)).aggregate.id
    forms, acts = CaseFormHandlers(app), CaseDecisionHandlers(app)
    decided_at = app.clock() + decided_after

    steps = CaseSteps(app, case)
    approve, serve = steps.approve, steps.serve

    forms.classify(wang, case, gravity="major", reason="拟处较大数额罚款")
    approve(Form.MATTERS, "zhou-jun", "qian-min")
    acts.issue_notice(wang, case, penalty=FINE)
    serve("notice")
    acts.record_statement(
        wang, case, statement="对违法事实无异议", record_sha256=None, hearing_waived=True
    )
    approve(Form.LEGAL_REVIEW, "sun-li")
    clock.set(decided_at - timedelta(days=4, hours=1))
    meeting = case_reviewed(app, clock, case)
    approve(Form.DECISION, "zhou-jun", "zhao-qiang")
    acts.decide(wang, case, penalty=dict(FINE, description="罚款人民币伍仟元"), meeting_id=meeting)
    acts.stamp(person(app, "sun-li"), case)
    serve("decision")
    acts.issue_payment_slip(person(app, "sun-li"), case, slip_number="1200000026000123")
    paid = {"bank": "中国银行", "branch": "滨海新区支行", "reference": "BOC002"}
    acts.record_payment(wang, case, confirmation=dict(paid, amount_fen=500000, paid_at=app.clock()))
    clock.set(clock() + filed_after)
    acts.file_record(wang, case)
    return case


def rectified(app: Liandong, clock: FakeClock, case: UUID, reinspected_after: timedelta) -> None:
    """An order to put things right by the end of today, re-inspected `reinspected_after` (the
    limit: 10 days from the order's due date) and the re-inspection approved by 周军."""
    wang, measures = person(app, "wang-fang"), CaseMeasureHandlers(app)
    saved = measures.order_rectification(
        wang, case, items=["动火作业未履行审批手续"], due=app.clock()
    )
    orders = saved.aggregate.rectifications
    order = next(o for o in orders if orders[o]["reinspection"] is None)
    clock.set(clock() + reinspected_after)
    measures.reinspect(wang, case, UUID(order), complied=True, findings="已全部整改")
    CaseFormHandlers(app).sign_form(
        person(app, "zhou-jun"),
        case,
        Form.REINSPECTION,
        approve=True,
        opinion="同意",
        subject=order,
    )


@pytest.fixture
def cases_and_transfers_year(demo, clock):
    """2026 at the bureau (tj-bh-yjj), the detachment (zfzd), the 中塘 brigade (zt-dd), market
    regulation (scjg) and public security (gaj):
    - March: two assistance requests from the brigade to the detachment, each sent in time and
      acknowledged at once: one answered two days on (in time), one two weeks on (late);
    - April: two referrals from the bureau rejected by scjg and settled by the legal head: the
      first for scjg to handle after all, the second for the bureau;
    - May: a crime transfer decided, sent, received and filed at once; the items handed over
      the next day;
    - May–June: a crime transfer reported on 18 May, decided four days late (7 days on), sent
      and received at once, and decided not filed four days late (7 days on);
    - June–July: a major case filed 1 June, decided on the 26th, filed for the record 3 days
      later; a simple-procedure fine decided on the spot and reported at once;
    - July–September: a major case filed 1 July, decided 15 August (late), filed for the record
      12 days later (late); each major case reviewed by a case review meeting;
    - November: a case filed on the 2nd, two rectification orders on it: one re-inspected three
      days on, one twelve days on (late); never decided (its 30 days ran out on 2 December).
    Then December 20th."""
    app = demo.app
    clock.set(at(2026, 3, 9, 10))
    assisted(app, clock, timedelta(days=2))
    clock.set(at(2026, 3, 16, 10))
    assisted(app, clock, timedelta(days=14))
    clock.set(at(2026, 4, 13, 10))
    refusal_settled(app, "tj-bh-scjg")
    clock.set(at(2026, 4, 20, 10))
    refusal_settled(app, "tj-bh-yjj")
    clock.set(at(2026, 5, 11, 10))
    filed_in_may = transferred(app, clock, timedelta(0))
    clock.set(clock() + timedelta(days=1))
    crime_transfer_acts(app).hand_over(person(app, "wang-fang"), filed_in_may, "物品一宗")
    clock.set(at(2026, 5, 18, 10))
    not_filed = transferred(app, clock, timedelta(days=4))
    clock.set(at(2026, 6, 1, 10))
    in_time = decided_major_case(app, clock, timedelta(days=25), timedelta(days=3))
    wang = person(app, "wang-fang")
    party = {"kind": "person", "name": "张三", "id_number": None}
    simple = case_acts(app).register(
        wang, case_details(procedure="simple", party=party, occurred_at=a_week_ago(app))
    )
    simple_id = simple.aggregate.id
    case_acts(app).decide_on_the_spot(wang, simple_id, penalty_kind="fine", amount_fen=100_00)
    case_acts(app).report_decision(wang, simple_id)
    clock.set(at(2026, 7, 1, 10))
    late = decided_major_case(app, clock, timedelta(days=45), timedelta(days=12))
    clock.set(at(2026, 11, 2, 10))
    undecided = filed_office_case(app, occurred_at=a_week_ago(app)).aggregate.id
    rectified(app, clock, undecided, timedelta(days=3))
    rectified(app, clock, undecided, timedelta(days=12))
    clock.set(at(2026, 12, 20, 10))
    return {
        "filed_in_may": filed_in_may,
        "not_filed": not_filed,
        "in_time": in_time,
        "simple": simple_id,
        "late": late,
        "undecided": undecided,
    }


def assessed(client, officer, **params):
    params.setdefault("period", "2026")
    params["min_position"] = head(client)
    response = client.get("/v1/assessment", params=params, headers=auth(officer))
    assert response.status_code == 200, response.text
    return response.json()


def figures(answer):
    return {d["duty"]: (d["due"], d["on_time"]) for d in answer["duties"] if d["due"]}


def test_every_dutys_figures_equal_those_counted_by_hand(client, cases_and_transfers_year):
    bureau = assessed(client, "qian-min")
    assert figures(bureau) == {
        "referral_sending": (2, 2),  # the April referrals, sent an hour after they were found
        "meeting_materials": (2, 2),  # both case review meetings, at the call
        "meeting_minutes": (2, 2),  # both issued the day they were held
        # May: decided, sent and handed over in time; the other: decided 7 days on (late),
        # sent at once
        "crime_transfer_steps": (5, 4),
        # 1 June's case on the 26th; 1 July's on 15 August (late); 2 November's overdue
        "case_decision": (3, 1),
        "reinspection": (2, 1),  # November: three days on, twelve days on (late)
        # 1 June's case 3 days after its decision, the fine reported at once; 1 July's 12
        # days after its decision (late)
        "record_filing": (3, 2),
    }
    detachment = assessed(client, "zheng-hua")
    assert figures(detachment) == {
        "acknowledgement": (2, 2),  # both assistance requests, at once
        "assistance": (2, 1),  # answered two days on; two weeks on (late)
        "invitation": (2, 2),  # both case review meetings, answered at the call
        "attendance": (2, 2),  # present at both
    }
    brigade = assessed(client, "chu-yan")
    assert figures(brigade) == {"referral_sending": (2, 2)}  # both requests, in time
    market = assessed(client, "lu-yu")
    assert figures(market) == {
        "acknowledgement": (2, 2),  # both April referrals, at once
        "refusal": (2, 1),  # settled for it to handle (without valid reason); for the bureau
    }
    police = assessed(client, "yue-ming")
    assert figures(police) == {"crime_transfer_steps": (2, 1)}  # filed at once; 7 days on
    answers = (bureau, detachment, brigade, market, police)
    assert set().union(*map(figures, answers)) == set(DUTY_NAMES)  # every duty exercised


def test_the_bureaus_score_by_the_default_weights(client, cases_and_transfers_year):
    bureau = assessed(client, "qian-min")
    assert bureau["weights"] == "default"
    # Sending 2 × 1, materials 1 × 1, minutes 2 × 1, crime transfer steps 1 × ⅘, case
    # decisions 1 × ⅓, re-inspections 1 × ½, record filings 1 × ⅔, over 2 + 1 + 2 + 4 × 1.
    kept = 2 + 1 + 2 + 4 / 5 + 1 / 3 + 1 / 2 + 2 / 3
    assert bureau["score"] == round(100 * kept / 9, 2) == 81.11
    # Acknowledgements 2 × 1, assistance 2 × ½, invitations and attendance 1 × 1, over 6.
    assert assessed(client, "zheng-hua")["score"] == 83.33


def test_a_figures_items_are_the_scripted_ones(client, cases_and_transfers_year):
    scripted = cases_and_transfers_year
    filings = listed(client, "qian-min", "record_filing")
    assert {(i["kind"], i["id"], i["limit"], i["on_time"]) for i in filings} == {
        ("case", str(scripted["in_time"]), "record_filing", True),
        ("case", str(scripted["simple"]), "report_and_file", True),
        ("case", str(scripted["late"]), "record_filing", False),
    }
    assert len(filings) == 3 and [i["due_at"] for i in filings] == sorted(
        i["due_at"] for i in filings
    )
    [late] = [i for i in filings if not i["on_time"]]
    assert late["met_at"] > late["due_at"]
    steps = listed(client, "yue-ming", "crime_transfer_steps")
    assert [(i["kind"], i["id"], i["limit"], i["on_time"]) for i in steps] == [
        ("crime_transfer", str(scripted["filed_in_may"]), "filing", True),
        ("crime_transfer", str(scripted["not_filed"]), "filing", False),
    ]
    decisions = listed(client, "qian-min", "case_decision")
    [overdue] = [i for i in decisions if i["id"] == str(scripted["undecided"])]
    assert (overdue["met_at"], overdue["on_time"]) == (None, False)


def listed(client, officer, duty):
    params = {"period": "2026", "duty": duty, "limit": 50, "min_position": head(client)}
    response = client.get("/v1/assessment/items", params=params, headers=auth(officer))
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["next_cursor"] is None
    return page["items"]
