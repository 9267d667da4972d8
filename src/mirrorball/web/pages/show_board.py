"""A show week on the big screen: the routine being scored, each judge's paddle as it arrives, the
routine's total, and the judges' leaderboard of the week so far.

Points come from the show engine (`service.compute_show.judges_points`) over the routines every judge
has scored; the page adds nothing up itself except the paddles of the routine on screen.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.service import show as show_service
from mirrorball.service.compute_show import PADDLE_MAX, judges_points
from mirrorball.service.errors import ServiceError
from mirrorball.service.rounds_read import judge_names, round_judges, routine_couples
from mirrorball.store.models import Dance, Event, Mark, Round, Sheet
from mirrorball.web.pages.sheet_view import couple_names


def show_board(session: Session, row: Round) -> dict[str, Any]:
    """The routine on screen is the one a judge scored last (the first routine before any score)."""
    names = couple_names(session, row.id)
    dances = session.scalars(select(Dance).where(Dance.round_id == row.id).order_by(Dance.position)).all()
    seats = round_judges(session, row.panel_id)
    names_by_seat = judge_names(session, row.panel_id)
    latest = session.scalar(
        select(Sheet)
        .where(Sheet.round_id == row.id, Sheet.status != "superseded")
        .order_by(Sheet.created_at.desc(), Sheet.id.desc())
        .limit(1)
    )
    dance = next(
        (d for d in dances if latest is not None and d.id == latest.dance_id), dances[0] if dances else None
    )
    board: dict[str, Any] = {"routine": None, "leaderboard": _leaderboard(session, row, names)}
    event = session.get_one(Event, row.event_id)
    board["leaderboard_title"] = f"Judges' leaderboard — {row.name}"
    if dance is None:
        return board
    paddles: list[dict[str, Any]] = []
    for seat_id, letter in seats:
        sheet = session.scalar(
            select(Sheet).where(
                Sheet.round_id == row.id,
                Sheet.dance_id == dance.id,
                Sheet.seat_id == seat_id,
                Sheet.status != "superseded",
            )
        )
        score = (
            session.scalar(select(Mark.value).where(Mark.sheet_id == sheet.id).limit(1)) if sheet else None
        )
        paddles.append({"judge": letter, "name": names_by_seat.get(seat_id, ""), "score": score})
    scores: list[int | None] = [p["score"] for p in paddles]
    complete = all(s is not None for s in scores)
    couples = routine_couples(session, dance.id)
    total = sum(s for s in scores if s is not None) if complete else None
    board["routine"] = {
        "id": dance.id,
        "couple": " and ".join(names.get(c, c) for c in couples),
        "dance": dance.name.rpartition(" — ")[0] or dance.name,
        "night": f"{event.name}, {row.name}",
        "paddles": paddles,
        "total": total,
        "out_of": PADDLE_MAX * len(seats),
        "perfect": complete and total == PADDLE_MAX * len(seats),
    }
    return board


def _leaderboard(session: Session, row: Round, names: dict[str, str]) -> list[dict[str, Any]]:
    """Judges' points over the routines every judge has scored, most first; couples yet to dance: "—"."""
    try:
        given = show_service.week_input(session, row)
    except ServiceError:
        return []
    scored = {
        name: couples
        for name, couples in given.routines.items()
        if all((name, judge) in given.sheets for judge in given.judges)
    }
    if not scored:
        return []
    points = judges_points(dataclasses.replace(given, routines=scored))
    danced = {c for couples in scored.values() for c in couples}
    ordered = sorted(given.couples, key=lambda c: (c not in danced, -points.get(c, 0)))
    rows = []
    for couple in ordered:
        value = points.get(couple)
        shown = (
            "—"
            if couple not in danced
            else int(value)
            if value is not None and value.denominator == 1
            else value
        )
        rows.append({"couple": names.get(couple, couple), "total": shown})
    # No place numbers: who ranks where on equal points is the week's tie policy, the engine's call.
    return rows
