"""Judging: a judge's sheet for one dance, paper double entry, locking and logged unlocks.

A submitted sheet is locked. A retried request (same submission key, or the very same marks) gets the
stored sheet back instead of making a second submission. Changing locked marks needs the scrutineer to
unlock the sheet with a reason; the next submission becomes a new version and the old one is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from mirrorball.audit.chain import append
from mirrorball.service.compute import check_sheet
from mirrorball.service.compute_show import SHOW_WEEK, check_paddles
from mirrorball.service.errors import Conflict, Forbidden, Invalid, NotFound
from mirrorball.service.live import PUBLIC, STAFF, LiveEvent, announce
from mirrorball.service.lookup import dance_named, get, lock_round, require_status, seat_of_judge
from mirrorball.service.principal import JUDGE, Principal
from mirrorball.service.rounds_read import competition_of, round_couples, round_judges, routine_couples
from mirrorball.store.models import Couple, Dance, Judge, Mark, PaperKeying, Round, Seat, Sheet

TABLET = "tablet"
MARKS_WHILE_OPEN = "marks are taken only while it is open"
PAPER = "paper"


@dataclass(frozen=True)
class Submitted:
    sheet: Sheet
    marks: dict[str, int]
    created: bool  # False: a retry of an earlier submission, nothing new was stored
    judge: str  # the seat's judge letter


@dataclass(frozen=True)
class _Target:
    """What a sheet is checked and stored against, read before the round is locked: the dance, the
    seats and the couples of a round do not change while it takes marks, and every read done here is
    one round trip less while the round's lock (and, on PostgreSQL, every other tablet) waits."""

    dance: Dance
    couples: dict[str, int]  # the round's {back number: couple id}
    marked: tuple[str, ...]  # the couples this sheet marks: the round's, or a show routine's
    competition_id: int


def current_sheet(session: Session, round_id: int, dance_id: int, seat_id: int) -> Sheet | None:
    return session.scalar(
        select(Sheet)
        .where(
            Sheet.round_id == round_id,
            Sheet.dance_id == dance_id,
            Sheet.seat_id == seat_id,
            Sheet.status != "superseded",
        )
        .order_by(Sheet.version.desc())
        .limit(1)
    )


def sheet_marks(session: Session, sheet_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Couple.number, Mark.value)
        .join(Couple, Couple.id == Mark.couple_id)
        .where(Mark.sheet_id == sheet_id)
    )
    return {str(number): value for number, value in rows}


@dataclass(frozen=True)
class CountingSheets:
    """A round's sheets that count, with the dances and judges they are keyed by (in order)."""

    dances: list[tuple[int, str]]  # (dance id, name) in the round's order
    judges: list[tuple[int, str]]  # (seat id, letter) in seat order
    sheets: dict[tuple[str, str], dict[str, int]]  # {(dance, judge): marks}


def counting_sheets(session: Session, row: Round) -> CountingSheets:
    """Every current sheet of the round, for closing it (a Skating round or a show week alike).
    A sheet unlocked for a correction stops the count until it is resubmitted."""
    dances = [
        (dance_id, name)
        for dance_id, name in session.execute(
            select(Dance.id, Dance.name).where(Dance.round_id == row.id).order_by(Dance.position)
        )
    ]
    names = dict(dances)
    judges = round_judges(session, row.panel_id)
    letters = dict(judges)
    sheets: dict[tuple[str, str], dict[str, int]] = {}
    for sheet in session.scalars(select(Sheet).where(Sheet.round_id == row.id, Sheet.status != "superseded")):
        if sheet.status == "unlocked":
            raise Conflict(
                "a sheet is unlocked for a correction: resubmit it first",
                dance=names[sheet.dance_id],
                judge=letters[sheet.seat_id],
            )
        sheets[(names[sheet.dance_id], letters[sheet.seat_id])] = sheet_marks(session, sheet.id)
    return CountingSheets(dances, judges, sheets)


def submit_sheet(
    session: Session,
    *,
    round_id: int,
    dance: str,
    marks: Mapping[str, int],
    submission_key: str | None,
    principal: Principal,
) -> Submitted:
    """A judge's own sheet: only for the judge's seat, only while the round is open."""
    if principal.role != JUDGE or principal.seat_id is None:
        raise Forbidden("only a judge submits marks from a tablet")
    row = get(session, Round, round_id, what="round")
    found = session.execute(
        select(Seat, Judge).join(Judge, Judge.id == Seat.judge_id).where(Seat.id == principal.seat_id)
    ).first()
    if found is None:
        raise NotFound("no such seat", seat_id=principal.seat_id)
    seat, judge = found[0], found[1]
    if seat.panel_id != row.panel_id:
        raise Forbidden("this seat does not judge this round", round_id=round_id)
    target = _target(session, row, dance)
    row = lock_round(session, round_id)
    return _store(session, row, target, seat, judge, marks, submission_key, TABLET, principal)


