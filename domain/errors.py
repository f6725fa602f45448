"""Domain errors: every rule that forbids an act has a stable machine-readable code."""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """How a broken rule should be reported; the API maps kinds to HTTP statuses."""

    FORBIDDEN = "forbidden"  # the actor may not take this act
    CONFLICT = "conflict"  # the act does not fit the resource's current state
    INVALID = "invalid"  # the act's content breaks a rule
    NOT_FOUND = "not_found"  # the resource does not exist, or the actor may not see it
    PRECONDITION = "precondition"  # the caller's expected version is stale


class DomainError(Exception):
    """A rule of the domain forbids the act."""

    code: str = "domain.rule_violated"
    kind: ErrorKind = ErrorKind.CONFLICT

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class Forbidden(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "forbidden"


class Conflict(DomainError):
    kind = ErrorKind.CONFLICT


class Invalid(DomainError):
    kind = ErrorKind.INVALID


class NotFound(DomainError):
    kind = ErrorKind.NOT_FOUND
    code = "not_found"


class StaleVersion(DomainError):
    kind = ErrorKind.PRECONDITION
    code = "precondition_failed"


class CertificateInvalid(Forbidden):
    code = "officer.certificate_invalid"


class RoleMissing(Forbidden):
    code = "auth.role_missing"
