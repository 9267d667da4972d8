"""The start page: what each page is for and who uses it, so a newcomer understands in a minute."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from mirrorball.web.pages.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> Response:
    return render(request, "landing.html", title="Start", nav="home")
