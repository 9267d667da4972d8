"""Fetching rows by id or by name, with a NotFound that says what was looked for."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.service.errors import Conflict, NotFound
from mirrorball.store.base import Base
from mirrorball.store.models import Competition, Couple, Dance, Judge, Round, Seat

Row = TypeVar("Row", bound=Base)


def get(session: Session, model: type[Row], row_id: int, *, what: str) -> Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"no such {what}", **{f"{what}_id": row_id})
    return row


def of_competition(session: Session, model: type[Row], competition_id: int, *, order_by: Any) -> list[Row]:
    """A competition's couples, judges, panels or events, in `order_by` order (404: no competition)."""
    get(session, Competition, competition_id, what="competition")
    return list(session.scalars(select(model).filter_by(competition_id=competition_id).order_by(order_by)))


def lock_round(session: Session, round_id: int) -> Round:
    """The round, locked for this transaction: submissions and closing of one round never interleave."""
    # populate_existing: a row read earlier in this transaction is refreshed now that it is locked.
    query = select(Round).where(Round.id == round_id).with_for_update()
    row = session.execute(query.execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None:
        raise NotFound("no such round", round_id=round_id)
    return row


def require_status(row: Round, status: str, why: str) -> None:
    """Refuse (409) unless the round is in `status`; `why` ends "the round is <its status>: …"."""
    if row.status != status:
        raise Conflict(f"the round is {row.status}: {why}", round_id=row.id)


def dance_named(session: Session, round_id: int, name: str) -> Dance:
    dance = session.scalar(select(Dance).where(Dance.round_id == round_id, Dance.name == name))
    if dance is None:
        raise NotFound("this round has no such dance", round_id=round_id, dance=name)
    return dance


def seat_of_judge(session: Session, panel_id: int, letter: str) -> tuple[Seat, Judge]:
    found = session.execute(
        select(Seat, Judge)
        .join(Judge, Judge.id == Seat.judge_id)
        .where(Seat.panel_id == panel_id, Judge.letter == letter)
    ).first()
    if found is None:
        raise NotFound("no judge with this letter on the round's panel", judge=letter)
    return found[0], found[1]


def couples_by_number(session: Session, competition_id: int) -> dict[int, Couple]:
    return {
        c.number: c for c in session.scalars(select(Couple).where(Couple.competition_id == competition_id))
    }
