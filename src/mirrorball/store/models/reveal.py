"""The host's reveal: how far a round's result has been announced (the scoreboard shows that much)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow


class Reveal(Base):
    __tablename__ = "reveals"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    step: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
