"""What the crime transfers' log keeps and shows of a transfer: who is party to it (a row of
the log per agency), what its rows filter on, its card (the part of the document a list shows,
kept beside it) and its entry in an agency's log."""

from __future__ import annotations

import json
from typing import Any

from domain.crime_transfer_states import CRIME_TRANSFER_LIFECYCLE
from projections.crime_transfer_steps import pending
from projections.deadlines import utc_key
from projections.fold import Document

# What the lists show of a transfer, kept beside its document (`card`): a page decodes these,
# not the whole transfer with its facts, suspects and materials.
CARD = (
    *("id", "status", "agency", "handling_unit", "category", "opened_at"),
    *("public_security", "public_securities", "procuratorate"),
    *("recommendation", "reconsideration", "supervision"),
)
FILING = ("filed", "on", "at", "decided_at", "reasons", "decision_late", "notice_late")


def card(document: Document) -> Document:
    """What the lists show of a transfer (no suspect's personal data: that is in the transfer
    itself)."""
    case, filing, sent = document["case"], document["filing"], document["sent"]
    shown = {k: document[k] for k in CARD}
    shown.update(
        case={k: case[k] for k in ("id", "number", "summary")},
        reported_at=document.get("reported_at"),
        sent_at=sent["at"] if sent else None,
        filing={k: filing[k] for k in FILING} if filing else None,
    )
    return shown


def card_text(document: Document) -> str:
    return json.dumps(card(document), ensure_ascii=False)


def parties(document: Document) -> list[tuple[str, str]]:
    """(agency, role) of everyone party to the transfer: its audience, by role."""
    found = [(document["agency"], "agency"), (document["handling_unit"], "agency")]
    found += [(code, "public_security") for code in document["public_securities"]]
    if document["procuratorate"]:
        found.append((document["procuratorate"], "procuratorate"))
    return list(dict.fromkeys(found))


def member(document: Document, created: int) -> dict[str, Any]:
    """A list row's columns: what the lists filter on."""
    supervision = document["supervision"] or {}
    filing = document["filing"]
    return {
        "id": document["id"],
        "created": created,
        "status": document["status"],
        "category": document["category"],
        "opened_key": utc_key(document["opened_at"]),
        # A refusal to file leaves its mark even when reversed (reconsidered, or ordered).
        "not_filed": int(
            (filing is not None and not filing["filed"])
            or document["reconsideration"] is not None
            or "filing_ordered" in supervision
        ),
        "reconsidered": int(document["reconsideration"] is not None),
        "supervised": int("requested" in supervision),
        "recommended": int(document["recommendation"] is not None),
    }


def log_entry(row: Any, summary: Document, shown: list[dict[str, Any]]) -> dict[str, Any]:
    """One transfer as an agency's log shows it, from its card (`summary`)."""
    is_open = CRIME_TRANSFER_LIFECYCLE.is_open(summary["status"])
    filing = summary["filing"]
    return {
        **{k: summary[k] for k in ("id", "status", "agency", "handling_unit", "category", "case")},
        **{k: summary[k] for k in ("public_security", "public_securities", "procuratorate")},
        **{k: summary[k] for k in ("opened_at", "reported_at", "sent_at")},
        "role": row["role"],
        "filing": {k: filing[k] for k in ("filed", "on", "at")} if filing else None,
        "steps": shown,
        "pending": pending(shown, is_open),
        "overdue": any(s["state"] == "overdue" for s in shown),
        "version": int(row["version"]),
        "position": int(row["position"]),
        "cursor": int(row["created_position"]),
    }
