"""Public results: every published round with its sheets, downloads and plain-words explanations.

Only published results are shown here, whoever asks: the console shows the scrutineer the rest.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from starlette.responses import Response

from mirrorball.service import results as results_service
from mirrorball.service.compute_show import SHOW_WEEK
from mirrorball.service.errors import NotFound
from mirrorball.sheets import csv as sheets_csv
from mirrorball.store.models import Competition, Event, Result, Round
from mirrorball.web.pages import queries
from mirrorball.web.pages.sheet_view import DECIDING_MARK, ResultView, result_view
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


def _published(request: Request, round_id: int) -> tuple[Round, Event, Competition, ResultView] | None:
    with reading(request) as session:
        row = session.get(Round, round_id)
        if row is None:
            return None
        publication = results_service.latest_publication(session, round_id)
        if publication is None:
            return None
        result = session.get_one(Result, publication.result_id)
        event = session.get_one(Event, row.event_id)
        competition = session.get_one(Competition, event.competition_id)
        return row, event, competition, result_view(session, row, result)


def _not_published(request: Request) -> Response:
    return render(
        request,
        "error.html",
        status_code=404,
        title="Not published",
        message="This result is not published yet. It appears as soon as the scrutineer publishes it.",
        back_href="/results",
        back_label="All results",
    )


@router.get("/results/rounds/{round_id:int}", response_class=HTMLResponse)
def round_results(request: Request, round_id: int, couple: str = "") -> Response:
    found = _published(request, round_id)
    if found is None:
        return _not_published(request)
    row, event, competition, view = found
    why = None
    if couple and couple in view.names:
        steps = view.why(couple)
        placing = next((p for p in view.placings() if p["number"] == couple), None)
        if view.kind == "show_week":
            headline = str(placing["fate"]) if placing else ""
        elif view.kind == "recall":
            headline = "recalled" if placing else "not recalled"
        else:
            headline = f"placed {placing['place']}" if placing else ""
        why = {"couple": couple, "headline": headline, "steps": steps}
    context = {
        "id": row.id,
        "name": row.name,
        "event": event.name,
        "competition": competition.name,
        "kind": view.kind,
        "placings": view.placings(),
        "couples": [{"number": n, "names": view.names[n]} for n in sorted(view.names, key=int)],
        "sheet_pages": view.sheet_pages,
        "csv_href": f"/results/rounds/{row.id}.csv",
        "json_href": f"/results/rounds/{row.id}.json",
    }
    return render(
        request,
        "results_round.html",
        title=f"{event.name} — {row.name}",
        nav="results",
        round=context,
        why=why,
        deciding_mark=DECIDING_MARK,
    )


@router.get("/results/rounds/{round_id:int}.csv")
def round_csv(request: Request, round_id: int) -> Response:
    found = _published(request, round_id)
    if found is None:
        raise NotFound("no published result for this round", round_id=round_id)
    row, event, _competition, view = found
    filename = f"{event.name}-{row.name}.csv".replace(" ", "_")
    return Response(
        sheets_csv.render(view.sheet_pages),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/results/rounds/{round_id:int}.json")
def round_json(request: Request, round_id: int) -> Response:
    found = _published(request, round_id)
    if found is None:
        raise NotFound("no published result for this round", round_id=round_id)
    row, event, _competition, view = found
    body = {"round": row.name, "event": event.name, "couples": view.names, "outcome": view.outcome}
    filename = f"{event.name}-{row.name}.json".replace(" ", "_")
    return Response(
        json.dumps(body, indent=2) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/results/competitions/{competition_id:int}/season", response_class=HTMLResponse)
def season(request: Request, competition_id: int) -> Response:
    """A show's published weeks side by side: each couple's judges' points and fate, week by week."""
    with reading(request) as session:
        competition = session.get(Competition, competition_id)
        if competition is None:
            return _not_published(request)
        published = queries.published_round_ids(session)
        rows = session.scalars(
            select(Round)
            .join(Event, Event.id == Round.event_id)
            .where(Event.competition_id == competition_id, Round.kind == SHOW_WEEK)
            .order_by(Round.id)
        ).all()
        weeks: list[dict[str, Any]] = []
        for row in rows:
            if row.id not in published:
                continue
            publication = results_service.latest_publication(session, row.id)
            assert publication is not None
            view = result_view(session, row, session.get_one(Result, publication.result_id))
            weeks.append({"name": row.name, "href": f"/results/rounds/{row.id}", "rows": view.placings()})
    names: dict[str, str] = {}
    cells: dict[str, dict[int, dict[str, Any]]] = {}
    last_seen: dict[str, tuple[int, int]] = {}
    for index, week in enumerate(weeks):
        for entry in week["rows"]:
            couple = str(entry["number"])
            names[couple] = str(entry["names"])
            cells.setdefault(couple, {})[index] = entry
            last_seen[couple] = (index, int(entry["place"]))
    # Longest in the competition first, then by the last week's rank: the season's story top-down.
    order = sorted(names, key=lambda c: (-last_seen[c][0], last_seen[c][1]))
    table = [{"names": names[c], "weeks": [cells[c].get(i) for i in range(len(weeks))]} for c in order]
    return render(
        request,
        "results_season.html",
        title=f"{competition.name} — week by week",
        nav="results",
        competition=competition,
        weeks=weeks,
        table=table,
    )
