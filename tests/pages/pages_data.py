"""A small DanceSport competition for the browser tests, built through the same services the API uses."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI

from mirrorball.formats.couples import CoupleRow
from mirrorball.service import auth as auth_service
from mirrorball.service import judging, setup, show
from mirrorball.service.principal import SYSTEM, Principal
from mirrorball.service.rounds_read import round_judges
from mirrorball.store.db import transaction

LETTERS = "ABC"
DANCES = ("Samba", "Jive")


@dataclass
class Built:
    competition_id: int
    event_id: int
    seats: dict[str, int]
    pins: dict[str, str]
    rounds: dict[str, int] = field(default_factory=dict)


def build_dancesport(app: FastAPI, *, couples: int = 8, recall: int = 6, heats: int = 0) -> Built:
    """Test Open: `couples` couples (101…), judges A–C with PINs, Adult Latin (Samba, Jive) with an
    open recall round asking for `recall` couples (drawn into `heats` heats when given)."""
    with transaction(app.state.mirrorball.sessions) as session:
        competition = setup.create_competition(session, name="Test Open", kind="dancesport", actor=SYSTEM)
        rows = [CoupleRow(100 + i, f"Leader {i}", f"Follower {i}") for i in range(1, couples + 1)]
        setup.add_couples(session, competition.id, rows, actor=SYSTEM)
        setup.add_judges(
            session, competition.id, [setup.JudgeData(j, f"Judge {j}") for j in LETTERS], actor=SYSTEM
        )
        panel = setup.create_panel(session, competition.id, name="Panel", letters=list(LETTERS), actor=SYSTEM)
        event = setup.create_event(
            session, competition.id, name="Adult Latin", dances=DANCES, panel_id=panel.id, actor=SYSTEM
        )
        first = setup.create_round(
            session, event.id, name="Round 1", kind="recall", couples=None, recall_target=recall, actor=SYSTEM
        )
        if heats:
            setup.split_heats(session, first.id, count=heats, seed=1, actor=SYSTEM)
        setup.open_round(session, first.id, actor=SYSTEM)
        seats = {letter: seat_id for seat_id, letter in round_judges(session, panel.id)}
        pins = {letter: f"{1000 + i}" for i, letter in enumerate(LETTERS)}
        for letter, seat_id in seats.items():
            auth_service.set_pin(session, seat_id=seat_id, pin=pins[letter], actor=SYSTEM)
        return Built(competition.id, event.id, seats, pins, {"Round 1": first.id})


def admin_link(app: FastAPI, role: str = "admin") -> str:
    with transaction(app.state.mirrorball.sessions) as session:
        return auth_service.issue_link(session, role=role, actor=SYSTEM)


def judge_link(app: FastAPI, seat_id: int) -> str:
    with transaction(app.state.mirrorball.sessions) as session:
        return auth_service.issue_link(session, role="judge", actor=SYSTEM, seat_id=seat_id)


def submit(app: FastAPI, built: Built, round_id: int, letter: str, dance: str, marks: dict[str, int]) -> None:
    """A judge's sheet sent the way the marks API sends it (for the judges not driven by a browser)."""
    judge = Principal(role="judge", seat_id=built.seats[letter])
    with transaction(app.state.mirrorball.sessions) as session:
        judging.submit_sheet(
            session, round_id=round_id, dance=dance, marks=marks, submission_key=None, principal=judge
        )


STARS = [
    (1, "Ada Star", "Pro One"),
    (2, "Ben Star", "Pro Two"),
    (3, "Cy Star", "Pro Three"),
    (4, "Di Star", "Pro Four"),
]
ROUTINES = [("Cha Cha", 1), ("Waltz", 2), ("Jive", 3), ("Tango", 4)]


def build_show(app: FastAPI) -> Built:
    """Stars Test: four celebrity couples, judges A–C (B heads the panel) with PINs, an open Week 1 of
    four routines under DWTS rules with the judges' save."""
    with transaction(app.state.mirrorball.sessions) as session:
        competition = setup.create_competition(session, name="Stars Test", kind="show", actor=SYSTEM)
        setup.add_couples(session, competition.id, [CoupleRow(n, c, p) for n, c, p in STARS], actor=SYSTEM)
        setup.add_judges(
            session, competition.id, [setup.JudgeData(j, f"Judge {j}") for j in LETTERS], actor=SYSTEM
        )
        panel = setup.create_panel(session, competition.id, name="Panel", letters=list(LETTERS), actor=SYSTEM)
        event = setup.create_event(
            session, competition.id, name="Season 1", dances=["Freestyle"], panel_id=panel.id, actor=SYSTEM
        )
        week = show.create_week(
            session,
            event.id,
            name="Week 1",
            couples=None,
            routines=[show.RoutineData(dance, (couple,)) for dance, couple in ROUTINES],
            eliminate=1,
            final=False,
            rules={"preset": "dwts-save", "head_judge": "B"},
            includes_round_id=None,
            actor=SYSTEM,
        )
        setup.open_round(session, week.id, actor=SYSTEM)
        seats = {letter: seat_id for seat_id, letter in round_judges(session, panel.id)}
        pins = {letter: f"{2000 + i}" for i, letter in enumerate(LETTERS)}
        for letter, seat_id in seats.items():
            auth_service.set_pin(session, seat_id=seat_id, pin=pins[letter], actor=SYSTEM)
        return Built(competition.id, event.id, seats, pins, {"Week 1": week.id})
