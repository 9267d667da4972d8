"""Decisions of the Chairman (or a show's producer): explicit inputs to the engines, always logged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    # e.g. "recall_cut": how many to recall when the cut falls inside a tie.
    kind: Mapped[str] = mapped_column(String(40))
    choice: Mapped[dict[str, Any]]
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
