"""Competitions: create (admin), list and read (everyone: start lists are public)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from mirrorball.service import setup
from mirrorball.service.lookup import get
from mirrorball.service.principal import Principal
from mirrorball.store.models import Competition
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import require_admin
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["competitions"], responses=ERROR_RESPONSES)


class CompetitionIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["dancesport", "show"] = "dancesport"


class CompetitionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    kind: str
    created_at: datetime


@router.post("/api/competitions", response_model=CompetitionOut, status_code=201)
def create_competition(
    body: CompetitionIn, request: Request, principal: Principal = Depends(require_admin)
) -> Competition:
    with use_case(request) as session:
        return setup.create_competition(session, name=body.name, kind=body.kind, actor=principal)


@router.get("/api/competitions", response_model=list[CompetitionOut])
def list_competitions(request: Request) -> list[Competition]:
    with reading(request) as session:
        return list(session.scalars(select(Competition).order_by(Competition.id)))


@router.get("/api/competitions/{competition_id}", response_model=CompetitionOut)
def read_competition(competition_id: PathId, request: Request) -> Competition:
    with reading(request) as session:
        return get(session, Competition, competition_id, what="competition")
