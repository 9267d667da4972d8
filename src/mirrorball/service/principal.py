"""Who is asking: the role and seat a request acts as, and the actor name the audit log records."""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"
JUDGE = "judge"
HOST = "host"
PUBLIC = "public"


@dataclass(frozen=True)
class Principal:
    role: str
    seat_id: int | None = None
    competition_id: int | None = None
    session_id: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this principal ("judge@seat:3", "admin")."""
        return f"{self.role}@seat:{self.seat_id}" if self.seat_id is not None else self.role


ANONYMOUS = Principal(role=PUBLIC)
SYSTEM = Principal(role="system")
