"""Settings fail fast; the command line mints tokens the API accepts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.cli import build_parser, main, up_commands
from services.settings import Settings
from services.tokens import TokenVerifier


def test_an_unknown_database_scheme_is_refused():
    with pytest.raises(ValidationError, match="sqlite:/// or postgresql://"):
        Settings(database_url="mysql://localhost/x")


def test_postgresql_needs_an_explicit_token_secret():
    with pytest.raises(ValidationError, match="LIANDONG_JWT_SECRET"):
        Settings(database_url="postgresql://postgres@127.0.0.1/x", jwt_secret=None)


def test_the_embedded_default_keeps_its_own_secret(tmp_path):
    settings = Settings(var_dir=tmp_path, jwt_secret=None)
    secret = settings.signing_secret()
    assert len(secret) >= 32
    assert Settings(var_dir=tmp_path, jwt_secret=None).signing_secret() == secret
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o777 == 0o600


def test_the_views_live_beside_the_embedded_store(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path}/store.sqlite3")
    assert settings.views_url() == f"sqlite:///{tmp_path}/store-views.sqlite3"


def test_bad_settings_stop_the_command_with_a_message(monkeypatch, capsys):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", "oracle://nowhere")
    assert main(["seed-demo"]) == 2
    assert "settings are not valid" in capsys.readouterr().err


def test_the_command_line_mints_a_token_for_a_registered_officer(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", f"sqlite:///{tmp_path}/store.sqlite3")
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("LIANDONG_JWT_SECRET", raising=False)
    assert main(["seed-demo"]) == 0
    capsys.readouterr()
    assert main(["token", "--officer", "wang-fang", "--hours", "1"]) == 0
    token = capsys.readouterr().out.strip()
    claims = TokenVerifier(Settings().signing_secret()).verify(token)
    assert (claims.officer, claims.agency, claims.roles) == (
        "wang-fang",
        "tj-bh-yjj-zfs",
        ["officer"],
    )
    assert main(["token", "--officer", "nobody"]) == 1


def test_the_backbone_commands_need_a_kafka_bootstrap(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", f"sqlite:///{tmp_path}/store.sqlite3")
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("LIANDONG_KAFKA_BOOTSTRAP", raising=False)
    backbone = (
        ["relay"],
        ["project"],
        ["gateway"],
        ["up"],
        ["rebuild", "cases", "--from", "kafka"],
    )
    for command in backbone:
        assert main(command) == 2
        assert "set LIANDONG_KAFKA_BOOTSTRAP" in capsys.readouterr().err


def test_kafka_settings_name_the_brokers_and_topics():
    settings = Settings(kafka_bootstrap="k1:9092, k2:9092", kafka_topic_prefix="tj-bh.")
    assert settings.kafka_mode and settings.kafka_servers() == ["k1:9092", "k2:9092"]
    assert settings.kafka_partitions == 6
    assert not Settings().kafka_mode
    with pytest.raises(ValidationError):
        Settings(kafka_partitions=0)


def test_the_command_line_offers_every_view():
    from services import catalogue
    from services.bootstrap import VIEWS
    from services.cli import view_names

    assert view_names() == sorted(VIEWS) == sorted(catalogue.views())
    assert {"cases", "referrals", "disputes"} <= set(VIEWS)


def test_rebuild_refuses_an_unknown_view(capsys):
    with pytest.raises(SystemExit):
        main(["rebuild", "nonesuch"])
    assert "invalid choice" in capsys.readouterr().err


def test_settings_pass_to_a_child_process_unchanged(monkeypatch, tmp_path):
    settings = Settings(
        database_url="postgresql://postgres@127.0.0.1/x",
        jwt_secret="a-secret-for-the-child-process",
        var_dir=tmp_path,
        kafka_bootstrap="k1:9092",
        mechanisms_by_region={"120116": "binhai"},
    )
    for name, value in settings.environment().items():
        monkeypatch.setenv(name, value)
    assert Settings().model_dump() == settings.model_dump()


def test_up_passes_the_api_address_to_its_serve():
    args = build_parser().parse_args(["up", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)
    assert up_commands(args) == [
        ["relay"],
        ["project"],
        ["gateway"],
        ["audit"],
        ["watch"],
        ["serve", "--no-demo", "--host", "0.0.0.0", "--port", "9000"],
    ]
    assert up_commands(build_parser().parse_args(["up"]))[-1] == ["serve", "--no-demo"]


def test_up_refuses_a_port_that_is_not_a_number(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["up", "--port", "http"])
    assert "invalid int value" in capsys.readouterr().err
