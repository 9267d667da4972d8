"""What the app holds for its lifetime, and the request-side helpers to reach it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mirrorball.service.attempts import PinAttempts
from mirrorball.store.db import transaction
from mirrorball.web.events import EventBroker
from mirrorball.web.settings import Settings


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]
    broker: EventBroker
    pin_attempts: PinAttempts = field(default_factory=PinAttempts)  # per process, see attempts


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.mirrorball
    return state


@contextmanager
def use_case(request: Request) -> Iterator[Session]:
    """One use case = one transaction, committed before the response is sent (so a 2xx is durable)."""
    with transaction(app_state(request).sessions) as session:
        yield session


@contextmanager
def reading(request: Request) -> Iterator[Session]:
    """A read-only transaction (no SQLite write lock)."""
    with transaction(app_state(request).readers) as session:
        yield session
