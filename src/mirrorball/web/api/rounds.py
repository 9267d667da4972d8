"""Rounds: create, draw heats, open, close, the Chairman's decision, the next round (admin); read (all)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.formats.couples import MAX_NUMBER
from mirrorball.service import judging, results, setup
from mirrorball.service.lookup import get
from mirrorball.service.principal import Principal
from mirrorball.service.rounds_read import round_couples, round_judges
from mirrorball.store.models import Couple, Dance, Event, Heat, HeatCouple, Round
from mirrorball.web.api.results import ResultOut, result_out
from mirrorball.web.api.types import MAX_ID, Count, PathId
from mirrorball.web.auth import require_admin, require_staff
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["rounds"], responses=ERROR_RESPONSES)
CutPolicyName = Literal["ask", "more", "fewer", "nearest"]
CUT_POLICY_HELP = (
    "a tie at the cut: ask the Chairman, or the event's policy set in advance "
    "(more: the whole tie; fewer: those above it; nearest: closest to the request)"
)


class RoundIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["recall", "final"]
    couples: list[Annotated[int, Field(ge=1, le=MAX_NUMBER)]] | None = Field(
        default=None, max_length=2000, description="back numbers; default: every couple"
    )
    recall_target: Count | None = Field(
        default=None, description="recall rounds: how many couples the judges mark"
    )
    dances: list[str] | None = Field(default=None, max_length=20, description="default: the event's dances")
    cut_policy: CutPolicyName = Field(default="ask", description=CUT_POLICY_HELP)


class NextRoundIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["recall", "final"]
    recall_target: Count | None = None
    cut_policy: CutPolicyName = Field(default="ask", description=CUT_POLICY_HELP)


class HeatsIn(BaseModel):
    count: int = Field(ge=1, le=100)
    seed: Count | None = Field(
        default=None, description="the draw's seed (default: the round id), for a repeatable draw"
    )


class DecisionIn(BaseModel):
    recall: int = Field(ge=1, le=MAX_ID, description="how many couples to recall: one of the offered options")
    reason: str = Field(default="", max_length=2000)


class HeatOut(BaseModel):
    number: int
    couples: list[int]


class RoundOut(BaseModel):
    id: int
    event_id: int
    position: int
    name: str
    kind: str
    status: str
    recall_target: int | None
    cut_policy: str
    previous_round_id: int | None
    dances: list[str]
    couples: list[int]
    judges: list[str]
    heats: list[HeatOut]
    published_version: int | None = Field(
        description="the latest publication of its result (None: unpublished)"
    )


def round_out(session: Session, row: Round) -> RoundOut:
    dances = session.scalars(
        select(Dance.name).where(Dance.round_id == row.id).order_by(Dance.position)
    ).all()
    heats: dict[int, list[int]] = {}
    for number, couple in session.execute(
        select(Heat.number, Couple.number)
        .join(HeatCouple, HeatCouple.heat_id == Heat.id)
        .join(Couple, Couple.id == HeatCouple.couple_id)
        .where(Heat.round_id == row.id)
        .order_by(Heat.number, Couple.number)
    ):
        heats.setdefault(number, []).append(couple)
    return RoundOut(
        id=row.id,
        event_id=row.event_id,
        position=row.position,
        name=row.name,
        kind=row.kind,
        status=row.status,
        recall_target=row.recall_target,
        cut_policy=row.cut_policy,
        previous_round_id=row.previous_round_id,
        dances=list(dances),
        couples=[int(n) for n in round_couples(session, row.id)],
        judges=[letter for _, letter in round_judges(session, row.panel_id)],
        heats=[HeatOut(number=n, couples=c) for n, c in heats.items()],
        published_version=published.version
        if (published := results.latest_publication(session, row.id))
        else None,
    )


@router.post("/api/events/{event_id}/rounds", response_model=RoundOut, status_code=201)
def create_round(
    event_id: PathId, body: RoundIn, request: Request, principal: Principal = Depends(require_admin)
) -> RoundOut:
    with use_case(request) as session:
        row = setup.create_round(
            session,
            event_id,
            name=body.name,
            kind=body.kind,
            couples=body.couples,
            recall_target=body.recall_target,
            dances=body.dances,
            actor=principal,
            cut_policy=body.cut_policy,
        )
        return round_out(session, row)


@router.get("/api/events/{event_id}/rounds", response_model=list[RoundOut])
def list_rounds(event_id: PathId, request: Request) -> list[RoundOut]:
    with reading(request) as session:
        get(session, Event, event_id, what="event")
        rows = session.scalars(select(Round).where(Round.event_id == event_id).order_by(Round.position))
        return [round_out(session, r) for r in rows]


@router.get("/api/rounds/{round_id}", response_model=RoundOut)
def read_round(round_id: PathId, request: Request) -> RoundOut:
    with reading(request) as session:
        return round_out(session, get(session, Round, round_id, what="round"))


@router.post("/api/rounds/{round_id}/heats", response_model=RoundOut)
def draw_heats(
    round_id: PathId, body: HeatsIn, request: Request, principal: Principal = Depends(require_admin)
) -> RoundOut:
    """Split the round's couples into heats on the floor (a random draw, repeatable by seed)."""
    with use_case(request) as session:
        setup.split_heats(session, round_id, count=body.count, seed=body.seed, actor=principal)
        return round_out(session, get(session, Round, round_id, what="round"))


@router.post("/api/rounds/{round_id}/open", response_model=RoundOut)
def open_round(round_id: PathId, request: Request, principal: Principal = Depends(require_admin)) -> RoundOut:
    with use_case(request) as session:
        return round_out(session, setup.open_round(session, round_id, actor=principal))


@router.get("/api/rounds/{round_id}/progress", response_model=dict[str, dict[str, str]])
def progress(
    round_id: PathId, request: Request, _: Principal = Depends(require_staff)
) -> dict[str, dict[str, str]]:
    """{dance: {judge: missing | locked | unlocked | first keying}}."""
    with reading(request) as session:
        return judging.progress(session, round_id)


@router.post("/api/rounds/{round_id}/close", response_model=ResultOut)
def close_round(
    round_id: PathId, request: Request, principal: Principal = Depends(require_admin)
) -> ResultOut:
    """Compute the recall or the final. A tie at the cut leaves the round "deciding"."""
    with use_case(request) as session:
        return result_out(session, results.close_round(session, round_id, principal=principal))


@router.post("/api/rounds/{round_id}/decision", response_model=ResultOut)
def decide(
    round_id: PathId, body: DecisionIn, request: Request, principal: Principal = Depends(require_admin)
) -> ResultOut:
    """The Chairman's choice at a tied cut (one of the result's `cutoff_options` sizes)."""
    with use_case(request) as session:
        result = results.decide_cut(
            session, round_id, recall=body.recall, reason=body.reason, principal=principal
        )
        return result_out(session, result)


@router.post("/api/rounds/{round_id}/next", response_model=RoundOut, status_code=201)
def next_round(
    round_id: PathId, body: NextRoundIn, request: Request, principal: Principal = Depends(require_admin)
) -> RoundOut:
    """Create the following round from the couples this round recalled."""
    with use_case(request) as session:
        row = results.next_round(
            session,
            round_id,
            name=body.name,
            kind=body.kind,
            recall_target=body.recall_target,
            principal=principal,
            cut_policy=body.cut_policy,
        )
        return round_out(session, row)
