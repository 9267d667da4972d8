"""Small reads about a round that several use cases share."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.store.models import Couple, Event, Judge, Round, RoundCouple, RoutineCouple, Seat


def round_couples(session: Session, round_id: int) -> dict[str, int]:
    """{back number as text: couple id}, in number order."""
    rows = session.execute(
        select(Couple.number, Couple.id)
        .join(RoundCouple, RoundCouple.couple_id == Couple.id)
        .where(RoundCouple.round_id == round_id)
        .order_by(Couple.number)
    )
    return {str(number): couple_id for number, couple_id in rows}


def round_judges(session: Session, panel_id: int) -> list[tuple[int, str]]:
    """[(seat id, judge letter)] in seat order."""
    rows = session.execute(
        select(Seat.id, Judge.letter)
        .join(Judge, Judge.id == Seat.judge_id)
        .where(Seat.panel_id == panel_id)
        .order_by(Seat.position)
    )
    return [(seat_id, letter) for seat_id, letter in rows]


def judge_names(session: Session, panel_id: int) -> dict[int, str]:
    """{seat id: the judge's name} of a panel, for pages that show names beside letters."""
    rows = session.execute(
        select(Seat.id, Judge.name).join(Judge, Judge.id == Seat.judge_id).where(Seat.panel_id == panel_id)
    )
    return {seat_id: name for seat_id, name in rows}


def competition_of(session: Session, row: Round) -> int:
    competition_id: int = session.get_one(Event, row.event_id).competition_id
    return competition_id


def routine_couples(session: Session, dance_id: int) -> tuple[str, ...]:
    rows = session.scalars(
        select(Couple.number)
        .join(RoutineCouple, RoutineCouple.couple_id == Couple.id)
        .where(RoutineCouple.dance_id == dance_id)
        .order_by(Couple.number)
    )
    return tuple(str(n) for n in rows)
