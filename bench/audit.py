"""The audit log on PostgreSQL: appending 100,000 events' leaves, proofs at a tree of 1,000,000
leaves, `liandong audit verify` over 100,000 events, and the memory of each.

Set-up (timed apart, not measured): databases made for the run and dropped afterwards; a store
of the demo district and registered cases, first 50,000 events, then 100,000; a tree of
1,000,000 random leaves with no events under it, in a database of its own beside the demo
district (bench.audit_setup).

Measured:
- appending: `AuditLog.run_once()` from an empty log until it holds every stored event, as
  deployed (audit_batch_size 2,000 events a batch; audit_checkpoint_events 1,000, so a
  checkpoint signed and stored after every batch): each batch's notifications read, encoded
  as leaves and hashed, the leaves and the nodes they complete written in one transaction.
  Baseline, same store, same run: the case view rebuilt from the store (services.rebuild,
  what `liandong rebuild cases` does, whose rate bench/rebuild.py measures), in events/s.
- verifying: `Verification(...).run()`, what `liandong audit verify` runs, over the 100,000
  logged events and their checkpoints (the report must find nothing). Baseline: the same
  100,000 notifications read with `app.recorder.select_notifications`, 2,000 a batch, and
  nothing else.
- proofs: 1,000 `TreeStore.inclusion_proof(random index, 1,000,000)` and 1,000
  `TreeStore.consistency_proof(first, second)` between random sizes, one after another on the
  store's pool after 50 to warm up (a few checked against the tree's roots first). Baseline:
  1,000 primary-key SELECTs of one random audit_nodes row with bare psycopg on one connection.
- the routes: `liandong serve` on the tree's database, one uvicorn worker in a process of its
  own; one keep-alive client in this process sends, one after another after 50 to warm up,
  1,000 each of GET /v1/audit/proofs/inclusion?position=<random>&tree_size=1000000 and GET
  /v1/audit/proofs/consistency?first=<random>&second=<random> as a demo officer (a few of the
  answers checked against the tree's root first). Baseline: GET /healthz, the HTTP stack alone.
- memory: this process's peak RSS (getrusage) after each part, the service's own (VmHWM)
  after the routes; and the append's and the verify's peak memory traced by tracemalloc, at
  50,000 and at 100,000 events, in runs apart from the timed ones (tracing slows them).

The log runs on the default suite (SHA-256 with Ed25519), or on the one named by
LIANDONG_BENCH_AUDIT_SUITE (sm3-sm2).

Goals: at least 5,000 leaves/s; inclusion proof p95 at most 10 ms (TreeStore and the route);
the verify at most 20 s; every peak RSS at most 300 MB; the traced peaks at 100,000 events at
most 1.10 of those at 50,000.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import resource
import time
import tracemalloc
from base64 import b64decode
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import psycopg

from bench.audit_setup import audit_store, fresh_log, million_leaf_tree, officer_token, serving
from bench.backbone_setup import fill_store
from bench.client import Connection
from bench.commands import timed
from bench.figures import Run, rate_line, verdict
from bench.http import HOST, free_port, proc_status
from bench.reading import Phase, described_server, get, http_lines, line, sequential
from services.audit import merkle
from services.audit.log import AuditLog
from services.audit.suites import suite
from services.audit.tree_store import TreeStore
from services.audit.verify import Report, Verification
from services.bootstrap import Container
from services.progress import Progress
from services.rebuild import Rebuild

SUITE = suite(os.environ.get("LIANDONG_BENCH_AUDIT_SUITE", "sha256-ed25519"))
DATABASE = "liandong_bench_audit"
TREE_DATABASE = "liandong_bench_audit_tree"
SMALL, LARGE = 50_000, 100_000
TREE_LEAVES = 1_000_000
PROOFS = 1_000
WARM_UP = 50
CHECKED = 20  # proofs checked against the roots before the timing
READ_BATCH = 2_000
NODE_BY_KEY = "SELECT hash FROM audit_nodes WHERE level = %s AND node_index = %s"
SEED = 20261214
BASELINE = "baseline  a node by its key, psycopg"
INCLUSION = f"inclusion_proof(random, {TREE_LEAVES:,})"
CONSISTENCY = "consistency_proof(random, random)"
HEALTHZ = "GET /healthz"
INCLUSION_ROUTE = "GET /v1/audit/proofs/inclusion"
CONSISTENCY_ROUTE = "GET /v1/audit/proofs/consistency"
GOAL_RATE = 5_000
GOAL_P95_MS = 10.0
GOAL_VERIFY_SECONDS = 20.0
GOAL_RSS_MB = 300.0
GOAL_GROWTH = 1.10


# The parts -------------------------------------------------------------------------------


def log_all(log: AuditLog) -> None:
    """Runs the log until it holds every stored event."""
    head = log.app.head_position()
    while log.tree.last_position < head:
        if log.run_once() == 0:
            raise RuntimeError(f"the log stopped at {log.tree.last_position}, short of {head}")


def append(container: Container) -> float:
    """Seconds for an empty log to take in every stored event."""
    log = fresh_log(container)
    started = time.perf_counter()
    log_all(log)
    return time.perf_counter() - started


def verify(container: Container) -> Report:
    settings = container.settings
    report = Verification(
        container.app,
        container.audit_tree(),
        container.checkpoints(),
        settings.audit_signer().verifier(),
        settings.audit_suite_used().tree,
    ).run()
    head = container.app.head_position()
    if not report.verified or report.events != head:
        found = [f.line() for f in report.findings[:5]]
        raise SystemExit(f"the verify saw {report.events} of {head} events; found {found}")
    return report


def seconds_of(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def rebuild_cases(container: Container) -> None:
    Rebuild(container, "cases", Progress(io.StringIO())).run("store")


def read_notifications(container: Container) -> None:
    recorder, start, count = container.app.recorder, 1, 0
    while notes := recorder.select_notifications(
        start=start, limit=READ_BATCH, inclusive_of_start=True
    ):
        count += len(notes)
        start = notes[-1].id + 1
    assert count == container.app.head_position(), count


def traced_mb(run: Callable[[], object]) -> float:
    """The peak of the memory Python allocated while `run` ran, in MB."""
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The proofs ------------------------------------------------------------------------------


def sizes(rng: random.Random, size: int) -> tuple[int, int]:
    first, second = sorted(rng.sample(range(1, size + 1), 2))
    return first, second


def check_proofs(tree: TreeStore, rng: random.Random) -> None:
    """A few proofs as the timing asks for them, checked against the tree's roots."""
    size, root = tree.size, tree.root()
    for _ in range(CHECKED):
        index = rng.randrange(size)
        leaf = tree.nodes([(0, index)])[(0, index)]
        proof = tree.inclusion_proof(index, size)
        assert merkle.verify_inclusion(tree.tree, leaf, index, size, proof, root), index
        first, second = sizes(rng, size)
        proof = tree.consistency_proof(first, second)
        roots = tree.root(first), tree.root(second)
        assert merkle.verify_consistency(tree.tree, first, second, *roots, proof), (first, second)


