"""The scrutineer's console: rounds at a glance, live judge progress, close, the Chairman's cut,
paper double entry, logged unlocks, publishing, opening the next round.

Every action is a plain HTML form (works by keyboard, needs no script) posting to a route here that
calls the same service as the JSON API and redirects back with a one-line message (POST-redirect-GET,
so a reload never repeats an action).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.service import judging, setup
from mirrorball.service import results as results_service
from mirrorball.service.compute_show import SHOW_WEEK
from mirrorball.service.errors import ServiceError
from mirrorball.service.principal import ADMIN, Principal
from mirrorball.service.rounds_read import judge_names, round_judges
from mirrorball.store.models import Dance, Event, Round
from mirrorball.web.auth import require_admin
from mirrorball.web.pages import queries
from mirrorball.web.pages.console_show import add_vote_links, show_context, vote_poll_seconds
from mirrorball.web.pages.session import page_principal
from mirrorball.web.pages.sheet_view import DECIDING_MARK, couple_names, result_view
from mirrorball.web.pages.templating import render
from mirrorball.web.state import reading, use_case

router = APIRouter(include_in_schema=False)

STATUS = {
    "setup": ("info", "in set-up"),
    "open": ("warn", "judging"),
    "deciding": ("bad", "tie at the cut: decide"),
    "closed": ("ok", "closed"),
}
# judging.progress words → what the board shows.
PROGRESS = {"locked": "in", "unlocked": "unlocked", "first keying": "paper", "missing": "waiting"}
# vote_progress: a window counted into the week; votes.progress: live votes arrived (service.vote_ledger).
LIVE_EVENTS = ["marks_submitted", "round_closed", "result_published", "vote_progress", "votes.progress"]


@router.get("/admin")
def admin_home() -> Response:
    """Where an organizer's sign-in link lands (`/signin` redirects to /<role>)."""
    return RedirectResponse("/console", status_code=303)


def _sign_in_first(request: Request) -> Response:
    return render(
        request,
        "error.html",
        status_code=401,
        title="Scrutineer console",
        message="Open your organizer sign-in link: `mirrorball serve` prints it, as does the demo.",
    )


def _progress_text(board: dict[str, dict[str, str]]) -> str:
    cells = [state for by_judge in board.values() for state in by_judge.values()]
    done = sum(1 for state in cells if state == "locked")
    return f"{done} of {len(cells)} sheets in" if cells else "no sheets expected"


@router.get("/console", response_class=HTMLResponse)
def console_home(request: Request, message: str = "", kind: str = "ok") -> Response:
    if page_principal(request).role != ADMIN:
        return _sign_in_first(request)
    with reading(request) as session:
        tree = queries.round_tree(session, href="/console/rounds/{id}")
        for competition in tree:
            for event in competition.events:
                for link in event.rounds:
                    badge, text = STATUS.get(link.status, ("info", link.status))
                    link.badge = badge
                    link.status_text = text
                    link.progress_text = _progress_text(judging.progress(session, link.id))
    return render(
        request,
        "console.html",
        title="Scrutineer console",
        nav="console",
        competitions=tree,
        message=message,
        message_kind=kind,
    )


def round_context(session: Session, round_id: int) -> dict[str, Any] | None:
    row = session.get(Round, round_id)
    if row is None:
        return None
    event = session.get_one(Event, row.event_id)
    board = judging.progress(session, round_id)
    seats = round_judges(session, row.panel_id)
    names = judge_names(session, row.panel_id)
    dances = list(
        session.scalars(select(Dance.name).where(Dance.round_id == round_id).order_by(Dance.position))
    )
    missing = [(d, j) for d, by_judge in board.items() for j, state in by_judge.items() if state != "locked"]
    context: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "event": event.name,
        "competition_id": event.competition_id,
        "kind": row.kind,
        "status": row.status,
        "status_text": STATUS.get(row.status, ("info", row.status))[1],
        "judges": [{"letter": letter, "name": names.get(seat_id, "")} for seat_id, letter in seats],
        "dances": dances,
        "progress": {
            (j, d): PROGRESS.get(state, state)
            for d, by_judge in board.items()
            for j, state in by_judge.items()
        },
        "progress_text": _progress_text(board),
        "can_close": row.status == "open" and not missing,
        "close_help": _close_help(row.status, missing),
        "actions": {
            a: f"/console/rounds/{row.id}/{a}"
            for a in ("close", "decide", "publish", "paper", "unlock", "open", "next")
        },
        "published": False,
        "was_published": False,
        "results_href": f"/results/rounds/{row.id}",
        "cut": None,
        "sheet_pages": [],
        "placings": [],
        "next_round": session.scalar(select(Round.id).where(Round.previous_round_id == round_id)),
    }
    context["show"] = None
    if row.kind == SHOW_WEEK:
        context["show"] = show_context(session, row, couple_names(session, round_id))
    current = results_service.current_result(session, round_id)
    if current is not None:
        view = result_view(session, row, current)
        context["sheet_pages"] = view.sheet_pages
        context["placings"] = view.placings() if row.kind == SHOW_WEEK else []
        last = results_service.latest_publication(session, round_id)
        context["published"] = last is not None and last.result_id == current.id
        context["was_published"] = last is not None
        if row.status == "deciding" and row.kind == "recall":
            outcome = current.outcome
            totals = outcome.get("totals", {})
            context["cut"] = {
                "requested": outcome.get("requested"),
                "options": [
                    {
                        "count": len(o["recalled"]),
                        "min_marks": o["min_marks"],
                        "recalled": sorted(o["recalled"], key=int),
                    }
                    for o in outcome.get("cutoff_options", [])
                ],
                "totals": sorted(totals.items(), key=lambda item: (-item[1], int(item[0]))),
            }
    return context


