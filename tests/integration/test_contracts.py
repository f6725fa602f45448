"""Contracts for subscribers: the checked-in schemas and AsyncAPI document are the code's, and the
events we publish keep to them, including an event stored in an older shape."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from jsonschema import Draft202012Validator, ValidationError

from domain.agency import Officer
from domain.approval_chains import Form
from domain.calendar import SHANGHAI
from domain.case import Case
from domain.crime_transfer_reply import CrimeTransferReply, refusal_id
from domain.meeting_events import Answer
from domain.trail_reading import ReadingScope
from domain.values import Actor, Certificate
from domain.warning import Colour, Warning
from domain.warning_events import WithdrawnWhy
from projections.records import EventRecord, to_record
from services import catalogue, wire
from services.application import Liandong, Saved
from services.contracts.events import published_events
from services.contracts.files import ASYNCAPI, ROOT, drifted, generate, write
from services.demo import ADMIN
from services.gateway_replies import REPLIES
from services.handlers.audit import AuditHandlers
from services.handlers.case_decision import CaseDecisionHandlers
from services.handlers.case_extensions import CaseExtensionHandlers
from services.handlers.case_forms import CaseFormHandlers
from services.handlers.case_measures import CaseMeasureHandlers
from services.handlers.crime_transfers import CrimeTransferHandlers
from services.handlers.meetings import MeetingHandlers
from tests.districts import seeded_district
from tests.scenarios import (
    FILING_NOTICE,
    TRANSFER_MATERIALS,
    CaseSteps,
    admin_acts,
    case_acts,
    case_details,
    case_reviewed,
    crime_report,
    dispute_acts,
    disputed_referral,
    filed_office_case,
    person,
    referral_acts,
    referral_details,
    rejected_referral,
    sent_assistance,
    sent_referral,
)
from tests.support import FakeClock, as_stored
from tests.unit.domain_fixtures import NOW, registered

SOURCE = "urn:liandong:tj-bh"
EVIDENCE = {
    "kind": "audio_video",
    "title": "现场检查执法记录仪视频",
    "sha256": "a" * 64,
    "size": 1024,
    "recorded_at": datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI),
    "stage": "inspection",
    "uri": "s3://evidence/2026/11/20/a.mp4",
}


def load(path: str) -> dict[str, Any]:
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


def check(schema: dict[str, Any], value: Any) -> None:
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(value)


def check_published(record: EventRecord) -> None:
    schema = load(f"events/{record.type}.v{record.class_version}.schema.json")
    check(schema, record.data)
    assert set(record.data) == set(schema["properties"]), record.type
    check(load("envelope.schema.json"), wire.envelope(record, SOURCE, ["tj-bh-yjj-zfs"]))


def stored_records(app: Liandong) -> list[EventRecord]:
    notes = app.recorder.select_notifications(start=1, limit=10_000)
    records = [to_record(app.mapper.to_domain_event(n), n.id) for n in notes]
    return [r for r in records if wire.kind_of(r) is not None]


def every_kind_of_act(app: Liandong) -> None:
    """The demo district files, returns, decides on the spot and closes cases, publishes a
    holiday schedule and renews a certificate."""
    wang = person(app, "wang-fang")
    filed = filed_office_case(app).aggregate.id
    case_acts(app).attach_evidence(wang, filed, EVIDENCE)
    case_acts(app).close(wang, filed, reason="当事人已改正，违法行为轻微")
    returned = case_acts(app).register(wang, case_details()).aggregate.id
    case_acts(app).request_filing(wang, returned)
    case_acts(app).review_filing(
        person(app, "zhou-jun"), returned, approve=False, opinion="证据不足"
    )
    party = {"kind": "person", "name": "张三", "id_number": None}
    simple = (
        case_acts(app).register(wang, case_details(procedure="simple", party=party)).aggregate.id
    )
    case_acts(app).decide_on_the_spot(wang, simple, penalty_kind="fine", amount_fen=100_00)
    case_acts(app).report_decision(wang, simple)
    extensions_and_payment(app, filed_office_case(app).aggregate.id, simple)
    admin_acts(app).publish_schedule(
        ADMIN, year=2027, holidays=[date(2027, 1, 1)], working_days=[], source="国办发明电"
    )
    admin_acts(app).renew_certificate(
        ADMIN, "wang-fang", Certificate("津应急执09999", date(2031, 12, 31))
    )
    forms_of_a_filed_case(app)
    referrals_and_disputes(app)
    measures_and_rectification(app)
    AuditHandlers(app).record_reading(
        person(app, "zhao-qiang"), ReadingScope.RESOURCE, 3, kind="case", resource_id=filed
    )
    warned_red_and_withdrawn(app, filed)


def warned_red_and_withdrawn(app: Liandong, case_id: UUID) -> None:
    """The watcher's acts on a case's decision limit: yellow, red, withdrawn once met."""
    limit = {
        "kind": "case",
        "resource_id": case_id,
        "name": "decision",
        "rule": "30 days",
        "due_at": app.clock() + timedelta(days=1),
        "provisional": False,
        "agency": "tj-bh-yjj-zfk",
    }
    warning = Warning.raise_on(limit, Colour.YELLOW, "1 working days", app.clock())
    warning.turn_red(limit, app.clock())
    warning.withdraw(WithdrawnWhy.MET, app.clock())
    app.store(warning)


def measures_and_rectification(app: Liandong) -> None:
    """A measure approved, noticed, taken and lifted; an emergency one reported; a brigade's
    filed; an order asked for, re-inspected and approved."""
    wang, measures, forms = (
        person(app, "wang-fang"),
        CaseMeasureHandlers(app),
        CaseFormHandlers(app),
    )
    case = filed_office_case(app).aggregate.id
    grounds = {"grounds": "拒不执行停产停业决定", "together_with": []}
    saved = measures.propose_measure(wang, case, kind="power_cut", emergency=False, **grounds)
    measure = UUID(next(iter(saved.aggregate.measures)))
    for signer in ("zhou-jun", "zhao-qiang"):
        forms.sign_form(
            person(app, signer),
            case,
            Form.MEASURE,
            approve=True,
            opinion="同意",
            subject=str(measure),
        )
    measures.issue_measure_decision(wang, case, measure)
    notified_at = app.clock() - timedelta(hours=25)
    measures.notify_measure(wang, case, measure, notified_at=notified_at)
    measures.take_measure(wang, case, measure, together_with=[])
    measures.lift_measure(wang, case, measure, reason="hazard_removed")
    saved = measures.propose_measure(wang, case, kind="seal", emergency=True, **grounds)
    emergency = next(UUID(m) for m in saved.aggregate.measures if UUID(m) != measure)
    measures.report_measure(wang, case, emergency)
    disapproval = {"approve": False, "opinion": "不应当采取", "subject": str(emergency)}
    forms.sign_form(person(app, "zhou-jun"), case, Form.MEASURE, **disapproval)
    decision = saved.aggregate.measures[str(measure)]["decision"]
    receipt = {"recipient": "天津某化工有限公司", "signed_on": "2026-11-23", "sha256": "b" * 64}
    forms.serve(wang, case, number=decision, receipt=dict(receipt, size=1, uri="s3://r/1.jpg"))
    brigade_measure(app, measures, grounds)
    saved = measures.order_rectification(
        wang, case, items=["动火作业未履行审批手续"], due=app.clock()
    )
    order = UUID(next(iter(saved.aggregate.rectifications)))
    measures.request_reinspection(wang, case, order, asked_at=app.clock())
    measures.reinspect(wang, case, order, complied=True, findings="已全部整改")


def brigade_measure(app: Liandong, measures: CaseMeasureHandlers, grounds: dict[str, Any]) -> None:
    jiang = person(app, "jiang-hai")
    case = case_acts(app).register(jiang, case_details()).aggregate.id
    case_acts(app).request_filing(jiang, case)
    case_acts(app).review_filing(person(app, "chu-yan"), case, approve=True, opinion="同意")
    case_acts(app).approve_filing(person(app, "wei-dong"), case, approve=True, opinion="同意")
    joint = dict(grounds, together_with=["feng-tao"])
    saved = measures.propose_measure(jiang, case, kind="seal", emergency=True, **joint)
    measures.file_measure(jiang, case, UUID(next(iter(saved.aggregate.measures))))
    CaseFormHandlers(app).classify(jiang, case, gravity="major", reason="拟罚款数额较大")


def forms_of_a_filed_case(app: Liandong) -> None:
    """A filed case classified major, its legal review approved, its matters form returned."""
    wang = person(app, "wang-fang")
    case = filed_office_case(app).aggregate.id
    forms = CaseFormHandlers(app)
    forms.classify(wang, case, gravity="major", reason="拟处较大数额罚款")
    forms.submit_form(wang, case, Form.LEGAL_REVIEW)
    forms.sign_form(person(app, "sun-li"), case, Form.LEGAL_REVIEW, approve=True, opinion="同意")
    forms.submit_form(wang, case, Form.MATTERS)
    forms.sign_form(person(app, "zhou-jun"), case, Form.MATTERS, approve=True, opinion="同意")
    forms.sign_form(
        person(app, "qian-min"), case, Form.MATTERS, approve=False, opinion="处罚依据不充分"
    )


def extensions_and_payment(app: Liandong, filed: UUID, simple: UUID) -> None:
    """The decision's period extended to 90 then 180 days; the fine decided on the spot paid."""
    wang, director = person(app, "wang-fang"), person(app, "zhao-qiang")
    extensions, forms = CaseExtensionHandlers(app), CaseFormHandlers(app)
    extensions.request_extension(wang, filed, reason="需委托技术鉴定")
    forms.sign_form(person(app, "sun-li"), filed, Form.EXTENSION, approve=True, opinion="同意")
    forms.sign_form(director, filed, Form.EXTENSION, approve=True, opinion="同意")
    today = app.clock().date().isoformat()
    extensions.extend_by_committee(
        director, filed, met_on=today, record="党委会纪要〔2026〕9号", reason="案情重大复杂"
    )
    paid = {"bank": "中国银行", "branch": "滨海新区支行", "reference": "BOC001"}
    confirmation: Any = dict(paid, amount_fen=100_00, paid_at=app.clock())
    CaseDecisionHandlers(app).record_payment(wang, simple, confirmation=confirmation)


