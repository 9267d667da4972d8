"""Marks, grouped in sheets: one judge's marks for one dance of one round, submitted together.

A sheet is the unit of submission, locking and correction. A correction never overwrites: the old sheet
is marked superseded and a new version is written, so every mark ever acknowledged stays on record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow

# locked: counts and cannot change; unlocked: the scrutineer opened it for a correction (still counts
# until replaced); superseded: replaced by a later version, kept for the record.
SHEET_STATUSES = ("locked", "unlocked", "superseded")


class Sheet(Base):
    __tablename__ = "sheets"
    __table_args__ = (
        # Two racing submissions for the same seat and dance cannot both become the same version.
        UniqueConstraint("round_id", "dance_id", "seat_id", "version"),
        # A retried request carries the same key: the database, not a check-then-insert, makes it one.
        UniqueConstraint("seat_id", "submission_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    dance_id: Mapped[int] = mapped_column(ForeignKey("dances.id"))
    seat_id: Mapped[int] = mapped_column(ForeignKey("seats.id"))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default="locked")
    # "tablet" (the judge) or "paper" (keyed twice by the scrutineer).
    source: Mapped[str] = mapped_column(String(20))
    submission_key: Mapped[str | None] = mapped_column(String(100))
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mark(Base):
    __tablename__ = "marks"
    __table_args__ = (UniqueConstraint("sheet_id", "couple_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id"), index=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id"))
    # Recall: 1 for an X (couples without an X have no row); final: the rank; show: the paddle score.
    value: Mapped[int]


class PaperKeying(Base):
    """The first keying of a paper sheet, waiting for the second keying that must match it."""

    __tablename__ = "paper_keyings"
    __table_args__ = (UniqueConstraint("round_id", "dance_id", "seat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    dance_id: Mapped[int] = mapped_column(ForeignKey("dances.id"))
    seat_id: Mapped[int] = mapped_column(ForeignKey("seats.id"))
    marks: Mapped[dict[str, Any]]
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
