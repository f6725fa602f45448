"""Progress of a long job: a bar on a terminal, plain lines (one every few seconds) otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 30
LINE_SECONDS = 5.0


class Progress:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stderr
        self.bar = self.out.isatty()
        self.total = 0
        self.done = 0
        self.title = ""
        self._started = self._last = 0.0

    def start(self, title: str, total: int) -> None:
        self.title, self.total = title, max(total, 1)
        self._started = self._last = time.monotonic()
        self._write(force=True)

    def to(self, done: int) -> None:
        self.done = done
        self._write()

    def finish(self, message: str) -> None:
        seconds = time.monotonic() - self._started
        end = "\n" if self.bar else ""
        self.out.write(f"{end}{message} ({seconds:.1f} s)\n")
        self.out.flush()

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        share = min(self.done / self.total, 1.0)
        if self.bar:
            filled = int(share * BAR_WIDTH)
            line = f"\r{self.title} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%}"
            self.out.write(f"{line} {self.done}/{self.total}")
        elif force or now - self._last >= LINE_SECONDS:
            self.out.write(f"{self.title}: {self.done}/{self.total} ({share:.0%})\n")
        else:
            return
        self._last = now
        self.out.flush()