def referrals_and_disputes(app: Liandong) -> None:
    """A referral disputed and settled, another accepted and concluded, an assistance request
    extended and answered."""
    draft = (
        referral_acts(app)
        .draft(person(app, "wang-fang"), referral_details(app, violation_in_progress=True))
        .aggregate.id
    )
    referral_acts(app).attach_material(
        person(app, "wang-fang"), draft, {"kind": "appraisal", "title": "鉴定结论"}
    )
    disputed = rejected_referral(app).aggregate.id
    dispute = UUID(
        referral_acts(app)
        .dispute(person(app, "qian-min"), disputed, grounds="职责明确")
        .aggregate.dispute_id
    )
    dispute_acts(app).record_position(
        person(app, "qian-min"), dispute, position="应由市场监管", proposed_handler="tj-bh-scjg"
    )
    dispute_acts(app).escalate(person(app, "lu-yu"), dispute, reason="协商不成")
    dispute_acts(app).decide(person(app, "sun-li"), dispute, {"handler": "tj-bh-scjg"})
    dispute_acts(app).close(person(app, "sun-li"), dispute)
    accepted = sent_referral(app).aggregate.id
    referral_acts(app).acknowledge(person(app, "zhu-xia"), accepted)
    referral_acts(app).accept(person(app, "lu-yu"), accepted)
    referral_acts(app).report_outcome(person(app, "zhu-xia"), accepted, outcome="已立案查处")
    asked = sent_assistance(app).aggregate.id
    referral_acts(app).acknowledge(person(app, "zheng-hua"), asked)
    referral_acts(app).extend_answer(
        person(app, "zheng-hua"),
        asked,
        reason="检测需要时间",
        until=app.clock() + timedelta(days=20),
    )
    referral_acts(app).answer(person(app, "zheng-hua"), asked, answer="已派员协助调查")


