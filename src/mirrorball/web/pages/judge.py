"""The judge's tablet: sign in by link, QR code or PIN, then only this seat's current work."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from mirrorball.service import judging
from mirrorball.service.compute_show import SHOW_WEEK
from mirrorball.service.principal import JUDGE
from mirrorball.service.rounds_read import routine_couples
from mirrorball.store.models import Couple, Dance, Event, Heat, HeatCouple, Judge, Round, RoundCouple, Seat
from mirrorball.web.pages import queries
from mirrorball.web.pages.session import page_principal
from mirrorball.web.pages.sheet_view import couple_names
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading

router = APIRouter(include_in_schema=False)

# What the tablet shows a sheet as; "unlocked" means the scrutineer opened it for a correction.
SHEET_STATE = {"locked": "received", "unlocked": "unlocked"}


def _current_round(session: Session, seat: Seat) -> Round | None:
    """The open round this seat judges, preferring one where it still has dances to mark."""
    rounds = session.scalars(
        select(Round).where(Round.panel_id == seat.panel_id, Round.status == "open").order_by(Round.id)
    ).all()
    for row in rounds:
        if any(d["status"] != "received" for d in _dances(session, row, seat)):
            return row
    return rounds[0] if rounds else None


def _dances(session: Session, row: Round, seat: Seat) -> list[dict[str, Any]]:
    """The round's dances (a show week's routines) in running order, with this seat's sheet state."""
    dances = session.scalars(select(Dance).where(Dance.round_id == row.id).order_by(Dance.position))
    names = couple_names(session, row.id) if row.kind == SHOW_WEEK else {}
    out = []
    for dance in dances:
        sheet = judging.current_sheet(session, row.id, dance.id, seat.id)
        status = SHEET_STATE.get(sheet.status, "to do") if sheet else "to do"
        entry: dict[str, Any] = {"id": dance.id, "name": dance.name, "status": status}
        if row.kind == SHOW_WEEK:
            couples = routine_couples(session, dance.id)
            entry["couples"] = [int(c) for c in couples]
            entry["who"] = " and ".join(names.get(c, c) for c in couples)
        out.append(entry)
    return out


def heats_of(session: Session, row: Round) -> list[dict[str, Any]]:
    """The couples on the floor, heat by heat (one group when the round was not split)."""
    heats = session.scalars(select(Heat).where(Heat.round_id == row.id).order_by(Heat.number)).all()
    if not heats:
        numbers = session.scalars(
            select(Couple.number)
            .join(RoundCouple, RoundCouple.couple_id == Couple.id)
            .where(RoundCouple.round_id == row.id)
            .order_by(Couple.number)
        ).all()
        return [{"number": None, "couples": list(numbers)}]
    return [
        {
            "number": heat.number,
            "couples": list(
                session.scalars(
                    select(Couple.number)
                    .join(HeatCouple, HeatCouple.couple_id == Couple.id)
                    .where(HeatCouple.heat_id == heat.id)
                    .order_by(Couple.number)
                )
            ),
        }
        for heat in heats
    ]


def judge_view(session: Session, seat_id: int) -> dict[str, Any]:
    """Everything the tablet draws for this seat, and the JSON state its script works from."""
    seat = session.get_one(Seat, seat_id)
    judge = session.get_one(Judge, seat.judge_id)
    view: dict[str, Any] = {"seat": {"id": seat.id, "letter": judge.letter, "name": judge.name}}
    row = _current_round(session, seat)
    if row is None:
        view["round"] = None
        return view
    event = session.get_one(Event, row.event_id)
    dances = _dances(session, row, seat)
    view["round"] = {"id": row.id, "name": row.name, "event": event.name, "kind": row.kind}
    view["heats"] = heats_of(session, row)
    view["state"] = {
        "kind": "show" if row.kind == SHOW_WEEK else row.kind,
        "required": row.recall_target,
        "seat": view["seat"],
        "round": view["round"],
        "dances": dances,
        "submit_url": f"/api/rounds/{row.id}/marks",
        "current_url": "/judge/current",
    }
    return view


@router.get("/judge", response_class=HTMLResponse)
def judge_page(request: Request) -> Response:
    principal = page_principal(request)
    with reading(request) as session:
        if principal.role != JUDGE or principal.seat_id is None:
            return render(
                request,
                "judge_signin.html",
                title="Judge sign-in",
                nav="judge",
                competitions=queries.competitions(session),
            )
        view = judge_view(session, principal.seat_id)
    if view["round"] is None:
        return render(request, "judge_idle.html", title=f"Judge {view['seat']['letter']}", **view)
    return render(request, "judge.html", title=f"Judge {view['seat']['letter']}", **view)


@router.get("/judge/current")
def judge_current(request: Request) -> Response:
    """The seat's current round and each dance's state, polled by the tablet: judges hear no staff
    events, and a new round or an unlocked sheet must reach the tablet without a reload by hand."""
    principal = page_principal(request)
    if principal.role != JUDGE or principal.seat_id is None:
        return JSONResponse({"signed_in": False, "round_id": None, "dances": []})
    with reading(request) as session:
        view = judge_view(session, principal.seat_id)
    if view["round"] is None:
        return JSONResponse({"signed_in": True, "round_id": None, "dances": []})
    return JSONResponse(
        {"signed_in": True, "round_id": view["round"]["id"], "dances": view["state"]["dances"]}
    )
