"""Who is looking at a page, read from the session cookie without refusing anyone.

API routes answer 401 for a bad session; a page instead shows the sign-in form or the public view, so
an expired cookie on a judge's tablet leads to "sign in again", never to a JSON error. The session's
CSRF token is put on the request for `templating.render`, which writes it into every page's forms.
"""

from __future__ import annotations

from fastapi import Request

from mirrorball.service import auth as auth_service
from mirrorball.service.errors import Unauthenticated
from mirrorball.service.principal import ANONYMOUS, Principal
from mirrorball.web.auth import SESSION_COOKIE
from mirrorball.web.state import reading


def page_principal(request: Request) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return ANONYMOUS
    with reading(request) as session:
        try:
            principal, opened = auth_service.resolve(session, token)
        except Unauthenticated:
            return ANONYMOUS
        request.state.csrf_token = opened.csrf_token
    return principal
