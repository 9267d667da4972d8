"""Show weeks: set up a week and the next, vote tallies per window, the judges' save (admin).

Judges score routines through the marks endpoint (`scores`: {back number: paddle}); closing a week,
publishing and the reveal use the round endpoints like any round.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from mirrorball.formats.couples import MAX_NUMBER
from mirrorball.service import results, show
from mirrorball.service.principal import Principal
from mirrorball.web.api.results import ResultOut, result_out
from mirrorball.web.api.rounds import RoundOut, round_out
from mirrorball.web.api.types import BodyId, PathId
from mirrorball.web.auth import require_admin, require_staff
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["show weeks"], responses=ERROR_RESPONSES)
Number = Annotated[int, Field(ge=1, le=MAX_NUMBER)]


class RoutineIn(BaseModel):
    dance: str = Field(min_length=1, max_length=100)
    couples: list[Number] = Field(min_length=1, max_length=50, description="several for a team dance")


class WeekSettings(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    routines: list[RoutineIn] = Field(min_length=1, max_length=200)
    eliminate: int = Field(default=1, ge=0, le=100, description="how many couples leave (0: none)")
    final: bool = False


class WeekIn(WeekSettings):
    couples: list[Number] | None = Field(default=None, max_length=500, description="default: every couple")
    includes_round_id: BodyId | None = Field(default=None, description="an earlier week whose points add")
    rules: dict[str, Any] = Field(
        default_factory=lambda: {"preset": "dwts"},
        description="a `preset` (dwts, dwts-save, strictly, …) and/or rule fields (docs/show.md)",
    )


class NextWeekIn(WeekSettings):
    include_this_week: bool = Field(default=False, description="add this week's judges' points (two nights)")
    rules: dict[str, Any] | None = Field(default=None, description="default: this week's rules")


class VotesIn(BaseModel):
    window: str = Field(min_length=1, max_length=100, description="e.g. 'night 1', 'app'")
    tallies: dict[Number, Annotated[int, Field(ge=0, le=10**12)]] = Field(description="{back number: votes}")


class VotesOut(BaseModel):
    windows: list[str]
    totals: dict[str, int] | None


class SaveIn(BaseModel):
    votes: dict[Annotated[str, Field(min_length=1, max_length=8)], Number] = Field(
        description="{judge letter: back number of the couple that judge saves}"
    )


def _routines(given: list[RoutineIn]) -> list[show.RoutineData]:
    return [show.RoutineData(r.dance, tuple(r.couples)) for r in given]


@router.post("/api/events/{event_id}/weeks", response_model=RoundOut, status_code=201)
def create_week(
    event_id: PathId, body: WeekIn, request: Request, principal: Principal = Depends(require_admin)
) -> RoundOut:
    with use_case(request) as session:
        row = show.create_week(
            session,
            event_id,
            name=body.name,
            couples=body.couples,
            routines=_routines(body.routines),
            eliminate=body.eliminate,
            final=body.final,
            rules=body.rules,
            includes_round_id=body.includes_round_id,
            actor=principal,
        )
        return round_out(session, row)


@router.post("/api/rounds/{round_id}/next-week", response_model=RoundOut, status_code=201)
def next_week(
    round_id: PathId, body: NextWeekIn, request: Request, principal: Principal = Depends(require_admin)
) -> RoundOut:
    """The following week, danced by the couples this week kept."""
    with use_case(request) as session:
        row = show.next_week(
            session,
            round_id,
            name=body.name,
            routines=_routines(body.routines),
            eliminate=body.eliminate,
            final=body.final,
            include_this_week=body.include_this_week,
            rules=body.rules,
            actor=principal,
        )
        return round_out(session, row)


@router.post("/api/rounds/{round_id}/votes", response_model=VotesOut, status_code=201)
def tally_votes(
    round_id: PathId, body: VotesIn, request: Request, principal: Principal = Depends(require_admin)
) -> VotesOut:
    """One voting window's counts (each window once); the week's decision uses the sum."""
    tallies = {str(n): v for n, v in body.tallies.items()}
    with use_case(request) as session:
        totals = show.tally_votes(session, round_id, window=body.window, tallies=tallies, principal=principal)
        return VotesOut(windows=show.vote_windows(session, round_id), totals=totals)


@router.get("/api/rounds/{round_id}/votes", response_model=VotesOut)
def read_votes(round_id: PathId, request: Request, _: Principal = Depends(require_staff)) -> VotesOut:
    """Vote counts stay with the producer (admin, host) unless a published result discloses them."""
    with reading(request) as session:
        return VotesOut(
            windows=show.vote_windows(session, round_id), totals=show.vote_totals(session, round_id)
        )


@router.post("/api/rounds/{round_id}/save", response_model=ResultOut)
def judges_save(
    round_id: PathId, body: SaveIn, request: Request, principal: Principal = Depends(require_admin)
) -> ResultOut:
    """The judges' save votes as announced, keyed by the scrutineer; decides the week."""
    votes = {judge: str(number) for judge, number in body.votes.items()}
    with use_case(request) as session:
        return result_out(session, results.judges_save(session, round_id, votes=votes, principal=principal))
