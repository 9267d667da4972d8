"""The producer's side of a show week in the console: the live audience vote (create, open, watch,
close, feed into the week), hand-keyed vote counts, the pre-vote outlook, the judges' save.

The live vote goes through `mirrorball.service.votes` exactly as the API's `/api/votes/...` routes do
(one transaction per action); this module only turns forms into those calls and the tally into rows.

The outlook ("can the vote still change this couple's fate?", the Strictly 2008 problem) needs every
judge's paddle and no votes: it is shown between the last paddle and the vote. There is no service
for it yet, so this module composes the server's own pieces (`week_input`, `judges_points`,
`parse_rules`) with the engine's `outlook`; nothing here combines or ranks by itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.scoring.show import outlook
from mirrorball.service import results as results_service
from mirrorball.service import show as show_service
from mirrorball.service import votes as voting
from mirrorball.service.compute_show import judges_points, parse_rules
from mirrorball.service.errors import NotFound, ServiceError
from mirrorball.service.principal import ADMIN, Principal
from mirrorball.service.vote_ledger import partner_source
from mirrorball.store.models import Event, Round
from mirrorball.store.models.vote import VoteWindow
from mirrorball.web.api.votes import WEB_CHANNEL
from mirrorball.web.auth import require_admin
from mirrorball.web.links import qr_svg
from mirrorball.web.pages.session import page_principal
from mirrorball.web.pages.sheet_view import couple_names
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading, use_case

router = APIRouter(include_in_schema=False)

# What a new window offers before the producer edits it: ten votes a viewer, at most five for one
# couple (no couple can take a voter's whole say), changeable until the close; shares public after it.
DEFAULT_CAPS = {"per_window": 10, "per_couple": 5, "editable": True}
DEFAULT_DISCLOSURE = "after_close"


def show_context(session: Session, row: Round, names: dict[str, str]) -> dict[str, Any]:
    windows = show_service.vote_windows(session, row.id)
    totals = show_service.vote_totals(session, row.id)
    context: dict[str, Any] = {
        "windows": windows,
        "vote_totals": sorted((totals or {}).items(), key=lambda item: -item[1]),
        "live_windows": [
            live_window(session, w, names, windows)
            for w in voting.list_windows(session)
            if w.round_id == row.id
        ],
        "new_window": {"title": f"{row.name} — audience vote", **DEFAULT_CAPS},
        "outlook": None,
        "save": None,
        "names": names,
    }
    if row.status == "open" and totals is None:
        context["outlook"] = _outlook(session, row, names)
    current = results_service.current_result(session, row.id)
    if row.status == "deciding" and current is not None:
        context["save"] = {
            "bottom": current.outcome.get("bottom", []),
            "points": current.outcome.get("points", {}),
        }
    return context


def live_window(
    session: Session, window: VoteWindow, names: dict[str, str], counted: list[str]
) -> dict[str, Any]:
    """One of the week's voting windows as the producer sees it: state, caps, the tally with shares."""
    described = voting.describe_window(window)
    counts = voting.window_tally(session, window.id)
    total = sum(counts.values())
    shares = voting.shares(counts)
    # feed_show_week records the window with the week under the label "vote window <id>: <title>".
    fed = any(label.startswith(f"vote window {window.id}:") for label in counted)
    closed = voting.is_closed(window)
    return {
        "id": window.id,
        "title": window.title,
        "state": "fed into the week" if fed else "closed" if closed else described["state"],
        "accepting": described["accepting"],
        "status_message": described["status_message"],
        "caps": window.caps.get(WEB_CHANNEL, {}),
        "disclosure": window.disclosure,
        "total": total,
        "rows": [
            {
                "couple": couple,
                "name": names.get(couple, ""),
                "votes": votes,
                "share": f"{float(shares[couple] * 100):.1f} %",
            }
            for couple, votes in sorted(counts.items(), key=lambda item: (-item[1], int(item[0])))
        ],
        "can_open": not closed and not described["accepting"],
        "can_close": not closed,
        "can_feed": closed and not fed,
        # Before the feed only: the week keeps the tally it was fed, so a later annulment would not reach it.
        "can_annul": not fed and (closed or described["accepting"] or total > 0),
        "page": f"/vote/{window.id}",
        "tally_url": f"/console/rounds/{window.round_id}/windows/{window.id}/tally",
    }


def add_vote_links(context: dict[str, Any], base_url: str) -> None:
    """The viewers' vote page of each window as a full address and QR code (for the screen or a card)."""
    show = context.get("show")
    for window in show["live_windows"] if show else []:
        window["url"] = base_url.rstrip("/") + window["page"]
        window["qr"] = qr_svg(window["url"])


# `votes.progress` is sent at most twice a second per window and the votes that arrive right after one
# announcement are not announced again until the next vote: without a poll, the last votes before a
# lull would stay off the producer's screen. While a window takes votes the page also re-reads every
# few seconds.
VOTE_POLL_SECONDS = 3


def vote_poll_seconds(context: dict[str, Any]) -> int | None:
    show = context.get("show")
    voting_now = show is not None and any(w["accepting"] for w in show["live_windows"])
    return VOTE_POLL_SECONDS if voting_now else None


