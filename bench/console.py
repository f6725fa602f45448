"""The console's pages against the API answers they are drawn from.

Set-up (not measured): the embedded default (SQLite in a temporary directory) with the demo
district seeded and 200 referrals sent from the bureau to market regulation, 200 cases
registered and one meeting held with its minutes issued; `liandong serve`'s app under uvicorn
in this process, on a port of its own.

Measured: one keep-alive client signed in as the market regulation liaison 朱霞 sends, one
after another after a warm-up, 200 of each: the inbox page (/console/referrals), one referral's
page (its document, its open acts and their forms) and the home page (what needs her now); as
baselines, the API answers each page is drawn from (GET /v1/inbox, GET /v1/referrals/{id}).

Goal: every page's p95 is at most 300 ms.
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from bench.figures import Run, verdict
from bench.http import free_port
from services.api.main import create_app
from services.bootstrap import build
from services.demo import seed
from services.settings import Settings
from services.tokens import mint
from tests.scenarios import case_acts, filed_office_case, issued_minutes, sent_referral
from tests.support import FakeClock

REQUESTS = 200
WARM_UP = 20
MADE = 200
GOAL_P95_MS = 300.0
OFFICER, AGENCY, ROLES = "zhu-xia", "tj-bh-scjg", ["officer", "liaison"]


def timed(client: httpx.Client, path: str) -> Run:
    for _ in range(WARM_UP):
        client.get(path)
    latencies = []
    started = time.perf_counter()
    for _ in range(REQUESTS):
        began = time.perf_counter()
        answer = client.get(path)
        latencies.append(time.perf_counter() - began)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
    return Run(REQUESTS, time.perf_counter() - started, latencies)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        var = Path(directory)
        clock = FakeClock()
        settings = Settings(database_url=f"sqlite:///{var / 'events.sqlite3'}", var_dir=var)
        container = build(settings, clock=clock)
        seed(container.app)
        referral = sent_referral(container.app).aggregate.id
        for _ in range(MADE - 1):
            sent_referral(container.app)
        for _ in range(MADE):
            filed_office_case(container.app)
        issued_minutes(container.app, clock)
        case_acts(container.app)  # the handlers warmed
        container.wait_for(container.app.head_position(), 60)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        token = mint(settings.signing_secret(), officer=OFFICER, agency=AGENCY, roles=ROLES)
        base = f"http://127.0.0.1:{port}"
        try:
            report(base, token, referral)
        finally:
            server.should_exit = True
            thread.join(10)
            container.close()


def signed_in(base: str, token: str) -> httpx.Client:
    client = httpx.Client(base_url=base)
    shown = client.get("/console/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', shown.text)
    assert csrf is not None
    client.post("/console/signin", data={"token": token, "csrf": csrf[1]})
    return client


def report(base: str, token: str, referral: object) -> None:
    console = signed_in(base, token)
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
    pairs = {
        "inbox page": (console, "/console/referrals", api, "/v1/inbox"),
        "referral page": (
            console,
            f"/console/referrals/{referral}",
            api,
            f"/v1/referrals/{referral}",
        ),
        "home page": (console, "/console/", api, "/v1/inbox"),
    }
    print(f"the console on the embedded default, {REQUESTS} sequential GETs each, as {OFFICER}")
    misses = []
    for name, (page_client, page, api_client, baseline) in pairs.items():
        shown, drawn_from = timed(page_client, page), timed(api_client, baseline)
        print(shown.line(name))
        print(drawn_from.line(f"  baseline: its API answer, GET {baseline.split('/')[2]}"))
        ratio = shown.percentile_ms(0.5) / drawn_from.percentile_ms(0.5)
        print(f"  the page takes {ratio:.1f}× its API answer (p50)")
        p95 = shown.percentile_ms(0.95)
        line = verdict(
            f"{name} p95", f"{p95:.1f} ms", f"≤ {GOAL_P95_MS:.0f} ms", p95 <= GOAL_P95_MS
        )
        print(line)
        misses += [name] if p95 > GOAL_P95_MS else []
    if misses:
        raise SystemExit(f"missed: {', '.join(misses)}")


if __name__ == "__main__":
    main()