def warmed(operation: Callable[[], object]) -> Run:
    timed(operation, WARM_UP)
    return timed(operation, PROOFS)


def proofs(url: str, tree: TreeStore) -> dict[str, Run]:
    rng, size = random.Random(SEED), tree.size
    check_proofs(tree, rng)
    with psycopg.connect(url, autocommit=True) as conn:

        def node_by_key() -> object:
            level = rng.randrange(size.bit_length())
            key = (level, rng.randrange(size >> level))
            return conn.execute(NODE_BY_KEY, key, prepare=False).fetchone()

        return {
            BASELINE: warmed(node_by_key),
            INCLUSION: warmed(lambda: tree.inclusion_proof(rng.randrange(size), size)),
            CONSISTENCY: warmed(lambda: tree.consistency_proof(*sizes(rng, size))),
        }


# Over HTTP -------------------------------------------------------------------------------


def route_requests(port: int, bearer: str, size: int) -> dict[str, list[bytes]]:
    """Per route, WARM_UP + PROOFS requests, each for a random position or random sizes."""
    rng, count = random.Random(SEED + 1), WARM_UP + PROOFS
    inclusion = [
        f"/v1/audit/proofs/inclusion?position={rng.randrange(size) + 1}&tree_size={size}"
        for _ in range(count)
    ]
    consistency = [
        "/v1/audit/proofs/consistency?first={}&second={}".format(*sizes(rng, size))
        for _ in range(count)
    ]
    return {
        HEALTHZ: [get(port, "/healthz")] * count,
        INCLUSION_ROUTE: [get(port, path, bearer) for path in inclusion],
        CONSISTENCY_ROUTE: [get(port, path, bearer) for path in consistency],
    }


