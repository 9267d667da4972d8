"""The bench's server: mirrorball's real app plus one bare endpoint, served by the same uvicorn workers.

The bare endpoint parses the same JSON body with the same kind of pydantic model and answers a small
JSON object, touching no database: it is the ceiling the vote endpoint is compared with.
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from mirrorball.web.app import app_from_env


class BareVote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    couple: str
    votes: int = 1
    key: str


def create() -> FastAPI:
    app = app_from_env()

    @app.post("/bench/bare", status_code=201)
    async def bare(body: BareVote) -> dict[str, object]:
        return {"status": "counted", "couple": body.couple, "votes": body.votes}

    return app
