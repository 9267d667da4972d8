"""The reveal: the host (or admin) moves it; everyone reads what has been revealed so far."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from mirrorball.service import reveal
from mirrorball.service.principal import ADMIN, HOST, Principal
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import current_principal, require_staff
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["reveal"], responses=ERROR_RESPONSES)


class StepIn(BaseModel):
    step: int = Field(ge=0, le=10_000, description="how many couples are announced")


class AnnouncementOut(BaseModel):
    couple: str
    place: float | int | None


class RevealOut(BaseModel):
    round_id: int
    step: int
    total: int
    revealed: list[AnnouncementOut] = Field(description="announced so far, in announcement order")
    upcoming: list[AnnouncementOut] | None = Field(default=None, description="admin and host only")


def _out(current: reveal.RevealState, staff: bool) -> RevealOut:
    def items(announcements: list[reveal.Announcement]) -> list[AnnouncementOut]:
        return [AnnouncementOut(couple=a.couple, place=a.place) for a in announcements]

    return RevealOut(
        round_id=current.round_id,
        step=current.step,
        total=len(current.order),
        revealed=items(current.revealed),
        upcoming=items(current.order[current.step :]) if staff else None,
    )


@router.get("/api/rounds/{round_id}/reveal", response_model=RevealOut)
def read_reveal(
    round_id: PathId, request: Request, principal: Principal = Depends(current_principal)
) -> RevealOut:
    with reading(request) as session:
        return _out(reveal.state(session, round_id), principal.role in (ADMIN, HOST))


@router.post("/api/rounds/{round_id}/reveal", response_model=RevealOut)
def move_reveal(
    round_id: PathId, body: StepIn, request: Request, principal: Principal = Depends(require_staff)
) -> RevealOut:
    """Announce up to `step` couples (last place first); the scoreboard hears a `reveal_step` event."""
    with use_case(request) as session:
        return _out(reveal.set_step(session, round_id, step=body.step, principal=principal), True)
