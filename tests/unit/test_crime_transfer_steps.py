"""A crime transfer's steps: a deadline is judged as every deadline is; a window is never
overdue — pending while its act may be taken in it, used on time or late, else lapsed."""

from __future__ import annotations

from projections.crime_transfer_statistics import year_span, yearly_figures
from projections.crime_transfer_steps import held, late, pending, split, steps, window_state
from tests.districts import at

DUE = "2026-11-26T23:59:59+08:00"
# Rows of the view's deadlines table: a deadline, and a window beside it.
FILING = {
    "name": "filing",
    "rule": "3 days",
    "start": "2026-11-23T10:00:00+08:00",
    "due_at": DUE,
    "due_key": "2026-11-26T15:59:59.000000Z",
    "provisional": False,
    "met_at": None,
}
WINDOW = dict(FILING, name="window:reconsideration_request", start="2026-11-23T11:00:00+08:00")


def test_a_window_is_pending_while_its_act_may_be_taken_in_it():
    name = "reconsideration_request"
    assert window_state(name, DUE, None, "not_filed", at(2026, 11, 26, 12)) == "pending"
    assert window_state(name, DUE, None, "not_filed", at(2026, 11, 27, 0)) == "lapsed"
    # The transfer moved on (filed on reconsideration): nothing is left to do in it.
    assert window_state(name, DUE, None, "filed", at(2026, 11, 24, 12)) == "lapsed"


def test_a_used_window_was_used_on_time_or_late():
    asked = "reconsideration_requested"
    used = "2026-11-26T23:00:00+08:00"
    assert window_state("reconsideration_request", DUE, used, asked, at(2026, 12, 9)) == "on_time"
    after = "2026-11-27T09:00:00+00:00"  # 17:00 in Shanghai
    assert window_state("reconsideration_request", DUE, after, asked, at(2026, 12, 9)) == "late"


def test_steps_come_in_the_tables_order_and_only_an_open_transfers_are_pending():
    shown = steps({"status": "not_filed"}, [FILING, WINDOW], at(2026, 11, 27, 12))
    assert [(s["name"], s["kind"], s["party"]) for s in shown] == [
        ("filing", "deadline", "public_security"),
        ("reconsideration_request", "window", "agency"),
    ]
    assert [s["state"] for s in shown] == ["overdue", "lapsed"]
    assert pending(shown, True) == ["filing"]
    assert pending(shown, False) == []
    early = steps({"status": "not_filed"}, [FILING, WINDOW], at(2026, 11, 24, 12))
    assert [s["state"] for s in early] == ["pending", "pending"]
    assert pending(early, True) == ["filing", "reconsideration_request"]
    closed = steps({"status": "transferred_back"}, [FILING, WINDOW], at(2026, 11, 27, 12))
    assert [s["state"] for s in closed] == ["pending", "lapsed"]
    met = dict(FILING, met_at="2026-11-27T10:00:00+08:00")
    assert late(steps({"status": "filed"}, [met], at(2026, 11, 28))) == ["filing"]


def test_the_deadlines_table_holds_windows_beside_deadlines_and_gives_them_back():
    fields = ("rule", "start", "due_at", "provisional")
    window = dict({k: WINDOW[k] for k in fields}, name="reconsideration_request", used_at=None)
    document = {"deadlines": {"filing": FILING}, "windows": {window["name"]: window}}
    assert [r["name"] for r in held(document)] == ["filing", "window:reconsideration_request"]
    deadlines, windows = split([FILING, WINDOW], at(2026, 11, 27, 12), True)
    assert windows == [window]
    assert [(d["name"], d["overdue"], d["late"]) for d in deadlines] == [("filing", True, False)]


def test_the_yearly_figures_leave_no_agency_out():
    counted = [
        {"agency": "tj-bh-yjj", "name": "transferred", "n": 3},
        {"agency": "tj-bh-yjj", "name": "not_filed", "n": 1},
        {"agency": "tj-xq-yjj", "name": "transferred", "n": 9},  # not asked for
    ]
    figures = yearly_figures(2026, ["tj-bh-yjj", "tj-bh-gaj"], counted)
    assert figures["year"] == 2026
    bureau, police = figures["agencies"]
    assert bureau["agency"] == "tj-bh-yjj" and bureau["transferred"] == 3
    assert bureau["not_filed"] == 1 and bureau["filed"] == 0
    assert police == dict.fromkeys(police, 0) | {"agency": "tj-bh-gaj"}
    # The year runs from midnight in Shanghai: 16:00 UTC the day before.
    assert year_span(2026) == ("2025-12-31T16:00:00.000000Z", "2026-12-31T16:00:00.000000Z")
