"""The event store's records encrypted at rest: stored as ciphertext, read back through the
application, and a store opened with a key that is not its own refused at start, by the service
and by every worker command. (The scenarios run once more on an encrypted store: conftest.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.api.main import create_app
from services.application import Liandong
from services.bootstrap import Container, build
from services.cli import main
from services.database import open_database
from services.demo import seed
from services.settings import Settings
from services.store_identity import StoreKeyRefused
from tests.conftest import SECRET, STORE_KEY, auth
from tests.scenarios import CASE, case_acts, case_details, person
from tests.support import reset_schema

OTHER_KEY = "b3RoZXIta2V5LW9mLXRoZS1zYW1lLWxlbmd0aC0zMiE="  # 32 bytes, base64
SUMMARY = CASE["summary"]  # 未按规定对从业人员进行安全生产教育和培训

WITHOUT_KEY = "the event store's records are encrypted: set LIANDONG_STORE_CIPHER_KEY"
WRONG_KEY = "LIANDONG_STORE_CIPHER_KEY is not the key the event store's records are encrypted with"
PLAIN_STORE = "the event store's records are not encrypted, and LIANDONG_STORE_CIPHER_KEY is set"


@pytest.fixture(autouse=True)
def no_key_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gives its key in the settings (or the environment) itself."""
    monkeypatch.delenv("LIANDONG_STORE_CIPHER_KEY", raising=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    reset_schema(url)
    return url


def settings_for(store: str, tmp_path: Path, key: str | None) -> Settings:
    return Settings(
        database_url=store,
        jwt_secret=SECRET,
        var_dir=tmp_path,
        projection_poll_seconds=0.05,
        store_cipher_key=key,
    )


def opened(store: str, tmp_path: Path, key: str | None) -> Container:
    """A district on the store, seeded if it is new."""
    container = build(settings_for(store, tmp_path, key))
    if container.app.head_position() == 0:
        seed(container.app)
    return container


@pytest.fixture
def encrypted(store: str, tmp_path: Path) -> Iterator[str]:
    """A store whose records are encrypted with STORE_KEY, holding the demo district and a case."""
    container = opened(store, tmp_path, STORE_KEY)
    try:
        case_acts(container.app).register(person(container.app, "wang-fang"), case_details())
    finally:
        container.close()
    yield store


@pytest.fixture
def plain(store: str, tmp_path: Path) -> str:
    opened(store, tmp_path, None).close()
    return store


def stored_states(app: Liandong) -> list[bytes]:
    """The `state` column of every stored event, as the database holds it."""
    recorder: Any = app.recorder
    table = recorder.events_table_name
    if hasattr(recorder.datastore, "schema"):
        table = f"{recorder.datastore.schema}.{table}"
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT state FROM {table} ORDER BY originator_id, originator_version")
        return [bytes(row["state"]) for row in cursor.fetchall()]


def is_json(state: bytes) -> bool:
    try:
        json.loads(state)
    except ValueError:
        return False
    return True


def test_records_stored_with_a_key_are_ciphertext_and_load_back(store, tmp_path):
    container = opened(store, tmp_path, STORE_KEY)
    try:
        app = container.app
        saved = case_acts(app).register(person(app, "wang-fang"), case_details())
        states = stored_states(app)
        note = app.recorder.select_notifications(start=saved.position, limit=1)[0]
    finally:
        container.close()
    assert len(states) == saved.position
    assert not any(SUMMARY.encode() in s or b'"summary"' in s for s in states)
    assert not any(is_json(s) for s in states)
    # What the audit log's leaves hash is the stored ciphertext: read without the key.
    assert note.state in states

    again = opened(store, tmp_path, STORE_KEY)
    try:
        events = list(again.app.repository.event_store.get(saved.aggregate.id))
        assert events[0].details["summary"] == SUMMARY
        assert again.wait_for(again.app.head_position(), 10)
        with TestClient(create_app(again)) as client:
            shown = client.get(f"/v1/cases/{saved.aggregate.id}", headers=auth("wang-fang"))
        assert shown.status_code == 200, shown.text
        assert shown.json()["summary"] == SUMMARY
    finally:
        again.close()


def test_records_stored_without_a_key_are_plain_json(plain, tmp_path):
    container = opened(plain, tmp_path, None)
    try:
        assert all(is_json(s) for s in stored_states(container.app))
    finally:
        container.close()


@pytest.mark.parametrize(
    ("key", "refusal"), [(None, WITHOUT_KEY), (OTHER_KEY, WRONG_KEY)], ids=["missing", "wrong"]
)
def test_an_encrypted_store_is_refused_without_its_key(encrypted, tmp_path, key, refusal):
    with pytest.raises(StoreKeyRefused, match=refusal):
        build(settings_for(encrypted, tmp_path, key))


def test_a_plain_store_is_refused_with_a_key(plain, tmp_path):
    with pytest.raises(StoreKeyRefused, match=PLAIN_STORE):
        build(settings_for(plain, tmp_path, STORE_KEY))


def test_a_store_that_held_events_before_it_was_identified_holds_plain_ones(store, tmp_path):
    container = opened(store, tmp_path, None)
    try:
        with container.store_db.transaction() as cursor:
            cursor.execute("DROP TABLE store_identity")
    finally:
        container.close()
    with pytest.raises(StoreKeyRefused, match=PLAIN_STORE):
        build(settings_for(store, tmp_path, STORE_KEY))


def test_a_store_identified_before_keys_existed_holds_plain_records(store, tmp_path):
    db = open_database(store, 1)
    try:
        with db.transaction() as cursor:
            cursor.execute(
                "CREATE TABLE store_identity (singleton INTEGER PRIMARY KEY"
                " CHECK (singleton = 1), id TEXT NOT NULL, created_at TEXT NOT NULL)"
            )
            cursor.execute(
                "INSERT INTO store_identity VALUES (1, 'before-keys', '2026-01-01T00:00:00Z')"
            )
    finally:
        db.close()
    with pytest.raises(StoreKeyRefused, match=PLAIN_STORE):
        build(settings_for(store, tmp_path, STORE_KEY))
    opened(store, tmp_path, None).close()


# The service and every worker command refuse it at start, with the one message.

COMMANDS = [
    ["serve", "--no-demo"],
    ["seed-demo"],
    ["token", "--officer", "wang-fang"],
    ["rebuild", "--all"],
    ["relay"],
    ["project"],
    ["gateway"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_refuses_a_store_without_its_key(
    encrypted, tmp_path, monkeypatch, capsys, command
):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", encrypted)
    monkeypatch.setenv("LIANDONG_JWT_SECRET", SECRET)
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    # Nothing listens here: the commands that need Kafka stop before they reach it.
    monkeypatch.setenv("LIANDONG_KAFKA_BOOTSTRAP", "127.0.0.1:9")
    monkeypatch.setenv("LIANDONG_STORE_CIPHER_KEY", OTHER_KEY)
    capsys.readouterr()
    assert main(command) == 2
    assert capsys.readouterr().err == f"liandong: {WRONG_KEY}\n"


# The key itself: checked at start, made by the command line, never shown or passed on.


def test_the_command_line_makes_a_new_key_the_settings_take(capsys, tmp_path):
    keys = []
    for _ in range(2):
        assert main(["store-key"]) == 0
        keys.append(capsys.readouterr().out.strip())
    assert keys[0] != keys[1]
    key = Settings(var_dir=tmp_path, store_cipher_key=keys[0]).store_key()
    assert key is not None and len(key) == 32


@pytest.mark.parametrize("key", ["not base64!", "c2hvcnQ=", STORE_KEY + "AAAA"])
def test_a_key_that_is_not_an_aes_key_stops_the_settings_unshown(key, monkeypatch, capsys):
    monkeypatch.setenv("LIANDONG_STORE_CIPHER_KEY", key)
    assert main(["seed-demo"]) == 2
    err = capsys.readouterr().err
    assert "LIANDONG_STORE_CIPHER_KEY must be an AES key of 16, 24 or 32 bytes" in err
    assert key not in err


def test_the_key_is_in_no_list_of_settings(tmp_path):
    settings = Settings(var_dir=tmp_path, store_cipher_key=STORE_KEY)
    assert STORE_KEY not in repr(settings) and STORE_KEY not in str(settings.model_dump())
    assert "LIANDONG_STORE_CIPHER_KEY" not in settings.environment()
    assert settings.event_store_env()["CIPHER_KEY"] == STORE_KEY
    assert Settings(var_dir=tmp_path, store_cipher_key="").store_key() is None


def test_the_store_keeps_a_check_of_its_key_not_the_key(encrypted, tmp_path):
    db = open_database(encrypted, 1)
    try:
        with db.reading() as cursor:
            cursor.execute("SELECT key_check FROM store_identity")
            row = cursor.fetchone()
    finally:
        db.close()
    assert row is not None and row["key_check"] not in (None, STORE_KEY)
    assert STORE_KEY not in row["key_check"]


@pytest.mark.parametrize("name", ["CIPHER_KEY", "LIANDONG_CIPHER_KEY"])
def test_the_library_takes_no_key_from_elsewhere_in_the_environment(
    plain, tmp_path, monkeypatch, name
):
    monkeypatch.setenv(name, OTHER_KEY)
    container = build(settings_for(plain, tmp_path, None), run_views=False)
    try:
        assert container.app.mapper.cipher is None
    finally:
        container.close()


def test_the_scenarios_store_is_encrypted_in_its_encrypted_variant(request, container):
    """The scenarios' store fixture (conftest): its key set after this module's fixture cleared
    the environment."""
    encrypts = request.node.callspec.params["store_url"] == "sqlite_encrypted"
    assert (container.app.mapper.cipher is not None) is encrypts
