"""The producer's side of a show week in the console: vote windows, the pre-vote outlook, the
judges' save.

The outlook ("can the vote still change this couple's fate?", the Strictly 2008 problem) needs every
judge's paddle and no votes: it is shown between the last paddle and the vote. There is no service
for it yet, so this module composes the server's own pieces (`week_input`, `judges_points`,
`parse_rules`) with the engine's `outlook`; nothing here combines or ranks by itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.scoring.show import outlook
from mirrorball.service import results as results_service
from mirrorball.service import show as show_service
from mirrorball.service.compute_show import judges_points, parse_rules
from mirrorball.service.errors import ServiceError
from mirrorball.service.principal import Principal
from mirrorball.store.models import Round
from mirrorball.web.auth import require_admin
from mirrorball.web.state import use_case

router = APIRouter(include_in_schema=False)


def show_context(session: Session, row: Round, names: dict[str, str]) -> dict[str, Any]:
    windows = show_service.vote_windows(session, row.id)
    totals = show_service.vote_totals(session, row.id)
    context: dict[str, Any] = {
        "windows": windows,
        "vote_totals": sorted((totals or {}).items(), key=lambda item: -item[1]),
        "outlook": None,
        "save": None,
        "names": names,
    }
    if row.status == "open" and totals is None:
        context["outlook"] = _outlook(session, row, names)
    current = results_service.current_result(session, row.id)
    if row.status == "deciding" and current is not None:
        context["save"] = {
            "bottom": current.outcome.get("bottom", []),
            "points": current.outcome.get("points", {}),
        }
    return context


def _outlook(session: Session, row: Round, names: dict[str, str]) -> dict[str, Any] | None:
    try:
        given = show_service.week_input(session, row)
        points = judges_points(given)
        look = outlook(
            given.couples, points, parse_rules(given.rules), eliminate=given.eliminate, week=given.label
        )
    except (ServiceError, ScoringError, InputError):
        return None  # paddles still missing: the outlook waits for the last one
    rows = []
    for entry in look.couples:
        if entry.certain_elimination:
            verdict = "goes home whatever the public votes"
        elif entry.certain_bottom:
            verdict = "in the bottom whatever the public votes"
        elif not entry.can_be_bottom:
            verdict = "safe whatever the public votes"
        else:
            verdict = "the vote decides"
        rows.append(
            {
                "couple": names.get(entry.couple, entry.couple),
                "points": points[entry.couple],
                "verdict": verdict,
                "fixed": entry.fate_fixed,
            }
        )
    return {"rows": rows, "fixed": [names.get(c, c) for c in look.fixed], "how": look.how}


def _back(round_id: int, message: str, kind: str) -> Response:
    return RedirectResponse(
        f"/console/rounds/{round_id}?" + urlencode({"message": message, "kind": kind}), status_code=303
    )


@router.post("/console/rounds/{round_id:int}/votes")
def key_votes(
    request: Request,
    round_id: int,
    window: str = Form(...),
    tallies: str = Form(...),
    principal: Principal = Depends(require_admin),
) -> Response:
    """One voting window's counts, typed as "1:5200 2:4100 …" (back number : votes)."""
    try:
        counts = {}
        for part in tallies.replace(",", " ").split():
            number, _, votes = part.partition(":")
            counts[number.strip()] = int(votes)
        with use_case(request) as session:
            show_service.tally_votes(session, round_id, window=window, tallies=counts, principal=principal)
    except ValueError:
        return _back(round_id, "type each couple as number:votes, e.g. 1:5200 2:4100", "bad")
    except ServiceError as error:
        return _back(round_id, error.message, "bad")
    return _back(round_id, f"Votes of the {window} window counted.", "ok")


@router.post("/console/rounds/{round_id:int}/save")
async def judges_save(
    request: Request, round_id: int, principal: Principal = Depends(require_admin)
) -> Response:
    """The judges' save votes as announced: one select per judge (blank: did not vote)."""
    form = await request.form()
    votes = {
        key.removeprefix("vote_"): str(value)
        for key, value in form.items()
        if key.startswith("vote_") and isinstance(value, str) and value
    }
    try:
        with use_case(request) as session:
            results_service.judges_save(session, round_id, votes=votes, principal=principal)
    except ServiceError as error:
        return _back(round_id, error.message, "bad")
    return _back(round_id, "The judges' save is recorded: the week is decided.", "ok")
