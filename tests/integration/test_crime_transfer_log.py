"""The crime transfers' log: each party lists the transfers it is party to, with their steps;
overdue is judged when asked; filters and pages; the procuratorate's supervision list; the
yearly figures; provisional deadlines made exact by a published schedule."""

from __future__ import annotations

from datetime import date, timedelta

from projections.crime_transfer_log import CrimeTransferLog, LogQuery
from projections.crime_transfer_statistics import yearly_figures
from projections.crime_transfer_supervision import Concern, SupervisionQuery
from projections.deadlines import utc_key
from services.demo import ADMIN
from tests.districts import at
from tests.scenarios import (
    admin_acts,
    case_acts,
    case_details,
    crime_report,
    crime_transfer_acts,
    decided_filing,
    not_filed_transfer,
    person,
    received_crime_transfer,
    reported_transfer,
    sent_crime_transfer,
)

BACK_MATERIALS = [
    {"kind": "referral_letter", "title": "移送行政处理函"},
    {"kind": "source_material", "title": "案件材料"},
    {"kind": "preliminary_evidence", "title": "证据材料"},
]


def log(container, agency, **filters):
    assert container.wait_for(container.app.head_position(), 5)
    with container.views_db.reading() as db:
        return container.view(CrimeTransferLog).page(
            db, LogQuery(agency, **filters), container.app.clock()
        )


def supervised(container, concern=None, **filters):
    assert container.wait_for(container.app.head_position(), 5)
    query = SupervisionQuery(LogQuery("tj-bh-jcy", **filters), concern)
    with container.views_db.reading() as db:
        return container.view(CrimeTransferLog).supervision(db, query, container.app.clock())


def detail(container, transfer_id):
    assert container.wait_for(container.app.head_position(), 5)
    with container.views_db.reading() as db:
        view = container.view(CrimeTransferLog)
        return view.detail(db, str(transfer_id), container.app.clock())


def ids(entries):
    return [str(e["id"]) for e in entries]


def by_name(entry):
    return {s["name"]: s for s in entry["steps"]}


def recommended(app):
    """The procuratorate's recommendation (建议移送) on a case of the bureau's office."""
    case_id = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    saved = crime_transfer_acts(app).recommend(
        person(app, "xu-ping"), case_id, "涉嫌重大责任事故罪"
    )
    return saved.aggregate.id


def test_each_party_lists_its_transfers_with_its_role(demo):
    app = demo.app
    forwarded = received_crime_transfer(app)
    acts = crime_transfer_acts(app)
    acts.forward(person(app, "qin-song"), forwarded, "tj-xq-gaj", "案发地不属本局管辖")
    acts.sign_receipt(person(app, "song-yu"), forwarded, "")
    sent = sent_crime_transfer(app)
    reported = reported_transfer(app)
    proposed = recommended(app)
    everyone = [str(t) for t in (proposed, reported, sent, forwarded)]

    for agency in ("tj-bh-yjj", "tj-bh-yjj-zfs"):
        entries = log(demo, agency)
        assert ids(entries) == everyone
        assert {e["role"] for e in entries} == {"agency"}
    assert ids(log(demo, "tj-bh-gaj")) == [str(sent), str(forwarded)]
    assert [e["role"] for e in log(demo, "tj-xq-gaj")] == ["public_security"]
    assert ids(log(demo, "tj-xq-gaj")) == [str(forwarded)]
    assert ids(log(demo, "tj-bh-jcy")) == [str(proposed), str(sent), str(forwarded)]
    assert {e["role"] for e in log(demo, "tj-bh-jcy")} == {"procuratorate"}
    assert log(demo, "tj-bh-scjg") == []

    entry = log(demo, "tj-xq-gaj")[0]
    assert entry["public_security"] == "tj-xq-gaj"
    assert entry["public_securities"] == ["tj-bh-gaj", "tj-xq-gaj"]
    assert entry["category"] == "major_liability_accident" and entry["status"] == "received"
    assert "suspects" not in entry and set(entry["case"]) == {"id", "number", "summary"}
    steps = by_name(entry)
    assert steps["filing"]["party"] == "public_security" and steps["filing"]["state"] == "pending"
    # The second receipt opens the windows afresh, for the public security it is with now.
    assert steps["forward"]["kind"] == "window" and steps["forward"]["state"] == "pending"
    assert entry["pending"] == ["forward", "materials_request", "filing"]