def _target(session: Session, row: Round, dance_name: str) -> _Target:
    dance = dance_named(session, row.id, dance_name)
    couples = round_couples(session, row.id)
    marked = routine_couples(session, dance.id) if row.kind == SHOW_WEEK else tuple(couples)
    return _Target(dance, couples, marked, competition_of(session, row))


def _store(
    session: Session,
    row: Round,
    target: _Target,
    seat: Seat,
    judge: Judge,
    marks: Mapping[str, int],
    submission_key: str | None,
    source: str,
    principal: Principal,
) -> Submitted:
    """Store a sheet in a round locked by the caller: from here on every statement holds the lock."""
    dance, dance_name = target.dance, target.dance.name
    if submission_key is not None:
        earlier = session.scalar(
            select(Sheet).where(Sheet.seat_id == seat.id, Sheet.submission_key == submission_key)
        )
        if earlier is not None:
            stored = sheet_marks(session, earlier.id)
            if earlier.round_id != row.id or earlier.dance_id != dance.id or stored != dict(marks):
                raise Conflict(
                    "this submission key was used for other marks", judge=judge.letter, dance=dance_name
                )
            return Submitted(earlier, stored, False, judge.letter)
    current = current_sheet(session, row.id, dance.id, seat.id)
    if current is not None and current.status == "locked":
        if sheet_marks(session, current.id) == dict(marks):
            return Submitted(current, dict(marks), False, judge.letter)  # a retry without a key
        raise Conflict(
            "these marks are locked; the scrutineer must unlock them for a correction",
            judge=judge.letter,
            dance=dance_name,
        )
    require_status(row, "open", MARKS_WHILE_OPEN)
    check_marks(row, dance.name, judge.letter, target.marked, marks)
    version = 1
    if current is not None:  # unlocked for a correction: keep it, superseded
        current.status = "superseded"
        version = current.version + 1
    sheet = Sheet(
        round_id=row.id,
        dance_id=dance.id,
        seat_id=seat.id,
        version=version,
        status="locked",
        source=source,
        submission_key=submission_key,
        actor=principal.actor,
    )
    session.add(sheet)
    session.flush()
    # One multi-row INSERT, not the unit of work's bookkeeping of one object per mark.
    session.execute(
        insert(Mark),
        [{"sheet_id": sheet.id, "couple_id": target.couples[c], "value": v} for c, v in marks.items()],
    )
    append(
        session,
        actor=principal.actor,
        kind="sheet.submitted",
        payload={
            "round_id": row.id,
            "dance": dance_name,
            "judge": judge.letter,
            "version": version,
            "source": source,
            "marks": dict(sorted(marks.items())),
        },
    )
    announce(
        session,
        LiveEvent(
            target.competition_id,
            "marks_submitted",
            {"round_id": row.id, "dance": dance_name, "judge": judge.letter, "version": version},
            audience=STAFF,
        ),
    )
    if row.kind == SHOW_WEEK:
        # On a show night each paddle goes up in front of the audience as it is given, so the big
        # screen may hear it at once; DanceSport marks stay staff-only until the result is published.
        announce(
            session,
            LiveEvent(
                target.competition_id,
                "score_submitted",
                {"round_id": row.id, "routine": dance_name, "judge": judge.letter},
                audience=PUBLIC,
            ),
        )
    return Submitted(sheet, dict(marks), True, judge.letter)


def check_marks(
    row: Round, dance: str, judge: str, couples: tuple[str, ...], marks: Mapping[str, int]
) -> None:
    """Refuse a sheet the engines would refuse, before anything is stored. `couples`: those the sheet
    marks (the round's; a show week's routine's)."""
    if row.kind == SHOW_WEEK:
        check_paddles(dance=dance, judge=judge, couples=couples, marks=marks)
        return
    check_sheet(
        kind=row.kind, dance=dance, judge=judge, couples=couples, marks=marks, recall_target=row.recall_target
    )


