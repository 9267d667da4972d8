"""Server-sent events: `GET /api/competitions/{id}/live`.

Each message is `id: <id>`, `event: <kind>` and a JSON `data:` line. The public hears public events
(results published, reveal steps, vote progress); admin and host also hear staff events (marks
arriving). A comment line every few seconds keeps proxies from closing an idle stream.

A client that reconnects sends the last id it saw as `Last-Event-ID` (EventSource does so by itself)
and first gets the events it missed. When those cannot be known (the id is older than the worker's
memory of events, or comes from another worker or an earlier run) it gets a `resync` event instead:
re-read the state over the API, then carry on with the events that follow.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import StreamingResponse

from mirrorball.service.live import PUBLIC, LiveEvent
from mirrorball.service.principal import ADMIN, HOST, Principal
from mirrorball.web.api.types import PathId
from mirrorball.web.auth import current_principal
from mirrorball.web.errors import ERROR_RESPONSES
from mirrorball.web.state import app_state

router = APIRouter(tags=["live"], responses=ERROR_RESPONSES)
KEEPALIVE_SECONDS = 15.0
RESYNC = "resync"
RESYNC_REASON = "events since Last-Event-ID are not known here: re-read the state"


def format_sse(event_id: str, kind: str, data: dict[str, Any]) -> str:
    return f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


@router.get(
    "/api/competitions/{competition_id}/live",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def live(
    competition_id: PathId,
    request: Request,
    principal: Principal = Depends(current_principal),
    last_event_id: str | None = Header(default=None, max_length=100),
) -> StreamingResponse:
    """Stream this competition's live events as they are committed (resuming after `Last-Event-ID`)."""
    staff = principal.role in (ADMIN, HOST)
    broker = app_state(request).broker

    def heard(event: LiveEvent) -> bool:
        return event.competition_id == competition_id and (staff or event.audience == PUBLIC)

    async def stream() -> AsyncIterator[str]:
        async with broker.subscribe() as queue:
            missed = broker.since(competition_id, last_event_id) if last_event_id else []
            yield ": connected\n\n"
            if missed is None:
                yield format_sse(broker.event_id(), RESYNC, {"reason": RESYNC_REASON})
            for event in missed or ():
                if heard(event):
                    yield format_sse(broker.event_id(event.seq), event.kind, event.data)
            while not await request.is_disconnected():
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if heard(event):
                    yield format_sse(broker.event_id(event.seq), event.kind, event.data)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
