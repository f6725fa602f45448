"""The console speaks to officers in Chinese: every status a resource's lifecycle leaves it in
and every act a person may be offered on it has its words, so no page shows a code."""

from __future__ import annotations

import pytest

from domain.lifecycle import FollowsLifecycle
from projections import case_steps, crime_transfer_steps
from services import catalogue
from services.api.main import create_app
from services.bootstrap import build
from services.console.labels import (
    STATUSES,
    STEPS,
    act_label,
    deadline_label,
    event_label,
    option_label,
    rule_label,
)
from services.settings import Settings

# Each lifecycle with its kind of resource.
LIFECYCLES = {
    aggregate.__name__: (aggregate.lifecycle, kind.name)
    for kind in catalogue.KINDS
    for aggregate in kind.aggregates
    if issubclass(aggregate, FollowsLifecycle)
}
# Acts another resource's decision takes (a dispute's settles its referral): offered to nobody.
TAKEN_BY_ANOTHER = {"settle"}


@pytest.mark.parametrize("name", sorted(LIFECYCLES))
def test_every_status_of_a_lifecycle_has_its_words(name):
    statuses = {str(s) for s in LIFECYCLES[name][0].after.values()}
    assert statuses, name
    assert sorted(statuses - STATUSES.keys()) == []


@pytest.mark.parametrize("name", sorted(LIFECYCLES))
def test_every_act_a_person_takes_has_its_words(name):
    lifecycle, kind = LIFECYCLES[name]
    acts = set(lifecycle.acts) - TAKEN_BY_ANOTHER
    assert acts, name
    assert sorted(a for a in acts if act_label(a, kind) == a) == []


@pytest.mark.parametrize("name", sorted(LIFECYCLES))
def test_every_event_of_a_resources_history_has_its_words(name):
    aggregate, kind = next(
        (a, k.name) for k in catalogue.KINDS for a in k.aggregates if a.__name__ == name
    )
    events = {n for n, v in vars(aggregate).items() if _is_event(v)}
    assert events, name
    assert sorted(e for e in events if event_label(e, kind) == e) == []


def _is_event(value: object) -> bool:
    # `Event` and `Created` are the library's bases: the first event is named by the aggregate.
    named = isinstance(value, type) and value.__name__ not in ("Event", "Created")
    return named and issubclass(value, FollowsLifecycle.Event)  # type: ignore[arg-type]


def test_a_name_on_two_resources_is_told_apart_by_its_kind():
    assert act_label("acknowledge", "referral") == "签收"
    assert act_label("acknowledge", "meeting") == "确认收到纪要"
    assert event_label("Opened", "dispute") != event_label("Opened", "crime-transfer")


def test_a_time_limits_rule_is_said_in_words():
    assert rule_label("3 working days before") == "提前3个工作日"
    assert rule_label("24 hours") == "24小时"
    assert rule_label("fixed") == "指定日期"


def test_every_step_of_a_case_has_its_words():
    steps = {name for _, name in case_steps.STEPS} | {case_steps.current_step(FILED)}
    assert sorted(steps - STEPS.keys()) == []


FILED = {"status": "filed", "forms": [], "documents": []}  # filed, with nothing done since


def test_every_step_of_a_crime_transfer_has_its_words():
    steps = set(crime_transfer_steps.DEADLINE_PARTY) | set(crime_transfer_steps.WINDOW_ACT)
    assert sorted(s for s in steps if deadline_label(s) == s) == []


def test_every_choice_a_form_offers_an_officer_has_its_words(tmp_path):
    spec = _openapi(tmp_path)
    choices = _choices(spec, _officer_request_bodies(spec))
    assert choices, "no form offers a choice"
    assert sorted(c for c in choices if option_label(c) == c) == []


# The register's own forms (agencies, officers, holidays): kept by administrators, in codes.
ADMIN_PATHS = ("/v1/agencies", "/v1/officers", "/v1/calendar")


def _openapi(tmp_path) -> dict:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'e.sqlite3'}", var_dir=tmp_path)
    container = build(settings)
    try:
        return create_app(container).openapi()
    finally:
        container.close()


def _officer_request_bodies(spec: dict) -> list[dict]:
    return [
        op["requestBody"]
        for path, ops in spec["paths"].items()
        if not path.startswith(ADMIN_PATHS)
        for method, op in ops.items()
        if method == "post" and "requestBody" in op
    ]


def _choices(spec: dict, roots: list[dict]) -> set[str]:
    """Every string an `enum` of these schemas allows, following their references."""
    schemas, found, seen = spec["components"]["schemas"], set(), set()
    waiting: list = list(roots)
    while waiting:
        node = waiting.pop()
        if isinstance(node, list):
            waiting.extend(node)
        elif isinstance(node, dict):
            name = node.get("$ref", "").rpartition("/")[2]
            if name and name not in seen:
                seen.add(name)
                waiting.append(schemas[name])
            found.update(v for v in node.get("enum", ()) if isinstance(v, str))
            waiting.extend(node.values())
    return found