async def check_route(port: int, prepared: list[bytes], tree: TreeStore) -> None:
    """A few of the route's inclusion proofs checked against the tree's root."""
    connection, root = await Connection.open(HOST, port), tree.root()
    try:
        for request in prepared:
            status, body = await connection.exchange(request)
            assert status == 200, body[:300]
            answer = json.loads(body)
            leaf, path = b64decode(answer["leaf_hash"]), [b64decode(p) for p in answer["proof"]]
            index, size = answer["leaf_index"], answer["tree_size"]
            assert merkle.verify_inclusion(tree.tree, leaf, index, size, path, root), answer
    finally:
        await connection.close()


async def routes(port: int, bearer: str, tree: TreeStore) -> dict[str, Phase]:
    requests = route_requests(port, bearer, tree.size)
    await check_route(port, requests[INCLUSION_ROUTE][:CHECKED], tree)
    phases = {}
    for label, prepared in requests.items():
        await sequential(port, prepared[:WARM_UP], WARM_UP)
        phases[label] = await sequential(port, prepared[WARM_UP:], PROOFS)
    return phases


def over_http(container: Container, tree: TreeStore, figures: Figures) -> None:
    settings, port = container.settings, free_port()
    with serving(settings, port) as process:
        figures.http = asyncio.run(routes(port, officer_token(settings), tree))
        figures.rss["the service, after the routes (its own)"] = proc_status(process.pid, "VmHWM")


# The run ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the run measured, in seconds and MB, and how long each part of the set-up took."""

    setup: dict[str, float] = field(default_factory=dict)
    rebuild: float = 0.0
    append: float = 0.0
    read: float = 0.0
    verify: float = 0.0
    checkpoints: int = 0
    traced: dict[str, list[float]] = field(default_factory=lambda: {"append": [], "verify": []})
    rss: dict[str, float] = field(default_factory=dict)
    proofs: dict[str, Run] = field(default_factory=dict)
    http: dict[str, Phase] = field(default_factory=dict)


def store_parts(container: Container, figures: Figures) -> None:
    """Appending and verifying: traced at 50,000 events; timed, then traced, at 100,000."""
    for events in (SMALL, LARGE):
        filling = partial(fill_store, container.app, events)
        figures.setup[f"fill the store to {events:,} events"] = seconds_of(filling)
        figures.rss[f"filling the store to {events:,}"] = peak_rss_mb()
        if events == LARGE:
            timed_parts(container, figures)
        figures.traced["append"].append(traced_mb(lambda: log_all(fresh_log(container))))
        figures.traced["verify"].append(traced_mb(lambda: verify(container)))
        figures.rss[f"traced runs at {events:,}"] = peak_rss_mb()


def timed_parts(container: Container, figures: Figures) -> None:
    """Each measure beside its baseline: the rebuild and the append, the read and the verify."""
    figures.rebuild = seconds_of(lambda: rebuild_cases(container))
    figures.rss["rebuilding the case view"] = peak_rss_mb()
    figures.append = append(container)
    figures.rss["appending"] = peak_rss_mb()
    figures.read = seconds_of(lambda: read_notifications(container))
    figures.verify = seconds_of(lambda: verify(container))
    figures.rss["verifying"] = peak_rss_mb()
    figures.checkpoints = len(container.checkpoints().all())


