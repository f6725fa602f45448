"""The words the pages use for the API's names: acts, statuses, fields, colours. Presentation
only; a name missing here is shown as the API gives it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.calendar import SHANGHAI

ACTS = {
    # referrals and assistance
    "attach_material": "补充材料",
    "approve": "审批同意",
    "send": "发出",
    "acknowledge": "签收",
    "accept": "接收",
    "reject": "不予接收（退回）",
    "answer": "答复",
    "extend_answer": "延长答复期限",
    "report_outcome": "通报处理结果",
    "dispute": "提请争议协调",
    # disputes
    "state": "陈述意见",
    "decide": "作出决定",
    "escalate": "提请上一级",
    # meetings
    "circulate": "分送会议材料",
    "hold": "召开会议（记录出席）",
    "draft_minutes": "起草会议纪要",
    "sign_minutes": "签署会议纪要",
    "approve_minutes": "审定会议纪要",
    "issue_minutes": "印发会议纪要",
    "acknowledge_minutes": "确认收到纪要",
    "answer_letter": "书面函复",
    "postpone": "延期",
    "cancel": "取消",
    "conclude": "办结",
    "complete_follow_up": "完成督办事项",
    # cases
    "request_filing": "提请立案审批",
    "review_filing": "立案审核",
    "approve_filing": "立案审批",
    "sign_filing": "立案审批签署",
    "attach_evidence": "附加执法全过程记录",
    "close": "结案",
    "decide_on_the_spot": "当场作出处罚决定",
    "report_decision": "报告当场处罚决定",
    "classify": "认定案件等级",
    "issue_notice": "送达行政处罚告知书",
    "hear": "举行听证",
    "stamp": "加盖印章",
    "issue_slip": "开具缴款书",
    "file_record": "重大案件备案",
    "request_extension": "申请延长办案期限",
    "record_payment": "登记罚款缴纳",
    "serve": "登记文书送达",
    "measure": "行政强制措施",
    "rectify": "责令限期整改",
    # disputes and meetings
    "record_position": "陈述本单位意见",
    "report_follow_up": "报告督办事项办理情况",
    # crime transfers
    "crime-transfer.report": "书面报告（涉嫌犯罪）",
    "crime-transfer.decline": "说明不移送理由",
    "crime-transfer.decide": "批准或不批准移送",
    "crime-transfer.send": "移送公安机关",
    "sign_receipt": "签收回执",
    "request_materials": "要求补充材料",
    "supply_materials": "补充材料",
    "forward": "转送有管辖权的公安机关",
    "extend_filing": "延长立案审查期限",
    "decide_filing": "作出立案决定",
    "request_reconsideration": "提请复议",
    "answer_reconsideration": "作出复议决定",
    "request_supervision": "建议检察机关立案监督",
    "request_reasons": "要求说明不立案理由",
    "state_reasons": "说明不立案理由",
    "order_filing": "通知公安机关立案",
    "close_supervision": "结束立案监督",
    "hand_over": "移交涉案物品和材料",
    "transfer_back": "反向移送",
    # an act of the same name on another kind of resource, by its route: `<kind>.<act>`
    "meeting.acknowledge": "确认收到纪要",
    "meeting.answer": "回复会议邀请",
    "case.decide": "作出行政处罚决定",
    "case.state": "记录陈述申辩",
    "dispute.close": "终结争议协调",
    # creating
    "register_case": "登记案件",
    "draft_referral": "起草移送函",
    "convene": "召集会议",
}

STATUSES = {
    "draft": "草稿",
    "approved": "已审批",
    "sent": "已发出",
    "acknowledged": "已签收",
    "accepted": "已接收",
    "rejected": "已退回",
    "disputed": "争议协调中",
    "answered": "已答复",
    "concluded": "已办结",
    "registered": "已登记",
    "awaiting_approval": "待审批",
    "filed": "已立案",
    "decided": "已决定",
    "reported": "已报告",
    "closed": "已结案",
    "open": "办理中",
    "convened": "已召集",
    "held": "已召开",
    "circulated": "已分发材料",
    "minutes_drafted": "纪要已起草",
    "minutes_approved": "纪要已审定",
    "minutes_issued": "纪要已印发",
    "letter_sent": "已函告",
    "opened": "已建立",
    "recommended": "检察机关建议移送",
    "declined": "已说明不移送理由",
    "refused": "负责人未批准移送",
    "received": "公安机关已接收",
    "materials_requested": "公安机关要求补充材料",
    "forwarded": "已转送有管辖权的公安机关",
    "handed_over": "涉案物品和材料已移交",
    "not_filed": "不予立案",
    "reconsideration_requested": "已提请复议",
    "supervision_requested": "已建议立案监督",
    "reasons_requested": "检察机关要求说明不立案理由",
    "reasons_stated": "已说明不立案理由",
    "filing_ordered": "检察机关已通知立案",
    "transferred_back": "已反向移送",
    "cancelled": "已取消",
    "postponed": "已延期",
    "negotiating": "协商中",
    "decided_on": "已决定",
    "met": "按期",
    "returned": "已退回",
    "on_time": "按期完成",
    "pending": "未到期",
    "late": "逾期完成",
    "overdue": "已超期",
    "running": "未到期",
    "lapsed": "已过期未用",
    "yellow": "黄色预警",
    "red": "红色预警",
}

FIELDS = {
    "starts_at": "会议时间",
    "reasons": "理由",
    "handler": "承办单位",
    "interim": "争议期间的处置",
    "sha256": "文件摘要（SHA-256）",
    "uri": "文件地址",
    "violation_in_progress": "违法行为正在进行",
    "lead_agency": "牵头单位",
    "onward_from": "转自移送函",
    "case_id": "关联案件编号",
    "reason": "理由",
    "opinion": "意见",
    "approve": "是否同意",
    "summary": "案情摘要",
    "procedure": "程序",
    "party": "当事人",
    "name": "名称",
    "kind": "类别",
    "place": "违法地点",
    "region": "行政区划",
    "address": "地址",
    "occurred_at": "违法行为发生时间",
    "source": "案件来源",
    "reference": "来源文号",
    "handed_over_at": "移交时间",
    "id_number": "证件号码",
    "to_agency": "接收单位",
    "from_agency": "移送单位",
    "found_at": "发现时间",
    "grounds": "理由",
    "outcome": "处理结果",
    "answer": "答复内容",
    "until": "延至",
    "title": "标题",
    "topics": "议题（每行一个）",
    "invitees": "受邀单位（每行一个代码）",
    "scheduled_at": "会议时间",
    "location": "会议地点",
    "materials": "材料",
    "urgent": "紧急",
    "facts": "事实",
    "lead": "牵头单位",
    "summary_of_minutes": "纪要摘要",
}

RUNGS = {
    "negotiation": "双方协商",
    "legal_department": "法制部门协调",
    "district_government": "区政府决定",
}

DEADLINES = {
    "send": "移送时限",
    "acknowledge": "签收时限",
    "answer": "答复时限",
    "decision": "决定时限",
    "filing": "立案时限",
    "materials": "会议材料分送",
    "minutes": "会议纪要印发",
    "transfer": "移送公安时限",
    "follow_up": "督办事项",
    "supply": "补充材料时限",
    "handover": "移交涉案物品时限",
    "reconsideration_answer": "复议决定时限",
    "reasons": "说明不立案理由时限",
    "filing_on_order": "通知立案后立案时限",
    "materials_request": "要求补充材料期限",
    "forward": "转送期限",
    "reconsideration_request": "提请复议期限",
    "supervision_request": "建议立案监督期限",
}

# The values of the API's choices, in the words of the people who choose them.
OPTIONS = {
    "jurisdiction": "案件移送",
    "assistance": "协助请求",
    "criminal": "涉嫌犯罪",
    "referral_letter": "移送函",
    "request_letter": "协助函",
    "source_material": "案源材料",
    "preliminary_evidence": "初步证据",
    "appraisal": "鉴定意见",
    "determination": "认定意见",
    "other": "其他",
    "person": "自然人",
    "organisation": "法人或其他组织",
    "inspection": "执法检查",
    "random_check": "双随机抽查",
    "complaint": "投诉举报",
    "superior_assignment": "上级交办",
    "referral": "部门移送",
    "accident_report": "事故调查报告",
    "simple": "简易程序",
    "general": "一般程序",
    "accident": "事故类案件",
    "consultation": "会商",
    "joint_meeting": "联席会议",
    "joint_conference": "联席会商",
    "special_topic": "专题会议",
    "case_review": "案件会审",
    # evidence and the stage of enforcement a record documents
    "audio_video": "音视频记录",
    "photo": "照片",
    "document": "书证",
    "record": "笔录",
    "investigation": "调查取证",
    "preservation": "证据保全",
    "hearing": "听证",
    "compulsion": "行政强制",
    "service": "送达",
    "rectification": "整改与复查",
    # penalties, gravity and compulsory measures
    "warning": "警告",
    "fine": "罚款",
    "ordinary": "一般案件",
    "major": "重大案件",
    "seal": "查封",
    "seize": "扣押",
    "power_cut": "停止供电",
    "explosives_stop": "停止供应民用爆炸物品",
    # meetings' matters passed up
    "district_legal_department": "区法制部门",
    "city_bureau": "市局有关部门",
    # crime transfers: the suspected crime, its materials, the filing period and refusals
    "major_liability_accident": "重大责任事故罪",
    "forced_risky_operation": "强令、组织他人违章冒险作业罪",
    "major_labour_safety_accident": "重大劳动安全事故罪",
    "dangerous_goods_accident": "危险物品肇事罪",
    "fire_liability_accident": "消防责任事故罪、失火罪",
    "accident_not_reported": "不报、谎报安全事故罪",
    "transfer_letter": "涉嫌犯罪案件移送书",
    "investigation_report": "涉嫌犯罪案件情况的调查报告",
    "items_list": "涉案物品清单",
    "penalty_decision": "行政处罚决定书",
    "standard": "三日",
    "clue_check": "七日（线索需要查证）",
    "major_complex": "三十日（重大、疑难、复杂）",
    "no_crime": "没有犯罪事实",
    "too_slight": "犯罪事实显著轻微，不需要追究刑事责任",
    "attends": "参加",
    "declines": "不参加",
    "approve": "同意",
    "reject": "不同意",
}

# The events of a resource's history, by their type (the part after the aggregate's name).
EVENTS = {
    "Registered": "登记",
    "FilingRequested": "提请立案审批",
    "FilingReviewed": "立案审核",
    "Filed": "立案",
    "Closed": "结案",
    "EvidenceAttached": "附加执法记录",
    "Drafted": "起草",
    "MaterialAttached": "补充材料",
    "Approved": "审批同意",
    "Sent": "发出",
    "Acknowledged": "签收",
    "Accepted": "接收",
    "Rejected": "退回",
    "Disputed": "提请争议协调",
    "Answered": "答复",
    "OutcomeReported": "通报处理结果",
    "Opened": "提起争议",
    "PositionRecorded": "陈述意见",
    "Escalated": "提请上一级",
    "Decided": "作出决定",
    "Convened": "召集",
    "MaterialsCirculated": "分送材料",
    "Held": "召开",
    "MinutesDrafted": "起草纪要",
    "MinutesApproved": "审定纪要",
    "MinutesIssued": "印发纪要",
    "MinutesAcknowledged": "确认收到纪要",
    "FollowUpReported": "报告督办事项",
    # cases
    "Classified": "认定案件等级",
    "FormSubmitted": "提交审批表",
    "FormSigned": "审批表签署",
    "FormApproved": "审批表批准",
    "FormReturned": "审批表退回",
    "DocumentServed": "文书送达",
    "NoticeIssued": "送达处罚告知书",
    "StatementRecorded": "记录陈述申辩",
    "HearingRequested": "申请听证",
    "HearingNotified": "通知听证",
    "RecusalRequested": "申请回避",
    "RecusalDecided": "回避决定",
    "HearingHeld": "举行听证",
    "PenaltyDecided": "作出处罚决定",
    "DecisionStamped": "加盖印章",
    "PaymentSlipIssued": "开具缴款书",
    "DecisionRecordFiled": "重大案件备案",
    "ExtensionRequested": "申请延长办案期限",
    "DecisionPeriodExtended": "延长办案期限",
    "ExtendedByCommittee": "集体讨论延长期限",
    "FinePaid": "缴纳罚款",
    "MeasureProposed": "提请行政强制措施",
    "MeasureDecisionIssued": "作出强制措施决定",
    "MeasureNoticeGiven": "告知强制措施",
    "MeasureTaken": "实施强制措施",
    "MeasureReported": "报告强制措施",
    "MeasureFiled": "强制措施补办批准",
    "MeasureLifted": "解除强制措施",
    "RectificationOrdered": "责令限期整改",
    "ReinspectionRequested": "申请复查",
    "Reinspected": "复查",
    "DecidedOnTheSpot": "当场作出处罚决定",
    "DecisionReported": "报告当场处罚决定",
    "FilingReturned": "立案审批退回",
    "CrimeTransferOpened": "涉嫌犯罪移送",
    # referrals, disputes and meetings
    "InProgressNotified": "告知违法行为正在进行",
    "AnswerExtended": "延长答复期限",
    "Settled": "争议决定承办",
    "DecidedAtMeeting": "会议纪要决定",
    "InvitationAnswered": "回复会议邀请",
    "Postponed": "延期",
    "Cancelled": "取消",
    "MinutesSigned": "签署纪要",
    "FollowUpDone": "督办事项办结",
    "LetterSent": "函告",
    "LetterAnswered": "书面函复",
    "Concluded": "办结",
    # crime transfers
    "crime-transfer.Opened": "建立移送",
    "crime-transfer.Approved": "负责人批准移送",
    "crime-transfer.Sent": "移送公安机关",
    "crime-transfer.Filed": "公安机关立案",
    "Reported": "书面报告",
    "Recommended": "检察机关建议移送",
    "RecommendationDeclined": "说明不移送理由",
    "Refused": "不批准移送",
    "ReceiptSigned": "签收回执",
    "MaterialsRequested": "要求补充材料",
    "MaterialsSupplied": "补充材料",
    "Forwarded": "转送有管辖权的公安机关",
    "FilingPeriodExtended": "延长立案审查期限",
    "NotFiled": "不予立案",
    "ReconsiderationRequested": "提请复议",
    "ReconsiderationAnswered": "复议决定",
    "SupervisionRequested": "建议立案监督",
    "ReasonsRequested": "要求说明不立案理由",
    "ReasonsStated": "说明不立案理由",
    "FilingOrdered": "通知立案",
    "SupervisionClosed": "结束立案监督",
    "HandedOver": "移交涉案物品和材料",
    "TransferredBack": "反向移送",
}

# Where a case is, as the API names its step.
STEPS = {
    "registration": "登记",
    "filing_approval": "立案审批",
    "investigation": "调查取证",
    "matters_approval": "有关事项审批",
    "notice": "告知",
    "hearing": "听证",
    "legal_review": "法制审核",
    "case_review": "案审会集体讨论",
    "decision_form": "提交案件处理呈批表",
    "legality_review": "合法性审核",
    "decision_approval": "处理决定审批",
    "decision": "作出处罚决定",
    "decided": "已作出决定",
    "stamp": "决定书用印",
    "execution": "执行",
    "payment_approval": "缴款核准",
    "decision_record_filing": "重大案件备案",
    "record_filing": "报告备案",
    "executed": "执行完毕",
    "closed": "结案",
}

FORMS = {
    "filing": "立案审批表",
    "measure": "行政强制措施审批",
    "matters": "行政执法有关事项审批表",
    "legal_review": "法制审核意见书",
    "extension": "案件延期审批",
    "decision": "案件处理呈批表",
    "legality_review": "合法性审核",
    "reinspection": "复查结果审核",
    "payment": "缴款核准",
}

DOCUMENTS = {
    "notice": "行政处罚告知书",
    "hearing_notice": "听证通知书",
    "decision": "行政处罚决定书",
    "measure": "行政强制措施决定书",
    "rectification": "责令限期整改指令书",
    "reinspection": "整改复查意见书",
}

RULES = {
    "working days": "{n}个工作日",
    "working days before": "提前{n}个工作日",
    "hours": "{n}小时",
    "days": "{n}日",
    "fixed": "指定日期",
}

KINDS = {
    "case": "案件",
    "referral": "移送函",
    "dispute": "争议",
    "meeting": "会议",
    "crime-transfer": "涉嫌犯罪移送",
}

COLOURS = {"yellow": "黄色预警", "red": "红色预警"}


def act_label(name: str, kind: str = "") -> str:
    """`kind` (`meeting`) tells apart acts of one name on different resources."""
    return ACTS.get(f"{kind}.{name}") or ACTS.get(name, name)


def event_label(name: Any, kind: str = "") -> str:
    """`kind` (`crime-transfer`) tells apart events of one name on different resources."""
    event = str(name).rpartition(".")[2]
    return EVENTS.get(f"{kind}.{event}") or EVENTS.get(event, event)


def rule_label(rule: Any) -> str:
    """A time limit's rule (`3 working days before`, `24 hours`, `fixed`) in words."""
    count, _, unit = str(rule).partition(" ")
    shown = RULES.get(unit) or RULES.get(str(rule))
    return shown.format(n=count) if shown else str(rule)


def deadline_label(name: Any) -> str:
    """`follow_up:2` is the second follow-up item's limit."""
    base, _, item = str(name).partition(":")
    label = DEADLINES.get(base, base)
    return f"{label}{item}" if item else label


def option_label(name: Any) -> str:
    return OPTIONS.get(str(name)) or status_label(name)


def status_label(name: Any) -> str:
    return STATUSES.get(str(name), str(name))


def field_label(name: str, fallback: str) -> str:
    return FIELDS.get(name, fallback)


def when(value: Any) -> str:
    """An ISO time as Beijing time to the minute; anything else as it is."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d")
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
