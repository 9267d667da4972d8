"""Judges, panels and seats (admin), the judges' list (everyone), a seat's PIN (admin)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from mirrorball.service import auth as auth_service
from mirrorball.service import setup
from mirrorball.service.lookup import of_competition
from mirrorball.service.principal import Principal
from mirrorball.service.rounds_read import round_judges
from mirrorball.store.models import Judge, Panel
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import require_admin
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["judges"], responses=ERROR_RESPONSES)


class JudgeIn(BaseModel):
    letter: str = Field(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$")
    name: str = Field(min_length=1, max_length=200)
    country: str = Field(default="", max_length=100)


class JudgesIn(BaseModel):
    judges: list[JudgeIn] = Field(min_length=1, max_length=100)


class JudgeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    letter: str
    name: str
    country: str


class PanelIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    judges: list[str] = Field(min_length=1, max_length=100, description="judge letters in seat order")


class SeatOut(BaseModel):
    seat_id: int
    judge: str


class PanelOut(BaseModel):
    id: int
    name: str
    seats: list[SeatOut]


class PinIn(BaseModel):
    pin: str = Field(min_length=4, max_length=12, pattern=r"^[0-9]+$")


@router.post("/api/competitions/{competition_id}/judges", response_model=list[JudgeOut], status_code=201)
def add_judges(
    competition_id: PathId, body: JudgesIn, request: Request, principal: Principal = Depends(require_admin)
) -> list[Judge]:
    judges = [setup.JudgeData(j.letter, j.name, j.country) for j in body.judges]
    with use_case(request) as session:
        return setup.add_judges(session, competition_id, judges, actor=principal)


@router.get("/api/competitions/{competition_id}/judges", response_model=list[JudgeOut])
def list_judges(competition_id: PathId, request: Request) -> list[Judge]:
    with reading(request) as session:
        return of_competition(session, Judge, competition_id, order_by=Judge.letter)


def _panel_out(session: Session, panel: Panel) -> PanelOut:
    seats = [SeatOut(seat_id=seat_id, judge=letter) for seat_id, letter in round_judges(session, panel.id)]
    return PanelOut(id=panel.id, name=panel.name, seats=seats)


@router.post("/api/competitions/{competition_id}/panels", response_model=PanelOut, status_code=201)
def create_panel(
    competition_id: PathId, body: PanelIn, request: Request, principal: Principal = Depends(require_admin)
) -> PanelOut:
    with use_case(request) as session:
        panel = setup.create_panel(
            session, competition_id, name=body.name, letters=body.judges, actor=principal
        )
        return _panel_out(session, panel)


@router.get("/api/competitions/{competition_id}/panels", response_model=list[PanelOut])
def list_panels(
    competition_id: PathId, request: Request, _: Principal = Depends(require_admin)
) -> list[PanelOut]:
    with reading(request) as session:
        panels = of_competition(session, Panel, competition_id, order_by=Panel.id)
        return [_panel_out(session, p) for p in panels]


@router.post("/api/seats/{seat_id}/pin", status_code=204)
def set_pin(
    seat_id: PathId, body: PinIn, request: Request, principal: Principal = Depends(require_admin)
) -> Response:
    """Give a judge's seat a PIN (replaces the previous one)."""
    with use_case(request) as session:
        auth_service.set_pin(session, seat_id=seat_id, pin=body.pin, actor=principal)
    return Response(status_code=204)
