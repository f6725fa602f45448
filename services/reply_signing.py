"""Replies of public-security systems to crime transfers (两法衔接), each signed by its sender.

Police systems do not call our HTTP API: they publish their replies on the Kafka topic
`<kafka_topic_prefix>liandong.crime-transfer-replies.v1`. Anyone who can write to that topic
could pretend to be a police agency, so a reply counts only with its police system's signature.

The wire format of one reply, one Kafka message:
- value: the CloudEvent 1.0 JSON in structured mode, as UTF-8 bytes, with
  `specversion` "1.0";
  `id`, unique per reply, chosen by the police system;
  `source` `urn:liandong:police:<agency code>`;
  `type` `liandong.CrimeTransferReply.<Name>`, Name one of Receipt, MaterialsRequested,
  Forwarded, FilingPeriodExtended, FilingDecided, ReconsiderationAnswered, TransferredBack;
  `subject`, the transfer id (a UUID, lowercase with hyphens);
  `time`, an RFC 3339 timestamp with its offset;
  `datacontenttype` "application/json";
  `data`, an object.
- key: the transfer id, UTF-8.
- header `liandong-jws`: a compact JWS with detached payload (RFC 7515 Appendix F),
  `<protected header>..<signature>`, over the exact value bytes. The protected header holds
  `alg` (ES256, or EdDSA with an Ed25519 key), `kid` (the key id) and `typ`
  "liandong-reply+jws". The payload is detached but still base64url-encoded, as in an ordinary
  JWS: a verifier puts BASE64URL(value) back between the two dots and checks that JWS.

The public keys are deployment configuration (LIANDONG_POLICE_REPLY_KEYS): key id → the police
agency the key speaks for, its algorithm and its PEM; an agency may have several keys (rotation).
A reply is accepted when its signature verifies with the key its `kid` names, by that key's
algorithm, and its `source` names that key's agency. Anything else is refused with a stable code:
reply.unsigned, reply.bad_signature, reply.unknown_key, reply.malformed, reply.wrong_sender.
A signed reply sent twice verifies twice: the topic's consumer drops an `id` it has seen.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from jwt import api_jws
from jwt.exceptions import InvalidTokenError
from jwt.utils import base64url_encode

from services.token_keys import PublicKey

HEADER = "liandong-jws"
JWS_TYPE = "liandong-reply+jws"
ALGORITHMS = ("ES256", "EdDSA")
SOURCE_PREFIX = "urn:liandong:police:"
TYPE_PREFIX = "liandong.CrimeTransferReply."

Headers = Iterable[tuple[str, bytes | None]]


class ReplyRefused(Exception):
    """A reply not to act on: `code` is stable, `detail` says why in words."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ReplyKey:
    """A police system's public key and the agency it speaks for."""

    agency: str
    algorithm: str
    public_key: PublicKey


ReplyKeys = Mapping[str, ReplyKey]  # by key id


@dataclass(frozen=True)
class VerifiedReply:
    agency: str  # the agency of the key that signed, which the CloudEvent's source also names
    event: dict[str, Any]
    kid: str


