"""A bounded schemathesis run over the OpenAPI: no input gets a 500 or an answer off-schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domain.ids import agency_id, officer_id
from services.api.main import create_app
from services.bootstrap import build
from services.demo import seed
from services.settings import Settings
from tests.conftest import SECRET, auth
from tests.scenarios import filed_office_case
from tests.support import FakeClock


@schemathesis.check
def no_server_error(ctx, response, case):
    """A 503 for views that have not reached min_position is the contract; any other 5xx fails."""
    if response.status_code >= 500 and not (
        response.status_code == 503 and response.json().get("code") == "views.behind"
    ):
        raise AssertionError(f"server error {response.status_code}: {response.text[:300]}")


CHECKS = [
    no_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ADMIN_PATHS = ("/v1/agencies", "/v1/officers", "/v1/calendar")
EXAMPLES_PER_OPERATION = 15
# The operations are shared out among this many tests, which parallel workers run side by side.
SHARDS = 4
# Ids of other kinds anyone can compute (uuid5 of public names) or see: each must be a 404.
FOREIGN_IDS = (str(officer_id("wang-fang")), str(agency_id("tj-bh-yjj")))
ID_PARAMETERS = ("case_id", "referral_id", "dispute_id", "transfer_id")


@pytest.fixture
def app(tmp_path):
    # An embedded container of its own, with a filed case so generated ids sometimes hit data.
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'events.sqlite3'}",
        jwt_secret=SECRET,
        var_dir=tmp_path,
        projection_poll_seconds=0.05,
        min_position_wait_seconds=0.2,
    )
    container = build(settings, clock=FakeClock())
    seed(container.app)
    filed_office_case(container.app)
    yield create_app(container)
    container.close()


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_input_gets_a_500_or_an_off_schema_answer(app, shard):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations[shard::SHARDS]:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            exercise(operation, mode)


def with_foreign_ids(case):
    """The same request with an officer's or an agency's id where a resource's id goes."""
    names = [n for n in ID_PARAMETERS if n in (case.path_parameters or {})]
    for foreign in FOREIGN_IDS if names else ():
        case.path_parameters = {**case.path_parameters, **dict.fromkeys(names, foreign)}
        response = case.call(headers=auth("wang-fang"))
        assert response.status_code in (400, 404, 412, 413, 422), (case.path, response.text[:300])


def exercise(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def call(case):
        is_admin_write = case.method != "GET" and case.operation.path.startswith(ADMIN_PATHS)
        case.call_and_validate(
            headers=auth("admin" if is_admin_write else "wang-fang"), checks=CHECKS
        )
        if mode == GenerationMode.POSITIVE and not is_admin_write:
            case.call_and_validate(headers=auth("admin"), checks=CHECKS)  # party to nothing
            with_foreign_ids(case)

    try:
        call()
    except Unsatisfiable:
        # An operation with no parameters and no body has nothing to make invalid.
        assert mode == GenerationMode.NEGATIVE
