"""Tokens of an identity provider (RS256, ES256; a PEM key or a JWKS), lifetimes, issuers."""

from __future__ import annotations

import time
from importlib import metadata

import jwt
import pytest
from pydantic import ValidationError

from services import token_keys
from services.bootstrap import verifier_for
from services.cli import main
from services.settings import Settings
from services.tokens import KeysUnavailable, TokenInvalid, mint
from tests.signing import KeyPair, claims_for, jwks_server

SECRET = "a-secret-for-the-token-tests-that-is-long"


def provider_settings(tmp_path, **changes) -> Settings:
    return Settings(var_dir=tmp_path, jwt_secret=None, **changes)


def invalid(verifier, token: str) -> TokenInvalid | KeysUnavailable:
    with pytest.raises((TokenInvalid, KeysUnavailable)) as raised:
        verifier.verify(token)
    return raised.value


def test_the_package_brings_the_cryptography_that_rs256_and_es256_need():
    requirements = [r.replace(" ", "").lower() for r in metadata.requires("liandong") or []]
    assert any(r.startswith("pyjwt[crypto]") for r in requirements), requirements


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_a_token_signed_by_the_identity_provider_verifies_with_its_pem_key(tmp_path, algorithm):
    keys = KeyPair.make(algorithm)
    settings = provider_settings(tmp_path, jwt_algorithm=algorithm, jwt_public_key=keys.pem())
    claims = verifier_for(settings).verify(keys.sign(claims_for("wang-fang", "tj-bh", ["officer"])))
    assert (claims.officer, claims.agency, claims.roles) == ("wang-fang", "tj-bh", ["officer"])


def test_a_pem_key_may_sit_on_one_line_with_escaped_newlines(tmp_path):
    keys = KeyPair.make("ES256")
    one_line = keys.pem().strip().replace("\n", "\\n")
    settings = provider_settings(tmp_path, jwt_algorithm="ES256", jwt_public_key=one_line)
    assert verifier_for(settings).verify(keys.sign(claims_for("a", "b", []))).officer == "a"


def test_the_public_key_cannot_be_used_as_a_shared_secret(tmp_path):
    keys = KeyPair.make("RS256")
    verifier = verifier_for(
        provider_settings(tmp_path, jwt_algorithm="RS256", jwt_public_key=keys.pem())
    )
    other = KeyPair.make("RS256")
    assert invalid(verifier, other.sign(claims_for("a", "b", []))).code == "auth.token_invalid"
    forged = jwt.encode(claims_for("a", "b", []), SECRET, algorithm="HS256")
    assert invalid(verifier, forged).code == "auth.token_invalid"


