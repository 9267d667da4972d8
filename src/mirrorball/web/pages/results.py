"""Public results: every published round with its sheets, downloads and plain-words explanations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from mirrorball.web.pages import queries
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading

router = APIRouter(include_in_schema=False)


@router.get("/results", response_class=HTMLResponse)
def results_index(request: Request) -> Response:
    with reading(request) as session:
        tree = queries.round_tree(
            session, href="/results/rounds/{id}", only=queries.published_round_ids(session)
        )
    return render(request, "results.html", title="Results", nav="results", competitions=tree)
