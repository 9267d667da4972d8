"""Couples: add or import from CSV (admin), list (everyone)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from mirrorball.formats.couples import MAX_NUMBER, CoupleRow
from mirrorball.service import setup
from mirrorball.service.lookup import of_competition
from mirrorball.service.principal import Principal
from mirrorball.store.models import Couple
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import require_admin
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["couples"], responses=ERROR_RESPONSES)


class CoupleIn(BaseModel):
    number: int = Field(ge=1, le=MAX_NUMBER, description="back number")
    leader: str = Field(min_length=1, max_length=200)
    follower: str = Field(min_length=1, max_length=200)
    studio: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=100)


class CouplesIn(BaseModel):
    couples: list[CoupleIn] = Field(min_length=1, max_length=2000)


class CouplesCsvIn(BaseModel):
    csv: str = Field(
        min_length=1,
        max_length=1_000_000,
        description="CSV text with a header: number, leader, follower[, studio, country]",
    )


class CoupleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    number: int
    leader: str
    follower: str
    studio: str
    country: str


@router.post("/api/competitions/{competition_id}/couples", response_model=list[CoupleOut], status_code=201)
def add_couples(
    competition_id: PathId, body: CouplesIn, request: Request, principal: Principal = Depends(require_admin)
) -> list[Couple]:
    rows = [CoupleRow(c.number, c.leader, c.follower, c.studio, c.country) for c in body.couples]
    with use_case(request) as session:
        return setup.add_couples(session, competition_id, rows, actor=principal)


@router.post(
    "/api/competitions/{competition_id}/couples/import", response_model=list[CoupleOut], status_code=201
)
def import_couples(
    competition_id: PathId,
    body: CouplesCsvIn,
    request: Request,
    principal: Principal = Depends(require_admin),
) -> list[Couple]:
    """Import a CSV; every bad line is reported (422, `where.problems`), and nothing is imported then."""
    with use_case(request) as session:
        return setup.import_couples_csv(session, competition_id, body.csv, actor=principal)


@router.get("/api/competitions/{competition_id}/couples", response_model=list[CoupleOut])
def list_couples(competition_id: PathId, request: Request) -> list[Couple]:
    with reading(request) as session:
        return of_competition(session, Couple, competition_id, order_by=Couple.number)
