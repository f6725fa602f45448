"""/metrics over HTTP: request latency by route template, commands by type and outcome, the
process, and the same readiness as /readyz."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import auth
from tests.e2e.http import get_case, register

LATENCY = "liandong_http_request_duration_seconds"
COMMANDS = "liandong_commands_total"


def scrape(client, status=200):
    """The scraped samples as {name: [(labels, value), ...]}."""
    response = client.get("/metrics")
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def value(samples, name, **labels):
    found = [v for got, v in samples.get(name, []) if got == labels]
    assert found, f"no {name}{labels} among {samples.get(name)}"
    return found[0]


def test_latency_is_measured_by_route_template_never_by_raw_path(client):
    case = register(client)
    get_case(client, "wang-fang", case["id"], position=case["position"])
    assert client.get(f"/nowhere/{case['id']}").status_code == 404
    samples = scrape(client)
    one_case = {"method": "GET", "route": "/v1/cases/{case_id}", "status": "200"}
    assert value(samples, f"{LATENCY}_count", **one_case) == 1
    assert value(samples, f"{LATENCY}_bucket", **one_case, le="+Inf") == 1
    assert value(samples, f"{LATENCY}_count", method="POST", route="/v1/cases", status="201") == 1
    assert value(samples, f"{LATENCY}_count", method="GET", route="unmatched", status="404") == 1
    routes = {labels["route"] for labels, _ in samples[f"{LATENCY}_count"]}
    assert not any(case["id"] in route for route in routes)


def test_commands_are_counted_by_type_and_outcome(client):
    case = register(client)
    refused = client.post(
        f"/v1/cases/{case['id']}/approve-filing",
        json={"approve": True, "opinion": "同意立案"},
        headers=auth("wang-fang"),
    )
    assert refused.status_code in (403, 409), refused.text
    client.get("/v1/cases", headers=auth("wang-fang"))  # a query: no command
    samples = scrape(client)
    assert value(samples, COMMANDS, type="register_case", outcome="ok") == 1
    outcome = refused.json()["code"]
    assert value(samples, COMMANDS, type="approve_filing", outcome=outcome) == 1
    assert {labels["type"] for labels, _ in samples[COMMANDS]} == {
        "register_case",
        "approve_filing",
    }


def test_a_command_refused_by_its_schema_counts_with_the_problem_code(client):
    response = client.post("/v1/cases", json={}, headers=auth("wang-fang"))
    assert response.status_code == 422
    samples = scrape(client)
    assert value(samples, COMMANDS, type="register_case", outcome="request.invalid") == 1


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process metrics read /proc")
def test_the_process_is_measured(client):
    samples = scrape(client)
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds"):
        assert value(samples, name) >= 0
    assert any(labels.get("implementation") for labels, _ in samples["python_info"])


def test_the_readiness_gauges_agree_with_readyz(client):
    register(client)
    ready = client.get("/readyz").json()
    samples = scrape(client)
    assert value(samples, "liandong_up") == 1
    assert value(samples, "liandong_store_head_position") == ready["store"]["head"]
    for view, state in ready["views"].items():
        assert value(samples, "liandong_view_position", view=view) <= ready["store"]["head"]
        assert value(samples, "liandong_view_lag_events", view=view) >= 0
        assert value(samples, "liandong_dead_letters", view=view) == 0
        assert state["lag"] >= 0
    assert "liandong_relay_lag_events" not in samples  # embedded: nothing to relay


def test_an_unreachable_store_answers_503_with_liandong_up_0(client, demo, monkeypatch):
    def unreachable() -> int:
        raise ConnectionError("the store does not answer")

    monkeypatch.setattr(demo.app, "head_position", unreachable)
    samples = scrape(client, status=503)
    assert value(samples, "liandong_up") == 0
    assert "liandong_view_lag_events" not in samples
