"""Rebuild progress: a bar on a terminal, plain lines for a log."""

from __future__ import annotations

import io

from services import progress
from services.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_progress_is_plain_lines_every_few_seconds(monkeypatch):
    monkeypatch.setattr(progress, "LINE_SECONDS", 3600.0)
    out = io.StringIO()
    bar = Progress(out)
    bar.start("rebuilding cases from store", 200)
    for done in range(0, 201, 20):
        bar.to(done)
    bar.finish("cases swapped in at position 200")
    assert "\r" not in out.getvalue()
    first, last = out.getvalue().splitlines()  # one line when it starts, none until 3600 s
    assert first == "rebuilding cases from store: 0/200 (0%)"
    assert last.startswith("cases swapped in at position 200 (") and last.endswith(" s)")


def test_each_line_says_how_far_and_a_growing_store_grows_the_total(monkeypatch):
    monkeypatch.setattr(progress, "LINE_SECONDS", 0.0)
    out = io.StringIO()
    bar = Progress(out)
    bar.start("rebuilding referrals from kafka", 100)
    bar.to(50)
    bar.to(150)  # events stored while the rebuild ran
    bar.finish("referrals swapped in at position 150")
    lines = out.getvalue().splitlines()
    assert "rebuilding referrals from kafka: 50/100 (50%)" in lines
    assert "rebuilding referrals from kafka: 150/150 (100%)" in lines
    assert lines[-1].startswith("referrals swapped in at position 150 (")


def test_on_a_terminal_progress_is_a_bar_redrawn_in_place():
    out = Terminal()
    bar = Progress(out)
    bar.start("rebuilding cases from store", 10)
    bar.to(10)
    bar.finish("cases swapped in at position 10")
    text = out.getvalue()
    assert text.startswith("\rrebuilding cases from store:")
    assert "10/10" in text and "100%" in text
    assert "100%" in text.splitlines()[-2]  # the bar is left, full, above the message
    assert text.splitlines()[-1].startswith("cases swapped in at position 10 (")
