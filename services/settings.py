"""The one place settings are read: environment variables prefixed LIANDONG_, checked at start."""

from __future__ import annotations

import binascii
import json
import secrets
from base64 import b64decode
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.agency import CODE_PATTERN
from domain.mechanism import MECHANISMS
from domain.numbering import DEFAULT_ABBREVIATIONS, CaseNumbering, NumberingRule
from projections.assessment_weights import DEFAULT_RED_PENALTY, DUTY_NAMES
from services.audit.signed_note import NoteError, NoteSigner
from services.audit.signing_key import kept_signing_key
from services.audit.suites import Suite, SuiteName, suite
from services.reply_signing import ReplyKey
from services.token_keys import ALGORITHMS, load_public_key

APP_NAME = "liandong"
# The event-sourcing library's own AES-GCM cipher, on the `cryptography` package (the same stored
# form as its pycryptodome twin, eventsourcing.cipher).
STORE_CIPHER = "eventsourcing.cryptography:AESCipher"
AES_KEY_SIZES = (16, 24, 32)


class PoliceReplyKey(BaseModel):
    """A police system's public key for its crime-transfer replies (services/reply_signing.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agency: Annotated[str, Field(pattern=CODE_PATTERN.pattern)]
    algorithm: Literal["ES256", "EdDSA"]
    public_key: str  # PEM; escaped newlines (\\n) allowed

    def load(self, kid: str) -> ReplyKey:
        setting = f"LIANDONG_POLICE_REPLY_KEYS[{kid!r}]"
        return ReplyKey(
            self.agency, self.algorithm, load_public_key(self.public_key, self.algorithm, setting)
        )


class Settings(BaseSettings):
    # A refused value is not echoed: some are secrets (the token secret, the store's key).
    model_config = SettingsConfigDict(
        env_prefix="LIANDONG_", extra="ignore", hide_input_in_errors=True
    )

    database_url: str = "sqlite:///var/liandong.sqlite3"
    views_database_url: str | None = None
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_algorithm: str = "HS256"
    jwt_jwks_url: str | None = None
    jwt_jwks_cache_seconds: Annotated[float, Field(gt=0, le=86_400)] = 300.0
    jwt_jwks_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 5.0
    jwt_max_lifetime_hours: Annotated[float, Field(gt=0, le=8_784)] = 24.0
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    case_number_prefix: str = "津滨应急"
    case_number_abbreviations: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_ABBREVIATIONS)
    )
    case_number_prefixes_by_region: dict[str, str] = Field(default_factory=dict)
    min_position_wait_seconds: float = 5.0
    projection_poll_seconds: float = 0.5
    postgres_pool_size: int = 8
    # The event store's records encrypted at rest (AES-GCM): a base64 key of 16, 24 or 32 bytes.
    store_cipher_key: SecretStr | None = None
    worker_threads: Annotated[int, Field(ge=1, le=200)] = 8
    max_body_bytes: Annotated[int, Field(ge=1024, le=1 << 30)] = 1 << 20
    # The yearly assessment: the district's weights per duty (none: the documented default,
    # projections/assessment_weights.py) and the points a red warning takes off the score.
    assessment_weights: dict[str, Annotated[float, Field(ge=0, le=1000)]] = Field(
        default_factory=dict
    )
    assessment_red_penalty: Annotated[float, Field(ge=0, le=100)] = DEFAULT_RED_PENALTY
    # Coordination mechanisms (limits, dispute ladders): a default and per-region choices.
    mechanism: str = "default"
    mechanisms_by_region: dict[str, str] = Field(default_factory=dict)
    # The event backbone. Without a bootstrap the views run in process (embedded mode).
    kafka_bootstrap: str | None = None
    kafka_topic_prefix: str = ""
    kafka_partitions: Annotated[int, Field(ge=1, le=1000)] = 6
    kafka_replication_factor: Annotated[int, Field(ge=1, le=10)] = 1
    event_source: str = "urn:liandong:tj-bh"
    relay_batch_size: Annotated[int, Field(ge=1, le=100_000)] = 2000
    # The audit log (services/audit/): its signer key, names its origin; how often it signs.
    audit_signing_key: str | None = None
    audit_suite: SuiteName = "sha256-ed25519"
    audit_checkpoint_events: Annotated[int, Field(ge=1, le=1_000_000)] = 1000
    audit_checkpoint_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    audit_batch_size: Annotated[int, Field(ge=1, le=100_000)] = 2000
    # The deadline watcher (services/warnings/): how often it passes; lead time per rule.
    watch_poll_seconds: Annotated[float, Field(gt=0, le=86_400)] = 30.0
    watch_lead_times: dict[str, str] = Field(default_factory=dict)
    # The console's CSRF key, shared by every process behind one address (none: one of its own).
    console_secret: SecretStr | None = None
    # Key id → the police system's key that signs its crime-transfer replies.
    police_reply_keys: dict[Annotated[str, Field(min_length=1)], PoliceReplyKey] = Field(
        default_factory=dict
    )

    @field_validator("database_url", "views_database_url")
    @classmethod
    def _known_scheme(cls, url: str | None) -> str | None:
        if url is not None and urlparse(url).scheme not in ("sqlite", "postgresql", "postgres"):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return url

    @field_validator("store_cipher_key")
    @classmethod
    def _aes_key(cls, key: SecretStr | None) -> SecretStr | None:
        if key is None or not key.get_secret_value():
            return None  # set but empty: no key
        if len(decoded_key(key.get_secret_value())) not in AES_KEY_SIZES:
            raise ValueError(
                "LIANDONG_STORE_CIPHER_KEY must be an AES key of 16, 24 or 32 bytes in base64"
                " (`liandong store-key` makes one)"
            )
        return key

    @field_validator("watch_lead_times")
    @classmethod
    def _lead_times_read(cls, leads: dict[str, str]) -> dict[str, str]:
        from services.warnings.leads import check_lead

        return {rule: check_lead(lead) for rule, lead in leads.items()}

    @field_validator("assessment_weights")
    @classmethod
    def _known_duties(cls, weights: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(weights) - set(DUTY_NAMES))
        if unknown:
            raise ValueError(f"no such duty: {', '.join(unknown)} (known: {', '.join(DUTY_NAMES)})")
        if weights and not any(weights.values()):
            raise ValueError("at least one duty must weigh more than 0")
        return weights

    @model_validator(mode="after")
    def _known_mechanisms(self) -> Settings:
        for name in [self.mechanism, *self.mechanisms_by_region.values()]:
            if name not in MECHANISMS:
                raise ValueError(
                    f"unknown mechanism {name!r}; known: {', '.join(sorted(MECHANISMS))}"
                )
        return self

    @field_validator("jwt_algorithm")
    @classmethod
    def _known_algorithm(cls, algorithm: str) -> str:
        if algorithm not in ALGORITHMS:
            raise ValueError(
                f"LIANDONG_JWT_ALGORITHM must be one of {', '.join(ALGORITHMS)}, not {algorithm!r}"
            )
        return algorithm

    @field_validator("jwt_jwks_url")
    @classmethod
    def _key_set_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlparse(url)
        if parts.scheme == "https" and parts.hostname:
            return url
        if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1", "localhost"):
            return url
        raise ValueError("LIANDONG_JWT_JWKS_URL must be an https:// URL (http:// only locally)")

    @model_validator(mode="after")
    def _key_for_tokens(self) -> Settings:
        if self.jwt_algorithm == "HS256":
            if self.jwt_public_key or self.jwt_jwks_url:
                raise ValueError(
                    "LIANDONG_JWT_PUBLIC_KEY and LIANDONG_JWT_JWKS_URL are for RS256 or ES256:"
                    " set LIANDONG_JWT_ALGORITHM"
                )
            if not self.jwt_secret and not self.embedded:
                raise ValueError("LIANDONG_JWT_SECRET is required with a PostgreSQL store")
            return self
        if bool(self.jwt_public_key) == bool(self.jwt_jwks_url):
            raise ValueError(
                f"{self.jwt_algorithm} tokens need LIANDONG_JWT_PUBLIC_KEY (PEM)"
                " or LIANDONG_JWT_JWKS_URL, exactly one of them"
            )
        if self.jwt_public_key:
            load_public_key(self.jwt_public_key, self.jwt_algorithm)
        return self

    @model_validator(mode="after")
    def _audit_key_reads(self) -> Settings:
        if self.audit_signing_key is not None:
            try:
                self.audit_suite_used().signer(self.audit_signing_key)
            except NoteError as error:
                raise ValueError(f"LIANDONG_AUDIT_SIGNING_KEY: {error}") from None
        return self

    @model_validator(mode="after")
    def _police_reply_keys_load(self) -> Settings:
        self.reply_keys()
        return self

    @property
    def embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def kafka_mode(self) -> bool:
        """Views are fed from Kafka by `liandong project`, not in the API's process."""
        return bool(self.kafka_bootstrap)

    def kafka_servers(self) -> list[str]:
        return [s.strip() for s in (self.kafka_bootstrap or "").split(",") if s.strip()]

    def environment(self) -> dict[str, str]:
        """These settings as the LIANDONG_ variables that give a child process the same ones,
        but the store's key: a child reads it from the environment it inherits, never from a
        list of settings that may be shown or logged."""
        env = {}
        for name, value in self.model_dump(mode="json", exclude={"store_cipher_key"}).items():
            if value is None:
                continue
            text = json.dumps(value) if isinstance(value, (dict, list)) else str(value)
            env[f"LIANDONG_{name.upper()}"] = text
        return env

    def signing_secret(self) -> str:
        """The HS256 secret; the embedded default keeps one of its own under var/."""
        if self.jwt_secret:
            return self.jwt_secret
        path = self.var_dir / "jwt-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def audit_signer(self) -> NoteSigner:
        """The key that signs the audit log's checkpoints; the embedded default keeps one of
        its own under var/, named for the event source."""
        used = self.audit_suite_used()
        if self.audit_signing_key:
            return used.signer(self.audit_signing_key)
        if not self.embedded:
            raise ValueError(
                "LIANDONG_AUDIT_SIGNING_KEY is required with a PostgreSQL store"
                " (`liandong audit-key` makes one)"
            )
        name = "liandong/" + self.event_source.rsplit(":", 1)[-1]
        return used.signer(kept_signing_key(self.var_dir, name, used))

    def audit_suite_used(self) -> Suite:
        return suite(self.audit_suite)

    def reply_keys(self) -> dict[str, ReplyKey]:
        """The police systems' public keys for their crime-transfer replies, by key id."""
        return {kid: key.load(kid) for kid, key in self.police_reply_keys.items()}

    def case_numbering(self) -> CaseNumbering:
        abbreviations = dict(self.case_number_abbreviations)
        default = NumberingRule(self.case_number_prefix, abbreviations)
        regions = {
            region: NumberingRule(prefix, abbreviations)
            for region, prefix in self.case_number_prefixes_by_region.items()
        }
        return CaseNumbering(default, regions)

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing library's environment for the event store; with a key, the stored
        state of every event and snapshot is encrypted (the ids, versions and topics are not)."""
        env = store_env(self.database_url, self.postgres_pool_size)
        if self.store_cipher_key is not None:
            env["CIPHER_TOPIC"] = STORE_CIPHER
            env["CIPHER_KEY"] = self.store_cipher_key.get_secret_value()
        return env

    def store_key(self) -> bytes | None:
        """The store's AES key, None when its records are kept in plain JSON."""
        if self.store_cipher_key is None:
            return None
        return decoded_key(self.store_cipher_key.get_secret_value())

    def views_url(self) -> str:
        if self.views_database_url:
            return self.views_database_url
        if self.embedded:
            path = sqlite_path(self.database_url)
            return f"sqlite:///{path.with_name(path.stem + '-views' + path.suffix)}"
        return self.database_url


def decoded_key(text: str) -> bytes:
    """A base64 key's bytes; none for text that is not base64."""
    try:
        return b64decode(text, validate=True)
    except binascii.Error:
        return b""


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def store_env(url: str, pool_size: int) -> dict[str, str]:
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    parts = urlparse(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "postgres",
        "POSTGRES_PASSWORD": parts.password or "",
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size),
        "POSTGRES_LOCK_TIMEOUT": "5",
    }
