"""DanceSport events (categories) of a competition: create (admin), list (everyone)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from mirrorball.service import setup
from mirrorball.service.lookup import of_competition
from mirrorball.service.principal import Principal
from mirrorball.store.models import Event
from mirrorball.web.api.types import BodyId, PathId
from mirrorball.web.auth import require_admin
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["events"], responses=ERROR_RESPONSES)


class EventIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    dances: list[str] = Field(min_length=1, max_length=20, description="in running order")
    panel_id: BodyId


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    competition_id: int
    name: str
    dances: list[str]
    panel_id: int | None


@router.post("/api/competitions/{competition_id}/events", response_model=EventOut, status_code=201)
def create_event(
    competition_id: PathId, body: EventIn, request: Request, principal: Principal = Depends(require_admin)
) -> Event:
    with use_case(request) as session:
        return setup.create_event(
            session,
            competition_id,
            name=body.name,
            dances=body.dances,
            panel_id=body.panel_id,
            actor=principal,
        )


@router.get("/api/competitions/{competition_id}/events", response_model=list[EventOut])
def list_events(competition_id: PathId, request: Request) -> list[Event]:
    with reading(request) as session:
        return of_competition(session, Event, competition_id, order_by=Event.id)
