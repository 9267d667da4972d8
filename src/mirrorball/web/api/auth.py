"""Signing in and out: link tokens, judge PINs, and `who am I`."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from mirrorball.service import auth as auth_service
from mirrorball.service.errors import TooManyAttempts, Unauthenticated
from mirrorball.service.principal import Principal
from mirrorball.store.models import AuthSession
from mirrorball.web.api.types import BodyId
from mirrorball.web.auth import SESSION_COOKIE, current_principal, require_admin
from mirrorball.web.errors import ERROR_RESPONSES, ErrorBody
from mirrorball.web.links import qr_svg, sign_in_url
from mirrorball.web.state import app_state, use_case

router = APIRouter(tags=["auth"], responses=ERROR_RESPONSES)


class LinkSignIn(BaseModel):
    token: str = Field(min_length=1, max_length=200)


class PinSignIn(BaseModel):
    competition_id: BodyId
    judge: str = Field(min_length=1, max_length=8, description="the judge's letter, e.g. 'C'")
    pin: str = Field(min_length=1, max_length=32)


class SessionOut(BaseModel):
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    role: str
    seat_id: int | None
    competition_id: int | None
    csrf_token: str = Field(description="send as X-CSRF-Token on cookie-authenticated writes")
    expires_at: datetime


class LinkRequest(BaseModel):
    role: Literal["admin", "host", "judge"]
    seat_id: BodyId | None = Field(default=None, description="the seat a judge's link signs in to")
    competition_id: BodyId | None = None
    label: str = Field(default="", max_length=200)
    single_use: bool = True


class LinkOut(BaseModel):
    url: str
    token: str
    qr_svg: str = Field(description="the URL as a QR code (SVG), to print for a judge's tablet")


class Me(BaseModel):
    role: str
    seat_id: int | None
    competition_id: int | None


def _session_out(response: Response, request: Request, token: str, opened: AuthSession) -> SessionOut:
    settings = app_state(request).settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.session_ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return SessionOut(
        token=token,
        role=opened.role,
        seat_id=opened.seat_id,
        competition_id=opened.competition_id,
        csrf_token=opened.csrf_token,
        expires_at=opened.expires_at,
    )


@router.post("/api/auth/signin", response_model=SessionOut)
def sign_in(body: LinkSignIn, request: Request, response: Response) -> SessionOut:
    """Exchange a sign-in link's token for a session (also set as an HttpOnly cookie)."""
    with use_case(request) as session:
        token, opened = auth_service.sign_in_with_link(
            session, body.token, ttl=app_state(request).settings.session_ttl
        )
    return _session_out(response, request, token, opened)


@router.post(
    "/api/auth/pin",
    response_model=SessionOut,
    responses={429: {"model": ErrorBody, "description": "too many wrong PINs: wait Retry-After seconds"}},
)
def sign_in_with_pin(body: PinSignIn, request: Request, response: Response) -> SessionOut:
    """A judge signs in with the judge letter and the seat's PIN.

    Wrong PINs are limited per seat and per client address (failures only, so a venue's tablets
    behind one address do not lock each other out): past the free attempts each failure doubles the
    wait, answered 429 with `Retry-After` without even checking the PIN."""
    attempts = app_state(request).pin_attempts
    seat = (body.competition_id, body.judge)
    address = request.client.host if request.client else ""
    wait = attempts.retry_after(seat, address)
    if wait:
        raise TooManyAttempts(
            f"too many wrong PINs: try again in {wait} s", retry_after=wait, judge=body.judge
        )
    try:
        with use_case(request) as session:
            token, opened = auth_service.sign_in_with_pin(
                session,
                competition_id=body.competition_id,
                judge=body.judge,
                pin=body.pin,
                ttl=app_state(request).settings.session_ttl,
            )
    except Unauthenticated:
        attempts.failed(seat, address)
        raise
    attempts.succeeded(seat)
    return _session_out(response, request, token, opened)


@router.post("/api/auth/signout", status_code=204)
def sign_out(request: Request, principal: Principal = Depends(current_principal)) -> Response:
    with use_case(request) as session:
        auth_service.sign_out(session, principal)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/api/auth/links", response_model=LinkOut, status_code=201)
def issue_link(body: LinkRequest, request: Request, principal: Principal = Depends(require_admin)) -> LinkOut:
    """The organizer issues a sign-in link (with its QR code) for a judge's seat, the host or an admin."""
    with use_case(request) as session:
        token = auth_service.issue_link(
            session,
            role=body.role,
            actor=principal,
            competition_id=body.competition_id,
            seat_id=body.seat_id,
            label=body.label,
            single_use=body.single_use,
        )
    url = sign_in_url(app_state(request).settings.base_url, token)
    return LinkOut(url=url, token=token, qr_svg=qr_svg(url))


@router.get("/api/auth/me", response_model=Me)
def me(principal: Principal = Depends(current_principal)) -> Me:
    """The caller's role (the public is role "public")."""
    return Me(role=principal.role, seat_id=principal.seat_id, competition_id=principal.competition_id)


@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def sign_in_page(token: str = "") -> HTMLResponse:
    """The page a printed link or QR code opens. A button, not an automatic sign-in: link previewers
    and scanners fetch URLs with GET, and must not use up a one-time link."""
    return HTMLResponse(
        "<!doctype html><html lang=en><meta name=viewport content='width=device-width'>"
        "<title>Sign in — mirrorball</title><main><h1>Sign in to mirrorball</h1>"
        "<form method=post action='/signin'>"
        f"<input type=hidden name=token value='{escape(token, quote=True)}'>"
        "<button type=submit>Sign in</button></form></main></html>"
    )


@router.post("/signin", include_in_schema=False)
def sign_in_form(request: Request, token: str = Form("")) -> Response:
    with use_case(request) as session:
        session_token, opened = auth_service.sign_in_with_link(
            session, token, ttl=app_state(request).settings.session_ttl
        )
    response = RedirectResponse(f"/{opened.role}", status_code=303)
    _session_out(response, request, session_token, opened)
    return response