def notice_to_record_filing(app: Liandong, clock: FakeClock) -> None:
    """A major case noticed and served, heard with a recusal, reviewed by a case review
    meeting, decided, stamped, its slip paid and its decision filed for the record."""
    wang, sun = person(app, "wang-fang"), person(app, "sun-li")
    case = filed_office_case(app).aggregate.id
    forms, acts = CaseFormHandlers(app), CaseDecisionHandlers(app)

    steps = CaseSteps(app, case)
    approve, serve = steps.approve, steps.serve

    forms.classify(wang, case, gravity="major", reason="拟处较大数额罚款")
    approve(Form.MATTERS, "zhou-jun", "qian-min")
    acts.issue_notice(wang, case, penalty={"kind": "fine", "amount_fen": 500000})
    serve("notice")
    acts.request_hearing(wang, case)
    hearing_at = app.clock() + timedelta(days=8)
    acts.notify_hearing(
        sun, case, hearing_at=hearing_at, place="区局听证室", presider="sun-li", members=["li-na"]
    )
    acts.request_recusal(sun, case, officer="li-na", reason="与当事人有亲属关系")
    acts.decide_recusal(sun, case, granted=True, reason="理由成立", replacement="tang-ning")
    acts.record_statement(
        wang, case, statement="请求从轻处罚", record_sha256=None, hearing_waived=False
    )
    clock.advance(days=8)
    acts.hold_hearing(sun, case, record_sha256="d" * 64, opinion="维持拟处罚意见")
    approve(Form.LEGAL_REVIEW, "sun-li")
    meeting = case_reviewed(app, clock, case)
    approve(Form.DECISION, "zhou-jun", "zhao-qiang")
    penalty = {"kind": "fine", "amount_fen": 500000, "description": "罚款人民币伍仟元"}
    acts.decide(wang, case, penalty=penalty, meeting_id=meeting)
    acts.stamp(sun, case)
    serve("decision")
    acts.issue_payment_slip(sun, case, slip_number="1200000026000123")
    paid = {"bank": "中国银行", "branch": "滨海新区支行", "reference": "BOC002"}
    confirmation: Any = dict(paid, amount_fen=500000, paid_at=app.clock())
    acts.record_payment(wang, case, confirmation=confirmation)
    acts.file_record(wang, case)


