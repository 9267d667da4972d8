"""Credentials (sign-in links and PINs, stored as argon2 hashes) and the sessions they open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mirrorball.store.base import Base, utcnow

ROLES = ("admin", "judge", "host")


class Credential(Base):
    """Something a person presents once to open a session: a link token or a judge's PIN."""

    __tablename__ = "credentials"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id"))
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seats.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "link" or "pin"
    secret_hash: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    single_use: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AuthSession(Base):
    """An open session. The id is the SHA-256 of the bearer token: a stolen table opens nothing."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id"))
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seats.id"))
    credential_id: Mapped[str | None] = mapped_column(ForeignKey("credentials.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