def sign(value: bytes, private_key_pem: str | bytes, kid: str, algorithm: str) -> str:
    """The `liandong-jws` header value that signs `value` with a police system's private key."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"replies are signed with {' or '.join(ALGORITHMS)}, not {algorithm!r}")
    token = api_jws.encode(
        value, private_key_pem, algorithm=algorithm, headers={"kid": kid, "typ": JWS_TYPE}
    )
    protected, _, signature = token.split(".")
    return f"{protected}..{signature}"


def verify(value: bytes, headers: Headers | None, keys: ReplyKeys) -> VerifiedReply:
    """The reply, if a registered police system signed it in its own name; else ReplyRefused."""
    jws = signature_header(headers)
    header = protected_header(jws)
    kid: str = header.get("kid") or ""
    key = keys.get(kid)
    if key is None:
        raise ReplyRefused("reply.unknown_key", f"no police key is registered as {kid!r}")
    if header.get("alg") != key.algorithm:
        raise bad_signature(f"key {kid!r} signs with {key.algorithm}, not {header.get('alg')!r}")
    check_signature(value, jws, kid, key)
    event = cloud_event(value)
    sender = event["source"].removeprefix(SOURCE_PREFIX)
    if sender != key.agency:
        raise ReplyRefused(
            "reply.wrong_sender",
            f"key {kid!r} speaks for {key.agency!r}, not for {sender!r} named by the source",
        )
    return VerifiedReply(key.agency, event, kid)


def bad_signature(detail: str) -> ReplyRefused:
    return ReplyRefused("reply.bad_signature", detail)


def signature_header(headers: Headers | None) -> str:
    values = [value for name, value in headers or () if name == HEADER]
    if not values:
        raise ReplyRefused("reply.unsigned", f"the message has no {HEADER} header")
    if len(values) > 1:
        raise bad_signature(f"the message has {len(values)} {HEADER} headers")
    try:
        return (values[0] or b"").decode("ascii")
    except UnicodeDecodeError:
        raise bad_signature(f"the {HEADER} header is not ASCII") from None


def protected_header(jws: str) -> dict[str, Any]:
    """The protected header of a compact JWS with detached payload, not yet verified."""
    parts = jws.split(".")
    if len(parts) != 3 or parts[1] or not (parts[0] and parts[2]):
        raise bad_signature(f"{HEADER} is not a compact JWS with detached payload (a..b)")
    try:
        header = api_jws.get_unverified_header(jws)
    except InvalidTokenError as error:
        raise bad_signature(f"{HEADER} cannot be read: {error}") from None
    if header.get("typ") != JWS_TYPE:
        raise bad_signature(f"the JWS typ is {header.get('typ')!r}, not {JWS_TYPE!r}")
    return header


def check_signature(value: bytes, jws: str, kid: str, key: ReplyKey) -> None:
    # PyJWT's own `detached_payload` is for unencoded payloads (RFC 7797, "b64": false); this
    # format keeps the standard encoding, so the payload goes back in and an ordinary JWS is read.
    protected, _, signature = jws.split(".")
    attached = f"{protected}.{base64url_encode(value).decode()}.{signature}"
    try:
        api_jws.decode_complete(attached, key.public_key, algorithms=[key.algorithm])
    except InvalidTokenError as error:
        raise bad_signature(f"the signature of key {kid!r} does not verify: {error}") from None


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(UUID(value)) == value
    except ValueError:
        return False


def is_timestamp(value: Any) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def named(prefix: str) -> Callable[[Any], bool]:
    return lambda value: is_text(value) and value.startswith(prefix) and value != prefix


ENVELOPE: dict[str, tuple[Callable[[Any], bool], str]] = {
    "specversion": (lambda value: value == "1.0", '"1.0"'),
    "id": (is_text, "a non-empty string"),
    "source": (named(SOURCE_PREFIX), f"{SOURCE_PREFIX}<agency code>"),
    "type": (named(TYPE_PREFIX), f"{TYPE_PREFIX}<Name>"),
    "subject": (is_uuid, "the transfer id, a UUID in lowercase with hyphens"),
    "time": (is_timestamp, "an RFC 3339 timestamp with its offset"),
    "datacontenttype": (lambda value: value == "application/json", '"application/json"'),
    "data": (lambda value: isinstance(value, dict), "an object"),
}


def cloud_event(value: bytes) -> dict[str, Any]:
    try:
        event = json.loads(value.decode("utf-8"))
    except (ValueError, RecursionError):  # a UnicodeDecodeError is a ValueError too
        raise ReplyRefused("reply.malformed", "the value is not UTF-8 JSON") from None
    if not isinstance(event, dict):
        raise ReplyRefused("reply.malformed", "the value is not a JSON object")
    wrong = [
        f"{name} must be {what}"
        for name, (fits, what) in ENVELOPE.items()
        if not fits(event.get(name))
    ]
    if wrong:
        raise ReplyRefused("reply.malformed", "not a crime-transfer reply: " + "; ".join(wrong))
    return event
