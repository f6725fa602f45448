"""The console's pages, a module per section of the navigation."""

from __future__ import annotations

from services.console.pages import (
    cases,
    crime_transfers,
    disputes,
    home,
    meetings,
    referrals,
    supervision,
)

ROUTERS = [
    m.router for m in (home, cases, referrals, disputes, meetings, crime_transfers, supervision)
]
