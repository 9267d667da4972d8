"""One router per resource; `ROUTERS` is what the app factory mounts (add new resources here)."""

from fastapi import APIRouter

from mirrorball.web.api import (
    auth,
    competitions,
    couples,
    events,
    health,
    judges,
    live,
    marks,
    results,
    reveal,
    rounds,
    show,
)

ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    competitions.router,
    couples.router,
    judges.router,
    events.router,
    rounds.router,
    marks.router,
    results.router,
    reveal.router,
    show.router,
    live.router,
]
