"""What the benchmarks share: latency percentiles, rates and goal verdicts, printed the same way."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """One timed run: how many operations, the wall time and each operation's latency."""

    ops: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.ops / self.seconds

    def percentile_ms(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000

    def line(self, label: str) -> str:
        return (
            f"{label:<48} {self.ops:>6,} ops in {self.seconds:6.2f} s  {self.rate:>8,.0f} ops/s  "
            f"p50 {self.percentile_ms(0.50):6.2f} ms  p99 {self.percentile_ms(0.99):6.2f} ms"
        )


def merge(runs: list[Run]) -> Run:
    return Run(
        ops=sum(r.ops for r in runs),
        seconds=sum(r.seconds for r in runs),
        latencies=[x for r in runs for x in r.latencies],
    )


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q of the values at or
    below it."""
    ordered = sorted(values)
    rank = max(math.ceil(q * len(ordered)), 1)
    return ordered[rank - 1]


def verdict(name: str, value: str, goal: str, met: bool) -> str:
    return f"goal  {name:<36} {value:>12}  (goal {goal})  {'PASS' if met else 'MISS'}"


def rate_line(label: str, count: int, seconds: float, unit: str = "events") -> str:
    """One throughput figure: how many, in how long, how many a second."""
    return f"{label:<48} {count:>7,} {unit} in {seconds:6.2f} s  {count / seconds:>9,.0f} {unit}/s"
