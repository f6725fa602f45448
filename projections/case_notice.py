"""The notice, the party's answer and the hearing in the case's document: the fold of
`domain.case_notice`."""

from __future__ import annotations

from typing import Any

from domain.case_notice import close_window
from projections.case_forms import consult, issued
from projections.fold import Change, Document
from projections.money import penalty_in_yuan


def _noticed(doc: Document, data: dict[str, Any]) -> None:
    issued(doc, data["document"], "notice", data["at"])
    doc["notice"] = {
        "number": data["document"]["number"],
        "penalty": penalty_in_yuan(data["penalty"]),
        "statement": None,
        "hearing_requested": False,
    }


def _stated(doc: Document, data: dict[str, Any]) -> None:
    keys = ("statement", "record_sha256", "hearing_waived", "late", "by", "at")
    doc["notice"]["statement"] = {key: data[key] for key in keys}
    if data["hearing_waived"]:
        close_window(doc["deadlines"], data["at"], lapsed=data["late"])


def _requested(doc: Document, data: dict[str, Any]) -> None:
    consult(doc, data)
    doc["notice"]["hearing_requested"] = True
    doc["hearing"] = {"notified": None, "panel": None, "recusals": [], "held": None}


def _notified(doc: Document, data: dict[str, Any]) -> None:
    issued(doc, data["document"], "hearing", data["at"])
    doc["hearing"]["notified"] = {"hearing_at": data["hearing_at"], "place": data["place"]}
    doc["hearing"]["panel"] = {"presider": data["presider"], "members": data["members"]}


def _recusal_asked(doc: Document, data: dict[str, Any]) -> None:
    entry = {"officer": data["officer"], "reason": data["reason"], "granted": None}
    doc["hearing"]["recusals"].append(entry)


def _recusal_decided(doc: Document, data: dict[str, Any]) -> None:
    hearing = doc["hearing"]
    entry = next(r for r in hearing["recusals"] if r["granted"] is None)
    entry["granted"] = data["granted"]
    replacement, panel = data["replacement"], hearing["panel"]
    if replacement is None:
        return
    if panel["presider"]["officer"] == data["officer"]:
        panel["presider"] = replacement
    else:
        panel["members"] = [
            replacement if m["officer"] == data["officer"] else m for m in panel["members"]
        ]


def _held(doc: Document, data: dict[str, Any]) -> None:
    keys = ("record_sha256", "opinion", "by", "at")
    doc["hearing"]["held"] = {key: data[key] for key in keys}


CHANGES: dict[str, Change] = {
    "Case.NoticeIssued": _noticed,
    "Case.StatementRecorded": _stated,
    "Case.HearingRequested": _requested,
    "Case.HearingNotified": _notified,
    "Case.RecusalRequested": _recusal_asked,
    "Case.RecusalDecided": _recusal_decided,
    "Case.HearingHeld": _held,
}
