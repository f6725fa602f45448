"""The crime transfer's one fold: its events' data into the document GET
/v1/crime-transfers/{id} answers and every command on a transfer answers with; and who may see it:
the transferring agency (and the units above it), every public security it was sent or forwarded
to and the procuratorate it was copied to. Suspects' personal data live only here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.crime_transfer import CrimeTransfer
from domain.crime_transfer_states import CRIME_TRANSFER_LIFECYCLE
from projections.fold import Document, Fold, Resource
from projections.records import EventRecord


def opened(record: EventRecord) -> Document:
    data = record.data
    return {
        "id": record.aggregate_id,
        "case": data["case"],
        "agency": data["agency"],
        "handling_unit": data["handling_unit"],
        "category": None,
        "facts": None,
        "suspects": [],
        "team": [],
        "recommendation": None,
        "decision": None,
        "public_security": None,
        "public_securities": [],
        "procuratorate": None,
        "materials": [],
        "sent": None,
        "receipts": [],
        "materials_requests": [],
        "forwards": [],
        "filing_period": "standard",
        "filing": None,
        "reconsideration": None,
        "supervision": None,
        "handover": None,
        "transferred_back": None,
        "windows": {},
        "opened_by": data["by"],
        "opened_at": data["at"],
    }


def _act(data: dict[str, Any], *fields: str) -> dict[str, Any]:
    """An act as the document shows it: the fields named, who and when."""
    return {**{f: data[f] for f in fields}, "by": data["by"], "at": data["at"]}


def _recommended(d: Document, data: dict[str, Any]) -> None:
    d["procuratorate"] = data["procuratorate"]
    d["recommendation"] = dict(_act(data, "reasons"), declined=None)


def _declined(d: Document, data: dict[str, Any]) -> None:
    d["recommendation"] = dict(d["recommendation"], declined=_act(data, "explanation"))


def _reported(d: Document, data: dict[str, Any]) -> None:
    d.update({k: data[k] for k in ("category", "facts", "suspects", "team")})
    d.update(reported_by=data["by"], reported_at=data["at"])


def _decided(approved: bool) -> Callable[[Document, dict[str, Any]], None]:
    def change(d: Document, data: dict[str, Any]) -> None:
        reasons = data["opinion"] if approved else data["reasons"]
        decision = _act(data, "presiding", "late")
        d["decision"] = dict(decision, approved=approved, reasons=reasons)

    return change


def _sent(d: Document, data: dict[str, Any]) -> None:
    d.update(public_security=data["public_security"], procuratorate=data["procuratorate"])
    d["public_securities"] = [data["public_security"]]
    d["materials"] = list(data["package"]["materials"])
    d["sent"] = _act(data, "late")


def _receipt(d: Document, data: dict[str, Any]) -> None:
    d["receipts"] = [*d["receipts"], _act(data, "public_security", "note")]
    d["windows"] = {w["name"]: dict(w, used_at=None) for w in data["windows"]}


def _use_window(d: Document, name: str, at: str) -> None:
    if name in d["windows"]:
        d["windows"][name] = dict(d["windows"][name], used_at=at)


def _materials_requested(d: Document, data: dict[str, Any]) -> None:
    request = dict(_act(data, "materials", "note", "late"), supplied=None)
    d["materials_requests"] = [*d["materials_requests"], request]
    _use_window(d, "materials_request", data["at"])


def _materials_supplied(d: Document, data: dict[str, Any]) -> None:
    d["materials"] = [*d["materials"], *data["materials"]]
    last = dict(d["materials_requests"][-1], supplied=_act(data, "materials", "late"))
    d["materials_requests"] = [*d["materials_requests"][:-1], last]


def _forwarded(d: Document, data: dict[str, Any]) -> None:
    fields = ("from_public_security", "to_public_security", "reason", "late")
    d["forwards"] = [*d["forwards"], _act(data, *fields)]
    d["public_security"] = data["to_public_security"]
    d["public_securities"] = [*d["public_securities"], data["to_public_security"]]
    _use_window(d, "forward", data["at"])
    d["windows"] = {k: w for k, w in d["windows"].items() if w["used_at"]}


def _extended(d: Document, data: dict[str, Any]) -> None:
    d["filing_period"] = data["period"]


def _filing(filed: bool) -> Callable[[Document, dict[str, Any]], None]:
    def change(d: Document, data: dict[str, Any]) -> None:
        fields = ("decided_at", "reasons", "document", "copied_to", "decision_late", "notice_late")
        on = data["on"] if filed else "transfer"
        d["filing"] = dict(_act(data, *fields), filed=filed, on=on)
        # A decision meets its period when it was made; its notice has a limit of its own.
        for name in _filing_met(d, dict(data, on=on)):
            if name in d["deadlines"]:
                d["deadlines"][name]["met_at"] = data["decided_at"]
        if not filed:
            d["windows"] = {w["name"]: dict(w, used_at=None) for w in data["windows"]}

    return change


def _reconsideration_requested(d: Document, data: dict[str, Any]) -> None:
    d["reconsideration"] = {"requested": _act(data, "reasons", "late"), "answer": None}
    _use_window(d, "reconsideration_request", data["at"])


def _reconsideration_answered(d: Document, data: dict[str, Any]) -> None:
    answer = _act(data, "upheld", "reasons", "document", "late")
    d["reconsideration"] = dict(d["reconsideration"], answer=answer)
    d["windows"].update({w["name"]: dict(w, used_at=None) for w in data["windows"]})


def _supervision(step: str, *fields: str) -> Callable[[Document, dict[str, Any]], None]:
    def change(d: Document, data: dict[str, Any]) -> None:
        supervision = d["supervision"] or {}
        d["supervision"] = {**supervision, step: _act(data, *fields)}
        if step == "requested":
            _use_window(d, "supervision_request", data["at"])

    return change


def _handed_over(d: Document, data: dict[str, Any]) -> None:
    d["handover"] = _act(data, "items", "late")


def _transferred_back(d: Document, data: dict[str, Any]) -> None:
    d["transferred_back"] = _act(data, "ground", "reasons", "referral_id")


def _filing_met(d: Document, data: dict[str, Any]) -> tuple[str, ...]:
    """A filing on the transfer meets its filing period, one on the procuratorate's order the
    order's; one on reconsideration meets none: the refusal met the period, the answer its own."""
    return {"transfer": ("filing",), "order": ("filing_on_order",)}.get(data["on"], ())


