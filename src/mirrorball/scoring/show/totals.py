"""The judges' total J, exactly as the shows compute it.

J for a couple in a week = the totals of its routines (team routines counted for every team member) +
its bonus points. A decision's J adds the weeks/nights it `includes` (a no-elimination week rolled into
the next, a finale's first night). Panels change size between weeks (3 vs 4 judges): J is only ever
compared *within* one decision, where shares are scale-free; cumulative sums are shown, never combined.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from mirrorball.scoring.show.errors import ShowError
from mirrorball.scoring.show.model import PADDLE_MAX, PADDLE_MIN, Season, Week


def check_week(season: Season, week: Week) -> None:
    """Refuse marks the engine must not score: unknown couples or judges, paddles outside 1–10, repeats."""
    known_couples = {c.name for c in season.couples}
    known_judges = {j.name for j in season.judges}
    for routine in week.routines:
        for couple in routine.couples:
            if couple not in known_couples:
                raise ShowError("routine for a couple not in the season", week=week.label, couple=couple)
        where = {"week": week.label, "dance": routine.dance, "couple": " + ".join(routine.couples)}
        if not routine.marks:
            raise ShowError("routine has no marks", **where)
        seen: set[tuple[str, str | None]] = set()
        for mark in routine.marks:
            if mark.judge not in known_judges:
                raise ShowError("mark from a judge not on the panel list", judge=mark.judge, **where)
            if not PADDLE_MIN <= mark.score <= PADDLE_MAX:
                raise ShowError(f"paddle {mark.score} is outside 1–10", judge=mark.judge, **where)
            key = (mark.judge, mark.component)
            if key in seen:
                raise ShowError("judge marked this routine twice", judge=mark.judge, **where)
            seen.add(key)
    for bonus in week.bonuses:
        if bonus.couple not in known_couples:
            raise ShowError("bonus for a couple not in the season", week=week.label, couple=bonus.couple)
        if bonus.points < 0:
            raise ShowError("bonus points cannot be negative", week=week.label, couple=bonus.couple)
    for name in (*week.couples, *week.immune, *week.withdrawn):
        if name not in known_couples:
            raise ShowError("couple not in the season", week=week.label, couple=name)


def week_points(week: Week) -> dict[str, Fraction]:
    """J earned in this week alone (routines + bonuses), for every couple that earned any."""
    points: dict[str, Fraction] = {}
    for routine in week.routines:
        for couple in routine.couples:
            points[couple] = points.get(couple, Fraction(0)) + routine.total
    for bonus in week.bonuses:
        points[bonus.couple] = points.get(bonus.couple, Fraction(0)) + bonus.points
    return points


def decision_points(season: Season, week: Week) -> dict[str, Fraction]:
    """J for this decision: this week plus every week it includes, for the couples competing in it."""
    parts = [week_points(season.week(label)) for label in week.includes]
    parts.append(week_points(week))
    competing = week.competing()
    totals = {couple: Fraction(0) for couple in competing}
    for part in parts:
        for couple, value in part.items():
            if couple in totals:
                totals[couple] += value
    return totals


def cumulative_points(season: Season) -> list[dict[str, Fraction]]:
    """Running season totals after each week (the sum of each week's own points so far)."""
    running: dict[str, Fraction] = {}
    out: list[dict[str, Fraction]] = []
    for week in season.weeks:
        for couple, value in week_points(week).items():
            running[couple] = running.get(couple, Fraction(0)) + value
        out.append(dict(running))
    return out


def shares(values: Mapping[str, Fraction], *, what: str, week: str | None = None) -> dict[str, Fraction]:
    """Each value over the total: the scale-free form DWTS adds. Refuses negatives and an all-zero total."""
    for couple, value in values.items():
        if value < 0:
            raise ShowError(f"{what} cannot be negative", couple=couple, week=week)
    total = sum(values.values(), Fraction(0))
    if total == 0:
        raise ShowError(f"{what} add up to zero: no shares can be computed", week=week)
    return {couple: value / total for couple, value in values.items()}
