"""The audience vote pages: `/vote`, `/vote/{window}` and the receipt check `/vote/receipt`.

Server-rendered, phone first, our own small JS (the receipt check needs none).

Self-contained: its own template files (`templates/vote*.html`), its script and style
(`static/js/vote.js`, `static/css/vote.css`) served by this router, so it needs nothing from the other
pages. It talks to the voting API (`mirrorball.web.api.votes`) with fetch.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from mirrorball.service import votes as voting
from mirrorball.service.vote_ledger import policy_of
from mirrorball.store.models.vote import VoteWindow
from mirrorball.voting.receipts import MAX_RECEIPT_CHARS, ReceiptError, verify_receipt
from mirrorball.web.api.types import PathId
from mirrorball.web.api.votes import WEB_CHANNEL, Runtime
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


@router.get("/vote/receipt", response_class=HTMLResponse)
def receipt_form() -> HTMLResponse:
    return HTMLResponse(_templates.get_template("vote_receipt.html").render(receipt="", check=None))


@router.post("/vote/receipt", response_class=HTMLResponse)
def receipt_check(request: Request, rt: Runtime, receipt: str = Form("")) -> HTMLResponse:
    """Anyone checks a receipt: the signature, what it states in words, and whether it still counts."""
    text = "".join(receipt.split())  # a receipt pasted from an e-mail or a chat may come wrapped
    try:
        if not text:
            raise ReceiptError("paste the receipt the vote page gave you")
        if len(text) > MAX_RECEIPT_CHARS:
            raise ReceiptError(f"a receipt is at most {MAX_RECEIPT_CHARS} characters; this is {len(text)}")
        facts = verify_receipt(text, rt.signer.public_key)
    except ReceiptError as exc:
        html = _templates.get_template("vote_receipt.html").render(receipt=text, check={"error": str(exc)})
        return HTMLResponse(html, status_code=422)
    with reading(request) as session:
        standing = voting.receipt_standing(session, facts)
        window = session.get(VoteWindow, facts.get("window"))
        title = window.title if window is not None else f"vote {facts.get('window')}"
        names = _couple_names(window.couples if window is not None else [])
    check = {
        "title": title,
        "counted": _changes(facts.get("counted", {}), names, signed=True),
        "allocation": _changes(facts.get("allocation", {}), names, signed=False),
        "remaining": facts.get("remaining"),
        "at": _moment(facts.get("at")),
        "facts": facts,
        "standing": standing,
    }
    return HTMLResponse(_templates.get_template("vote_receipt.html").render(receipt=text, check=check))


def _couple_names(couples: list[dict[str, Any]]) -> dict[str, str]:
    """{key: name} of a window's couples, "Couple <key>" where the window names none (as the page does)."""
    return {str(c["key"]): c.get("name") or f"Couple {c['key']}" for c in couples}


def _changes(votes: dict[str, int], names: dict[str, str], *, signed: bool) -> list[str]:
    """`{couple: n}` in words, couples by name: "Ann & Bob: +3 votes", or without the sign."""
    lines = []
    for couple, n in votes.items():
        amount = f"{n:+d}".replace("-", "−") if signed else str(n)
        unit = "vote" if abs(n) == 1 else "votes"
        lines.append(f"{names.get(couple, f'Couple {couple}')}: {amount} {unit}")
    return lines


def _moment(text: Any) -> str:
    """A receipt's ISO time as people read it, in UTC."""
    try:
        at = datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    at = at.astimezone(UTC) if at.tzinfo else at  # receipts are stamped in UTC
    return f"{at.day} {at:%b %Y, %H:%M:%S} UTC"


@router.get("/vote/{window_id}", response_class=HTMLResponse)
def vote_page(window_id: PathId, request: Request) -> HTMLResponse:
    with reading(request) as session:
        window = voting.get_window(session, window_id)
        described = voting.describe_window(window)
        policy = policy_of(window, WEB_CHANNEL)
        closed = voting.is_closed(window)
        shares = voting.public_tally(session, window_id)["shares"]  # None unless the policy shows them
    if policy is None:
        html = _templates.get_template("vote_index.html").render(windows=[])
        return HTMLResponse(html, status_code=404)
    cap = {"per_couple": policy.per_couple, "per_window": policy.per_window, "editable": policy.editable}
    html = _templates.get_template("vote.html").render(
        window=described,
        cap=cap,
        rules=rules_text(cap),
        closed=closed,
        results=_results(shares, described["couples"]) if shares is not None else None,
    )
    return HTMLResponse(html)


def _results(shares: dict[str, float], couples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The public shares, largest first, couples by name (every couple of the vote, 0 % included)."""
    named = [(name, shares.get(key, 0.0)) for key, name in _couple_names(couples).items()]
    named.sort(key=lambda pair: -pair[1])  # stable: equal shares keep the window's order
    return [{"name": name, "percent": percent, "label": f"{percent:.1f} %"} for name, percent in named]
