"""What a referral's events carry, field by field (the contract of `liandong.Referral.*`), and
what drafting one takes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, NotRequired, TypedDict

from domain.payloads import AgencyCode, PlaceData
from domain.values import AgencyRef


class ReferralKind(StrEnum):
    JURISDICTION = "jurisdiction"  # 移送管辖
    ASSISTANCE = "assistance"  # 协查 / 执法协助
    CRIMINAL = "criminal"  # 涉嫌犯罪移送: arrives with the crime-transfer work


class MaterialKind(StrEnum):
    REFERRAL_LETTER = "referral_letter"  # 移送函
    SOURCE_MATERIAL = "source_material"  # 检查记录、投诉材料
    PRELIMINARY_EVIDENCE = "preliminary_evidence"
    REQUEST_LETTER = "request_letter"  # 协助函
    DETERMINATION = "determination"  # 认定意见
    APPRAISAL = "appraisal"  # 鉴定结论
    OTHER = "other"


class MaterialData(TypedDict):
    kind: Annotated[MaterialKind, "what the material is"]
    title: Annotated[str, "its title"]
    uri: NotRequired[Annotated[str, "where it is kept; absent when not given"]]
    sha256: NotRequired[Annotated[str, "SHA-256 of its bytes; absent when not given"]]


class ReferralDetails(TypedDict):
    summary: Annotated[str, "the matter referred, in words"]
    found_at: Annotated[datetime, "when the sender found the violation"]
    urgent: Annotated[bool, "urgent: sent within 24 hours; an assistance request asks presence"]
    place: Annotated[PlaceData, "where the violation is"]
    materials: Annotated[list[MaterialData], "the materials drafted with it"]
    case_id: Annotated[str | None, "the sender's case it comes from (a UUID), if any"]
    onward_from: Annotated[str | None, "a referral received and passed on (a UUID), if any"]
    violation_in_progress: Annotated[
        bool, "the sender stopped a violation in progress and told the receiver at once"
    ]
    on_scene_requested: Annotated[bool, "an urgent assistance request: presence on the scene"]
    lead_agency: Annotated[str, "the agency that leads (主办): the receiver unless one is named"]
    lead_outside_place: Annotated[bool, "the named lead lies outside the place's region"]


class ReferralDraft(TypedDict):
    """What drafting a referral takes."""

    kind: ReferralKind
    to_agency: str
    summary: str
    found_at: datetime
    place: PlaceData
    materials: list[MaterialData]
    from_agency: NotRequired[str | None]
    urgent: NotRequired[bool]
    case_id: NotRequired[str | None]
    onward_from: NotRequired[str | None]
    lead_agency: NotRequired[str | None]
    violation_in_progress: NotRequired[bool]


DisputeId = Annotated[str, "the dispute resolution's id (a UUID)"]


def recorded(
    request: ReferralDraft, receiver: AgencyRef, lead_region: str | None
) -> ReferralDetails:
    """What the Drafted event keeps of the request, with the lead of a cross-region matter:
    the agency where it occurred leads (seed 001); a lead named elsewhere is marked as such."""
    place = request["place"]
    lead: AgencyCode = request.get("lead_agency") or receiver.code
    region = lead_region or receiver.region
    return {
        "summary": request["summary"],
        "found_at": request["found_at"],
        "urgent": bool(request.get("urgent")),
        "place": {"region": place["region"], "address": place["address"]},
        "materials": [dict(m) for m in request["materials"]],  # type: ignore[misc]
        "case_id": request.get("case_id"),
        "onward_from": request.get("onward_from"),
        "violation_in_progress": bool(request.get("violation_in_progress")),
        "on_scene_requested": bool(request.get("urgent"))
        and request["kind"] == ReferralKind.ASSISTANCE,
        "lead_agency": lead,
        "lead_outside_place": region != place["region"],
    }