def report(described: str, load: tuple[str, str], figures: Figures) -> None:
    lines = [f"the audit log ({SUITE.name}) on {described}; load average {load[0]} at the start"]
    lines.append(f"set-up: {sum(figures.setup.values()):.1f} s (not measured):")
    lines += [f"{'':<8}{label:<52} {s:7.1f} s" for label, s in figures.setup.items()]
    lines.append(f"appending {LARGE:,} events' leaves to an empty log:")
    lines.append(rate_line("baseline  case view rebuilt from the store", LARGE, figures.rebuild))
    lines.append(rate_line("audit log run_once to the head", LARGE, figures.append, "leaves"))
    lines.append(f"ratio     audit log / case view rebuild: {figures.rebuild / figures.append:.2f}")
    lines.append(f"verifying {LARGE:,} events and {figures.checkpoints} checkpoints:")
    lines.append(rate_line("baseline  select_notifications, 2,000 a batch", LARGE, figures.read))
    lines.append(rate_line("Verification.run (liandong audit verify)", LARGE, figures.verify))
    lines.append(
        f"ratio     verify / reading the notifications: {figures.verify / figures.read:.2f}"
    )
    lines.append(f"proofs at a tree of {TREE_LEAVES:,} leaves, {PROOFS:,} each in sequence:")
    lines += [line(f"  {label}", run) for label, run in figures.proofs.items()]
    lines += proof_ratios(figures.proofs)
    lines += route_lines(figures.http)
    lines.append("memory traced (tracemalloc peak) at 50,000 / 100,000 events:")
    for part, (small, large) in figures.traced.items():
        lines.append(f"  {part:<10} {small:7.1f} MB / {large:7.1f} MB  ratio {large / small:.2f}")
    lines.append("this process's peak RSS after each part:")
    lines += [f"  {part:<40} {mb:7.0f} MB" for part, mb in figures.rss.items()]
    lines.append(f"load average {load[1]} at the end")
    lines += goal_lines(figures)
    print("\n".join(lines))


def route_lines(phases: dict[str, Phase]) -> list[str]:
    lines = http_lines(phases, PROOFS)
    base = phases[HEALTHZ].run
    for label in (INCLUSION_ROUTE, CONSISTENCY_ROUTE):
        p50, p95 = (phases[label].run.percentile_ms(q) / base.percentile_ms(q) for q in (0.5, 0.95))
        lines.append(f"ratio     {label} / {HEALTHZ}: p50 {p50:.2f}  p95 {p95:.2f}")
    return lines


def proof_ratios(runs: dict[str, Run]) -> list[str]:
    base, lines = runs[BASELINE], []
    for label in (INCLUSION, CONSISTENCY):
        p50, p95 = (runs[label].percentile_ms(q) / base.percentile_ms(q) for q in (0.50, 0.95))
        lines.append(f"ratio     {label} / baseline: p50 {p50:.2f}  p95 {p95:.2f}")
    return lines


def goal_lines(figures: Figures) -> list[str]:
    rate = LARGE / figures.append
    p95 = figures.proofs[INCLUSION].percentile_ms(0.95)
    route_p95 = figures.http[INCLUSION_ROUTE].run.percentile_ms(0.95)
    rss = max(figures.rss.values())
    lines = [
        verdict("append rate", f"{rate:,.0f} leaves/s", f">= {GOAL_RATE:,}/s", rate >= GOAL_RATE),
        verdict(
            "inclusion proof p95", f"{p95:.2f} ms", f"<= {GOAL_P95_MS:.0f} ms", p95 <= GOAL_P95_MS
        ),
        verdict(
            "inclusion proof p95 over HTTP",
            f"{route_p95:.2f} ms",
            f"<= {GOAL_P95_MS:.0f} ms",
            route_p95 <= GOAL_P95_MS,
        ),
        verdict(
            "verify, 100,000 events",
            f"{figures.verify:.1f} s",
            f"<= {GOAL_VERIFY_SECONDS:.0f} s",
            figures.verify <= GOAL_VERIFY_SECONDS,
        ),
        verdict("peak RSS", f"{rss:.0f} MB", f"<= {GOAL_RSS_MB:.0f} MB", rss <= GOAL_RSS_MB),
    ]
    for part, (small, large) in figures.traced.items():
        growth = large / small
        name = f"{part} traced 100,000 / 50,000"
        lines.append(verdict(name, f"{growth:.2f}", f"<= {GOAL_GROWTH:.2f}", growth <= GOAL_GROWTH))
    return lines


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    start_load = load_average()
    figures = Figures()
    with audit_store(DATABASE, SUITE) as container:
        store_parts(container, figures)
        described = described_server(container.settings.database_url)
    with million_leaf_tree(TREE_DATABASE, SUITE, TREE_LEAVES) as (container, tree, seconds):
        figures.setup[f"append a tree of {TREE_LEAVES:,} random leaves"] = seconds
        figures.rss["filling the tree"] = peak_rss_mb()
        figures.proofs = proofs(container.settings.database_url, tree)
        figures.rss["proving"] = peak_rss_mb()
        over_http(container, tree, figures)
    report(described, (start_load, load_average()), figures)


if __name__ == "__main__":
    main()
