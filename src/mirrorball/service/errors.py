"""Errors a use case raises when the request cannot be carried out.

Each names *where* (competition, round, dance, judge, couple, line …) in `where`, so the web layer can
answer a 4xx JSON body a scrutineer can act on. HTTP status codes are chosen by the web layer, not here.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    code = "bad_request"

    def __init__(self, message: str, **where: Any) -> None:
        self.message = message
        self.where = {key: value for key, value in where.items() if value is not None}
        place = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in self.where.items())
        super().__init__(f"{place}: {message}" if place else message)  # the CLI prints this line


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    """The request is valid but the state forbids it now (round closed, sheet locked, key reused)."""

    code = "conflict"


class Invalid(ServiceError):
    """The request's content is wrong (bad marks, unknown couple, impossible recall)."""

    code = "invalid"


class Forbidden(ServiceError):
    """Signed in, but this role or seat may not do this."""

    code = "forbidden"


class Unauthenticated(ServiceError):
    """No valid session, or a sign-in secret that does not open one."""

    code = "unauthenticated"


class TooManyAttempts(ServiceError):
    """Too many failed sign-ins: wait `retry_after` seconds (answered 429 with a Retry-After header)."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, **where: Any) -> None:
        super().__init__(message, retry_after=retry_after, **where)
        self.retry_after = retry_after
