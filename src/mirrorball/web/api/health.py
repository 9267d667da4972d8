"""`GET /api/health`: the server is up and its database answers (for load balancers and tests)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

from mirrorball import __version__
from mirrorball.web.state import reading

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/api/health", response_model=Health)
def health(request: Request) -> Health:
    with reading(request) as session:
        session.execute(text("SELECT 1"))
        backend = session.get_bind().dialect.name
    return Health(status="ok", version=__version__, database=backend)
