"""Setting up a competition: couples, judges, panels, events, rounds, dances, heats.

Each function is one use case: it writes rows and appends one audit record whose payload is enough,
with the others, to rebuild the competition's structure from the log alone (audit verify does).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mirrorball.audit.chain import append
from mirrorball.formats.couples import CoupleRow, parse_couples_csv
from mirrorball.scoring import CutPolicy
from mirrorball.service.compute import FINAL, RECALL
from mirrorball.service.errors import Conflict, Invalid
from mirrorball.service.lookup import couples_by_number, get
from mirrorball.service.principal import Principal
from mirrorball.service.rounds_read import round_judges
from mirrorball.store.models import (
    Competition,
    Couple,
    Dance,
    Event,
    Heat,
    HeatCouple,
    Judge,
    Panel,
    Round,
    RoundCouple,
    Seat,
)
from mirrorball.store.models.round import ROUND_KINDS

COMPETITION_KINDS = ("dancesport", "show")
CUT_POLICIES = tuple(policy.value for policy in CutPolicy)


@dataclass(frozen=True)
class JudgeData:
    letter: str
    name: str
    country: str = ""


def create_competition(session: Session, *, name: str, kind: str, actor: Principal) -> Competition:
    if kind not in COMPETITION_KINDS:
        raise Invalid(f"kind is one of {', '.join(COMPETITION_KINDS)}", field="kind")
    competition = Competition(name=name, kind=kind)
    session.add(competition)
    session.flush()
    append(
        session,
        actor=actor.actor,
        kind="competition.created",
        payload={"competition_id": competition.id, "name": name, "kind": kind},
    )
    return competition


def add_couples(
    session: Session, competition_id: int, rows: Sequence[CoupleRow], *, actor: Principal, source: str = "api"
) -> list[Couple]:
    """Add entrants; a back number already in the competition is refused (naming it), nothing is added."""
    get(session, Competition, competition_id, what="competition")
    taken = couples_by_number(session, competition_id)
    numbers = [row.number for row in rows]
    clash = next((n for n in numbers if n in taken or numbers.count(n) > 1), None)
    if clash is not None:
        raise Conflict(f"back number {clash} is already taken", couple=clash)
    couples = [
        Couple(
            competition_id=competition_id,
            number=r.number,
            leader=r.leader,
            follower=r.follower,
            studio=r.studio,
            country=r.country,
        )
        for r in rows
    ]
    session.add_all(couples)
    session.flush()
    append(
        session,
        actor=actor.actor,
        kind="couples.added",
        payload={
            "competition_id": competition_id,
            "source": source,
            "couples": [
                {"couple_id": c.id, "number": c.number, "leader": c.leader, "follower": c.follower}
                for c in couples
            ],
        },
    )
    return couples


def import_couples_csv(session: Session, competition_id: int, text: str, *, actor: Principal) -> list[Couple]:
    return add_couples(session, competition_id, parse_couples_csv(text), actor=actor, source="csv")


def add_judges(
    session: Session, competition_id: int, judges: Sequence[JudgeData], *, actor: Principal
) -> list[Judge]:
    get(session, Competition, competition_id, what="competition")
    taken = set(session.scalars(select(Judge.letter).where(Judge.competition_id == competition_id)))
    letters = [j.letter for j in judges]
    clash = next((letter for letter in letters if letter in taken or letters.count(letter) > 1), None)
    if clash is not None:
        raise Conflict(f"judge letter {clash} is already taken", judge=clash)
    rows = [
        Judge(competition_id=competition_id, letter=j.letter, name=j.name, country=j.country) for j in judges
    ]
    session.add_all(rows)
    session.flush()
    append(
        session,
        actor=actor.actor,
        kind="judges.added",
        payload={
            "competition_id": competition_id,
            "judges": [{"judge_id": j.id, "letter": j.letter, "name": j.name} for j in rows],
        },
    )
    return rows


def create_panel(
    session: Session, competition_id: int, *, name: str, letters: Sequence[str], actor: Principal
) -> Panel:
    """A panel seats judges (by letter) in the given order; sheets list judges in this order."""
    get(session, Competition, competition_id, what="competition")
    if not letters or len(set(letters)) != len(letters):
        raise Invalid("a panel seats at least one judge, each once", field="judges")
    judges = {
        j.letter: j for j in session.scalars(select(Judge).where(Judge.competition_id == competition_id))
    }
    unknown = [letter for letter in letters if letter not in judges]
    if unknown:
        raise Invalid("no such judge in this competition", judge=unknown[0])
    if session.scalar(select(Panel.id).where(Panel.competition_id == competition_id, Panel.name == name)):
        raise Conflict("a panel with this name exists", panel=name)
    panel = Panel(competition_id=competition_id, name=name)
    session.add(panel)
    session.flush()
    seats = [
        Seat(panel_id=panel.id, judge_id=judges[letter].id, position=i) for i, letter in enumerate(letters)
    ]
    session.add_all(seats)
    session.flush()
    append(
        session,
        actor=actor.actor,
        kind="panel.created",
        payload={
            "competition_id": competition_id,
            "panel_id": panel.id,
            "name": name,
            "seats": [{"seat_id": s.id, "judge": letter} for s, letter in zip(seats, letters, strict=True)],
        },
    )
    return panel


def create_event(
    session: Session,
    competition_id: int,
    *,
    name: str,
    dances: Sequence[str],
    panel_id: int,
    actor: Principal,
) -> Event:
    get(session, Competition, competition_id, what="competition")
    panel = get(session, Panel, panel_id, what="panel")
    if panel.competition_id != competition_id:
        raise Invalid("the panel belongs to another competition", panel_id=panel_id)
    _check_dances(dances)
    event = Event(competition_id=competition_id, name=name, dances=list(dances), panel_id=panel_id)
    session.add(event)
    session.flush()
    append(
        session,
        actor=actor.actor,
        kind="event.created",
        payload={
            "competition_id": competition_id,
            "event_id": event.id,
            "name": name,
            "dances": list(dances),
            "panel_id": panel_id,
        },
    )
    return event


def _check_dances(dances: Sequence[str]) -> None:
    if not dances:
        raise Invalid("at least one dance", field="dances")
    if len(set(dances)) != len(dances):
        raise Invalid("a dance is listed twice", field="dances")
    if any(not d.strip() for d in dances):
        raise Invalid("a dance needs a name", field="dances")


def create_round(
    session: Session,
    event_id: int,
    *,
    name: str,
    kind: str,
    couples: Sequence[int] | None,
    recall_target: int | None,
    actor: Principal,
    dances: Sequence[str] | None = None,
    previous_round_id: int | None = None,
    cut_policy: str = "ask",
) -> Round:
    """A round of `couples` (back numbers; None = every couple of the competition).

    A recall round needs how many couples the judges are to mark (`recall_target`), fewer than dance.
    """
    event = get(session, Event, event_id, what="event")
    if kind not in ROUND_KINDS:
        raise Invalid(f"kind is one of {', '.join(ROUND_KINDS)}", field="kind")
    if kind not in (RECALL, FINAL):
        raise Invalid("a show week is set up with its routines: POST /api/events/{id}/weeks", field="kind")
    numbers = entrants(session, event, couples)
    if kind == RECALL:
        if recall_target is None or not 1 <= recall_target < len(numbers):
            raise Invalid(
                f"a recall round recalls between 1 and {len(numbers) - 1} couples", field="recall_target"
            )
    elif recall_target is not None:
        raise Invalid("a final recalls nobody: leave recall_target out", field="recall_target")
    if cut_policy not in CUT_POLICIES or (kind != RECALL and cut_policy != "ask"):
        raise Invalid(f"a recall round's cut policy is one of {', '.join(CUT_POLICIES)}", field="cut_policy")
    round_dances = list(dances) if dances is not None else list(event.dances)
    _check_dances(round_dances)
    new, _, judges = add_round(
        session,
        event,
        name=name,
        kind=kind,
        numbers=numbers,
        dance_names=round_dances,
        recall_target=recall_target,
        previous_round_id=previous_round_id,
        cut_policy=cut_policy,
    )
    log_round_created(
        session,
        actor,
        event,
        new,
        numbers,
        judges,
        recall_target=recall_target,
        cut_policy=cut_policy,
        dances=round_dances,
    )
    return new


def log_round_created(
    session: Session,
    actor: Principal,
    event: Event,
    row: Round,
    numbers: Sequence[int],
    judges: Sequence[str],
    **details: Any,
) -> None:
    """The audit record a round (a Skating round or a show week, with its own `details`) is rebuilt
    from by `audit verify`."""
    append(
        session,
        actor=actor.actor,
        kind="round.created",
        payload={
            "competition_id": event.competition_id,
            "event_id": event.id,
            "round_id": row.id,
            "name": row.name,
            "kind": row.kind,
            "couples": [str(n) for n in numbers],
            "judges": list(judges),
            "previous_round_id": row.previous_round_id,
            **details,
        },
    )


def entrants(session: Session, event: Event, couples: Sequence[int] | None) -> list[int]:
    """The back numbers dancing a new round (None: every couple of the competition), checked."""
    known = couples_by_number(session, event.competition_id)
    numbers = sorted(known) if couples is None else sorted(set(couples))
    unknown = [n for n in numbers if n not in known]
    if unknown:
        raise Invalid("no couple with this back number", couple=unknown[0])
    if len(numbers) < 2:
        raise Invalid("a round needs at least two couples", field="couples")
    return numbers


def add_round(
    session: Session,
    event: Event,
    *,
    name: str,
    kind: str,
    numbers: Sequence[int],
    dance_names: Sequence[str],
    recall_target: int | None,
    previous_round_id: int | None,
    cut_policy: str = "ask",
) -> tuple[Round, list[Dance], list[str]]:
    """Write a round of `event` with its couples and dances (or routines); returns the round, the dance
    rows and the panel's judge letters in seat order. Checking what goes in is the caller's job."""
    assert event.panel_id is not None
    by_number = couples_by_number(session, event.competition_id)
    position = (session.scalar(select(func.max(Round.position)).where(Round.event_id == event.id)) or 0) + 1
    new = Round(
        event_id=event.id,
        position=position,
        name=name,
        kind=kind,
        status="setup",
        recall_target=recall_target,
        cut_policy=cut_policy,
        panel_id=event.panel_id,
        previous_round_id=previous_round_id,
    )
    session.add(new)
    session.flush()
    dances = [Dance(round_id=new.id, position=i, name=d) for i, d in enumerate(dance_names)]
    session.add_all(dances)
    session.add_all(RoundCouple(round_id=new.id, couple_id=by_number[n].id) for n in numbers)
    session.flush()
    judges = [letter for _, letter in round_judges(session, event.panel_id)]
    return new, dances, judges


def split_heats(
    session: Session, round_id: int, *, count: int, seed: int | None, actor: Principal
) -> list[Heat]:
    """Draw the round's couples into `count` heats of near-equal size (replacing an earlier draw)."""
    row = get(session, Round, round_id, what="round")
    if row.status != "setup":
        raise Conflict("heats are drawn before the round opens", round_id=round_id)
    couples = session.execute(
        select(Couple.id, Couple.number)
        .join(RoundCouple, RoundCouple.couple_id == Couple.id)
        .where(RoundCouple.round_id == round_id)
    ).all()
    if not 1 <= count <= len(couples):
        raise Invalid(f"between 1 and {len(couples)} heats", field="count")
    for old in session.scalars(select(Heat).where(Heat.round_id == round_id)):
        session.execute(delete(HeatCouple).where(HeatCouple.heat_id == old.id))
        session.delete(old)
    session.flush()
    drawn = sorted(couples, key=lambda c: c.number)
    random.Random(seed if seed is not None else round_id).shuffle(drawn)
    heats = [Heat(round_id=round_id, number=i + 1) for i in range(count)]
    session.add_all(heats)
    session.flush()
    groups: dict[int, list[int]] = {h.number: [] for h in heats}
    for i, couple in enumerate(drawn):
        heat = heats[i % count]
        session.add(HeatCouple(heat_id=heat.id, couple_id=couple.id))
        groups[heat.number].append(couple.number)
    append(
        session,
        actor=actor.actor,
        kind="heats.drawn",
        payload={"round_id": round_id, "heats": {str(k): sorted(v) for k, v in groups.items()}},
    )
    return heats


def open_round(session: Session, round_id: int, *, actor: Principal) -> Round:
    """Judges may mark only an open round."""
    row = get(session, Round, round_id, what="round")
    if row.status != "setup":
        raise Conflict(f"the round is {row.status}, not in set-up", round_id=round_id)
    row.status = "open"
    append(session, actor=actor.actor, kind="round.opened", payload={"round_id": round_id})
    return row
