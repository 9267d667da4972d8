"""The host's reveal: step through a round's result at the host's pace; the big screen follows.

The order (last place up to the winner; recalled couples by number) comes from `service.reveal`;
this page only shows it and moves the step.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from mirrorball.service import results as results_service
from mirrorball.service import reveal
from mirrorball.service.errors import ServiceError
from mirrorball.service.principal import ADMIN, HOST, Principal
from mirrorball.store.models import Event, Round
from mirrorball.web.auth import require_staff
from mirrorball.web.pages import queries
from mirrorball.web.pages.session import page_principal
from mirrorball.web.pages.sheet_view import couple_names
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading, use_case

router = APIRouter(include_in_schema=False)


def ordinal(place: float | int) -> str:
    if not float(place).is_integer():
        return f"{place:g}"  # a shared place, e.g. 2.5
    n = int(place)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def announcement_text(
    item: reveal.Announcement, names: dict[str, str], outcome: dict[str, Any] | None = None
) -> dict[str, Any]:
    """How one announcement reads on the host's list and on the big screen.

    A show week's fate (eliminated, bottom two, safe) is read from the stored outcome's lists."""
    who = f"{item.couple} — {names.get(item.couple, '')}".rstrip(" —")
    if outcome is not None and outcome.get("kind") == "show_week" and not outcome.get("final"):
        if item.couple in outcome.get("eliminated", []):
            return {"label": "Eliminated", "kind": "eliminated", "headline": who}
        if item.couple in outcome.get("bottom", []):
            return {"label": "Bottom two — saved", "kind": "bottom", "headline": who}
        return {"label": "Safe", "kind": "safe", "headline": who}
    if outcome is not None and outcome.get("final") and item.place == 1:
        return {"label": "Champion — the Mirrorball Trophy", "kind": "trophy", "headline": who}
    if item.place is None:
        return {"label": "Recalled", "kind": "recalled", "headline": who}
    if item.place == 1:
        return {"label": "The winner", "kind": "champion", "headline": who}
    return {"label": f"{ordinal(item.place)} place", "kind": "placed", "headline": who}


def reveal_context(session: Session, row: Round) -> dict[str, Any]:
    current = reveal.state(session, row.id)
    names = couple_names(session, row.id)
    event = session.get_one(Event, row.event_id)
    outcome = stored_outcome(session, row.id)
    steps = [
        {"index": i + 1, "shown": i < current.step, **announcement_text(a, names, outcome)}
        for i, a in enumerate(current.order)
    ]
    return {
        "round_id": row.id,
        "title": f"{event.name} — {row.name}",
        "steps": steps,
        "step": current.step,
        "shown": current.step > 0,
        "next": steps[current.step] if current.step < len(steps) else None,
        "step_url": f"/host/rounds/{row.id}/step",
    }


def stored_outcome(session: Session, round_id: int) -> dict[str, Any] | None:
    result = results_service.current_result(session, round_id)
    return result.outcome if result is not None else None


def _staff(request: Request) -> bool:
    return page_principal(request).role in (ADMIN, HOST)


@router.get("/host", response_class=HTMLResponse)
def host_home(request: Request) -> Response:
    if not _staff(request):
        return render(
            request,
            "error.html",
            status_code=401,
            title="Host",
            message="Open the host's sign-in link (the organizer issues it; the demo start page has one).",
        )
    with reading(request) as session:
        closed = set(session.scalars(select(Round.id).where(Round.status == "closed")))
        tree = queries.round_tree(session, href="/host/rounds/{id}", only=closed)
    return render(request, "host_pick.html", title="Host", nav="host", competitions=tree)


@router.get("/host/rounds/{round_id:int}", response_class=HTMLResponse)
def host_round(request: Request, round_id: int, message: str = "", kind: str = "ok") -> Response:
    if not _staff(request):
        return RedirectResponse("/host", status_code=303)
    with reading(request) as session:
        row = session.get(Round, round_id)
        if row is None:
            return render(request, "error.html", status_code=404, title="Host", message="No such round.")
        context = reveal_context(session, row)
    return render(
        request,
        "host.html",
        title=f"Host: {context['title']}",
        nav="host",
        reveal=context,
        message=message,
        message_kind=kind,
    )


@router.post("/host/rounds/{round_id:int}/step")
def host_step(
    request: Request,
    round_id: int,
    action: str = Form(...),
    principal: Principal = Depends(require_staff),
) -> Response:
    try:
        with use_case(request) as session:
            step = reveal.state(session, round_id).step + (1 if action == "next" else -1)
            reveal.set_step(session, round_id, step=step, principal=principal)
        query = ""
    except ServiceError as error:
        query = "?" + urlencode({"message": error.message, "kind": "bad"})
    return RedirectResponse(f"/host/rounds/{round_id}{query}", status_code=303)
