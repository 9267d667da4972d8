"""Couples: the entrants, known on the floor by their back number."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base


class Couple(Base):
    __tablename__ = "couples"
    __table_args__ = (UniqueConstraint("competition_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    number: Mapped[int]
    leader: Mapped[str] = mapped_column(String(200))
    follower: Mapped[str] = mapped_column(String(200))
    studio: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
