"""Judges, panels and seats.

A judge is a person (labelled A, B, C … within a competition); a panel is the set of judges that marks
an event's rounds; a seat is one judge on one panel. A judge signs in to a seat, so a judge may write
marks only for rounds judged by that seat's panel, and only under that seat's letter.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base


class Judge(Base):
    __tablename__ = "judges"
    __table_args__ = (UniqueConstraint("competition_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    letter: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100), default="")


class Panel(Base):
    __tablename__ = "panels"
    __table_args__ = (UniqueConstraint("competition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Seat(Base):
    __tablename__ = "seats"
    __table_args__ = (UniqueConstraint("panel_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    # Order of the judges on sheets (A, B, C … as seated), independent of the letters' alphabet.
    position: Mapped[int]
