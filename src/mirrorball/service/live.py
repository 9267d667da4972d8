"""Live events a use case announces (a mark arrived, a result was published, a reveal step).

Services only queue events on their session; the web layer's broker delivers them once the
transaction commits (never for a rolled-back use case), so a client never hears of something that
is not durably stored. Payloads stay small (ids, counts): clients fetch details over the API, and
PostgreSQL NOTIFY limits a payload to 8000 bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

PENDING_KEY = "mirrorball.live_events"
PUBLIC = "public"
STAFF = "staff"  # admin and host only: marks arriving, judge progress


@dataclass(frozen=True)
class LiveEvent:
    competition_id: int
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    audience: str = PUBLIC
    # The number the receiving process's broker gave the event (0 until delivered): the SSE `id`.
    # Not part of the event's identity, and not sent between workers: each numbers its own.
    seq: int = field(default=0, compare=False)

    def to_json(self) -> str:
        return json.dumps(
            {
                "competition_id": self.competition_id,
                "kind": self.kind,
                "data": self.data,
                "audience": self.audience,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> LiveEvent:
        raw = json.loads(text)
        return cls(raw["competition_id"], raw["kind"], raw["data"], raw["audience"])


def announce(session: Session, event: LiveEvent) -> None:
    """Queue `event` for delivery when this session's transaction commits."""
    session.info.setdefault(PENDING_KEY, []).append(event)


def take_pending(session: Session) -> list[LiveEvent]:
    events: list[LiveEvent] = session.info.pop(PENDING_KEY, [])
    return events
