"""The FastAPI application factory: `create_app(settings)`.

The factory migrates the database (idempotent; several workers may race, see store.migrate), opens
the engine and session factories, hooks the live-event broker onto them, and mounts one router per
resource. Pages (templates) and audience voting mount their routers the same way.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from mirrorball import __version__
from mirrorball.store.db import make_engine, make_session_factory
from mirrorball.store.migrate import migrate
from mirrorball.web.api import ROUTERS
from mirrorball.web.errors import install_error_handlers
from mirrorball.web.events import broker_for
from mirrorball.web.pages import mount_pages
from mirrorball.web.settings import Settings
from mirrorball.web.state import AppState


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.db_url)
    if settings.migrate:
        migrate(engine)
    sessions = make_session_factory(engine)
    readers = make_session_factory(engine, read_only=True)
    broker = broker_for(settings.db_url)
    broker.install(sessions)
    state = AppState(settings=settings, engine=engine, sessions=sessions, readers=readers, broker=broker)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await broker.start()
        try:
            yield
        finally:
            voting = getattr(_app.state, "voting", None)
            if voting is not None:
                await voting.writer.close()
            await broker.stop()
            engine.dispose()

    app = FastAPI(
        title="mirrorball",
        version=__version__,
        description="Dance competition judging, audience voting and results.",
        lifespan=lifespan,
    )
    app.state.mirrorball = state
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    mount_pages(app)
    return app


def app_from_env() -> FastAPI:
    """Entry point for uvicorn worker processes (`--workers N`): settings come from the environment."""
    app = create_app(Settings.from_env())
    # What exists now (modules, routes, schemas, ORM mappers: ~150 000 objects) lives as long as the
    # worker. Frozen, it is out of the cyclic collector's reach. Measured: otherwise each full collection
    # walked it, 150-180 ms of CPU with the event loop stopped, three times in twelve 2000-vote gateway
    # batches (1000 -> 650 ms CPU for those batches with the freeze). Not in `create_app`: tests build
    # many apps in one process, and freezing there would keep their garbage forever.
    gc.freeze()
    return app
