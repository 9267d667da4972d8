"""The bench's server: mirrorball's real app plus one bare endpoint, served by the same uvicorn workers.

The bare endpoint parses the same JSON body with the same kind of pydantic model and answers a small
JSON object, touching no database: it is the ceiling the vote endpoint is compared with. It lives in the
votes router itself, just before the vote route, so that the framework does the same work to reach
either (route matching walks the routes in order, and it is a large part of a request's cost).
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from mirrorball.web.api import votes as votes_api
from mirrorball.web.app import app_from_env

BARE_PATH = "/api/votes/bench/bare"


class BareVote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    couple: str
    votes: int = 1
    key: str


async def bare(body: BareVote) -> dict[str, object]:
    return {"status": "counted", "couple": body.couple, "votes": body.votes}


def _place_bare_route() -> None:
    router = votes_api.router
    if any(getattr(r, "path", "") == BARE_PATH for r in router.routes):
        return
    router.add_api_route("/bench/bare", bare, methods=["POST"], status_code=201)
    route = router.routes.pop()
    vote_path = "/api/votes/windows/{window_id}/votes"
    index = next(i for i, r in enumerate(router.routes) if getattr(r, "path", "") == vote_path)
    router.routes.insert(index, route)


def create() -> FastAPI:
    _place_bare_route()  # before the app includes the router
    return app_from_env()
