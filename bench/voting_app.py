"""The bench's server: mirrorball's real app plus two control endpoints, served by the same uvicorn workers.

- The bare endpoint parses the same JSON body with the same kind of pydantic model and answers a small
  JSON object, touching no database: it is the ceiling the vote endpoint is compared with.
- The insert endpoint is bare plus one durable INSERT of the vote as a row, committed per request:
  no cap, no idempotency, no audit, no receipt. It is the plainest way to store a vote over HTTP,
  and shows what the database's own work costs on this machine next to the vote endpoint's.

Both live in the votes router itself, just before the vote route, so that the framework does the same
work to reach any of them (route matching walks the routes in order, and it is a large part of a
request's cost).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict

from mirrorball.web.api import votes as votes_api
from mirrorball.web.app import app_from_env

BARE_PATH = "/api/votes/bench/bare"
INSERT_PATH = "/api/votes/bench/insert"
PLAIN_TABLE = "bench_plain_votes"  # created by the bench (voting_bench.plain_votes) before the server starts
INSERT_SQL = (
    f"INSERT INTO {PLAIN_TABLE} (window_id, channel, voter, couple, delta, request_key, part, received_at,"
    " batch_id) VALUES (%s, %s, %s, %s, %s, %s, 0, %s, 0)"
)


class BareVote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    couple: str
    votes: int = 1
    key: str


async def bare(body: BareVote) -> dict[str, object]:
    return {"status": "counted", "couple": body.couple, "votes": body.votes}


POOL_SIZE = 16  # connections per worker, opened once: two workers stay well inside max_connections
_pool: asyncio.Queue[psycopg.AsyncConnection[Any]] | None = None
_opening = asyncio.Lock()


async def _connections(request: Request) -> asyncio.Queue[psycopg.AsyncConnection[Any]]:
    global _pool
    if _pool is not None:  # every request after the first: no lock on the measured path
        return _pool
    async with _opening:
        if _pool is None:
            url = request.app.state.mirrorball.engine.url.set(drivername="postgresql")
            conninfo = url.render_as_string(hide_password=False)
            pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
            for _ in range(POOL_SIZE):
                pool.put_nowait(await psycopg.AsyncConnection.connect(conninfo, autocommit=True))
            _pool = pool
    return _pool


async def plain_insert(body: BareVote, request: Request) -> dict[str, object]:
    """One INSERT per request, committed on its own (autocommit), on a connection held open: no thread,
    no pool checkout, one round trip. PostgreSQL only (see voting_bench.http_run)."""
    pool = await _connections(request)
    connection = await pool.get()
    try:
        voter = request.headers.get("authorization", "")[-16:]
        await connection.execute(
            INSERT_SQL, (0, "online", voter, body.couple, body.votes, body.key, datetime.now(UTC))
        )
    finally:
        pool.put_nowait(connection)
    return {"status": "counted", "couple": body.couple, "votes": body.votes}


def _place_control_routes() -> None:
    router = votes_api.router
    if any(getattr(r, "path", "") == BARE_PATH for r in router.routes):
        return
    vote_path = "/api/votes/windows/{window_id}/votes"
    for path, endpoint in (("/bench/bare", bare), ("/bench/insert", plain_insert)):
        router.add_api_route(path, endpoint, methods=["POST"], status_code=201)
        route = router.routes.pop()
        index = next(i for i, r in enumerate(router.routes) if getattr(r, "path", "") == vote_path)
        router.routes.insert(index, route)


def create() -> FastAPI:
    _place_control_routes()  # before the app includes the router
    return app_from_env()
