"""The big screen: what is on the floor now and what was just published, updated live.

Public: it shows only what the public may see (open rounds' couples, published results), so the
venue screen can run signed out on any machine.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from mirrorball.service import reveal
from mirrorball.service.compute_show import SHOW_WEEK
from mirrorball.store.models import Competition, Event, Publication, Result, Reveal, Round
from mirrorball.web.pages import queries
from mirrorball.web.pages.host import announcement_text, ordinal, stored_outcome
from mirrorball.web.pages.judge import heats_of
from mirrorball.web.pages.sheet_view import couple_names, result_view
from mirrorball.web.pages.show_board import show_board
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading

router = APIRouter(include_in_schema=False)

PUBLIC_EVENTS = ["result_published", "round_opened", "reveal_step", "score_submitted", "routine_started"]
# Events the public stream does not carry (a round opening; a judge's paddle, which is a staff event)
# are caught by refreshing: every second while a show week is being scored, else every 5 seconds.
FALLBACK_REFRESH_SECONDS = 5
PADDLE_REFRESH_SECONDS = 1


def board_for(session: Session, competition: Competition) -> dict[str, Any]:
    board: dict[str, Any] = {
        "competition": competition.name,
        "round": None,
        "routine": None,
        "leaderboard": [],
    }
    rounds = session.scalars(
        select(Round)
        .join(Event, Event.id == Round.event_id)
        .where(Event.competition_id == competition.id)
        .order_by(Round.id)
    ).all()
    on_floor = next((r for r in reversed(rounds) if r.status == "open"), None)
    latest_pub = session.scalar(
        select(Publication)
        .join(Round, Round.id == Publication.round_id)
        .join(Event, Event.id == Round.event_id)
        .where(Event.competition_id == competition.id)
        .order_by(Publication.id.desc())
        .limit(1)
    )
    board["reveal"] = _latest_reveal(session, competition, latest_pub)
    if on_floor is not None and on_floor.kind == SHOW_WEEK:
        board.update(show_board(session, on_floor))
        board["show_live"] = True
    elif on_floor is not None:
        event = session.get_one(Event, on_floor.event_id)
        heats = heats_of(session, on_floor)
        board["round"] = {
            "event": event.name,
            "name": on_floor.name,
            "status_text": "judging now",
            "heats": heats,
        }
    elif latest_pub is not None and board["reveal"] is None:
        row = session.get_one(Round, latest_pub.round_id)
        event = session.get_one(Event, row.event_id)
        view = result_view(session, row, session.get_one(Result, latest_pub.result_id))
        board["round"] = {"event": event.name, "name": row.name, "status_text": "result"}
        if view.kind == "recall":
            board["round"]["recalled"] = [p["number"] for p in view.placings()]
        else:
            board["round"]["placings"] = view.placings()
    return board


def _latest_reveal(session: Session, competition: Competition, latest_pub: Publication | None) -> Any:
    """The reveal the host moved last, unless a publication came after it (then that is the news)."""
    last = session.scalar(
        select(Reveal)
        .join(Round, Round.id == Reveal.round_id)
        .join(Event, Event.id == Round.event_id)
        .where(Event.competition_id == competition.id, Reveal.step > 0)
        .order_by(Reveal.updated_at.desc())
        .limit(1)
    )
    if last is None or (latest_pub is not None and latest_pub.published_at > last.updated_at):
        return None
    row = session.get_one(Round, last.round_id)
    current = reveal.state(session, row.id)
    names = couple_names(session, row.id)
    outcome = stored_outcome(session, row.id)
    shown = [
        {"place": "" if a.place is None else ordinal(a.place), **announcement_text(a, names, outcome)}
        for a in current.revealed
    ]
    latest = shown[-1]
    return {
        "index": current.step,
        "kind": latest["kind"],
        "label": latest["label"],
        "headline": latest["headline"],
        "title": f"{session.get_one(Event, row.event_id).name} — {row.name}",
        "shown": list(reversed(shown)),
    }


def _competition(session: Session, competition_id: int) -> Competition | None:
    return session.get(Competition, competition_id)


@router.get("/scoreboard", response_class=HTMLResponse)
def scoreboard_home(request: Request) -> Response:
    with reading(request) as session:
        competitions = queries.competitions(session)
        live = set(
            session.scalars(
                select(Event.competition_id)
                .join(Round, Round.event_id == Event.id)
                .where(Round.status == "open")
            )
        )
    if len(competitions) == 1:
        return RedirectResponse(f"/scoreboard/{competitions[0].id}", status_code=307)
    return render(
        request,
        "scoreboard_pick.html",
        title="Scoreboard",
        nav="scoreboard",
        competitions=competitions,
        live=live,
    )


@router.get("/scoreboard/{competition_id:int}", response_class=HTMLResponse)
def scoreboard(request: Request, competition_id: int) -> Response:
    with reading(request) as session:
        competition = _competition(session, competition_id)
        if competition is None:
            return render(
                request, "error.html", status_code=404, title="Scoreboard", message="No such competition."
            )
        board = board_for(session, competition)
    return render(
        request,
        "scoreboard.html",
        title=f"Scoreboard — {board['competition']}",
        stage=True,
        board=board,
        fragment_url=f"/scoreboard/{competition_id}/live",
        live_url=f"/api/competitions/{competition_id}/live",
        live_events=PUBLIC_EVENTS,
        live_poll=PADDLE_REFRESH_SECONDS if board.get("show_live") else FALLBACK_REFRESH_SECONDS,
    )


@router.get("/scoreboard/{competition_id:int}/live", response_class=HTMLResponse)
def scoreboard_fragment(request: Request, competition_id: int) -> Response:
    with reading(request) as session:
        competition = _competition(session, competition_id)
        if competition is None:
            return Response(status_code=404)
        board = board_for(session, competition)
    return render(request, "_scoreboard_live.html", board=board)
