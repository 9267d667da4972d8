"""Heats: groups of a round's couples on the floor at the same time (a 40-couple round in 3 heats)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base


class Heat(Base):
    __tablename__ = "heats"
    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    number: Mapped[int]


class HeatCouple(Base):
    __tablename__ = "heat_couples"

    heat_id: Mapped[int] = mapped_column(ForeignKey("heats.id"), primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id"), primary_key=True)
