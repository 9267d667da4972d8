"""The audience vote page (`/vote`, `/vote/{window}`): server-rendered, phone first, our own small JS.

Self-contained: its own template files (`templates/vote*.html`), its script and style
(`static/js/vote.js`, `static/css/vote.css`) served by this router, so it needs nothing from the other
pages. It talks to the voting API (`mirrorball.web.api.votes`) with fetch.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from mirrorball.service import votes as voting
from mirrorball.service.vote_ledger import policy_of
from mirrorball.web.api.types import PathId
from mirrorball.web.api.votes import WEB_CHANNEL
from mirrorball.web.state import reading

router = APIRouter(include_in_schema=False)
_templates = Environment(loader=PackageLoader("mirrorball.web", "templates"), autoescape=select_autoescape())
_ASSETS = {"vote.js": ("js", "text/javascript"), "vote.css": ("css", "text/css")}


def rules_text(cap: dict[str, Any]) -> str:
    """The caps in one sentence a viewer understands."""
    parts = []
    if cap.get("per_window"):
        parts.append(f"You have {cap['per_window']} votes")
    if cap.get("per_couple"):
        parts.append(f"at most {cap['per_couple']} for any one couple")
    sentence = ", ".join(parts) + "." if parts else ""
    if cap.get("editable"):
        sentence += " You can change your votes until voting closes."
    else:
        sentence += " Votes cannot be taken back once sent."
    return sentence.strip()


@router.get("/vote", response_class=HTMLResponse)
def vote_index(request: Request) -> HTMLResponse:
    with reading(request) as session:
        windows = [voting.describe_window(w) for w in voting.list_windows(session)]
    html = _templates.get_template("vote_index.html").render(
        windows=[w for w in windows if WEB_CHANNEL in w["caps"]]
    )
    return HTMLResponse(html)


@router.get("/vote/assets/{name}")
def vote_asset(name: str) -> Response:
    if name not in _ASSETS:
        return Response("not found", status_code=404, media_type="text/plain")
    folder, media_type = _ASSETS[name]
    content = resources.files("mirrorball.web").joinpath("static", folder, name).read_bytes()
    return Response(content, media_type=media_type, headers={"Cache-Control": "public, max-age=300"})


@router.get("/vote/{window_id}", response_class=HTMLResponse)
def vote_page(window_id: PathId, request: Request) -> HTMLResponse:
    with reading(request) as session:
        window = voting.get_window(session, window_id)
        described = voting.describe_window(window)
        policy = policy_of(window, WEB_CHANNEL)
    if policy is None:
        html = _templates.get_template("vote_index.html").render(windows=[])
        return HTMLResponse(html, status_code=404)
    cap = {"per_couple": policy.per_couple, "per_window": policy.per_window, "editable": policy.editable}
    html = _templates.get_template("vote.html").render(window=described, cap=cap, rules=rules_text(cap))
    return HTMLResponse(html)
