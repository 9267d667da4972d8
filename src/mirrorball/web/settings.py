"""Server settings: one frozen value given to `create_app`, or read from the environment by workers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

from mirrorball.store.db import default_url, normalize_url

DEMO_ENV = "MIRRORBALL_DEMO"


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=default_url)
    # Where people reach the server; used to print sign-in links and QR codes.
    base_url: str = "http://127.0.0.1:8000"
    session_ttl: timedelta = timedelta(hours=14)  # a competition day, not forever
    migrate: bool = True
    # `serve --demo`: the start page hands out sign-in links and the "play" buttons work. Never on a real
    # competition, where a public page must not give out credentials.
    demo: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "db_url", normalize_url(self.db_url))

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls) -> Settings:
        """What `mirrorball serve` hands to its worker processes (they import the app by name)."""
        return cls(
            db_url=os.environ.get("MIRRORBALL_DB") or default_url(),
            base_url=os.environ.get("MIRRORBALL_BASE_URL", cls.base_url),
            demo=os.environ.get(DEMO_ENV) == "1",
        )