def meetings_of_every_kind(app: Liandong, clock: FakeClock) -> None:
    """In Binhai: a case review postponed, held, its minutes signed, issued and followed up; a
    consultation cancelled; one by letter; a joint meeting that settles a referral dispute."""
    acts, qian, zheng = MeetingHandlers(app), person(app, "qian-min"), person(app, "zheng-hua")
    case = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    review = convened(app, qian, "case_review", ["tj-bh-zfzd"], {"case_id": case}).aggregate.id
    acts.postpone(qian, review, starts_at=app.clock() + timedelta(days=5), reason="主要领导出差")
    acts.circulate(qian, review, [{"title": "事故调查报告", "uri": None, "sha256": None}])
    acts.answer(zheng, review, Answer.ATTENDS, ["zheng-hua"], None)
    clock.advance(days=5, hours=1)
    present = [{"agency": "tj-bh-yjj", "officers": ["qian-min"]}]
    acts.hold(qian, review, [*present, {"agency": "tj-bh-zfzd", "officers": ["zheng-hua"]}])
    follow_up = {"task": "送达处罚决定书", "agency": "tj-bh-zfzd", "due": date(2026, 12, 20)}
    decision = {"item": "1", "text": "同意处罚意见", "follow_up": follow_up, "settles": None}
    passed_up = [{"matter": "法律适用问题", "to": "district_legal_department"}]
    minutes = {"text": "案审会纪要", "decisions": [decision], "passed_up": passed_up}
    acts.draft_minutes(qian, review, minutes)
    for signer in (qian, zheng):
        acts.sign_minutes(signer, review)
    acts.approve_minutes(person(app, "zhao-qiang"), review)
    acts.issue_minutes(qian, review)
    acts.acknowledge(zheng, review)
    acts.report_follow_up(zheng, review, "1", "已送达")
    called_off = convened(app, qian, "consultation", ["tj-bh-scjg"], {}).aggregate.id
    acts.cancel(qian, called_off, reason="议题已协商解决")
    letter = {"consulted": ["tj-bh-scjg"], "topics": ["认定意见"], "letter": "请提出书面意见"}
    written = acts.send_letter(qian, letter).aggregate.id
    acts.answer_letter(person(app, "zhu-xia"), written, "同意")
    acts.conclude(qian, written, "采纳市场监管局意见")
    joint_meeting_settles_a_dispute(app, clock)


