"""The demo's "play it live" button: a new final of the demo event, opened for the judges, with every
judge but A marking on a simulated tablet every few seconds. Judge A is the visitor, so the console's
board, the big screen and the visitor's own tablet all move together.

Only under `serve --demo` (MIRRORBALL_DEMO=1). The simulated judges go through the same judging
service as a real tablet, so the audit log, the live events and the result are the real thing; the
marks themselves are random (labelled "simulated" on the start page).
"""

from __future__ import annotations

import asyncio
import random
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mirrorball.service import judging, setup
from mirrorball.service.errors import ServiceError
from mirrorball.service.principal import JUDGE, SYSTEM, Principal
from mirrorball.service.rounds_read import round_couples, round_judges
from mirrorball.store.db import transaction
from mirrorball.store.models import Dance, Event, Round
from mirrorball.web.pages.landing import demo_enabled
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


async def _simulate(state: AppState, round_id: int) -> None:
    for seat_id, dance, marks in await run_in_threadpool(_simulated_sheets, state, round_id):
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
            return  # the round was closed or changed under the simulation: stop quietly


@router.post("/demo/live-final")
async def start_live_final(request: Request) -> Response:
    if not demo_enabled():
        return Response(status_code=404)
    state = app_state(request)
    try:
        round_id, competition_id = await run_in_threadpool(_open_live_final, state)
    except ServiceError as error:
        return RedirectResponse("/?" + urlencode({"message": error.message}), status_code=303)
    task = asyncio.create_task(_simulate(state, round_id))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    query = urlencode({"live_round": round_id, "competition": competition_id})
    return RedirectResponse(f"/?{query}#demo-title", status_code=303)
