"""Results: what closing a round computed, with its full tabulation, in versions.

Closing a round again after a correction writes a new version; older versions stay (status
"superseded") so a published result's history can always be shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow


class Result(Base):
    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("round_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="current")
    # The stable JSON of the result: answer plus tabulation and decision log (rendered by sheets/pages).
    outcome: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
