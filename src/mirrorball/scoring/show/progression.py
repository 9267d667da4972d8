"""A season week by week: judges' totals, leaderboard, shares, the outlook and — when votes are known — the
decision. Pure: the votes (published, entered by a producer, or explicitly simulated) are an input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from mirrorball.scoring.show.combine import WeekOutcome, combine
from mirrorball.scoring.show.errors import ShowError
from mirrorball.scoring.show.leaderboard import places
from mirrorball.scoring.show.model import Judge, Recorded, Rules, Season, Week
from mirrorball.scoring.show.outlook import Outlook, outlook
from mirrorball.scoring.show.totals import check_week, cumulative_points, decision_points, shares, week_points

Votes = Mapping[str, Mapping[str, Fraction]]
"""Votes per week label, per couple."""


@dataclass(frozen=True)
class WeekReport:
    week: Week
    rules: Rules
    couples: tuple[str, ...]
    own_points: dict[str, Fraction]
    points: dict[str, Fraction]
    cumulative: dict[str, Fraction]
    places: dict[str, tuple[int, int]]
    judges_share: dict[str, Fraction]
    outlook: Outlook | None
    outcome: WeekOutcome | None
    recorded: Recorded | None


def panel_of(season: Season, week: Week) -> tuple[Judge, ...]:
    """The judges who marked this week's routines, in the order they first appear."""
    names: list[str] = []
    for routine in week.routines:
        names.extend(m.judge for m in routine.marks if m.judge not in names)
    return tuple(season.judge(n) for n in names)


def recorded_save_preferences(week: Week) -> dict[str, str] | None:
    """Judge → couple from the recorded save votes (a silent head judge's known preference included)."""
    if week.recorded is None or not week.recorded.save_votes:
        return None
    prefs: dict[str, str] = {}
    for vote in week.recorded.save_votes:
        choice = vote.couple or vote.preference
        if choice is not None:
            prefs[vote.judge] = choice
    return prefs


def decide(
    season: Season, week: Week, rules: Rules, votes: Mapping[str, Fraction] | None
) -> WeekOutcome | None:
    """The week's decision when it can be computed: votes known, or the votes do not count."""
    couples = week.competing()
    points = decision_points(season, week)
    if votes is None and rules.method != "judges-only":
        return None
    # recorded votes are votes to *save*: they only mean something under a judges' save
    save_votes = recorded_save_preferences(week) if rules.save == "judges" else None
    if save_votes is not None:
        save_votes = {j: c for j, c in save_votes.items() if c in couples}
    return combine(
        couples, points, votes, rules, eliminate=week.eliminate, immune=week.immune, final=week.final,
        panel=panel_of(season, week), save_votes=save_votes, week=week.label,
    )  # fmt: skip


def run_season(
    season: Season, votes: Votes | None = None, rules: Rules | None = None, *, with_outlook: bool = True
) -> list[WeekReport]:
    """Every week of `season` (under `rules` if given, else each week's own rules)."""
    votes = votes or {}
    for label in votes:
        season.week(label)
    running = cumulative_points(season)
    reports: list[WeekReport] = []
    for index, week in enumerate(season.weeks):
        check_week(season, week)
        week_rules = rules or week.rules or season.rules
        couples = week.competing()
        if not couples:
            raise ShowError("no couple competes in this week", week=week.label)
        points = decision_points(season, week)
        look = None
        has_cut = not week.final and (week.eliminate or week_rules.bottom)
        if with_outlook and has_cut and week_rules.method != "votes-only" and sum(points.values()) > 0:
            look = outlook(
                couples, points, week_rules, eliminate=week.eliminate, immune=week.immune, week=week.label
            )
        own = week_points(week)
        reports.append(
            WeekReport(
                week, week_rules, couples, {c: own.get(c, Fraction(0)) for c in couples}, points,
                {c: running[index].get(c, Fraction(0)) for c in couples}, places(points),
                shares(points, what="judges' points", week=week.label) if sum(points.values()) else {},
                look, decide(season, week, week_rules, votes.get(week.label)), week.recorded,
            )
        )  # fmt: skip
    return reports
