"""Tokens issued by an identity provider (RS256 keys from its JWKS) over HTTP."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from services.api.main import create_app
from services.bootstrap import build
from services.demo import seed
from services.settings import Settings
from tests.conftest import AGENCY, ROLES
from tests.e2e.http import assert_problem
from tests.signing import KeyPair, claims_for, jwks_server

KEYS = KeyPair.make("RS256")


@pytest.fixture
def provider():
    with jwks_server(KEYS) as server:
        yield server


@pytest.fixture
def idp_client(settings, clock, provider):
    changes = {"jwt_algorithm": "RS256", "jwt_jwks_url": provider.url, "jwt_secret": None}
    container = build(Settings(**{**settings.model_dump(), **changes}), clock=clock)
    seed(container.app)
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield client
    container.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def officer_claims(officer: str, **changes):
    return claims_for(officer, AGENCY[officer], ROLES[officer], **changes)


def test_an_officer_acts_with_the_identity_providers_token(idp_client):
    token = KEYS.sign(officer_claims("wang-fang"))
    assert idp_client.get("/v1/cases", headers=bearer(token)).status_code == 200


def test_a_hundred_year_token_is_401(idp_client):
    now = int(time.time())
    token = KEYS.sign(officer_claims("wang-fang", exp=now + 100 * 365 * 86400))
    response = idp_client.get("/v1/cases", headers=bearer(token))
    assert_problem(response, 401, "auth.token_lifetime_exceeded")
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_signed_by_another_key_is_401(idp_client):
    stranger = KeyPair.make("RS256")
    response = idp_client.get("/v1/cases", headers=bearer(stranger.sign(officer_claims("wu-gang"))))
    assert_problem(response, 401, "auth.token_invalid")


def test_an_unreachable_identity_provider_is_503(idp_client, provider):
    provider.down = True
    token = KEYS.sign(officer_claims("wang-fang"))
    response = idp_client.get("/v1/cases", headers=bearer(token))
    assert_problem(response, 503, "auth.keys_unavailable")
    assert response.headers["retry-after"]
