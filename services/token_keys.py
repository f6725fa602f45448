"""The public keys that check signatures: an identity provider's tokens (a PEM key or its JWKS
URL), and police systems' replies to crime transfers."""

from __future__ import annotations

import time
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt import PyJWKClient
from jwt.exceptions import PyJWKClientConnectionError, PyJWKClientError, PyJWKSetError

ALGORITHMS = ("HS256", "RS256", "ES256")
MIN_RSA_BITS = 2048
# After a failed fetch of the key set, requests are refused at once for this long instead of
# each waiting for the identity provider's timeout.
RETRY_SECONDS = 30.0
# A token naming an unknown key refetches the key set at most this often.
UNKNOWN_KEY_COOLDOWN_SECONDS = 30.0

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey


def load_public_key(
    pem: str, algorithm: str, setting: str = "LIANDONG_JWT_PUBLIC_KEY"
) -> PublicKey:
    """The PEM's key, checked to fit the algorithm (RS256, ES256 or EdDSA); ValueError says what
    is wrong, naming `setting`. Escaped newlines (\\n) are accepted so that the key fits on one
    line of an env file."""
    text = pem.strip().replace("\\n", "\n")
    try:
        key = load_pem_public_key(text.encode())
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ValueError(f"{setting} is not a PEM public key: {error}") from None
    if algorithm == "RS256":
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError(f"{setting} must be an RSA key for RS256")
        if key.key_size < MIN_RSA_BITS:
            raise ValueError(f"{setting} must have at least {MIN_RSA_BITS} bits")
        return key
    if algorithm == "EdDSA":
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise ValueError(f"{setting} must be an Ed25519 key for EdDSA")
        return key
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError(f"{setting} must be a P-256 elliptic-curve key for ES256")
    return key


class JwksClient(PyJWKClient):
    """The identity provider's key set, cached for `lifespan` seconds and refetched when a token
    names a key it does not hold (rotation). A failed fetch is not retried for RETRY_SECONDS."""

    def __init__(self, url: str, lifespan: float, timeout: float) -> None:
        super().__init__(
            url,
            lifespan=lifespan,
            timeout=timeout,
            cooldown_duration=UNKNOWN_KEY_COOLDOWN_SECONDS,
        )
        self._quiet_until = 0.0

    def fetch_data(self) -> Any:
        if time.monotonic() < self._quiet_until:
            raise PyJWKClientConnectionError(
                "the last fetch of the key set failed; not yet retried"
            )
        try:
            return super().fetch_data()
        except (PyJWKClientError, PyJWKSetError, ValueError) as error:
            self._quiet_until = time.monotonic() + RETRY_SECONDS
            raise PyJWKClientConnectionError(f"the key set could not be fetched: {error}") from None