def joint_meeting_settles_a_dispute(app: Liandong, clock: FakeClock) -> None:
    acts, ma = MeetingHandlers(app), person(app, "ma-jun")
    _, dispute = disputed_referral(app)
    dispute_acts(app).escalate(person(app, "qian-min"), dispute, reason="协商不成")
    meeting = convened(app, ma, "joint_meeting", ["tj-bh-scjg"], {"dispute_id": dispute})
    meeting_id = meeting.aggregate.id
    acts.circulate(ma, meeting_id, [])
    acts.answer(person(app, "lu-yu"), meeting_id, Answer.DECLINES, [], "另有公务")
    clock.advance(days=5)
    acts.hold(ma, meeting_id, [{"agency": "tj-bh-yjj", "officers": ["ma-jun"]}])
    settles = {"dispute_id": dispute, "decision": {"handler": "tj-bh-scjg"}}
    decision = {"item": "1", "text": "由市场监管局查处", "follow_up": None, "settles": settles}
    acts.draft_minutes(ma, meeting_id, {"text": "联席会议纪要", "decisions": [decision]})
    acts.approve_minutes(person(app, "qian-min"), meeting_id)
    acts.issue_minutes(ma, meeting_id)


def convened(
    app: Liandong, actor: Actor, kind: str, invitees: list[str], subject: dict[str, Any]
) -> Saved:
    call = {
        "kind": kind,
        "invitees": invitees,
        "topics": ["议题"],
        "starts_at": app.clock() + timedelta(days=4),
        "place": {"region": "120116", "address": "区应急局会议室"},
        "subject": subject,
    }
    return MeetingHandlers(app).convene(actor, call)


def crime_transfers_of_every_kind(app: Liandong, clock: FakeClock) -> None:
    """A transfer through refusal, reconsideration and supervision to its handover; one
    forwarded and handed back; one refused by the head; a recommendation declined."""
    acts = CrimeTransferHandlers(app)
    wang, zhao, qin, yue, xu = (
        person(app, o) for o in ("wang-fang", "zhao-qiang", "qin-song", "yue-ming", "xu-ping")
    )

    def sent() -> UUID:
        case = case_acts(app).register(wang, case_details()).aggregate.id
        t: UUID = acts.report(wang, case, REPORT).aggregate.id
        acts.decide(zhao, t, approve=True, presiding=False, reasons="同意")
        acts.send(wang, t, MATERIALS, None)
        acts.sign_receipt(qin, t, "收到")
        return t

    t = sent()
    acts.request_materials(qin, t, ["appraisal"], "缺鉴定")
    acts.supply_materials(wang, t, [dict(MATERIALS[3], sha256="e" * 64)])  # type: ignore[list-item]
    acts.extend_filing(qin, t, "clue_check", "线索需查证")
    acts.decide_filing(yue, t, False, app.clock(), "证据不足", NOTICE)
    acts.request_reconsideration(zhao, t, "请复议")
    acts.answer_reconsideration(yue, t, True, "维持", NOTICE)
    acts.request_supervision(zhao, t, "请监督")
    acts.request_reasons(xu, t, "请说明理由")
    acts.state_reasons(yue, t, "证据不足")
    acts.order_filing(xu, t, "理由不成立")
    acts.decide_filing(yue, t, True, app.clock(), "", NOTICE)
    acts.hand_over(wang, t, "物品一宗")
    closed = sent()
    acts.decide_filing(yue, closed, False, app.clock(), "证据不足", NOTICE)
    acts.request_reconsideration(zhao, closed, "请复议")
    acts.answer_reconsideration(yue, closed, True, "维持", NOTICE)
    acts.request_supervision(zhao, closed, "请监督")
    acts.close_supervision(xu, closed, "理由成立")
    forwarded = sent()
    acts.forward(qin, forwarded, "tj-xq-gaj", "不属本局管辖")
    song = person(app, "song-yu")
    acts.sign_receipt(song, forwarded, "")
    acts.transfer_back(song, forwarded, "no_crime", "无犯罪事实", BACK_MATERIALS)
    case = case_acts(app).register(wang, case_details()).aggregate.id
    refused = acts.report(wang, case, REPORT).aggregate.id
    acts.decide(zhao, refused, approve=False, presiding=False, reasons="不构成犯罪")
    recommended = acts.recommend(xu, case, "建议移送").aggregate.id
    acts.decline(zhao, recommended, "经调查不构成犯罪")
    app.store(refused_reply(app, t))


def refused_reply(app: Liandong, transfer: UUID) -> CrimeTransferReply:
    return CrimeTransferReply(
        id=refusal_id("liandong.crime-transfer-replies.v1", 0, 7),
        message_id="r-1",
        sender="tj-bh-gaj",
        reply_type="liandong.CrimeTransferReply.Receipt",
        transfer_id=str(transfer),
        code="reply.unsigned",
        detail="the reply carries no liandong-jws header",
        topic="liandong.crime-transfer-replies.v1",
        partition=0,
        offset=7,
        at=app.clock(),
    )


