"""One Jinja2 environment for every page, so filters and globals are defined once.

Templates receive values already computed by services and `mirrorball.sheets`; they format, they never
decide a result.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from mirrorball import __version__
from mirrorball.web.pages.session import page_principal

WEB_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def static_url(path: str) -> str:
    """Static files carry the package version so a new release is never served from a stale cache."""
    return f"/static/{path}?v={__version__}"


def place_text(value: Any) -> str:
    """A place or total for display: 2.5 not 5/2, 3 not 3.0. Rounding happens only here, for people."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return f"{float(value):.10g}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


templates.env.globals["static_url"] = static_url
templates.env.globals["version"] = __version__
templates.env.filters["place"] = place_text


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """Render a page; every page gets the request and, when the server set one, the CSRF token."""
    context.setdefault("csrf_token", csrf_token_for(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def csrf_token_for(request: Request) -> str:
    """The session's CSRF token for the page's forms, or "" for the public.

    Routes that authenticated through the API's dependencies (a form POST answered with a page) have
    not looked at the session cookie the page way yet, so look now.
    """
    if not hasattr(request.state, "csrf_token"):
        page_principal(request)
    token = getattr(request.state, "csrf_token", "")
    return token if isinstance(token, str) else ""
