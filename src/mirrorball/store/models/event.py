"""Events: a DanceSport category ("Adult Open Latin") or a show's season; rounds belong to one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The event's dances in running order; a round copies them unless it is given its own (show weeks).
    dances: Mapped[list[Any]]
    panel_id: Mapped[int | None] = mapped_column(ForeignKey("panels.id"))