REPORT: Any = crime_report(
    suspects=[{"kind": "person", "name": "张某", "id_number": "1" * 18, "role": "现场负责人"}]
)
MATERIALS: Any = TRANSFER_MATERIALS
NOTICE: Any = FILING_NOTICE
BACK_MATERIALS = [
    {"kind": "referral_letter", "title": "移送函"},
    {"kind": "source_material", "title": "案件材料"},
    {"kind": "preliminary_evidence", "title": "证据"},
]


def officer_records() -> list[EventRecord]:
    officer = Officer.register(
        officer="new-hire",
        name="新人",
        agency_code="tj-bh-yjj",
        roles=["officer"],
        certificate=None,
        at=NOW,
    )
    officer.change_roles(["officer", "liaison"], at=NOW)
    return [to_record(e, n) for n, e in enumerate(officer.collect_events(), start=1)]


# The files ----------------------------------------------------------------------------------


def test_the_checked_in_contracts_are_the_ones_the_code_generates():
    assert drifted() == [], "run `python -m services.contracts write` and commit the result"


def test_writing_keeps_older_versions_and_removes_what_the_code_does_not_make(tmp_path):
    assert write(tmp_path) == sorted(generate())
    older = tmp_path / "events" / "Case.Closed.v1.schema.json"
    stray = tmp_path / "events" / "Case.Vanished.v1.schema.json"
    older.write_text("{}")
    stray.write_text("{}")
    assert drifted(tmp_path) == ["events/Case.Vanished.v1.schema.json"]
    write(tmp_path)
    assert older.exists() and not stray.exists()
    assert drifted(tmp_path) == []


def test_every_published_event_type_has_its_schema():
    names = {e.name for e in published_events()}
    assert {"Case.Registered", "Case.Closed", "Agency.Registered", "Officer.Registered"} <= names
    assert not any(n.startswith("IdempotencyClaim.") or n.endswith(".Event") for n in names)
    for event_type in published_events():
        schema = load(f"events/{event_type.key}.schema.json")
        assert schema["title"] == f"liandong.{event_type.name}"
        assert schema["x-class-version"] == event_type.version


def test_the_envelope_schema_names_every_field_the_wire_writes():
    record = EventRecord(1, "Case.Filed", "0b6f6c1e-3f5a-4a57-9d8e-1a2b3c4d5e6f", 4, "t", {})
    assert set(wire.envelope(record, SOURCE)) == set(load("envelope.schema.json")["properties"])
    headers = load(ASYNCAPI)["components"]["schemas"]["Headers"]
    assert [name for name, _ in wire.headers(record)] == headers["required"]


# Real events keep to them -----------------------------------------------------------------


def test_every_event_type_as_published_keeps_to_its_schema(demo, store_url, tmp_path, clock):
    every_kind_of_act(demo.app)
    notice_to_record_filing(demo.app, clock)
    records = stored_records(demo.app) + officer_records()
    with seeded_district(store_url, tmp_path / "binhai", clock, mechanism="binhai") as binhai:
        meetings_of_every_kind(binhai.app, clock)
        crime_transfers_of_every_kind(binhai.app, clock)
        records += stored_records(binhai.app)
    for record in records:
        check_published(record)
    assert {r.type for r in records} == {e.name for e in published_events()}


def test_a_case_closed_says_the_status_it_was_closed_from():
    case, officer = registered()
    case.close(actor=officer, reason="不予立案", pending_transfers=(), at=NOW)
    record = to_record(case.collect_events()[-1], 2)
    assert (record.type, record.class_version) == ("Case.Closed", 2)
    assert record.data["previous_status"] == "registered"
    check_published(record)


def test_a_case_closed_in_the_first_shape_is_upcast_when_read(demo):
    app = demo.app
    saved = case_acts(app).register(person(app, "wang-fang"), case_details())
    case_id = saved.aggregate.id
    at = datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    by = {"officer": "wang-fang", "agency": "tj-bh-yjj-zfs", "name": "王芳"}
    # As version 1 stored it: no previous_status and no class_version (the mapper writes one from
    # version 2 on).
    first_shape = {"timestamp": at, "reason": "重复登记", "by": by, "at": at}
    app.recorder.insert_events(
        [StoredEvent(case_id, 2, get_topic(Case.Closed), as_stored(app.mapper, first_shape))]
    )

    case = app.repository.get(case_id)
    assert (case.status, case.closure["from"], case.version) == ("closed", "registered", 2)
    note = app.recorder.select_notifications(start=saved.position + 1, limit=1)[0]
    record = to_record(app.mapper.to_domain_event(note), note.id)
    assert record.class_version == 2
    assert record.data["previous_status"] is None
    check_published(record)


