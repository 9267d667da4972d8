"""The demo competition `mirrorball serve --demo` loads, so a newcomer sees everything working at once.

A small DanceSport event (16 couples, 5 judges, Latin): a recall round whose marks are simulated, the
Chairman's choice if the cut is tied, a published recall list, a published final. Marks are simulated
from a fixed seed, so the demo is the same every time. Loaded through the same use cases as the API,
so it is audited like real data and `mirrorball audit verify` passes on it.
"""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.formats.couples import CoupleRow
from mirrorball.service import judging, results, setup
from mirrorball.service.principal import ADMIN, JUDGE, Principal
from mirrorball.service.rounds_read import round_couples, round_judges
from mirrorball.store.models import Competition, Round

DEMO_NAME = "mirrorball Demo Open"
LATIN = ("Samba", "Cha Cha", "Rumba", "Paso Doble", "Jive")
JUDGES = ("A", "B", "C", "D", "E")
STUDIOS = ("Blackpool Stars", "Rotterdam Dance", "Vienna Ballroom", "Milano Latin")
ORGANIZER = Principal(role=ADMIN)


def load_demo(session: Session) -> str:
    """Create the demo competition unless it exists; returns a one-line summary."""
    existing = session.scalar(select(Competition.id).where(Competition.name == DEMO_NAME))
    if existing is not None:
        return f"demo competition already loaded (id {existing})"
    rng = random.Random(19)
    competition = setup.create_competition(session, name=DEMO_NAME, kind="dancesport", actor=ORGANIZER)
    couples = [
        CoupleRow(100 + i, f"Leader {i}", f"Follower {i}", STUDIOS[i % len(STUDIOS)], "NL")
        for i in range(1, 17)
    ]
    setup.add_couples(session, competition.id, couples, actor=ORGANIZER, source="demo")
    setup.add_judges(
        session, competition.id, [setup.JudgeData(j, f"Judge {j}") for j in JUDGES], actor=ORGANIZER
    )
    panel = setup.create_panel(session, competition.id, name="Latin panel", letters=JUDGES, actor=ORGANIZER)
    event = setup.create_event(
        session, competition.id, name="Adult Open Latin", dances=LATIN, panel_id=panel.id, actor=ORGANIZER
    )
    first = setup.create_round(
        session, event.id, name="Semi-final", kind="recall", couples=None, recall_target=6, actor=ORGANIZER
    )
    setup.split_heats(session, first.id, count=2, seed=19, actor=ORGANIZER)
    _judge(session, first, rng)
    result = results.close_round(session, first.id, principal=ORGANIZER)
    if not result.outcome["resolved"]:
        larger = max(len(option["recalled"]) for option in result.outcome["cutoff_options"])
        results.decide_cut(
            session, first.id, recall=larger, reason="demo: recall the whole tie", principal=ORGANIZER
        )
    results.publish(session, first.id, reason="", principal=ORGANIZER)
    final = results.next_round(
        session, first.id, name="Final", kind="final", recall_target=None, principal=ORGANIZER
    )
    _judge(session, final, rng)
    results.close_round(session, final.id, principal=ORGANIZER)
    results.publish(session, final.id, reason="", principal=ORGANIZER)
    return f"loaded {DEMO_NAME!r} (competition {competition.id}): recall round {first.id}, final {final.id}"


def _judge(session: Session, row: Round, rng: random.Random) -> None:
    """Every judge marks every dance: better couples (lower numbers) are likelier to do well."""
    setup.open_round(session, row.id, actor=ORGANIZER)
    couples = list(round_couples(session, row.id))
    for seat_id, _letter in round_judges(session, row.panel_id):
        judge = Principal(role=JUDGE, seat_id=seat_id)
        for dance in LATIN:
            impression = sorted(couples, key=lambda c: rng.gauss(couples.index(c), len(couples) / 5))
            if row.kind == "recall":
                assert row.recall_target is not None
                marks = {c: 1 for c in impression[: row.recall_target]}
            else:
                marks = {c: rank for rank, c in enumerate(impression, start=1)}
            judging.submit_sheet(
                session, round_id=row.id, dance=dance, marks=marks, submission_key=None, principal=judge
            )
