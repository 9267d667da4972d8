"""The dances of a round, in running order."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base


class Dance(Base):
    __tablename__ = "dances"
    __table_args__ = (UniqueConstraint("round_id", "position"), UniqueConstraint("round_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
