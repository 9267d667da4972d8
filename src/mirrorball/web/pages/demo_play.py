"""The demo's "play" buttons, so the pages light up on a first visit.

- **Play a live final** (DanceSport): a new final of the demo event, opened for the judges, with every
  judge but A marking on a simulated tablet every few seconds. Judge A is the visitor, so the
  console's board, the big screen and the visitor's own tablet all move together. Marks are random.
- **Open an audience vote** (show): a voting window for the season 19 finalists, open, with the shares
  public while it runs, so the visitor votes on the phone page, gets and checks a receipt, and watches
  the shares move; the sign-in code arrives by the server's development delivery (its terminal).
- **Play the season 19 finale** (show): a replay of the finale's second night, with the judges' real
  paddles (read from the demo's stored finale, which came from the bundled season file) going up one
  by one, then the demo's vote counts keyed as the window "simulated" (the real counts were never
  published), then the week closes; the host reveals it from third place up to the champion.

Only under `serve --demo` (`Settings.demo`). Everything goes through the same services as a tablet
or the console, so the audit log, the live events and the results are the real thing.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mirrorball.service import judging, results, setup, show
from mirrorball.service import votes as voting
from mirrorball.service.errors import ServiceError
from mirrorball.service.principal import JUDGE, SYSTEM, Principal
from mirrorball.service.rounds_read import round_couples, round_judges, routine_couples
from mirrorball.store.db import transaction
from mirrorball.store.models import Dance, Event, Round, ShowWeek
from mirrorball.store.models.vote import VoteWindow
from mirrorball.web.api.votes import WEB_CHANNEL
from mirrorball.web.pages.landing import demo_enabled
from mirrorball.web.pages.sheet_view import couple_names
from mirrorball.web.state import AppState, app_state

router = APIRouter(include_in_schema=False)
SECONDS_BETWEEN_SHEETS = 2.5
VISITOR = "A"  # the judge whose tablet the visitor holds
_tasks: set[asyncio.Task[None]] = set()  # keeps the running simulations from being garbage-collected


def _open_live_final(state: AppState) -> tuple[int, int]:
    """Create and open a final with the latest final's couples (or the first six); returns ids."""
    with transaction(state.sessions) as session:
        last = session.scalar(select(Round).where(Round.kind == "final").order_by(Round.id.desc()).limit(1))
        if last is None:
            raise ServiceError("the demo has no final to replay")
        couples = sorted(int(c) for c in round_couples(session, last.id))
        live = sum(1 for _ in session.scalars(select(Round.id).where(Round.event_id == last.event_id)))
        row = setup.create_round(
            session,
            last.event_id,
            name=f"Final (live #{live})",
            kind="final",
            couples=couples,
            recall_target=None,
            actor=SYSTEM,
        )
        setup.open_round(session, row.id, actor=SYSTEM)
        competition_id = session.get_one(Event, row.event_id).competition_id
        return row.id, competition_id


def _simulated_sheets(state: AppState, round_id: int) -> list[tuple[int, str, dict[str, int]]]:
    with transaction(state.readers) as session:
        row = session.get_one(Round, round_id)
        couples = list(round_couples(session, round_id))
        dances = list(
            session.scalars(select(Dance.name).where(Dance.round_id == round_id).order_by(Dance.position))
        )
        seats = [
            (seat_id, letter) for seat_id, letter in round_judges(session, row.panel_id) if letter != VISITOR
        ]
    rng = random.Random(round_id)
    sheets = []
    for dance in dances:
        for seat_id, _letter in seats:
            impression = sorted(couples, key=lambda c: rng.gauss(couples.index(c), 1.3))
            sheets.append((seat_id, dance, {c: rank for rank, c in enumerate(impression, start=1)}))
    return sheets


async def _simulate(state: AppState, round_id: int, sheets: list[tuple[int, str, dict[str, int]]]) -> None:
    """Send `sheets` one by one, as the judges' tablets would; a sheet the visitor already sent for
    that seat is refused by the service and skipped."""
    for seat_id, dance, marks in sheets:
        await asyncio.sleep(SECONDS_BETWEEN_SHEETS)

        def send(seat_id: int = seat_id, dance: str = dance, marks: dict[str, int] = marks) -> None:
            with transaction(state.sessions) as session:
                judging.submit_sheet(
                    session,
                    round_id=round_id,
                    dance=dance,
                    marks=marks,
                    submission_key=f"demo-{round_id}-{seat_id}-{dance}",
                    principal=Principal(role=JUDGE, seat_id=seat_id),
                )

        try:
            await run_in_threadpool(send)
        except ServiceError:
            continue  # this seat already marked it (the visitor), or the round moved on