def _outlook(session: Session, row: Round, names: dict[str, str]) -> dict[str, Any] | None:
    try:
        given = show_service.week_input(session, row)
        points = judges_points(given)
        look = outlook(
            given.couples, points, parse_rules(given.rules), eliminate=given.eliminate, week=given.label
        )
    except (ServiceError, ScoringError, InputError):
        return None  # paddles still missing: the outlook waits for the last one
    rows = []
    for entry in look.couples:
        if entry.certain_elimination:
            verdict = "goes home whatever the public votes"
        elif entry.certain_bottom:
            verdict = "in the bottom whatever the public votes"
        elif not entry.can_be_bottom:
            verdict = "safe whatever the public votes"
        else:
            verdict = "the vote decides"
        rows.append(
            {
                "couple": names.get(entry.couple, entry.couple),
                "points": points[entry.couple],
                "verdict": verdict,
                "fixed": entry.fate_fixed,
            }
        )
    return {"rows": rows, "fixed": [names.get(c, c) for c in look.fixed], "how": look.how}


def _back(round_id: int, message: str, kind: str) -> Response:
    return RedirectResponse(
        f"/console/rounds/{round_id}?" + urlencode({"message": message, "kind": kind}), status_code=303
    )


@router.post("/console/rounds/{round_id:int}/votes")
def key_votes(
    request: Request,
    round_id: int,
    window: str = Form(...),
    tallies: str = Form(...),
    principal: Principal = Depends(require_admin),
) -> Response:
    """One voting window's counts, typed as "1:5200 2:4100 …" (back number : votes)."""
    try:
        counts = {}
        for part in tallies.replace(",", " ").split():
            number, _, votes = part.partition(":")
            counts[number.strip()] = int(votes)
        with use_case(request) as session:
            show_service.tally_votes(session, round_id, window=window, tallies=counts, principal=principal)
    except ValueError:
        return _back(round_id, "type each couple as number:votes, e.g. 1:5200 2:4100", "bad")
    except ServiceError as error:
        return _back(round_id, error.message, "bad")
    return _back(round_id, f"Votes of the {window} window counted.", "ok")


@router.post("/console/rounds/{round_id:int}/save")
async def judges_save(
    request: Request, round_id: int, principal: Principal = Depends(require_admin)
) -> Response:
    """The judges' save votes as announced: one select per judge (blank: did not vote)."""
    form = await request.form()
    votes = {
        key.removeprefix("vote_"): str(value)
        for key, value in form.items()
        if key.startswith("vote_") and isinstance(value, str) and value
    }
    try:
        with use_case(request) as session:
            results_service.judges_save(session, round_id, votes=votes, principal=principal)
    except ServiceError as error:
        return _back(round_id, error.message, "bad")
    return _back(round_id, "The judges' save is recorded: the week is decided.", "ok")


def _caps_from_form(per_window: str, per_couple: str, editable: str) -> dict[str, Any]:
    caps: dict[str, Any] = {"editable": editable == "yes"}
    for name, text in (("per_window", per_window), ("per_couple", per_couple)):
        if text.strip():
            value = int(text)
            if value < 1:
                raise ValueError(name)
            caps[name] = value
    return caps


@router.post("/console/rounds/{round_id:int}/windows")
def create_vote_window(
    request: Request,
    round_id: int,
    title: str = Form(...),
    per_window: str = Form(""),
    per_couple: str = Form(""),
    editable: str = Form(""),
    principal: Principal = Depends(require_admin),
) -> Response:
    """A voting window for this week: its couples are the week's, keyed by back number."""
    try:
        caps = _caps_from_form(per_window, per_couple, editable)
    except ValueError:
        return _back(round_id, "the caps are whole numbers of votes, 1 or more (or blank: no cap)", "bad")
    try:
        with use_case(request) as session:
            row = session.get(Round, round_id)
            if row is None:
                raise NotFound(f"no round {round_id}", round_id=round_id)
            names = couple_names(session, round_id)
            spec = voting.WindowSpec(
                title=title.strip() or row.name,
                couples=[{"key": n, "name": names[n]} for n in sorted(names, key=int)],
                caps={WEB_CHANNEL: caps},
                disclosure=DEFAULT_DISCLOSURE,
                competition_id=session.get_one(Event, row.event_id).competition_id,
                round_id=round_id,
            )
            window = voting.create_window(session, principal.actor, spec)
            created = window.id
    except ServiceError as error:
        return _back(round_id, error.message, "bad")
    return _back(round_id, f"Voting window {created} is set up: open it when the vote starts.", "ok")


def _window_action(
    request: Request, round_id: int, window_id: int, principal: Principal, action: str
) -> Response:
    try:
        with use_case(request) as session:
            if voting.get_window(session, window_id).round_id != round_id:
                return _back(round_id, f"voting window {window_id} is not this week's", "bad")
            if action == "open":
                voting.open_window(session, principal.actor, window_id)
                message = f"Voting window {window_id} is open: viewers can vote now."
            elif action == "close":
                voting.close_window(session, principal.actor, window_id)
                message = f"Voting window {window_id} is closed: no more votes. Feed it into the week."
            else:
                fed = voting.feed_show_week(session, principal, window_id)
                total = sum(fed["tallies"].values())
                message = f"Voting window {window_id} is counted in the week: {total:,} votes."
    except ServiceError as error:
        return _back(round_id, error.message, "bad")
    return _back(round_id, message, "ok")


