"""The agencies a list looks up by (`Access.agencies_seen`, the audit trail's) are exactly those
the one visibility rule lets each person see: for every officer of the demo district and every
agency of its register."""

from __future__ import annotations

from services.demo import AGENCIES, OFFICERS
from tests.scenarios import person


def test_the_agencies_seen_are_exactly_those_the_one_rule_lets_see(demo):
    access = demo.app.access
    for officer, *_ in OFFICERS:
        actor = person(demo.app, officer)
        seen = set(access.agencies_seen(actor))
        for code, *_ in AGENCIES:
            assert (code in seen) == access.sees(actor, [code]), (officer, code)
        assert seen  # everyone sees their own unit
