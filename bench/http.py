"""HTTP throughput of the service: POST /v1/cases against GET /healthz, 16 clients, in both modes.

Measured: `liandong serve`, one uvicorn worker in a process of its own, first on its embedded
default (SQLite in a temporary directory, the projection runner on in the process, as when it
is deployed so), then in Kafka mode (PostgreSQL in a database made for the run, the views out of
the API's process: they are a projector's, not running here, so the API does the command path
only).
A load generator in this process (asyncio and the lean client in bench.client) keeps 16
keep-alive clients busy: first 3,000 GET /healthz, the app's constant answer and the baseline
for the HTTP stack itself, then 3,000 POST /v1/cases, each registering a case as the demo
officer wang-fang. Every request's latency is recorded, and the CPU both processes used while
each phase ran.

Goals: the case rate is at least 0.25 of the healthz rate, the case p99 latency at most 100 ms,
and the server's resident memory after the run at most 200 MB.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.client import Connection, answers, request
from bench.commands import bench_database
from bench.figures import Run, verdict
from services.demo import OFFICERS
from services.tokens import mint

PROJECT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CLIENTS = 16
HEALTHZ_REQUESTS = 3_000
CASE_REQUESTS = 3_000
WARM_UP = 50
START_TIMEOUT = 60.0
GOAL_RATIO = 0.25
GOAL_P99_MS = 100.0
GOAL_RSS_MB = 200.0
SATURATED = 0.9  # a process using this share of one core or more is the bottleneck
OFFICER = "wang-fang"
DATABASE = "liandong_bench_http"
# Kafka mode needs no broker for commands: the relay and the projectors are other processes.
KAFKA_BOOTSTRAP = os.environ.get("LIANDONG_BENCH_KAFKA", "127.0.0.1:19092")

CASE_BODY = {
    "source": {"kind": "inspection"},
    "procedure": "general",
    "summary": "未按规定对从业人员进行安全生产教育和培训",
    "party": {"kind": "organisation", "name": "天津某化工有限公司"},
    "place": {"region": "120116", "address": "中塘镇工业园区"},
    "occurred_at": "2026-11-20T09:00:00+08:00",
}


@dataclass(frozen=True)
class Phase:
    """One load phase: the timings, answers other than the expected one (and the first such
    answer's body), the CPU each side used (in cores: CPU seconds per wall second)."""

    run: Run
    failures: Counter[int]
    sample: str
    client_cores: float
    server_cores: float


# The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(var_dir: Path, secret: str, store: str | None) -> dict[str, str]:
    """The server's settings: the embedded default, or a PostgreSQL store in Kafka mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANDONG_")}
    env.update(
        LIANDONG_DATABASE_URL=store or f"sqlite:///{var_dir / 'events.sqlite3'}",
        LIANDONG_VAR_DIR=str(var_dir),
        LIANDONG_JWT_SECRET=secret,
        PYTHONUNBUFFERED="1",
    )
    if store is not None:
        env["LIANDONG_KAFKA_BOOTSTRAP"] = KAFKA_BOOTSTRAP
    return env


@contextmanager
def server(
    var_dir: Path, port: int, secret: str, store: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`liandong serve` (the demo district seeded first in Kafka mode), stopped on leaving."""
    env = server_env(var_dir, secret, store)
    if store is not None:
        seed = [sys.executable, "-m", "services.cli", "seed-demo"]
        subprocess.run(seed, cwd=PROJECT, env=env, check=True, capture_output=True)
    command = [sys.executable, "-m", "services.cli", "serve", "--host", HOST, "--port", str(port)]
    with open(var_dir / "server.log", "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}:\n{tail(log)}")
        if asyncio.run(answers(HOST, port, healthz_request(port))) == 200:
            return
        time.sleep(0.1)
    raise SystemExit(f"the server did not answer /healthz in {START_TIMEOUT:.0f} s:\n{tail(log)}")


def tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def proc_status(pid: int, field: str) -> float:
    """A /proc/<pid>/status memory figure (e.g. VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The load --------------------------------------------------------------------------------


def officer_token(secret: str) -> str:
    agency, roles = next((a, r) for o, _, a, r, _ in OFFICERS if o == OFFICER)
    return mint(secret, officer=OFFICER, agency=agency, roles=[r.value for r in roles])


def healthz_request(port: int) -> bytes:
    return request("GET", "/healthz", f"{HOST}:{port}")


def case_request(port: int, token: str) -> bytes:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps(CASE_BODY, ensure_ascii=False).encode()
    return request("POST", "/v1/cases", f"{HOST}:{port}", headers, body)


async def hammer(port: int, prepared: bytes, count: int, expected: int, server_pid: int) -> Phase:
    """`count` requests from CLIENTS connected clients, each sending its next request as soon
    as its last is answered."""
    connections = [await Connection.open(HOST, port) for _ in range(CLIENTS)]
    remaining = iter(range(count))
    latencies: list[float] = []
    failures: Counter[int] = Counter()
    samples: list[bytes] = []

    async def one_client(connection: Connection) -> None:
        for _ in remaining:
            before = time.perf_counter()
            status, body = await connection.exchange(prepared)
            latencies.append(time.perf_counter() - before)
            if status != expected:
                failures[status] += 1
                samples.append(body)

    client_cpu, server_cpu = time.process_time(), cpu_seconds(server_pid)
    started = time.perf_counter()
    await asyncio.gather(*(one_client(c) for c in connections))
    seconds = time.perf_counter() - started
    client_cores = (time.process_time() - client_cpu) / seconds
    server_cores = (cpu_seconds(server_pid) - server_cpu) / seconds
    for connection in connections:
        await connection.close()
    return Phase(
        run=Run(count, seconds, latencies),
        failures=failures,
        sample=samples[0].decode(errors="replace")[:300] if samples else "",
        client_cores=client_cores,
        server_cores=server_cores,
    )


async def load(port: int, token: str, server_pid: int) -> tuple[Phase, Phase]:
    """Warms both endpoints up, then the healthz phase, then the cases phase."""
    healthz, case = healthz_request(port), case_request(port, token)
    await hammer(port, healthz, WARM_UP, 200, server_pid)
    await hammer(port, case, WARM_UP, 201, server_pid)
    healthz_phase = await hammer(port, healthz, HEALTHZ_REQUESTS, 200, server_pid)
    cases_phase = await hammer(port, case, CASE_REQUESTS, 201, server_pid)
    return healthz_phase, cases_phase


# The report ------------------------------------------------------------------------------


def phase_lines(label: str, phase: Phase) -> list[str]:
    lines = [
        phase.run.line(label),
        f"{'':<10}CPU while it ran: server {phase.server_cores:.2f} cores, "
        f"load generator {phase.client_cores:.2f} cores",
    ]
    if phase.failures:
        answers = ", ".join(f"{n} x {status}" for status, n in sorted(phase.failures.items()))
        lines.append(f"{'':<10}unexpected answers: {answers}; the first: {phase.sample}")
    return lines


def saturation_note(phases: dict[str, Phase]) -> list[str]:
    busy = [name for name, phase in phases.items() if phase.client_cores >= SATURATED]
    if not busy:
        return []
    return [
        f"note: the load generator used a whole core during {' and '.join(busy)} "
        f"({os.cpu_count()} cores in this machine, shared with the server), so those rates may "
        "be capped by the client rather than the service."
    ]


def goal_lines(ratio: float, p99: float, rss_mb: float) -> list[str]:
    return [
        verdict(
            "case rate / healthz rate", f"{ratio:.2f}", f">= {GOAL_RATIO}", ratio >= GOAL_RATIO
        ),
        verdict(
            "case p99 latency", f"{p99:.1f} ms", f"<= {GOAL_P99_MS:.0f} ms", p99 <= GOAL_P99_MS
        ),
        verdict(
            "server VmRSS", f"{rss_mb:.0f} MB", f"<= {GOAL_RSS_MB:.0f} MB", rss_mb <= GOAL_RSS_MB
        ),
    ]


def report(title: str, healthz: Phase, cases: Phase, rss_mb: float, peak_mb: float) -> None:
    ratio = cases.run.rate / healthz.run.rate
    lines = [f"{title}, one uvicorn worker, {CLIENTS} keep-alive clients"]
    lines += phase_lines("healthz   GET /healthz", healthz)
    lines += phase_lines("cases     POST /v1/cases", cases)
    lines.append(f"ratio     cases / healthz: {ratio:.2f}")
    lines.append(f"server    VmRSS {rss_mb:.0f} MB after the run (peak VmHWM {peak_mb:.0f} MB)")
    lines += goal_lines(ratio, cases.run.percentile_ms(0.99), rss_mb)
    lines += saturation_note({"healthz": healthz, "cases": cases})
    print("\n".join(lines))


def measure(title: str, store: str | None) -> None:
    secret = secrets.token_urlsafe(32)
    port = free_port()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        var_dir = Path(tmp)
        with server(var_dir, port, secret, store) as process:
            wait_until_healthy(port, process, var_dir / "server.log")
            healthz, cases = asyncio.run(load(port, officer_token(secret), process.pid))
            rss_mb = proc_status(process.pid, "VmRSS")
            peak_mb = proc_status(process.pid, "VmHWM")
    report(title, healthz, cases, rss_mb, peak_mb)


def main() -> None:
    measure("embedded service (SQLite, views in the process)", None)
    print()
    with bench_database(DATABASE) as url:
        measure("Kafka mode (PostgreSQL, views out of the API's process)", url)


if __name__ == "__main__":
    main()
