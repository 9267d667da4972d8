"""The host's reveal: announcing a round's result one couple at a time, last place first.

The scoreboard shows only what has been revealed, even before the result is published; the order
comes from the stored result, never computed on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from mirrorball.audit.chain import append
from mirrorball.service.errors import Invalid
from mirrorball.service.live import LiveEvent, announce
from mirrorball.service.lookup import get, lock_round, require_status
from mirrorball.service.principal import Principal
from mirrorball.service.results import current_result
from mirrorball.service.rounds_read import competition_of
from mirrorball.store.models import Reveal, Round


@dataclass(frozen=True)
class Announcement:
    couple: str
    place: float | int | None  # None for a recall (a couple is recalled, not placed)


def reveal_order(outcome: dict[str, Any]) -> list[Announcement]:
    """Finals and show weeks: from the last place up; recalls: the recalled couples by number."""
    if outcome.get("kind") == "show_week":  # from the bottom of the week's ranking up
        ranking: list[str] = outcome["ranking"]
        return [Announcement(c, len(ranking) - i) for i, c in enumerate(reversed(ranking))]
    if "places" in outcome:
        places: dict[str, float | int] = outcome["places"]
        ranked = sorted(places, key=lambda c: (-places[c], int(c) if c.isdigit() else 0))
        return [Announcement(c, places[c]) for c in ranked]
    if outcome.get("resolved"):
        return [
            Announcement(c, None)
            for c in sorted(outcome["recalled"], key=lambda c: int(c) if c.isdigit() else 0)
        ]
    return []


@dataclass(frozen=True)
class RevealState:
    round_id: int
    step: int
    order: list[Announcement]

    @property
    def revealed(self) -> list[Announcement]:
        return self.order[: self.step]


def state(session: Session, round_id: int) -> RevealState:
    get(session, Round, round_id, what="round")
    result = current_result(session, round_id)
    row = session.get(Reveal, round_id)
    order = reveal_order(result.outcome) if result is not None else []
    return RevealState(round_id, row.step if row else 0, order)


def set_step(session: Session, round_id: int, *, step: int, principal: Principal) -> RevealState:
    """Move the reveal to `step` couples announced (forwards, or back after a slip of the tongue)."""
    row = lock_round(session, round_id)
    require_status(row, "closed", "only a closed round's result is revealed")
    current = state(session, round_id)
    if not 0 <= step <= len(current.order):
        raise Invalid(f"the reveal has steps 0 to {len(current.order)}", field="step")
    reveal = session.get(Reveal, round_id)
    if reveal is None:
        reveal = Reveal(round_id=round_id, step=step)
        session.add(reveal)
    reveal.step = step
    append(session, actor=principal.actor, kind="reveal.step", payload={"round_id": round_id, "step": step})
    announce(
        session, LiveEvent(competition_of(session, row), "reveal_step", {"round_id": round_id, "step": step})
    )
    return RevealState(round_id, step, current.order)
