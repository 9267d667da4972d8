"""Setting up the judges' tablets from the console: a sign-in link with its QR code, or a PIN, per seat.

A link is shown once (only its hash is stored), so it is rendered straight into the answer to the
POST rather than redirected to a page that could be reloaded or shared from history.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from mirrorball.service import auth as auth_service
from mirrorball.service.errors import ServiceError
from mirrorball.service.principal import ADMIN, Principal
from mirrorball.store.models import Competition, Judge, Panel, Seat
from mirrorball.web.auth import require_admin
from mirrorball.web.links import qr_svg, sign_in_url
from mirrorball.web.pages.session import page_principal
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading, use_case

router = APIRouter(include_in_schema=False)


def seats_of(session: Session, competition_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Seat.id, Judge.letter, Judge.name, Panel.name)
        .join(Judge, Judge.id == Seat.judge_id)
        .join(Panel, Panel.id == Seat.panel_id)
        .where(Panel.competition_id == competition_id)
        .order_by(Panel.id, Seat.position)
    )
    return [{"id": s, "letter": letter, "name": name, "panel": panel} for s, letter, name, panel in rows]


def _page(request: Request, competition_id: int, **extra: Any) -> Response:
    with reading(request) as session:
        competition = session.get(Competition, competition_id)
        if competition is None:
            return render(
                request, "error.html", status_code=404, title="Seats", message="No such competition."
            )
        seats = seats_of(session, competition_id)
    return render(
        request,
        "console_seats.html",
        title=f"Judges' sign-in — {competition.name}",
        nav="console",
        competition=competition,
        seats=seats,
        **extra,
    )


@router.get("/console/competitions/{competition_id:int}/seats", response_class=HTMLResponse)
def seats_page(request: Request, competition_id: int) -> Response:
    if page_principal(request).role != ADMIN:
        return render(
            request, "error.html", status_code=401, title="Seats", message="Sign in as the organizer."
        )
    return _page(request, competition_id)


@router.post(
    "/console/competitions/{competition_id:int}/seats/{seat_id:int}/link", response_class=HTMLResponse
)
def issue_seat_link(
    request: Request, competition_id: int, seat_id: int, principal: Principal = Depends(require_admin)
) -> Response:
    with use_case(request) as session:
        token = auth_service.issue_link(
            session, role="judge", actor=principal, seat_id=seat_id, label="console"
        )
    url = sign_in_url(str(request.base_url), token)
    return _page(request, competition_id, issued={"seat_id": seat_id, "url": url, "qr": qr_svg(url)})


@router.post(
    "/console/competitions/{competition_id:int}/seats/{seat_id:int}/pin", response_class=HTMLResponse
)
def set_seat_pin(
    request: Request,
    competition_id: int,
    seat_id: int,
    pin: str = Form(...),
    principal: Principal = Depends(require_admin),
) -> Response:
    try:
        with use_case(request) as session:
            auth_service.set_pin(session, seat_id=seat_id, pin=pin, actor=principal)
        message, kind = "PIN set. The judge signs in at /judge with the letter and this PIN.", "ok"
    except ServiceError as error:
        message, kind = error.message, "bad"
    return _page(request, competition_id, message=message, message_kind=kind)