def _close_help(status: str, missing: list[tuple[str, str]]) -> str:
    if status == "setup":
        return "The round is in set-up: open it for the judges first."
    if status != "open":
        return ""
    if not missing:
        return "Every judge has submitted every dance."
    first = ", ".join(f"{j} ({d})" for d, j in missing[:4])
    more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
    return f"Still waiting for {len(missing)} sheet(s): {first}{more}."


@router.get("/console/rounds/{round_id:int}", response_class=HTMLResponse)
def console_round(request: Request, round_id: int, message: str = "", kind: str = "ok") -> Response:
    if page_principal(request).role != ADMIN:
        return _sign_in_first(request)
    with reading(request) as session:
        context = round_context(session, round_id)
    if context is None:
        return render(request, "error.html", status_code=404, title="No such round", message="No such round.")
    add_vote_links(context, str(request.base_url))
    return render(
        request,
        "console_round.html",
        title=f"{context['event']} — {context['name']}",
        nav="console",
        round=context,
        message=message,
        message_kind=kind,
        fragment_url=f"/console/rounds/{round_id}/progress",
        live_url=f"/api/competitions/{context['competition_id']}/live",
        live_events=LIVE_EVENTS,
        live_poll=vote_poll_seconds(context),
        deciding_mark=DECIDING_MARK,
    )


@router.get("/console/rounds/{round_id:int}/progress", response_class=HTMLResponse)
def console_progress(request: Request, round_id: int) -> Response:
    """The progress board alone, refetched live by the console."""
    if page_principal(request).role != ADMIN:
        return Response(status_code=401)
    with reading(request) as session:
        context = round_context(session, round_id)
    if context is None:
        return Response(status_code=404)
    return render(request, "_progress.html", round=context)


def _act(round_id: int, request: Request, action: Callable[[Session], str]) -> Response:
    """Run one use case and go back to the round with what happened (or what was wrong)."""
    try:
        with use_case(request) as session:
            message, kind = action(session), "ok"
    except (ServiceError, ScoringError, InputError) as error:
        message, kind = str(getattr(error, "message", error)), "bad"
    query = urlencode({"message": message, "kind": kind})
    return RedirectResponse(f"/console/rounds/{round_id}?{query}", status_code=303)


@router.post("/console/events/{event_id:int}/rounds")
def new_round(
    request: Request,
    event_id: int,
    name: str = Form(...),
    kind: str = Form(...),
    couples: str = Form(""),
    recall_target: str = Form(""),
    principal: Principal = Depends(require_admin),
) -> Response:
    """Set up a round of the event and open it for the judges in one step."""
    try:
        with use_case(request) as session:
            numbers = [int(n) for n in couples.replace(",", " ").split()] if couples.strip() else None
            target = int(recall_target) if recall_target.strip() else None
            row = setup.create_round(
                session,
                event_id,
                name=name,
                kind=kind,
                couples=numbers,
                recall_target=target,
                actor=principal,
            )
            setup.open_round(session, row.id, actor=principal)
            round_id = row.id
    except (ServiceError, ValueError) as error:
        message = getattr(error, "message", "back numbers and the recall count are whole numbers")
        return RedirectResponse("/console?" + urlencode({"message": message, "kind": "bad"}), status_code=303)
    query = urlencode({"message": f"{name} is open: the judges' tablets show it now."})
    return RedirectResponse(f"/console/rounds/{round_id}?{query}", status_code=303)


