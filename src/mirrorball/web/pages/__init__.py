"""The server-rendered pages: one router module per page family, mounted by `mount_pages`.

The app factory calls `mount_pages(app)` once; everything a page needs (templates, static files, its
routes) is registered here so the factory stays a list of one-line registrations.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from mirrorball.web.pages import (
    console,
    console_show,
    demo_play,
    host,
    judge,
    landing,
    results,
    scoreboard,
    seats,
)
from mirrorball.web.pages.templating import STATIC_DIR


def mount_pages(app: FastAPI) -> None:
    """Register the static files and every page router on `app`."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (landing, demo_play, judge, console, console_show, seats, host, scoreboard, results):
        app.include_router(module.router)