JWKS_HTTPS = "LIANDONG_JWT_JWKS_URL must be an https:// URL"
RSA, SMALL_RSA, EC = (
    KeyPair.make("RS256"),
    KeyPair.make("RS256", rsa_bits=1024),
    KeyPair.make("ES256"),
)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"jwt_algorithm": "hs256"}, "LIANDONG_JWT_ALGORITHM must be one of HS256, RS256, ES256"),
        ({"jwt_algorithm": "none"}, "LIANDONG_JWT_ALGORITHM"),
        ({"jwt_algorithm": "ES256"}, "LIANDONG_JWT_PUBLIC_KEY (PEM) or LIANDONG_JWT_JWKS_URL"),
        ({"jwt_algorithm": "RS256", "jwt_public_key": "not a key"}, "not a PEM public key"),
        ({"jwt_algorithm": "ES256", "jwt_public_key": RSA.pem()}, "P-256"),
        ({"jwt_algorithm": "RS256", "jwt_public_key": EC.pem()}, "must be an RSA key"),
        ({"jwt_algorithm": "RS256", "jwt_public_key": SMALL_RSA.pem()}, "at least 2048 bits"),
        (
            {"jwt_algorithm": "RS256", "jwt_public_key": RSA.pem(), "jwt_jwks_url": "https://x/"},
            "exactly one of them",
        ),
        ({"jwt_algorithm": "RS256", "jwt_jwks_url": "http://idp.example/jwks"}, JWKS_HTTPS),
        ({"jwt_algorithm": "RS256", "jwt_jwks_url": "file:///etc/passwd"}, JWKS_HTTPS),
        ({"jwt_public_key": RSA.pem()}, "set LIANDONG_JWT_ALGORITHM"),
        ({"jwt_max_lifetime_hours": 0}, "jwt_max_lifetime_hours"),
    ],
)
def test_unusable_token_settings_are_refused_naming_the_setting(tmp_path, changes, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        provider_settings(tmp_path, **changes)


def test_the_service_does_not_start_on_an_unusable_key(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", f"sqlite:///{tmp_path}/store.sqlite3")
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LIANDONG_JWT_ALGORITHM", "RS256")
    monkeypatch.setenv("LIANDONG_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n")
    assert main(["seed-demo"]) == 2
    err = capsys.readouterr().err
    assert "settings are not valid" in err and "LIANDONG_JWT_PUBLIC_KEY" in err


def test_a_token_longer_lived_than_the_cap_is_refused(tmp_path):
    verifier = verifier_for(Settings(var_dir=tmp_path, jwt_secret=SECRET))
    now = int(time.time())
    century = {"sub": "a", "iat": now, "exp": now + 100 * 365 * 86400}
    no_iat = {"sub": "a", "exp": now + 25 * 3600}
    as_text = {"sub": "a", "iat": str(now), "exp": str(now + 25 * 3600)}
    for claims in (century, no_iat, as_text):
        token = jwt.encode(claims, SECRET, algorithm="HS256")
        assert invalid(verifier, token).code == "auth.token_lifetime_exceeded"
    # Issued long ago and still valid for an hour: its lifetime is what counts.
    old = jwt.encode({"sub": "a", "iat": now - 30 * 3600, "exp": now + 3600}, SECRET, "HS256")
    assert invalid(verifier, old).code == "auth.token_lifetime_exceeded"
    fine = mint(SECRET, officer="a", agency="b", roles=[], hours=24)
    assert verifier.verify(fine).officer == "a"


def test_the_cap_is_a_setting(tmp_path):
    verifier = verifier_for(Settings(var_dir=tmp_path, jwt_secret=SECRET, jwt_max_lifetime_hours=1))
    token = mint(SECRET, officer="a", agency="b", roles=[], hours=2)
    assert invalid(verifier, token).code == "auth.token_lifetime_exceeded"


def test_issuer_and_audience_are_checked_when_set(tmp_path):
    settings = Settings(
        var_dir=tmp_path, jwt_secret=SECRET, jwt_issuer="https://idp", jwt_audience="liandong"
    )
    verifier = verifier_for(settings)
    right = mint(
        SECRET, officer="a", agency="b", roles=[], issuer="https://idp", audience="liandong"
    )
    assert verifier.verify(right).officer == "a"
    for issuer, audience in ((None, None), ("https://other", "liandong"), ("https://idp", "x")):
        token = mint(SECRET, officer="a", agency="b", roles=[], issuer=issuer, audience=audience)
        assert invalid(verifier, token).code == "auth.token_invalid"


def test_the_command_line_refuses_tokens_beyond_the_cap(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", f"sqlite:///{tmp_path}/store.sqlite3")
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    assert main(["token", "--officer", "ops", "--admin", "--hours", "48"]) == 2
    assert "LIANDONG_JWT_MAX_LIFETIME_HOURS (24)" in capsys.readouterr().err
    monkeypatch.setenv("LIANDONG_JWT_MAX_LIFETIME_HOURS", "48")
    assert main(["token", "--officer", "ops", "--admin", "--hours", "48"]) == 0
    token = capsys.readouterr().out.strip()
    assert verifier_for(Settings()).verify(token).is_admin


def test_the_command_line_mints_no_tokens_for_an_identity_provider(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LIANDONG_JWT_ALGORITHM", "ES256")
    monkeypatch.setenv("LIANDONG_JWT_PUBLIC_KEY", EC.pem())
    assert main(["token", "--officer", "ops", "--admin"]) == 2
    assert "identity provider issues ES256 tokens" in capsys.readouterr().err


def jwks_verifier(tmp_path, url: str, algorithm: str = "RS256"):
    return verifier_for(provider_settings(tmp_path, jwt_algorithm=algorithm, jwt_jwks_url=url))


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_keys_come_from_the_jwks_url_once_per_cache_lifetime(tmp_path, algorithm):
    keys = KeyPair.make(algorithm)
    with jwks_server(keys) as server:
        verifier = jwks_verifier(tmp_path, server.url, algorithm)
        assert verifier.fetches_keys
        for officer in ("a", "b", "c"):
            assert verifier.verify(keys.sign(claims_for(officer, "x", []))).officer == officer
        assert server.fetches == 1


def test_a_rotated_key_is_fetched_by_its_kid(tmp_path, monkeypatch):
    monkeypatch.setattr(token_keys, "UNKNOWN_KEY_COOLDOWN_SECONDS", 0)
    old, new = KeyPair.make("RS256", kid="2026-01"), KeyPair.make("RS256", kid="2026-07")
    with jwks_server(old) as server:
        verifier = jwks_verifier(tmp_path, server.url)
        assert verifier.verify(old.sign(claims_for("a", "x", []))).officer == "a"
        server.keys = [new]
        assert verifier.verify(new.sign(claims_for("b", "x", []))).officer == "b"
        assert server.fetches == 2


def test_unknown_kids_do_not_make_every_request_fetch(tmp_path):
    keys = KeyPair.make("RS256")
    with jwks_server(keys) as server:
        verifier = jwks_verifier(tmp_path, server.url)
        verifier.verify(keys.sign(claims_for("a", "x", [])))
        for kid in ("nope-1", "nope-2", "nope-3", None):
            token = keys.sign(claims_for("a", "x", []), kid=kid)
            assert invalid(verifier, token).code == "auth.token_invalid"
        assert server.fetches == 1  # within the cooldown of the first fetch


def test_an_unreachable_key_set_is_503_and_not_retried_at_once(tmp_path):
    keys = KeyPair.make("RS256")
    with jwks_server(keys) as server:
        server.down = True
        verifier = jwks_verifier(tmp_path, server.url)
        token = keys.sign(claims_for("a", "x", []))
        for _ in range(3):
            refused = invalid(verifier, token)
            assert (refused.code, refused.status) == ("auth.keys_unavailable", 503)
        assert server.fetches == 1, "a failed fetch is not retried for a while"


def test_a_key_set_that_is_not_json_is_unavailable_not_an_error(tmp_path, monkeypatch):
    keys = KeyPair.make("RS256")
    with jwks_server(keys) as server:
        monkeypatch.setattr(type(server), "document", lambda self: b"<html>")
        refused = invalid(jwks_verifier(tmp_path, server.url), keys.sign(claims_for("a", "x", [])))
        assert refused.code == "auth.keys_unavailable"


def test_the_key_set_is_fetched_again_after_the_pause(tmp_path, monkeypatch):
    monkeypatch.setattr(token_keys, "RETRY_SECONDS", 0.2)
    keys = KeyPair.make("RS256")
    with jwks_server(keys) as server:
        server.down = True
        verifier = jwks_verifier(tmp_path, server.url)
        token = keys.sign(claims_for("a", "x", []))
        assert invalid(verifier, token).code == "auth.keys_unavailable"
        server.down = False
        time.sleep(0.3)
        assert verifier.verify(token).officer == "a"