def _start(coroutine: Any) -> None:
    task = asyncio.create_task(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


@router.post("/demo/live-final")
async def start_live_final(request: Request) -> Response:
    if not demo_enabled(request):
        return Response(status_code=404)
    state = app_state(request)
    try:
        round_id, competition_id = await run_in_threadpool(_open_live_final, state)
    except ServiceError as error:
        return RedirectResponse("/?" + urlencode({"message": error.message}), status_code=303)
    sheets = await run_in_threadpool(_simulated_sheets, state, round_id)
    _start(_simulate(state, round_id, sheets))
    query = urlencode({"live_round": round_id, "competition": competition_id})
    return RedirectResponse(f"/?{query}#demo-title", status_code=303)


def _stored_finale(session: Session) -> Round | None:
    """The demo show's finale as loaded (closed; the replays come after it)."""
    return session.scalar(
        select(Round)
        .join(ShowWeek, ShowWeek.round_id == Round.id)
        .where(ShowWeek.final.is_(True), Round.status == "closed")
        .order_by(Round.id)
        .limit(1)
    )


def _open_finale_replay(state: AppState) -> tuple[int, list[tuple[int, str, dict[str, int]]], dict[str, int]]:
    """A copy of the demo show's final night, opened; returns it, the real paddles in running order
    (routine by routine, judge by judge) and the demo's vote counts for it."""
    with transaction(state.sessions) as session:
        source = _stored_finale(session)
        if source is None:
            raise ServiceError("the demo has no show finale to replay")
        week = session.get_one(ShowWeek, source.id)
        dances = session.scalars(
            select(Dance).where(Dance.round_id == source.id).order_by(Dance.position)
        ).all()
        routines = [
            show.RoutineData(
                d.name.rpartition(" — ")[0], tuple(int(c) for c in routine_couples(session, d.id))
            )
            for d in dances
        ]
        replays = len(session.scalars(select(Round.id).where(Round.event_id == source.event_id)).all())
        replay = show.create_week(
            session,
            source.event_id,
            name=f"{source.name} (replay {replays - 1})",
            couples=[int(c) for c in round_couples(session, source.id)],
            routines=routines,
            eliminate=week.eliminate,
            final=week.final,
            rules=week.rules,
            includes_round_id=week.includes_round_id,
            actor=SYSTEM,
        )
        setup.open_round(session, replay.id, actor=SYSTEM)
        paddles = []
        for dance in dances:
            name = show.RoutineData(
                dance.name.rpartition(" — ")[0], tuple(int(c) for c in routine_couples(session, dance.id))
            ).name
            for seat_id, _letter in round_judges(session, source.panel_id):
                sheet = judging.current_sheet(session, source.id, dance.id, seat_id)
                if sheet is not None:
                    paddles.append((seat_id, name, judging.sheet_marks(session, sheet.id)))
        votes = show.vote_totals(session, source.id) or {}
        return replay.id, paddles, votes


async def _play_finale(state: AppState, round_id: int, paddles: list[Any], votes: dict[str, int]) -> None:
    await _simulate(state, round_id, paddles)
    await asyncio.sleep(SECONDS_BETWEEN_SHEETS)

    def count_and_close() -> None:
        with transaction(state.sessions) as session:
            show.tally_votes(session, round_id, window="simulated", tallies=votes, principal=SYSTEM)
        with transaction(state.sessions) as session:
            results.close_round(session, round_id, principal=SYSTEM)

    try:
        await run_in_threadpool(count_and_close)
    except ServiceError:
        return  # someone closed or changed the week by hand meanwhile


@router.post("/demo/play-finale")
async def play_finale(request: Request) -> Response:
    if not demo_enabled(request):
        return Response(status_code=404)
    state = app_state(request)
    try:
        round_id, paddles, votes = await run_in_threadpool(_open_finale_replay, state)
    except ServiceError as error:
        return RedirectResponse("/?" + urlencode({"message": error.message}), status_code=303)
    _start(_play_finale(state, round_id, paddles, votes))
    return RedirectResponse(f"/?{urlencode({'finale_round': round_id})}#demo-title", status_code=303)


DEMO_VOTE_TITLE = "Season 19 finale: the audience vote (demo)"
DEMO_VOTE_CAPS = {"per_window": 10, "per_couple": 5, "editable": True}


def _open_demo_vote(state: AppState) -> int:
    """The demo's audience vote for the season 19 finalists, open (the one already open, if any)."""
    with transaction(state.sessions) as session:
        for window in session.scalars(select(VoteWindow).where(VoteWindow.title == DEMO_VOTE_TITLE)):
            if not voting.is_closed(window):
                if window.state != "open":
                    voting.open_window(session, SYSTEM.actor, window.id)
                return window.id
        finale = _stored_finale(session)
        if finale is None:
            raise ServiceError("the demo has no show finale to vote in")
        names = couple_names(session, finale.id)
        spec = voting.WindowSpec(
            title=DEMO_VOTE_TITLE,
            couples=[{"key": number, "name": names[number]} for number in sorted(names, key=int)],
            caps={WEB_CHANNEL: DEMO_VOTE_CAPS},
            disclosure="live",  # the visitor sees the shares move on the vote page
            competition_id=session.get_one(Event, finale.event_id).competition_id,
        )
        window = voting.create_window(session, SYSTEM.actor, spec)
        voting.open_window(session, SYSTEM.actor, window.id)
        return window.id


@router.post("/demo/open-vote")
async def open_vote(request: Request) -> Response:
    if not demo_enabled(request):
        return Response(status_code=404)
    try:
        window_id = await run_in_threadpool(_open_demo_vote, app_state(request))
    except ServiceError as error:
        return RedirectResponse("/?" + urlencode({"message": error.message}), status_code=303)
    return RedirectResponse(f"/?{urlencode({'vote_window': window_id})}#demo-title", status_code=303)
