"""Progress of a long job: a tqdm bar on a terminal, plain lines (one every few seconds)
otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

LINE_SECONDS = 5.0
LINE_FORMAT = "{desc}: {n}/{total} ({percentage:.0f}%)"


class Progress:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stderr
        self._bar: tqdm | None = None
        self._started = 0.0

    def start(self, title: str, total: int) -> None:
        terminal = self.out.isatty()
        self._started = time.monotonic()
        self._bar = tqdm(
            desc=title,
            total=max(total, 1),
            unit=" events",
            file=self.out if terminal else _PlainLines(self.out),
            mininterval=0.1 if terminal else LINE_SECONDS,
            bar_format=None if terminal else LINE_FORMAT,
            dynamic_ncols=terminal,
            leave=terminal,  # off a terminal the last line would repeat the one before
        )

    def to(self, done: int) -> None:
        bar = self._bar
        if bar is None:
            return
        if done > bar.total:  # the store grew while the job ran
            bar.total = done
        bar.update(done - bar.n)

    def finish(self, message: str) -> None:
        if self._bar is not None:
            self._bar.close()
        seconds = time.monotonic() - self._started
        self.out.write(f"{message} ({seconds:.1f} s)\n")
        self.out.flush()


class _PlainLines:
    """What tqdm writes to, off a terminal: each redraw (carriage return, meter, padding to
    overwrite the last one) becomes a line of its own, fit for a log."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        line = text.strip("\r\n ")
        if line:
            self.out.write(line + "\n")
        return len(text)

    def flush(self) -> None:
        self.out.flush()
