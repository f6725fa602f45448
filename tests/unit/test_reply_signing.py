"""Police replies to crime transfers count only when signed by the police system they name."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jwt import api_jws
from jwt.utils import base64url_encode
from pydantic import ValidationError

from services import kafka
from services.cli import main
from services.reply_signing import HEADER, ReplyRefused, sign, verify
from services.settings import Settings
from tests.signing import KeyPair, PoliceKey, police_reply_keys

TRANSFER = "6f1c2a1e-8d3b-4e0f-9a57-3c2b1d0e4f5a"
BINHAI = PoliceKey.make("bh-2026-01", "tj-bh-gaj", "ES256")
BINHAI_NEXT = PoliceKey.make("bh-2026-07", "tj-bh-gaj", "EdDSA")
HEXI = PoliceKey.make("hx-2026-01", "tj-hx-gaj", "EdDSA")
KEYS = Settings(police_reply_keys=police_reply_keys(BINHAI, BINHAI_NEXT, HEXI)).reply_keys()


def reply(agency: str = "tj-bh-gaj", **changes: Any) -> dict[str, Any]:
    event = {
        "specversion": "1.0",
        "id": "tj-bh-gaj/reply/0001",
        "source": f"urn:liandong:police:{agency}",
        "type": "liandong.CrimeTransferReply.Receipt",
        "subject": TRANSFER,
        "time": "2026-03-02T09:30:00+08:00",
        "datacontenttype": "application/json",
        "data": {"officer": "qin-song", "note": "材料已收到"},
    }
    event.update(changes)
    return {name: value for name, value in event.items() if value is not None}


def value_of(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()


def signed(value: bytes, key: PoliceKey = BINHAI, kid: str | None = None):
    return [(HEADER, sign(value, key.private_pem(), kid or key.kid, key.algorithm).encode())]


def refusal(value: bytes, headers) -> ReplyRefused:
    with pytest.raises(ReplyRefused) as refused:
        verify(value, headers, KEYS)
    return refused.value


@pytest.mark.parametrize("key", [BINHAI, BINHAI_NEXT], ids=["ES256", "EdDSA"])
def test_a_reply_signed_by_a_registered_police_key_verifies(key):
    value = value_of(reply())
    verified = verify(value, [("ce_type", b"x"), *signed(value, key)], KEYS)
    assert (verified.agency, verified.kid) == ("tj-bh-gaj", key.kid)
    assert verified.event == reply()


def test_the_header_is_a_compact_jws_over_the_value_with_its_payload_left_out():
    value = value_of(reply())
    jws = signed(value)[0][1].decode()
    protected, payload, signature = jws.split(".")
    assert payload == ""
    header = api_jws.get_unverified_header(jws)
    assert header == {"alg": "ES256", "kid": BINHAI.kid, "typ": "liandong-reply+jws"}
    # Any JWS library checks it once the value's base64url is put back between the dots.
    attached = f"{protected}.{base64url_encode(value).decode()}.{signature}"
    assert api_jws.decode(attached, BINHAI.public_pem(), algorithms=["ES256"]) == value


def test_the_replies_topic_carries_the_deployment_prefix():
    prefixed = Settings(kafka_topic_prefix="test-")
    assert kafka.replies_topic(prefixed) == "test-liandong.crime-transfer-replies.v1"


def test_one_changed_byte_of_the_value_breaks_the_signature():
    value = value_of(reply())
    tampered = value.replace(b"Receipt", b"Receipu")
    assert refusal(tampered, signed(value)).code == "reply.bad_signature"


def test_a_reply_signed_by_another_key_under_a_registered_kid_is_refused():
    value = value_of(reply())
    impostor = PoliceKey.make(BINHAI.kid, "tj-bh-gaj", "ES256")
    assert refusal(value, signed(value, impostor)).code == "reply.bad_signature"


def test_a_key_id_nobody_registered_is_refused():
    value = value_of(reply())
    assert refusal(value, signed(value, kid="bh-1999-01")).code == "reply.unknown_key"
    no_kid = api_jws.encode(value, BINHAI.private_pem(), "ES256", {"typ": "liandong-reply+jws"})
    protected, _, signature = no_kid.split(".")
    headers = [(HEADER, f"{protected}..{signature}".encode())]
    assert refusal(value, headers).code == "reply.unknown_key"


def test_a_police_system_cannot_reply_in_another_agencys_name():
    value = value_of(reply(agency="tj-bh-gaj"))
    refused = refusal(value, signed(value, HEXI))
    assert refused.code == "reply.wrong_sender"
    assert "tj-hx-gaj" in refused.detail and "tj-bh-gaj" in refused.detail


@pytest.mark.parametrize("headers", [None, [], [("ce_type", b"x")], [("Liandong-JWS", b"a..b")]])
def test_a_reply_without_the_signature_header_is_refused(headers):
    assert refusal(value_of(reply()), headers).code == "reply.unsigned"


def garbage_headers() -> dict[str, list[tuple[str, bytes | None]]]:
    value = value_of(reply())
    good = signed(value)[0][1]
    protected, _, signature = good.decode().split(".")
    attached = f"{protected}.{base64url_encode(value).decode()}.{signature}"
    return {
        "not a jws": [(HEADER, b"garbage")],
        "empty": [(HEADER, b"")],
        "none": [(HEADER, None)],
        "not ascii": [(HEADER, "签名..签名".encode())],
        "bad base64": [(HEADER, b"!!!!..!!!!")],
        "header not json": [(HEADER, base64url_encode(b"{nope") + b".." + signature.encode())],
        "payload attached": [(HEADER, attached.encode())],
        "no signature": [(HEADER, f"{protected}..".encode())],
        "signature not base64": [(HEADER, f"{protected}..{signature}*".encode())],
        "twice": [(HEADER, good), (HEADER, good)],
    }


@pytest.mark.parametrize("name", list(garbage_headers()))
def test_a_header_that_is_no_detached_compact_jws_is_refused(name):
    refused = refusal(value_of(reply()), garbage_headers()[name])
    assert refused.code == "reply.bad_signature"


def test_only_this_kind_of_jws_is_accepted():
    value = value_of(reply())
    wrong_type = api_jws.encode(
        value, BINHAI.private_pem(), "ES256", {"kid": BINHAI.kid, "typ": "JWT"}
    )
    protected, _, signature = wrong_type.split(".")
    assert refusal(value, [(HEADER, f"{protected}..{signature}".encode())]).code == (
        "reply.bad_signature"
    )
    # An unencoded payload (RFC 7797, "b64": false) is another format, not this one.
    unencoded = api_jws.encode(
        value,
        BINHAI.private_pem(),
        "ES256",
        {"kid": BINHAI.kid, "typ": "liandong-reply+jws"},
        is_payload_detached=True,
    )
    assert refusal(value, [(HEADER, unencoded.encode())]).code == "reply.bad_signature"


def jws_with(value: bytes, algorithm: str, key: Any, kid: str) -> list[tuple[str, bytes]]:
    headers = {"kid": kid, "typ": "liandong-reply+jws"}
    protected, _, signature = api_jws.encode(value, key, algorithm, headers).split(".")
    return [(HEADER, f"{protected}..{signature}".encode())]


def test_a_key_verifies_only_by_the_algorithm_it_is_registered_for():
    value = value_of(reply())
    # An ES256 signature under the kid of an EdDSA key, by a key of the same agency.
    refused = refusal(value, jws_with(value, "ES256", BINHAI.private_pem(), BINHAI_NEXT.kid))
    assert (refused.code, "signs with EdDSA" in refused.detail) == ("reply.bad_signature", True)
    # A shared-secret signature, and no signature at all.
    forged = jws_with(value, "HS256", b"a secret that any writer to the topic knows", BINHAI.kid)
    assert refusal(value, forged).code == "reply.bad_signature"
    unsigned = api_jws.encode(value, None, None, {"kid": BINHAI.kid, "typ": "liandong-reply+jws"})
    protected = unsigned.split(".")[0]
    assert refusal(value, [(HEADER, f"{protected}..".encode())]).code == "reply.bad_signature"


def test_a_signed_value_that_is_not_json_is_refused():
    for value in (b"not json", b"\xff\xfe", b'["a", "list"]'):
        assert refusal(value, signed(value)).code == "reply.malformed"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"specversion": "0.3"}, "specversion"),
        ({"specversion": None}, "specversion"),
        ({"id": None}, "id"),
        ({"id": " "}, "id"),
        ({"source": None}, "source"),
        ({"source": "urn:liandong:police:"}, "source"),
        ({"source": "urn:liandong:tj-bh"}, "source"),
        ({"type": None}, "type"),
        ({"type": "liandong.CrimeTransfer.Sent"}, "type"),
        ({"subject": None}, "subject"),
        ({"subject": "transfer-1"}, "subject"),
        ({"subject": TRANSFER.upper()}, "subject"),
        ({"time": None}, "time"),
        ({"time": "2026-03-02T09:30:00"}, "time"),
        ({"time": "yesterday"}, "time"),
        ({"datacontenttype": "text/plain"}, "datacontenttype"),
        ({"data": None}, "data"),
        ({"data": "材料已收到"}, "data"),
    ],
)
def test_a_signed_value_that_is_not_a_reply_cloudevent_is_refused(changes, field):
    value = value_of(reply(**changes))
    refused = refusal(value, signed(value))
    assert refused.code == "reply.malformed"
    assert refused.detail.startswith("not a crime-transfer reply") and field in refused.detail


def test_an_agency_may_sign_with_each_of_its_keys_while_it_rotates_them():
    value = value_of(reply())
    assert {verify(value, signed(value, key), KEYS).kid for key in (BINHAI, BINHAI_NEXT)} == {
        BINHAI.kid,
        BINHAI_NEXT.kid,
    }


def test_replies_are_signed_only_with_the_algorithms_verified():
    with pytest.raises(ValueError, match="ES256 or EdDSA"):
        sign(b"{}", KeyPair.make("RS256").pem(), "k", "RS256")


def test_the_keys_come_from_the_environment_with_escaped_newlines(monkeypatch):
    one_line = {**HEXI.setting(), "public_key": HEXI.public_pem().strip().replace("\n", "\\n")}
    monkeypatch.setenv("LIANDONG_POLICE_REPLY_KEYS", json.dumps({HEXI.kid: one_line}))
    keys = Settings().reply_keys()
    assert (keys[HEXI.kid].agency, keys[HEXI.kid].algorithm) == ("tj-hx-gaj", "EdDSA")
    value = value_of(reply(agency="tj-hx-gaj"))
    assert verify(value, signed(value, HEXI), keys).agency == "tj-hx-gaj"


def test_the_keys_pass_to_a_child_process_unchanged(monkeypatch):
    settings = Settings(police_reply_keys=police_reply_keys(BINHAI, HEXI))
    for name, text in settings.environment().items():
        monkeypatch.setenv(name, text)
    assert Settings().police_reply_keys == settings.police_reply_keys


RSA = KeyPair.make("RS256")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"public_key": "not a key"}, "LIANDONG_POLICE_REPLY_KEYS['k1'] is not a PEM public key"),
        ({"public_key": RSA.pem()}, "LIANDONG_POLICE_REPLY_KEYS['k1'] must be a P-256"),
        ({"public_key": HEXI.public_pem()}, "LIANDONG_POLICE_REPLY_KEYS['k1'] must be a P-256"),
        (
            {"algorithm": "EdDSA", "public_key": BINHAI.public_pem()},
            "LIANDONG_POLICE_REPLY_KEYS['k1'] must be an Ed25519 key",
        ),
        ({"algorithm": "RS256", "public_key": RSA.pem()}, "police_reply_keys.k1.algorithm"),
        ({"agency": "天津公安"}, "police_reply_keys.k1.agency"),
        ({"agency": None}, "police_reply_keys.k1.agency"),
        ({"public_key": None}, "police_reply_keys.k1.public_key"),
        ({"publickey": "typo"}, "police_reply_keys.k1.publickey"),
    ],
)
def test_an_unusable_police_key_is_refused_at_start_naming_its_id(entry, message):
    setting = {**BINHAI.setting(), **entry}
    setting = {name: value for name, value in setting.items() if value is not None}
    with pytest.raises(ValidationError, match=re.escape(message)):
        Settings(police_reply_keys={"k1": setting})


def test_a_police_key_needs_an_id():
    with pytest.raises(ValidationError, match="police_reply_keys"):
        Settings(police_reply_keys={"": BINHAI.setting()})


def test_the_service_does_not_start_on_an_unusable_police_key(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", f"sqlite:///{tmp_path}/store.sqlite3")
    monkeypatch.setenv("LIANDONG_VAR_DIR", str(tmp_path))
    broken = {**BINHAI.setting(), "public_key": "-----BEGIN PUBLIC KEY-----\\nAAAA\\n"}
    monkeypatch.setenv("LIANDONG_POLICE_REPLY_KEYS", json.dumps({"bh-2026-01": broken}))
    assert main(["seed-demo"]) == 2
    err = capsys.readouterr().err
    assert "settings are not valid" in err and "LIANDONG_POLICE_REPLY_KEYS['bh-2026-01']" in err
