"""Server-sent events: `GET /api/competitions/{id}/live`.

Each message is `event: <kind>` with a JSON `data:` line. The public hears public events (results
published, reveal steps, vote progress); admin and host also hear staff events (marks arriving).
A comment line every few seconds keeps proxies from closing an idle stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from mirrorball.service.live import PUBLIC, LiveEvent
from mirrorball.service.principal import ADMIN, HOST, Principal
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import current_principal
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import app_state

router = APIRouter(tags=["live"], responses=ERROR_RESPONSES)
KEEPALIVE_SECONDS = 15.0


def format_sse(event: LiveEvent) -> str:
    return f"event: {event.kind}\ndata: {json.dumps(event.data, separators=(',', ':'))}\n\n"


@router.get(
    "/api/competitions/{competition_id}/live",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def live(
    competition_id: PathId, request: Request, principal: Principal = Depends(current_principal)
) -> StreamingResponse:
    """Stream this competition's live events as they are committed."""
    staff = principal.role in (ADMIN, HOST)
    broker = app_state(request).broker

    async def stream() -> AsyncIterator[str]:
        async with broker.subscribe() as queue:
            yield ": connected\n\n"
            while not await request.is_disconnected():
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if event.competition_id == competition_id and (staff or event.audience == PUBLIC):
                    yield format_sse(event)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