@router.post("/console/rounds/{round_id:int}/windows/{window_id:int}/open")
def open_vote_window(
    request: Request, round_id: int, window_id: int, principal: Principal = Depends(require_admin)
) -> Response:
    return _window_action(request, round_id, window_id, principal, "open")


@router.post("/console/rounds/{round_id:int}/windows/{window_id:int}/close")
def close_vote_window(
    request: Request, round_id: int, window_id: int, principal: Principal = Depends(require_admin)
) -> Response:
    return _window_action(request, round_id, window_id, principal, "close")


@router.post("/console/rounds/{round_id:int}/windows/{window_id:int}/feed")
def feed_vote_window(
    request: Request, round_id: int, window_id: int, principal: Principal = Depends(require_admin)
) -> Response:
    """The closed window's recounted tally goes to the week (service.votes.feed_show_week)."""
    return _window_action(request, round_id, window_id, principal, "feed")


@router.get("/console/rounds/{round_id:int}/windows/{window_id:int}/tally", response_class=HTMLResponse)
def window_tally_fragment(request: Request, round_id: int, window_id: int) -> Response:
    """One window's live tally alone, refetched by the console on every `votes.progress` event."""
    if page_principal(request).role != ADMIN:
        return Response(status_code=401)
    with reading(request) as session:
        window = session.get(VoteWindow, window_id)
        if window is None or window.round_id != round_id:
            return Response(status_code=404)
        shown = live_window(
            session, window, couple_names(session, round_id), show_service.vote_windows(session, round_id)
        )
    return render(request, "_vote_tally.html", window=shown)


def _criteria(form: dict[str, str]) -> voting.Criteria:
    """The annulment's criteria from the console's form; times are typed (or picked) in UTC."""

    def moment(name: str) -> datetime | None:
        text = form.get(name, "").strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{name}: {text!r} is not a time like 2026-11-29T20:15") from exc
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def text(name: str) -> str | None:
        return form.get(name, "").strip() or None

    partner = text("partner")
    return voting.Criteria(
        voter=text("voter"),
        address=text("address"),
        since=moment("since"),
        until=moment("until"),
        source=partner_source(partner) if partner else None,
        partner_batch=text("partner_batch"),
    )


@router.post("/console/rounds/{round_id:int}/windows/{window_id:int}/annul")
def annul_votes(
    request: Request,
    round_id: int,
    window_id: int,
    reason: str = Form(""),
    voter: str = Form(""),
    address: str = Form(""),
    since: str = Form(""),
    until: str = Form(""),
    partner: str = Form(""),
    partner_batch: str = Form(""),
    step: str = Form("preview"),
    principal: Principal = Depends(require_admin),
) -> Response:
    """Annul fraud in two steps: the votes the criteria match, shown with nothing changed; then, confirmed,
    the annulment (logged with its reason, the tally lowered, the window recounted)."""
    form = {
        "reason": reason,
        "voter": voter,
        "address": address,
        "since": since,
        "until": until,
        "partner": partner,
        "partner_batch": partner_batch,
    }
    confirmed = step == "annul"
    try:
        criteria = _criteria(form)
        if not form["reason"].strip():
            return _back(
                round_id, "say why these votes are annulled: the reason goes into the audit log", "bad"
            )
        with use_case(request) as session:
            if voting.get_window(session, window_id).round_id != round_id:
                return _back(round_id, f"voting window {window_id} is not this week's", "bad")
            # Confirmed or not, what matches now is read first: an annulment of nothing is not logged.
            preview = voting.annulment_preview(session, window_id, criteria)
            if confirmed and preview["rows"]:
                done = voting.invalidate(session, principal.actor, window_id, form["reason"], criteria)
            names = {} if confirmed else couple_names(session, round_id)  # the preview names couples
    except ValueError as error:
        return _back(round_id, str(error), "bad")
    except ServiceError as error:
        return _back(round_id, error.message, "bad")
    if not preview["rows"]:
        return _back(round_id, f"No valid votes in window {window_id} match: nothing to annul.", "bad")
    if confirmed:
        votes = sum(done["removed"].values())
        recount = (
            "the recount from the audit log matches"
            if done["recount_matches"]
            else "THE RECOUNT DOES NOT MATCH"
        )
        number = done["invalidation"]
        message = f"Annulled {votes:,} votes in window {window_id} (invalidation {number}); {recount}."
        return _back(round_id, message, "ok" if done["recount_matches"] else "bad")
    rows = [
        {"couple": couple, "name": names.get(couple, ""), "votes": votes}
        for couple, votes in preview["removed"].items()
    ]
    return render(
        request,
        "console_annul.html",
        round_id=round_id,
        window_id=window_id,
        form=form,
        preview=preview,
        rows=rows,
        votes=sum(row["votes"] for row in rows),
    )
