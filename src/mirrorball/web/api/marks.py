"""Marks: a judge submits its own sheets; the scrutineer keys paper sheets twice and unlocks for corrections.

A sheet is one judge's marks for one dance: `recalls` (the back numbers given an X) in a recall round,
`ranks` ({back number: rank}) in a final. Send a `submission_id` (or an `Idempotency-Key` header) to
make retries safe: the same id returns the stored sheet (200) instead of submitting again (201).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.formats.couples import MAX_NUMBER
from mirrorball.service import judging
from mirrorball.service.compute import RECALL, X
from mirrorball.service.compute_show import SHOW_WEEK
from mirrorball.service.errors import Invalid
from mirrorball.service.lookup import get
from mirrorball.service.principal import JUDGE, Principal
from mirrorball.service.rounds_read import round_judges
from mirrorball.store.models import Dance, Round, Sheet
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import require_admin, require_role
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["marks"], responses=ERROR_RESPONSES)
MAX_COUPLES = 2000


Number = Annotated[int, Field(ge=1, le=MAX_NUMBER)]


class MarksIn(BaseModel):
    dance: str = Field(min_length=1, max_length=200, description="the dance, or a show week's routine name")
    recalls: list[Number] | None = Field(
        default=None, max_length=MAX_COUPLES, description="recall round: back numbers marked X"
    )
    ranks: dict[Number, Annotated[int, Field(ge=1, le=MAX_COUPLES)]] | None = Field(
        default=None, description="final: {back number: rank 1..N}"
    )
    scores: dict[Number, Annotated[int, Field(ge=0, le=100)]] | None = Field(
        default=None, description="show week: {back number: paddle 1-10} for the routine's couple(s)"
    )


class SheetIn(MarksIn):
    submission_id: str | None = Field(
        default=None, min_length=1, max_length=100, description="makes retries idempotent"
    )


class PaperIn(MarksIn):
    judge: str = Field(min_length=1, max_length=8)


class UnlockIn(BaseModel):
    dance: str = Field(min_length=1, max_length=100)
    judge: str = Field(min_length=1, max_length=8)
    reason: str = Field(min_length=1, max_length=2000)


class SheetOut(BaseModel):
    round_id: int
    dance: str
    judge: str
    version: int
    status: str
    source: str
    marks: dict[str, int]


class PaperOut(BaseModel):
    status: str = Field(description="'waiting for the second keying' or 'stored'")
    sheet: SheetOut | None = None


def _marks(kind: str, body: MarksIn) -> dict[str, int]:
    given = {"recalls": body.recalls, "ranks": body.ranks, "scores": body.scores}
    wanted = {RECALL: "recalls", SHOW_WEEK: "scores"}.get(kind, "ranks")
    if [name for name, value in given.items() if value is not None] != [wanted]:
        raise Invalid(f"this round takes {wanted} (and nothing else)", field=wanted, dance=body.dance)
    if body.recalls is not None:
        if len(set(body.recalls)) != len(body.recalls):
            raise Invalid("a couple is marked twice", field="recalls", dance=body.dance)
        return {str(n): X for n in body.recalls}
    values = body.ranks if body.ranks is not None else body.scores
    assert values is not None
    return {str(n): value for n, value in values.items()}


def _round_marks(session: Session, round_id: int, body: MarksIn) -> dict[str, int]:
    """The body's marks, checked against the kind of round (read in the use case's transaction)."""
    return _marks(get(session, Round, round_id, what="round").kind, body)


def _sheet_out(round_id: int, dance: str, submitted: judging.Submitted) -> SheetOut:
    sheet = submitted.sheet
    return SheetOut(
        round_id=round_id,
        dance=dance,
        judge=submitted.judge,
        version=sheet.version,
        status=sheet.status,
        source=sheet.source,
        marks=submitted.marks,
    )


@router.post(
    "/api/rounds/{round_id}/marks",
    response_model=SheetOut,
    status_code=201,
    responses={200: {"model": SheetOut}},
)
def submit_marks(
    round_id: PathId,
    body: SheetIn,
    request: Request,
    response: Response,
    idempotency_key: str | None = Header(default=None, max_length=100),
    principal: Principal = Depends(require_role(JUDGE)),
) -> SheetOut:
    """A judge's sheet for one dance (its own seat only, while the round is open)."""
    with use_case(request) as session:
        marks = _round_marks(session, round_id, body)
        submitted = judging.submit_sheet(
            session,
            round_id=round_id,
            dance=body.dance,
            marks=marks,
            submission_key=body.submission_id or idempotency_key,
            principal=principal,
        )
    if not submitted.created:
        response.status_code = 200
    return _sheet_out(round_id, body.dance, submitted)