def test_overdue_is_judged_when_asked_and_windows_never_are(demo, clock):
    app = demo.app
    reported = reported_transfer(app)  # the head decides by Thursday 26 November, 23:59:59
    refusal = not_filed_transfer(app)  # reconsideration may be asked by the same day
    filed = received_crime_transfer(app)
    decided_filing(app, filed, True)
    crime_transfer_acts(app).transfer_back(
        person(app, "yue-ming"), filed, "too_slight", "情节显著轻微", BACK_MATERIALS
    )
    assert log(demo, "tj-bh-yjj", overdue=True) == []
    before = {e["id"]: e for e in log(demo, "tj-bh-yjj")}
    assert by_name(before[str(refusal)])["reconsideration_request"]["state"] == "pending"

    clock.set(at(2026, 11, 27, 10))  # no event since: the view is judged now
    overdue = log(demo, "tj-bh-yjj", overdue=True)
    assert ids(overdue) == [str(reported)]
    assert overdue[0]["overdue"] and by_name(overdue[0])["decision"]["state"] == "overdue"
    assert overdue[0]["pending"] == ["decision"]
    entries = {e["id"]: e for e in log(demo, "tj-bh-yjj")}
    window = by_name(entries[str(refusal)])["reconsideration_request"]
    assert window["state"] == "lapsed" and not entries[str(refusal)]["overdue"]
    assert entries[str(refusal)]["pending"] == []
    # Handed back before its items were: closed, so its handover is never overdue.
    back = entries[str(filed)]
    assert back["status"] == "transferred_back" and not back["overdue"]
    assert by_name(back)["handover"]["state"] == "pending" and back["pending"] == []


def test_the_log_filters_by_status_category_and_day_and_pages_by_cursor(demo, clock):
    app = demo.app
    first = reported_transfer(app)
    clock.advance(days=2)
    fire = reported_transfer(app, category="fire_liability_accident")
    clock.advance(days=2)
    sent = [sent_crime_transfer(app) for _ in range(3)]

    assert ids(log(demo, "tj-bh-yjj", status="sent")) == [str(t) for t in reversed(sent)]
    assert ids(log(demo, "tj-bh-yjj", category="fire_liability_accident")) == [str(fire)]
    day = at(2026, 11, 25)
    one_day = {"from_key": utc_key(day), "to_key": utc_key(day + timedelta(days=1))}
    assert ids(log(demo, "tj-bh-yjj", **one_day)) == [str(fire)]
    assert ids(log(demo, "tj-bh-yjj", to_key=utc_key(day))) == [str(first)]
    assert log(demo, "tj-bh-yjj", status="sent", category="fire_liability_accident") == []

    pages, cursor = [], 2**62
    while page := log(demo, "tj-bh-yjj", before=cursor, limit=2):
        pages.append(ids(page))
        cursor = page[-1]["cursor"]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [t for page in pages for t in page] == [str(t) for t in (*reversed(sent), fire, first)]


def test_the_procuratorate_follows_refusals_reconsiderations_and_recommendations(demo, clock):
    app = demo.app
    acts = crime_transfer_acts(app)
    copied = sent_crime_transfer(app)
    refused = not_filed_transfer(app)
    acts.request_reconsideration(person(app, "zhao-qiang"), refused, "鉴定已证实违章动火")
    notice = {"title": "复议决定书", "sha256": "b" * 64, "size": 2048, "uri": "oss://police/2"}
    acts.answer_reconsideration(person(app, "yue-ming"), refused, True, "维持不予立案决定", notice)
    acts.request_supervision(person(app, "zhao-qiang"), refused, "请求立案监督")
    acts.request_reasons(person(app, "xu-ping"), refused, "请说明不立案理由")
    declined = recommended(app)
    acts.decline(person(app, "zhao-qiang"), declined, "经调查不构成犯罪")
    answered = recommended(app)
    acts.report_recommended(person(app, "wang-fang"), answered, crime_report())
    reported_transfer(app)  # not sent: the procuratorate is not party to it yet

    everyone = supervised(demo)
    assert ids(everyone) == [str(t) for t in (answered, declined, refused, copied)]
    for concern in (Concern.NOT_FILED, Concern.RECONSIDERATION, Concern.SUPERVISION):
        assert ids(supervised(demo, concern)) == [str(refused)]
    assert ids(supervised(demo, Concern.RECOMMENDED)) == [str(answered), str(declined)]
    assert supervised(demo, Concern.OVERDUE) == []

    entries = {e["id"]: e for e in everyone}
    case = entries[str(refused)]
    assert case["filing"]["filed"] is False and case["filing"]["reasons"]
    assert case["reconsideration"]["upheld"] is True
    assert set(case["supervision"]) == {"requested", "reasons_requested"}
    assert case["pending"] == ["reasons"] and case["recommendation"] is None
    assert entries[str(declined)]["recommendation"]["answer"] == "declined"
    assert entries[str(declined)]["recommendation"]["explanation"] == "经调查不构成犯罪"
    assert entries[str(answered)]["recommendation"]["answer"] == "reported"
    assert entries[str(answered)]["status"] == "reported"

    clock.advance(days=8)  # public security was to state its reasons within 7 days
    late = supervised(demo, Concern.OVERDUE)
    assert {e["id"] for e in late} == {str(refused), str(answered)}
    assert entries[str(refused)]["overdue_steps"] == []
    assert {e["id"]: e["overdue_steps"] for e in late} == {
        str(refused): ["reasons"],
        str(answered): ["decision"],
    }
    assert supervised(demo, Concern.SUPERVISION, status="sent") == []