def test_data_in_the_first_shape_does_not_meet_the_second_version():
    first_shape = {
        "reason": "重复登记",
        "by": {"officer": "wang-fang", "agency": "tj-bh-yjj-zfs", "name": "王芳"},
        "at": "2026-11-23T11:00:00+08:00",
    }
    with pytest.raises(ValidationError, match="previous_status"):
        check(load("events/Case.Closed.v2.schema.json"), first_shape)


# The AsyncAPI document ---------------------------------------------------------------------


def test_the_asyncapi_document_has_a_channel_per_topic_and_a_message_per_event():
    doc = load(ASYNCAPI)
    assert doc["asyncapi"] == "3.0.0"
    ours = {wire.topic_name(kind) for kind in catalogue.topic_kinds()}
    replies = wire.topic_name(wire.REPLIES_KIND)
    audit = wire.topic_name(wire.AUDIT_KIND)
    assert set(doc["channels"]) == ours | {replies, audit}
    for event_type in published_events():
        channel = doc["channels"][wire.topic_name(event_type.kind)]
        assert event_type.name in channel["messages"]
        message = doc["components"]["messages"][event_type.name]
        specific = message["payload"]["allOf"][1]["properties"]
        assert specific["type"] == {"const": f"liandong.{event_type.name}"}
        assert specific["data"] == {"$ref": f"#/components/schemas/{event_type.key}"}
    actions = {
        op["channel"]["$ref"].rsplit("/", 1)[-1]: op["action"] for op in doc["operations"].values()
    }
    assert actions == {**dict.fromkeys(ours | {audit}, "receive"), replies: "send"}
    assert doc["channels"][audit]["messages"] == {
        "AuditCheckpoint": {"$ref": "#/components/messages/AuditCheckpoint"}
    }


def test_every_reply_type_has_its_schema_and_a_reply_keeps_to_them():
    doc = load(ASYNCAPI)
    channel = doc["channels"][wire.topic_name(wire.REPLIES_KIND)]
    assert set(channel["messages"]) == {f"CrimeTransferReply.{name}" for name in REPLIES}
    reply = {
        "specversion": "1.0",
        "id": "gaj-2026-000123",
        "source": "urn:liandong:police:tj-bh-gaj",
        "type": "liandong.CrimeTransferReply.FilingDecided",
        "subject": "0b6f6c1e-3f5a-4a57-9d8e-1a2b3c4d5e6f",
        "time": "2026-11-24T09:00:00+08:00",
        "datacontenttype": "application/json",
        "data": {
            "officer": "yue-ming",
            "filed": True,
            "decided_at": "2026-11-24T08:30:00+08:00",
            "document": {"title": "立案告知书", "sha256": "a" * 64, "size": 10, "uri": "oss://1"},
        },
    }
    check(load("replies/envelope.schema.json"), reply)
    check(load("replies/CrimeTransferReply.FilingDecided.v1.schema.json"), reply["data"])
    with pytest.raises(ValidationError):
        check(load("replies/CrimeTransferReply.Receipt.v1.schema.json"), {"note": "无人"})
    for name, spec in REPLIES.items():
        schema = load(f"replies/CrimeTransferReply.{name}.v1.schema.json")
        assert set(schema["properties"]) == set(spec.data.model_fields)


def test_the_api_serves_the_checked_in_asyncapi_document_without_a_token(client):
    response = client.get("/v1/asyncapi.json")
    assert response.status_code == 200
    assert response.json() == load(ASYNCAPI)


def test_only_the_crime_transfer_topic_carries_a_suspects_identity(store_url, tmp_path, clock):
    with seeded_district(store_url, tmp_path / "binhai", clock, mechanism="binhai") as binhai:
        crime_transfers_of_every_kind(binhai.app, clock)
        records = stored_records(binhai.app)
    identity = REPORT["suspects"][0]["id_number"]
    carrying = {wire.kind_of(r) for r in records if identity in json.dumps(r.data, default=str)}
    assert carrying == {"crime-transfer"}