@router.get("/api/rounds/{round_id}/marks", response_model=list[SheetOut])
def read_marks(
    round_id: PathId, request: Request, principal: Principal = Depends(require_role("admin", JUDGE))
) -> list[SheetOut]:
    """Every sheet (admin, including superseded versions) or the judge's own sheets."""
    with reading(request) as session:
        row = get(session, Round, round_id, what="round")
        letters = dict(round_judges(session, row.panel_id))
        rows = session.execute(select(Dance.id, Dance.name).where(Dance.round_id == round_id))
        dances = {dance_id: name for dance_id, name in rows}
        query = (
            select(Sheet)
            .where(Sheet.round_id == round_id)
            .order_by(Sheet.dance_id, Sheet.seat_id, Sheet.version)
        )
        if principal.role == JUDGE:
            query = query.where(Sheet.seat_id == principal.seat_id, Sheet.status != "superseded")
        return [
            _sheet_out(
                round_id,
                dances[s.dance_id],
                judging.Submitted(s, judging.sheet_marks(session, s.id), False, letters[s.seat_id]),
            )
            for s in session.scalars(query)
        ]


@router.post(
    "/api/rounds/{round_id}/paper",
    response_model=PaperOut,
    status_code=202,
    responses={201: {"model": PaperOut}},
)
def key_paper(
    round_id: PathId,
    body: PaperIn,
    request: Request,
    response: Response,
    principal: Principal = Depends(require_admin),
) -> PaperOut:
    """Key a judge's paper sheet. It counts only when a second keying matches the first (201)."""
    with use_case(request) as session:
        marks = _round_marks(session, round_id, body)
        submitted = judging.key_paper(
            session, round_id=round_id, dance=body.dance, judge=body.judge, marks=marks, principal=principal
        )
    if submitted is None:
        return PaperOut(status="waiting for the second keying")
    response.status_code = 201
    return PaperOut(status="stored", sheet=_sheet_out(round_id, body.dance, submitted))


@router.delete("/api/rounds/{round_id}/paper", status_code=204)
def discard_keying(
    round_id: PathId, dance: str, judge: str, request: Request, principal: Principal = Depends(require_admin)
) -> Response:
    """Discard a first keying that was itself mistyped."""
    with use_case(request) as session:
        judging.discard_first_keying(
            session, round_id=round_id, dance=dance, judge=judge, principal=principal
        )
    return Response(status_code=204)


@router.post("/api/rounds/{round_id}/unlock", response_model=SheetOut)
def unlock(
    round_id: PathId, body: UnlockIn, request: Request, principal: Principal = Depends(require_admin)
) -> SheetOut:
    """Unlock a judge's sheet for a correction (logged with the reason); a closed round reopens."""
    with use_case(request) as session:
        sheet = judging.unlock_sheet(
            session,
            round_id=round_id,
            dance=body.dance,
            judge=body.judge,
            reason=body.reason,
            principal=principal,
        )
        marks = judging.sheet_marks(session, sheet.id)
    return _sheet_out(round_id, body.dance, judging.Submitted(sheet, marks, False, body.judge))