def test_the_yearly_figures_count_each_milestone_in_its_year(demo, clock):
    app = demo.app
    acts = crime_transfer_acts(app)
    clock.set(at(2026, 12, 30, 10))
    filed = received_crime_transfer(app)
    decided_filing(app, filed, True)
    reversed_ = not_filed_transfer(app)
    acts.request_reconsideration(person(app, "zhao-qiang"), reversed_, "鉴定已证实违章动火")
    recommended(app)
    clock.set(at(2027, 1, 4, 10))
    notice = {"title": "立案决定书", "sha256": "c" * 64, "size": 2048, "uri": "oss://police/3"}
    acts.answer_reconsideration(person(app, "yue-ming"), reversed_, False, "撤销原决定", notice)
    sent_crime_transfer(app)

    def figures(year):
        agencies = ["tj-bh-yjj", "tj-bh-gaj", "tj-bh-jcy", "tj-bh-scjg"]
        assert demo.wait_for(app.head_position(), 5)
        with demo.views_db.reading() as db:
            counted = demo.view(CrimeTransferLog).milestones(db, agencies, year)
        found = yearly_figures(year, agencies, counted)
        return {row.pop("agency"): row for row in found["agencies"]}

    in_2026 = figures(2026)
    assert in_2026["tj-bh-yjj"] == {
        "transferred": 2,
        "filed": 1,
        "not_filed": 1,
        "reconsiderations": 1,
        "supervision_requests": 0,
        "recommended": 1,
    }
    assert in_2026["tj-bh-gaj"] == dict(in_2026["tj-bh-yjj"], recommended=0)
    assert in_2026["tj-bh-jcy"] == in_2026["tj-bh-yjj"]
    assert set(in_2026["tj-bh-scjg"].values()) == {0}
    in_2027 = figures(2027)
    assert in_2027["tj-bh-yjj"] == dict.fromkeys(in_2026["tj-bh-yjj"], 0) | {
        "transferred": 1,
        "filed": 1,  # the refusal reversed on reconsideration: filed in 2027
    }
    assert figures(2025)["tj-bh-yjj"] == dict.fromkeys(in_2026["tj-bh-yjj"], 0)


def test_a_published_schedule_makes_provisional_steps_exact(demo, clock):
    # 3 days from Wednesday 30 December 2026 is Saturday 2 January 2027: without a 2027
    # schedule only weekends are off, and the step falls on Monday the 4th, provisionally.
    app = demo.app
    clock.set(at(2026, 12, 30, 10))
    reported = reported_transfer(app)
    refusal = not_filed_transfer(app)
    clock.set(at(2027, 1, 3, 10))
    decision = by_name(log(demo, "tj-bh-yjj")[-1])["decision"]
    assert decision["provisional"] and decision["due_at"].startswith("2027-01-04T23:59:59")
    window = by_name(log(demo, "tj-bh-yjj")[0])["reconsideration_request"]
    assert window["provisional"] and window["state"] == "pending"
    assert log(demo, "tj-bh-yjj", overdue=True) == []

    # Saturday the 2nd is declared a working day (调休): due then, and past due now.
    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[date(2027, 1, 2)], source=""
    )
    assert ids(log(demo, "tj-bh-yjj", overdue=True)) == [str(reported)]
    shown = detail(demo, reported)
    exact = {d["name"]: d for d in shown["deadlines"]}["decision"]
    assert not exact["provisional"] and exact["due_at"].startswith("2027-01-02T23:59:59")
    assert shown["overdue"] and shown["pending"] == ["decision"]
    window = by_name(detail(demo, refusal))["reconsideration_request"]
    assert not window["provisional"] and window["due_at"].startswith("2027-01-02T23:59:59")
    assert window["state"] == "lapsed"


def test_one_transfer_with_its_history(demo):
    app = demo.app
    transfer_id = not_filed_transfer(app)
    shown = detail(demo, transfer_id)
    assert [h["type"] for h in shown["history"]] == [
        "Opened",
        "Reported",
        "Approved",
        "Sent",
        "ReceiptSigned",
        "NotFiled",
    ]
    assert shown["version"] == 6 and shown["suspects"][0]["id_number"] == "120116198001011234"
    assert [w["name"] for w in shown["windows"]] == ["reconsideration_request"]
    assert shown["pending"] == ["reconsideration_request"]
    assert detail(demo, "00000000-0000-0000-0000-000000000000") is None
