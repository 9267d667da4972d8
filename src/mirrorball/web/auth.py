"""Role dependencies for routes.

A request is authenticated by `Authorization: Bearer <token>` (API clients, the judge tablet's fetch)
or by the `mb_session` cookie (pages). Cookie-authenticated writes must also carry the session's CSRF
token (`X-CSRF-Token` header or a `csrf_token` form field): a browser sends cookies on cross-site
requests, never our header. Bearer requests need no CSRF token: browsers never add them on their own.

Use in a route: `principal: Principal = Depends(require_admin)`; or `Depends(require_role(ADMIN, HOST))`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request

from mirrorball.service import auth as auth_service
from mirrorball.service.errors import Forbidden, Unauthenticated
from mirrorball.service.principal import ADMIN, ANONYMOUS, HOST, JUDGE, Principal
from mirrorball.web.state import reading

SESSION_COOKIE = "mb_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _presented_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # Starlette caches it; the route can read the form again
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def current_principal(request: Request) -> Principal:
    """Who is asking; anonymous requests are the public. A bad or expired token is a 401, not public."""
    token = _bearer(request)
    via_cookie = token is None
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return ANONYMOUS
    with reading(request) as session:
        principal, opened = auth_service.resolve(session, token)
        csrf_token = opened.csrf_token
    if via_cookie and request.method not in SAFE_METHODS:
        presented = await _presented_csrf(request)
        if presented is None or not auth_service.csrf_token_matches(csrf_token, presented):
            raise Forbidden("missing or wrong CSRF token", header=CSRF_HEADER)
    request.state.principal = principal
    return principal


def require_role(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only `roles`; the public gets 401 (sign in), other roles 403."""

    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role in roles:
            return principal
        if principal is ANONYMOUS:
            raise Unauthenticated("sign in first", needs=" or ".join(roles))
        raise Forbidden(f"the {principal.role} role may not do this", needs=" or ".join(roles))

    dependency.roles = roles  # type: ignore[attr-defined]  # read by the role-refusal tests
    return dependency


require_admin = require_role(ADMIN)
require_staff = require_role(ADMIN, HOST)  # the host drives the reveal; the scrutineer can too
require_judge = require_role(JUDGE)