def key_paper(
    session: Session, *, round_id: int, dance: str, judge: str, marks: Mapping[str, int], principal: Principal
) -> Submitted | None:
    """The scrutineer keys a judge's paper sheet. The first keying waits; a second one that matches
    stores the sheet (source "paper"); a second one that differs is refused, naming the couples."""
    row = lock_round(session, round_id)
    seat, judge_row = seat_of_judge(session, row.panel_id, judge)
    target = _target(session, row, dance)
    dance_row = target.dance
    check_marks(row, dance, judge, target.marked, marks)
    first = _first_keying(session, round_id, dance_row.id, seat.id)
    if first is None:
        current = current_sheet(session, round_id, dance_row.id, seat.id)
        if current is not None and current.status == "locked":
            raise Conflict(
                "these marks are locked; unlock them for a correction first", judge=judge, dance=dance
            )
        require_status(row, "open", MARKS_WHILE_OPEN)
        session.add(
            PaperKeying(
                round_id=round_id,
                dance_id=dance_row.id,
                seat_id=seat.id,
                marks=dict(marks),
                actor=principal.actor,
            )
        )
        append(
            session,
            actor=principal.actor,
            kind="paper.first_keying",
            payload={"round_id": round_id, "dance": dance, "judge": judge},
        )
        return None
    if first.marks != dict(marks):
        differ = sorted(
            set(first.marks) ^ set(marks)
            | {c for c in set(first.marks) & set(marks) if first.marks[c] != marks[c]},
            key=int,
        )
        raise Conflict(
            "the second keying does not match the first: check the paper sheet",
            judge=judge,
            dance=dance,
            couples=differ,
        )
    session.delete(first)
    return _store(session, row, target, seat, judge_row, marks, None, PAPER, principal)


def _first_keying(session: Session, round_id: int, dance_id: int, seat_id: int) -> PaperKeying | None:
    """The paper sheet's first keying, waiting for the second."""
    return session.scalar(
        select(PaperKeying).where(
            PaperKeying.round_id == round_id, PaperKeying.dance_id == dance_id, PaperKeying.seat_id == seat_id
        )
    )


def discard_first_keying(
    session: Session, *, round_id: int, dance: str, judge: str, principal: Principal
) -> None:
    """Throw away a first keying that was itself wrong (the double entry then starts again)."""
    row = lock_round(session, round_id)
    seat, _ = seat_of_judge(session, row.panel_id, judge)
    first = _first_keying(session, round_id, dance_named(session, round_id, dance).id, seat.id)
    if first is None:
        raise Conflict("no first keying is waiting", judge=judge, dance=dance)
    session.delete(first)
    append(
        session,
        actor=principal.actor,
        kind="paper.keying_discarded",
        payload={"round_id": round_id, "dance": dance, "judge": judge},
    )


def unlock_sheet(
    session: Session, *, round_id: int, dance: str, judge: str, reason: str, principal: Principal
) -> Sheet:
    """Open a locked sheet for a correction. A closed round reopens (its result will be recomputed)."""
    if not reason.strip():
        raise Invalid("a correction needs a reason", field="reason")
    row = lock_round(session, round_id)
    seat, _ = seat_of_judge(session, row.panel_id, judge)
    dance_row = dance_named(session, round_id, dance)
    current = current_sheet(session, round_id, dance_row.id, seat.id)
    if current is None or current.status != "locked":
        raise Conflict("there is no locked sheet to unlock", judge=judge, dance=dance)
    later = session.scalar(
        select(Round.id).where(Round.previous_round_id == round_id, Round.status != "setup")
    )
    if later is not None:
        raise Conflict("the next round has already started from this result", round_id=later)
    current.status = "unlocked"
    if row.status in ("closed", "deciding"):
        row.status = "open"
    append(
        session,
        actor=principal.actor,
        kind="sheet.unlocked",
        payload={
            "round_id": round_id,
            "dance": dance,
            "judge": judge,
            "version": current.version,
            "reason": reason,
        },
    )
    return current


def progress(session: Session, round_id: int) -> dict[str, dict[str, str]]:
    """{dance: {judge: "missing" | "locked" | "unlocked" | "first keying"}} for the scrutineer's desk."""
    row = get(session, Round, round_id, what="round")
    dances = session.scalars(select(Dance).where(Dance.round_id == round_id).order_by(Dance.position)).all()
    seats = round_judges(session, row.panel_id)
    sheets = {
        (s.dance_id, s.seat_id): s.status
        for s in session.scalars(
            select(Sheet).where(Sheet.round_id == round_id, Sheet.status != "superseded")
        )
    }
    keyed = {
        (k.dance_id, k.seat_id)
        for k in session.scalars(select(PaperKeying).where(PaperKeying.round_id == round_id))
    }
    return {
        d.name: {
            letter: sheets.get((d.id, seat_id)) or ("first keying" if (d.id, seat_id) in keyed else "missing")
            for seat_id, letter in seats
        }
        for d in dances
    }
