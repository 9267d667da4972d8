"""Read-only look-ups the pages share (names, lists, who sits where).

Only reading and arranging rows for display lives here; anything that applies a rule (placing,
recalling, combining) comes from `mirrorball.service` and `mirrorball.sheets`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.store.models import Competition, Event, Publication, Round


@dataclass
class RoundLink:
    id: int
    name: str
    href: str
    status: str = ""
    # Filled in by the console for its table.
    badge: str = ""
    status_text: str = ""
    progress_text: str = ""


@dataclass
class EventRounds:
    id: int
    name: str
    rounds: list[RoundLink] = field(default_factory=list)


@dataclass
class CompetitionRounds:
    id: int
    name: str
    kind: str
    events: list[EventRounds] = field(default_factory=list)
    show_href: str = ""  # a show's week-by-week page


def competitions(session: Session) -> list[Competition]:
    return list(session.scalars(select(Competition).order_by(Competition.id)))


def published_round_ids(session: Session) -> set[int]:
    return set(session.scalars(select(Publication.round_id)))


def round_tree(session: Session, *, href: str, only: set[int] | None = None) -> list[CompetitionRounds]:
    """Competitions → events → rounds in running order; `href` is formatted with the round id.

    `only` limits the rounds (e.g. to the published ones for the public).
    """
    tree: list[CompetitionRounds] = []
    for competition in competitions(session):
        entry = CompetitionRounds(competition.id, competition.name, competition.kind)
        if competition.kind == "show":
            entry.show_href = f"/results/competitions/{competition.id}/season"
        events = session.scalars(
            select(Event).where(Event.competition_id == competition.id).order_by(Event.id)
        )
        for event in events:
            rounds = session.scalars(select(Round).where(Round.event_id == event.id).order_by(Round.position))
            entry.events.append(
                EventRounds(
                    event.id,
                    event.name,
                    [
                        RoundLink(r.id, r.name, href.format(id=r.id), r.status)
                        for r in rounds
                        if only is None or r.id in only
                    ],
                )
            )
        tree.append(entry)
    return tree
