"""The demo competitions `mirrorball serve --demo` loads, so a newcomer sees everything working at once.

- A small DanceSport event (16 couples, 5 judges, Latin): a recall round whose marks are simulated, the
  Chairman's choice if the cut is tied, a published recall list, a published final. Marks are simulated
  from a fixed seed, so the demo is the same every time.
- The finale of Dancing with the Stars season 19 (2014): the judges' real paddles from the bundled
  season file, over two nights (the first night's points carry into the second). Vote counts were never
  published: the demo's tallies are illustrative, chosen to give the recorded outcome (Bethany & Derek
  out on night 1; Alfonso & Witney win, Sadie & Mark second, Janel & Val third).

Loaded through the same use cases as the API, so they are audited like real data and `mirrorball audit
verify` passes on them.
"""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.formats.couples import CoupleRow
from mirrorball.formats.dwts import bundled_season
from mirrorball.scoring.show import Week
from mirrorball.service import judging, results, setup, show
from mirrorball.service.compute_show import stored_rules
from mirrorball.service.principal import ADMIN, JUDGE, Principal
from mirrorball.service.rounds_read import round_couples, round_judges
from mirrorball.store.models import Competition, Round

DEMO_NAME = "mirrorball Demo Open"
LATIN = ("Samba", "Cha Cha", "Rumba", "Paso Doble", "Jive")
JUDGES = ("A", "B", "C", "D", "E")
STUDIOS = ("Blackpool Stars", "Rotterdam Dance", "Vienna Ballroom", "Milano Latin")
ORGANIZER = Principal(role=ADMIN)
SHOW_NAME = "Dancing with the Stars, season 19: the finale (demo)"
# Never published by the show: illustrative counts that reproduce the recorded outcome.
ILLUSTRATIVE_VOTES = {
    "Finale, night 1": {
        "Alfonso & Witney": 3_100_000,
        "Sadie & Mark": 2_900_000,
        "Janel & Val": 2_300_000,
        "Bethany & Derek": 2_000_000,
    },
    "Finale, night 2": {"Alfonso & Witney": 4_000_000, "Sadie & Mark": 3_500_000, "Janel & Val": 3_000_000},
}


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
    show_id = _load_show_finale(session)
    return f"loaded {DEMO_NAME!r} (competition {competition.id}) and {SHOW_NAME!r} (competition {show_id})"


def _load_show_finale(session: Session) -> int:
    season = bundled_season("dwts-19")
    night_1, night_2 = season.week("11 night 1"), season.week("11")
    finalists = night_1.competing()
    number = {name: i for i, name in enumerate(finalists, start=1)}
    judge_names = [j.name for j in season.judges if j.role == "permanent"]
    letter = {name: chr(ord("A") + i) for i, name in enumerate(judge_names)}
    head = next(j.name for j in season.judges if j.head)
    competition = setup.create_competition(session, name=SHOW_NAME, kind="show", actor=ORGANIZER)
    couples = {c.name: c for c in season.couples}
    setup.add_couples(
        session,
        competition.id,
        [CoupleRow(number[n], couples[n].celebrity, couples[n].professional) for n in finalists],
        actor=ORGANIZER,
        source="demo",
    )
    setup.add_judges(
        session, competition.id, [setup.JudgeData(letter[n], n) for n in judge_names], actor=ORGANIZER
    )
    panel = setup.create_panel(
        session, competition.id, name="Judges", letters=list(letter.values()), actor=ORGANIZER
    )
    event = setup.create_event(
        session, competition.id, name=season.name, dances=("Freestyle",), panel_id=panel.id, actor=ORGANIZER
    )
    rules = {**stored_rules(season.rules), "head_judge": letter[head]}

    def routines(week: Week) -> list[show.RoutineData]:
        return [show.RoutineData(r.dance, tuple(number[c] for c in r.couples)) for r in week.routines]

    first = show.create_week(
        session,
        event.id,
        name="Finale, night 1",
        couples=None,
        routines=routines(night_1),
        eliminate=night_1.eliminate,
        final=False,
        rules=rules,
        includes_round_id=None,
        actor=ORGANIZER,
    )
    _show_night(session, first, night_1, number, letter)
    second = show.next_week(
        session,
        first.id,
        name="Finale, night 2",
        routines=routines(night_2),
        eliminate=0,
        final=True,
        include_this_week=True,
        rules=None,
        actor=ORGANIZER,
    )
    _show_night(session, second, night_2, number, letter)
    return competition.id


def _show_night(
    session: Session, row: Round, week: Week, number: dict[str, int], letter: dict[str, str]
) -> None:
    setup.open_round(session, row.id, actor=ORGANIZER)
    seats = {judge_letter: seat_id for seat_id, judge_letter in round_judges(session, row.panel_id)}
    for routine in week.routines:
        name = show.RoutineData(routine.dance, tuple(number[c] for c in routine.couples)).name
        for mark in routine.marks:
            judge = Principal(role=JUDGE, seat_id=seats[letter[mark.judge]])
            paddles = {str(number[c]): int(mark.score) for c in routine.couples}
            judging.submit_sheet(
                session, round_id=row.id, dance=name, marks=paddles, submission_key=None, principal=judge
            )
    votes = ILLUSTRATIVE_VOTES[row.name]
    show.tally_votes(
        session,
        row.id,
        window="illustrative",
        tallies={str(number[c]): v for c, v in votes.items()},
        principal=ORGANIZER,
    )
    results.close_round(session, row.id, principal=ORGANIZER)
    results.publish(session, row.id, reason="", principal=ORGANIZER)


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