E = "CrimeTransfer."
CRIME_TRANSFER_FOLD = Fold(
    start=opened,
    changes={
        E + "Recommended": _recommended,
        E + "RecommendationDeclined": _declined,
        E + "Reported": _reported,
        E + "Refused": _decided(False),
        E + "Approved": _decided(True),
        E + "Sent": _sent,
        E + "ReceiptSigned": _receipt,
        E + "MaterialsRequested": _materials_requested,
        E + "MaterialsSupplied": _materials_supplied,
        E + "Forwarded": _forwarded,
        E + "FilingPeriodExtended": _extended,
        E + "Filed": _filing(True),
        E + "NotFiled": _filing(False),
        E + "ReconsiderationRequested": _reconsideration_requested,
        E + "ReconsiderationAnswered": _reconsideration_answered,
        E + "SupervisionRequested": _supervision("requested", "procuratorate", "reasons", "late"),
        E + "ReasonsRequested": _supervision("reasons_requested", "note"),
        E + "ReasonsStated": _supervision("reasons_stated", "reasons", "late"),
        E + "FilingOrdered": _supervision("filing_ordered", "reasons"),
        E + "SupervisionClosed": _supervision("closed", "reasons"),
        E + "HandedOver": _handed_over,
        E + "TransferredBack": _transferred_back,
    },
    lifecycle=CRIME_TRANSFER_LIFECYCLE,
    meets={
        E + "Refused": ("decision",),
        E + "Approved": ("decision",),
        E + "Sent": ("transfer",),
        E + "MaterialsSupplied": ("supply",),
        # Forwarding ends the first public security's filing period; the next receipt sets one.
        E + "Forwarded": ("filing",),
        E + "ReconsiderationAnswered": ("reconsideration_answer",),
        E + "ReasonsStated": ("reasons",),
        E + "HandedOver": ("handover",),
    },
)


def audience(doc: Document) -> list[str]:
    parties = [doc["agency"], doc["handling_unit"], *doc["public_securities"]]
    return list(
        dict.fromkeys([*parties, *([doc["procuratorate"]] if doc["procuratorate"] else [])])
    )


CRIME_TRANSFER = Resource(CrimeTransfer, CRIME_TRANSFER_FOLD, audience, "crime_transfer")
