"""Show weeks: the week's settings, which couples dance each routine, and the audience's vote tallies.

A show week is a round of kind "show_week"; its routines are the round's dances (one row per routine,
named e.g. "Jive — 3"), judged with paddles (marks of 1–10). Votes arrive as tallies per window
(a night, an app window) from the voting side; the week's decision uses their sum.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow


class ShowWeek(Base):
    __tablename__ = "show_weeks"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    eliminate: Mapped[int] = mapped_column(default=1)
    final: Mapped[bool] = mapped_column(default=False)
    # An earlier week (a finale's first night, a no-elimination week) whose judges' points add to this one.
    includes_round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    # The combination rules (mirrorball.formats.season.rules_to_dict): explicit, never a hidden default.
    rules: Mapped[dict[str, Any]]


class RoutineCouple(Base):
    """A couple dancing a routine (several for a team dance; the score counts for each)."""

    __tablename__ = "routine_couples"

    dance_id: Mapped[int] = mapped_column(ForeignKey("dances.id"), primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id"), primary_key=True)


class VoteTally(Base):
    """Votes for one couple in one voting window, as counted by the voting side."""

    __tablename__ = "vote_tallies"
    __table_args__ = (UniqueConstraint("round_id", "window", "couple_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    window: Mapped[str] = mapped_column(String(100))
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id"))
    votes: Mapped[int] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
