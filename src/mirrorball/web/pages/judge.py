"""The judge's tablet: sign in by link, QR code or PIN, then only this seat's current work."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from mirrorball.service.principal import JUDGE
from mirrorball.web.pages import queries
from mirrorball.web.pages.session import page_principal
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading

router = APIRouter(include_in_schema=False)


@router.get("/judge", response_class=HTMLResponse)
def judge_page(request: Request) -> Response:
    principal = page_principal(request)
    if principal.role != JUDGE:
        with reading(request) as session:
            competitions = queries.competitions(session)
            return render(
                request, "judge_signin.html", title="Judge sign-in", nav="judge", competitions=competitions
            )
    return render(request, "error.html", title="Judge", message="Judging pages are being wired.")
