"""Keys of a pretend identity provider: RSA and P-256 pairs, tokens they sign, a JWKS served
from a thread on 127.0.0.1. Keys of pretend police systems that sign their replies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm


@dataclass(frozen=True)
class KeyPair:
    algorithm: str
    private: Any
    kid: str = "key-1"

    @classmethod
    def make(cls, algorithm: str, kid: str = "key-1", rsa_bits: int = 2048) -> KeyPair:
        if algorithm == "RS256":
            return cls(algorithm, rsa.generate_private_key(65537, rsa_bits), kid)
        return cls(algorithm, ec.generate_private_key(ec.SECP256R1()), kid)

    def pem(self) -> str:
        return (
            self.private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def jwk(self) -> dict[str, Any]:
        family = RSAAlgorithm if self.algorithm == "RS256" else ECAlgorithm
        key = json.loads(family.to_jwk(self.private.public_key()))
        return {**key, "kid": self.kid, "use": "sig", "alg": self.algorithm}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        """A token with this pair's kid, unless `kid=` names another (None: no kid)."""
        fields = {k: v for k, v in {"kid": self.kid, **header}.items() if v is not None}
        return jwt.encode(claims, self.private, algorithm=self.algorithm, headers=fields)


def claims_for(officer: str, agency: str, roles: list[str], hours: float = 1, **more: Any):
    now = int(time.time())
    return {
        "sub": officer,
        "agency": agency,
        "roles": roles,
        "iat": now,
        "exp": now + int(hours * 3600),
        **more,
    }


@dataclass
class JwksServer:
    """Serves `keys` as a JWKS and counts the requests; `down` makes it answer 500."""

    keys: list[KeyPair]
    fetches: int = 0
    down: bool = False
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def document(self) -> bytes:
        return json.dumps({"keys": [k.jwk() for k in self.keys]}).encode()

    def count(self) -> None:
        with self._lock:
            self.fetches += 1


@contextmanager
def jwks_server(*keys: KeyPair) -> Iterator[JwksServer]:
    served = JwksServer(list(keys))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.count()
            if served.down:
                self.send_error(500)
                return
            body = served.document()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class PoliceKey:
    """A police system's key pair (ES256 on P-256, or EdDSA on Ed25519) registered as `kid`."""

    kid: str
    agency: str
    algorithm: str
    private: Any

    @classmethod
    def make(cls, kid: str, agency: str = "tj-bh-gaj", algorithm: str = "ES256") -> PoliceKey:
        if algorithm == "EdDSA":
            return cls(kid, agency, algorithm, ed25519.Ed25519PrivateKey.generate())
        return cls(kid, agency, algorithm, ec.generate_private_key(ec.SECP256R1()))

    def private_pem(self) -> str:
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    def public_pem(self) -> str:
        return (
            self.private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def setting(self) -> dict[str, str]:
        """Its entry in LIANDONG_POLICE_REPLY_KEYS."""
        return {"agency": self.agency, "algorithm": self.algorithm, "public_key": self.public_pem()}


def police_reply_keys(*keys: PoliceKey) -> dict[str, dict[str, str]]:
    return {key.kid: key.setting() for key in keys}
