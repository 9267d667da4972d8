"""Rounds: one judged step of an event (a recall round, a final, a show week) and who dances in it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow

ROUND_KINDS = ("recall", "final", "show_week")
# setup → open (judges mark) → closed (result stored); "deciding" while a tie at the cut waits for the
# Chairman. A closed round can be reopened for a logged correction.
ROUND_STATUSES = ("setup", "open", "deciding", "closed")


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("event_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="setup")
    # How many couples the Chairman asked the judges to recall (recall rounds only).
    recall_target: Mapped[int | None]
    # A tie at the cut: "ask" the Chairman, or an event's policy set in advance (more, fewer, nearest).
    cut_policy: Mapped[str] = mapped_column(String(10), default="ask", server_default="ask")
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"))
    previous_round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoundCouple(Base):
    """A couple dancing in a round (the first round takes the entries; later ones the recalled)."""

    __tablename__ = "round_couples"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id"), primary_key=True)
