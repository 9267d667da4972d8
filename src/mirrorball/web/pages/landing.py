"""The start page: what each page is for and who uses it, so a newcomer understands in a minute.

Under `mirrorball serve --demo` (`Settings.demo`) it also hands out sign-in links for
the demo's organizer and judges, so a visitor can open every role without typing anything. Outside
the demo it never issues a credential: on a real night links come from the organizer.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from starlette.responses import Response

from mirrorball.service import auth as auth_service
from mirrorball.service.principal import SYSTEM
from mirrorball.service.rounds_read import round_judges
from mirrorball.store.models import Competition, Panel
from mirrorball.web.links import qr_svg, sign_in_url
from mirrorball.web.pages.templating import render
from mirrorball.web.state import app_state, use_case

router = APIRouter(include_in_schema=False)


def demo_enabled(request: Request) -> bool:
    return app_state(request).settings.demo


def _base_url(request: Request) -> str:
    """Where people reach this server, for links and QR codes handed out on the page."""
    return str(request.base_url).rstrip("/") or app_state(request).settings.base_url


def demo_links(request: Request) -> dict[str, Any] | None:
    """Sign-in links for the demo, issued once per server process (reusable, not single-use)."""
    if not demo_enabled(request):
        return None
    cached: dict[str, Any] | None = getattr(request.app.state, "demo_links", None)
    if cached is not None:
        return cached
    base = _base_url(request)
    with use_case(request) as session:
        admin = auth_service.issue_link(session, role="admin", actor=SYSTEM, label="demo organizer")
        judges: list[dict[str, str]] = []
        for competition in session.scalars(select(Competition).order_by(Competition.id)):
            panels = session.scalars(select(Panel).where(Panel.competition_id == competition.id)).all()
            for panel in panels:
                for seat_id, letter in round_judges(session, panel.id):
                    token = auth_service.issue_link(
                        session, role="judge", actor=SYSTEM, seat_id=seat_id, label="demo judge"
                    )
                    url = sign_in_url(base, token)
                    judges.append(
                        {"label": f"{competition.name}: judge {letter}", "href": url, "qr": qr_svg(url)}
                    )
    links = {
        "console_href": sign_in_url(base, admin),
        "host_href": "/host",
        "judge_links": judges,
    }
    request.app.state.demo_links = links
    return links


@router.get("/", response_class=HTMLResponse)
def landing(
    request: Request,
    live_round: int | None = None,
    finale_round: int | None = None,
    vote_window: int | None = None,
    message: str = "",
) -> Response:
    demo = demo_links(request)
    vote = None
    if demo is not None and vote_window is not None:  # the demo's audience vote, just opened
        url = f"{_base_url(request)}/vote/{vote_window}"
        vote = {"href": f"/vote/{vote_window}", "url": url, "qr": qr_svg(url)}
    return render(
        request,
        "landing.html",
        title="Start",
        nav="home",
        demo=demo,
        live_round=live_round,
        finale_round=finale_round,
        vote=vote,
        message=message,
    )