@router.post("/console/rounds/{round_id:int}/open")
def open_round(request: Request, round_id: int, principal: Principal = Depends(require_admin)) -> Response:
    def action(session: Session) -> str:
        setup.open_round(session, round_id, actor=principal)
        return "The round is open: the judges' tablets show it now."

    return _act(round_id, request, action)


@router.post("/console/rounds/{round_id:int}/close")
def close_round(request: Request, round_id: int, principal: Principal = Depends(require_admin)) -> Response:
    def action(session: Session) -> str:
        results_service.close_round(session, round_id, principal=principal)
        row = session.get_one(Round, round_id)
        if row.status == "deciding" and row.kind == SHOW_WEEK:
            return "Closed: the bottom two are named. Key the judges' save votes."
        if row.status == "deciding":
            return "Closed, but there is a tie at the cut: choose how many to recall."
        return "Closed: the result is computed. Check the sheet, then publish."

    return _act(round_id, request, action)


@router.post("/console/rounds/{round_id:int}/decide")
def decide(
    request: Request,
    round_id: int,
    recall: int = Form(...),
    reason: str = Form(""),
    principal: Principal = Depends(require_admin),
) -> Response:
    def action(session: Session) -> str:
        results_service.decide_cut(
            session,
            round_id,
            recall=recall,
            reason=reason or "Chairman's choice at the cut",
            principal=principal,
        )
        return f"Decided: {recall} couples recalled."

    return _act(round_id, request, action)


@router.post("/console/rounds/{round_id:int}/publish")
def publish(
    request: Request, round_id: int, reason: str = Form(""), principal: Principal = Depends(require_admin)
) -> Response:
    def action(session: Session) -> str:
        results_service.publish(session, round_id, reason=reason, principal=principal)
        return "Published: the result is on the scoreboard and the public results."

    return _act(round_id, request, action)


def _marks_from_text(kind: str, text: str) -> dict[str, int]:
    """ "101 104 107" → X marks (recall), or the numbers in placing order → ranks (final)."""
    numbers = [part for part in text.replace(",", " ").split() if part]
    if not all(n.isdigit() for n in numbers):
        raise InputError("type back numbers separated by spaces", field="marks")
    if kind == "recall":
        return {n: 1 for n in numbers}
    return {n: place for place, n in enumerate(numbers, start=1)}


@router.post("/console/rounds/{round_id:int}/paper")
def key_paper(
    request: Request,
    round_id: int,
    judge: str = Form(...),
    dance: str = Form(...),
    marks: str = Form(...),
    principal: Principal = Depends(require_admin),
) -> Response:
    def action(session: Session) -> str:
        row = session.get_one(Round, round_id)
        stored = judging.key_paper(
            session,
            round_id=round_id,
            dance=dance,
            judge=judge,
            marks=_marks_from_text(row.kind, marks),
            principal=principal,
        )
        if stored is None:
            return f"First keying of judge {judge}, {dance} saved: key the same sheet again to confirm."
        return f"Second keying matches: judge {judge}, {dance} is stored."

    return _act(round_id, request, action)


@router.post("/console/rounds/{round_id:int}/unlock")
def unlock(
    request: Request,
    round_id: int,
    judge: str = Form(...),
    dance: str = Form(...),
    reason: str = Form(...),
    principal: Principal = Depends(require_admin),
) -> Response:
    def action(session: Session) -> str:
        judging.unlock_sheet(
            session, round_id=round_id, dance=dance, judge=judge, reason=reason, principal=principal
        )
        return f"Unlocked judge {judge}, {dance}: the judge's tablet asks for it again."

    return _act(round_id, request, action)


@router.post("/console/rounds/{round_id:int}/next")
def next_round(
    request: Request,
    round_id: int,
    name: str = Form(...),
    kind: str = Form(...),
    recall_target: str = Form(""),
    principal: Principal = Depends(require_admin),
) -> Response:
    created: list[int] = []

    def action(session: Session) -> str:
        target = int(recall_target) if recall_target.strip() else None
        row = results_service.next_round(
            session, round_id, name=name, kind=kind, recall_target=target, principal=principal
        )
        setup.open_round(session, row.id, actor=principal)
        created.append(row.id)
        return f"{name} is open for the judges."

    response = _act(round_id, request, action)
    if created:
        return RedirectResponse(
            f"/console/rounds/{created[0]}?" + urlencode({"message": f"{name} is open."}), 303
        )
    return response
