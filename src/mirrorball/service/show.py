"""Show weeks: set up a week's routines, take vote tallies per window, record the judges' save votes,
and read everything back in the shape the show engine wants (`compute_show.ShowWeekInput`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mirrorball.audit.chain import append
from mirrorball.service.compute_show import SHOW_WEEK, ShowWeekInput, parse_rules, stored_rules
from mirrorball.service.errors import Conflict, Invalid
from mirrorball.service.judging import counting_sheets
from mirrorball.service.live import STAFF, LiveEvent, announce
from mirrorball.service.lookup import couples_by_number, get, lock_round
from mirrorball.service.principal import Principal
from mirrorball.service.rounds_read import competition_of, round_couples, routine_couples
from mirrorball.service.setup import add_round, entrants, log_round_created
from mirrorball.store.models import (
    Couple,
    Decision,
    Event,
    Round,
    RoutineCouple,
    ShowWeek,
    VoteTally,
)


@dataclass(frozen=True)
class RoutineData:
    dance: str
    couples: tuple[int, ...]

    @property
    def name(self) -> str:
        """Unique within a week: the dance and who dances it ("Jive — 3", "Team Freestyle — 1+4")."""
        return f"{self.dance} — {'+'.join(str(c) for c in self.couples)}"


def create_week(
    session: Session,
    event_id: int,
    *,
    name: str,
    couples: Sequence[int] | None,
    routines: Sequence[RoutineData],
    eliminate: int,
    final: bool,
    rules: Mapping[str, Any],
    includes_round_id: int | None,
    actor: Principal,
    previous_round_id: int | None = None,
) -> Round:
    """A week of a show season: its couples, their routines, how many leave, and the rules."""
    event = get(session, Event, event_id, what="event")
    parsed = parse_rules(rules)
    numbers = entrants(session, event, couples)
    if not routines:
        raise Invalid("a week needs at least one routine", field="routines")
    names = [r.name for r in routines]
    if len(set(names)) != len(names):
        raise Invalid("the same couples dance the same dance twice", field="routines")
    for routine in routines:
        outside = [c for c in routine.couples if c not in numbers]
        if not routine.couples or outside:
            raise Invalid(
                "a routine is danced by couples of this week",
                dance=routine.dance,
                couple=outside[0] if outside else None,
            )
    idle = [n for n in numbers if not any(n in r.couples for r in routines)]
    if idle:
        raise Invalid("every couple of the week dances at least one routine", couple=idle[0])
    if not 0 <= eliminate < len(numbers):
        raise Invalid(f"between 0 and {len(numbers) - 1} couples leave", field="eliminate")
    if includes_round_id is not None:
        included = get(session, Round, includes_round_id, what="round")
        if included.event_id != event_id or included.kind != SHOW_WEEK:
            raise Invalid("an included week is an earlier week of this season", field="includes_round_id")
    row, dances, judges = add_round(
        session,
        event,
        name=name,
        kind=SHOW_WEEK,
        numbers=numbers,
        dance_names=[r.name for r in routines],
        recall_target=None,
        previous_round_id=previous_round_id,
    )
    by_number = couples_by_number(session, event.competition_id)
    session.add_all(
        RoutineCouple(dance_id=d.id, couple_id=by_number[n].id)
        for d, r in zip(dances, routines, strict=True)
        for n in r.couples
    )
    rules_data = stored_rules(parsed)
    session.add(
        ShowWeek(
            round_id=row.id,
            eliminate=eliminate,
            final=final,
            includes_round_id=includes_round_id,
            rules=rules_data,
        )
    )
    session.flush()
    log_round_created(
        session,
        actor,
        event,
        row,
        numbers,
        judges,
        routines={r.name: [str(c) for c in r.couples] for r in routines},
        eliminate=eliminate,
        final=final,
        includes_round_id=includes_round_id,
        rules=rules_data,
    )
    return row


def next_week(
    session: Session,
    round_id: int,
    *,
    name: str,
    routines: Sequence[RoutineData],
    eliminate: int,
    final: bool,
    include_this_week: bool,
    rules: Mapping[str, Any] | None,
    actor: Principal,
) -> Round:
    """The following week, danced by the couples this week did not eliminate (its rules unless given)."""
    row = get(session, Round, round_id, what="round")
    if row.kind != SHOW_WEEK or row.status != "closed":
        raise Conflict("only a closed show week leads to the next", round_id=round_id)
    from mirrorball.service.results import result_to_follow  # results imports this module

    result = result_to_follow(session, round_id, what="week")
    staying = [int(c) for c in result.outcome["ranking"] if c not in result.outcome["eliminated"]]
    week = session.get_one(ShowWeek, round_id)
    return create_week(
        session,
        row.event_id,
        name=name,
        couples=staying,
        routines=routines,
        eliminate=eliminate,
        final=final,
        rules=rules if rules is not None else week.rules,
        includes_round_id=round_id if include_this_week else None,
        actor=actor,
        previous_round_id=round_id,
    )


def tally_votes(
    session: Session, round_id: int, *, window: str, tallies: Mapping[str, int], principal: Principal
) -> dict[str, int]:
    """Record one voting window's counts (once per window). Returns the week's totals so far."""
    row = lock_round(session, round_id)
    if row.kind != SHOW_WEEK:
        raise Conflict("votes are for show weeks", round_id=round_id)
    if row.status not in ("setup", "open"):
        raise Conflict(f"the week is {row.status}: the votes are already counted", round_id=round_id)
    couples = round_couples(session, round_id)
    unknown = sorted(set(tallies) - set(couples))
    if unknown:
        raise Invalid("this couple is not in this week", couple=unknown[0], window=window)
    negative = [c for c, v in tallies.items() if v < 0]
    if negative:
        raise Invalid("votes cannot be negative", couple=negative[0], window=window)
    if session.scalar(
        select(VoteTally.id).where(VoteTally.round_id == round_id, VoteTally.window == window).limit(1)
    ):
        raise Conflict("this window is already counted", window=window)
    session.add_all(
        VoteTally(round_id=round_id, window=window, couple_id=couples[c], votes=v, actor=principal.actor)
        for c, v in tallies.items()
    )
    session.flush()
    append(
        session,
        actor=principal.actor,
        kind="votes.tallied",
        payload={"round_id": round_id, "window": window, "tallies": dict(sorted(tallies.items()))},
    )
    totals = vote_totals(session, round_id) or {}
    announce(
        session,
        LiveEvent(
            competition_of(session, row),
            "vote_progress",
            {"round_id": round_id, "windows": len(vote_windows(session, round_id))},
            audience=STAFF,
        ),
    )
    return totals


def vote_windows(session: Session, round_id: int) -> list[str]:
    return list(
        session.scalars(
            select(VoteTally.window)
            .where(VoteTally.round_id == round_id)
            .distinct()
            .order_by(VoteTally.window)
        )
    )


def vote_totals(session: Session, round_id: int) -> dict[str, int] | None:
    """Votes per couple summed over every window; None while no window is counted."""
    rows = session.execute(
        select(Couple.number, func.sum(VoteTally.votes))
        .join(Couple, Couple.id == VoteTally.couple_id)
        .where(VoteTally.round_id == round_id)
        .group_by(Couple.number)
    ).all()
    if not rows:
        return None
    return {str(number): int(total) for number, total in rows}


def save_votes(session: Session, round_id: int) -> dict[str, str] | None:
    decision = session.scalar(
        select(Decision)
        .where(Decision.round_id == round_id, Decision.kind == "judges_save")
        .order_by(Decision.id.desc())
        .limit(1)
    )
    return dict(decision.choice["votes"]) if decision is not None else None


def week_input(session: Session, row: Round, *, save: Mapping[str, str] | None = None) -> ShowWeekInput:
    """The week's stored paddles, tallies and settings, shaped for the engine."""
    week = session.get_one(ShowWeek, row.id)
    counted = counting_sheets(session, row)
    earlier: tuple[ShowWeekInput, ...] = ()
    if week.includes_round_id is not None:
        earlier = (week_input(session, session.get_one(Round, week.includes_round_id)),)
    return ShowWeekInput(
        label=row.name,
        couples=tuple(round_couples(session, row.id)),
        judges=tuple(letter for _, letter in counted.judges),
        routines={name: routine_couples(session, dance_id) for dance_id, name in counted.dances},
        sheets=counted.sheets,
        votes=vote_totals(session, row.id),
        rules=week.rules,
        eliminate=week.eliminate,
        final=week.final,
        earlier=earlier,
        save_votes=save if save is not None else save_votes(session, row.id),
    )
