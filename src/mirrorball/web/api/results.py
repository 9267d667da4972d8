"""Results: the current result (staff), the published result and its history (everyone), publishing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.service import results
from mirrorball.service.errors import NotFound
from mirrorball.service.lookup import get
from mirrorball.service.principal import ADMIN, HOST, Principal
from mirrorball.store.models import Couple, Publication, Result, Round, RoundCouple
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import current_principal, require_admin
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import reading, use_case

router = APIRouter(tags=["results"], responses=ERROR_RESPONSES)


class CoupleName(BaseModel):
    leader: str
    follower: str
    studio: str
    country: str


class ResultOut(BaseModel):
    round_id: int
    version: int
    kind: str
    status: str = Field(description="current, or superseded by a correction")
    round_status: str = Field(description="closed, or deciding while a tie at the cut waits for the Chairman")
    published: bool
    outcome: dict[str, Any] = Field(
        description="the stable JSON of the result (docs/tabulate.md), with tabulation"
    )
    couples: dict[str, CoupleName]


class PublishIn(BaseModel):
    reason: str = Field(
        default="", max_length=2000, description="required when correcting a published result"
    )


class PublicationOut(BaseModel):
    round_id: int
    version: int
    reason: str
    published_at: datetime
    result: ResultOut


def result_out(session: Session, result: Result) -> ResultOut:
    row = session.get_one(Round, result.round_id)
    names = session.execute(
        select(Couple)
        .join(RoundCouple, RoundCouple.couple_id == Couple.id)
        .where(RoundCouple.round_id == row.id)
    ).scalars()
    published = (
        session.scalar(select(Publication.id).where(Publication.result_id == result.id).limit(1)) is not None
    )
    return ResultOut(
        round_id=row.id,
        version=result.version,
        kind=result.kind,
        status=result.status,
        round_status=row.status,
        published=published,
        outcome=result.outcome,
        couples={
            str(c.number): CoupleName(
                leader=c.leader, follower=c.follower, studio=c.studio, country=c.country
            )
            for c in names
        },
    )


def _publication_out(session: Session, publication: Publication, result: Result) -> PublicationOut:
    return PublicationOut(
        round_id=publication.round_id,
        version=publication.version,
        reason=publication.reason,
        published_at=publication.published_at,
        result=result_out(session, result),
    )


@router.get("/api/rounds/{round_id}/result", response_model=ResultOut)
def read_result(
    round_id: PathId, request: Request, principal: Principal = Depends(current_principal)
) -> ResultOut:
    """Admin and host see the current result; everyone else only the latest published one."""
    with reading(request) as session:
        get(session, Round, round_id, what="round")
        if principal.role in (ADMIN, HOST):
            current = results.current_result(session, round_id)
            if current is None:
                raise NotFound("the round has no result yet", round_id=round_id)
            return result_out(session, current)
        _publication, result = results.publications(session, round_id)[0]
        return result_out(session, result)


@router.get("/api/rounds/{round_id}/publications", response_model=list[PublicationOut])
def list_publications(round_id: PathId, request: Request) -> list[PublicationOut]:
    """Every published version, newest first: a correction never hides what was published before."""
    with reading(request) as session:
        get(session, Round, round_id, what="round")
        return [_publication_out(session, p, r) for p, r in results.publications(session, round_id)]


@router.post("/api/rounds/{round_id}/publish", response_model=PublicationOut, status_code=201)
def publish(
    round_id: PathId,
    request: Request,
    body: PublishIn | None = None,
    principal: Principal = Depends(require_admin),
) -> PublicationOut:
    with use_case(request) as session:
        reason = body.reason if body is not None else ""
        publication = results.publish(session, round_id, reason=reason, principal=principal)
        return _publication_out(session, publication, session.get_one(Result, publication.result_id))
