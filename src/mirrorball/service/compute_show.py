"""From a show week's stored paddles, vote tallies and save votes to its decision: the one place the
server calls the TV-show engine (closing a week and `audit verify` both come here).

Couples are identified by their back numbers (as text), judges by their letters, exactly as in the
DanceSport rounds; names are added when results are displayed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from mirrorball.formats.season import FieldReader, read_rules, rules_to_dict
from mirrorball.formats.show_json import outcome_to_dict, preset
from mirrorball.scoring.show import Judge, Mark, Routine, Rules, Week, combine, week_points
from mirrorball.service.errors import Conflict, Invalid

SHOW_WEEK = "show_week"
PADDLE_MIN, PADDLE_MAX = 1, 10


def parse_rules(data: Mapping[str, Any], *, base: Rules | None = None) -> Rules:
    """Rules from a request or a stored copy: an optional `preset` plus any fields that override it."""
    reader = FieldReader("rules")
    fields = {k: v for k, v in data.items() if k != "preset"}
    start = preset(str(data["preset"]), "rules") if "preset" in data else base
    return read_rules(fields, "rules", reader, start)


def stored_rules(rules: Rules) -> dict[str, Any]:
    return rules_to_dict(rules)


def check_paddles(*, dance: str, judge: str, couples: tuple[str, ...], marks: Mapping[str, int]) -> None:
    """A judge's paddle for one routine: the same whole number 1–10 for each couple dancing it."""
    if set(marks) != set(couples):
        odd = sorted(set(marks) ^ set(couples))
        raise Invalid("score exactly the couples of this routine", dance=dance, judge=judge, couple=odd[0])
    values = set(marks.values())
    if len(values) != 1:
        raise Invalid(
            "a team routine gets one paddle, the same for each of its couples", dance=dance, judge=judge
        )
    value = values.pop()
    if not PADDLE_MIN <= value <= PADDLE_MAX:
        raise Invalid(
            f"a paddle is {PADDLE_MIN} to {PADDLE_MAX}", dance=dance, judge=judge, couple=couples[0]
        )


@dataclass(frozen=True)
class ShowWeekInput:
    """Everything a show week's decision needs, read from the store or replayed from the audit log."""

    label: str
    couples: tuple[str, ...]
    judges: tuple[str, ...]
    routines: Mapping[str, tuple[str, ...]]  # routine name → couples
    sheets: Mapping[tuple[str, str], Mapping[str, int]]  # (routine, judge) → {couple: paddle}
    votes: Mapping[str, int] | None  # summed over the windows; None: no tally yet
    rules: Mapping[str, Any]
    eliminate: int
    final: bool
    earlier: tuple[ShowWeekInput, ...] = field(default=())  # included weeks (a finale's first night)
    save_votes: Mapping[str, str] | None = None


def judges_points(given: ShowWeekInput) -> dict[str, Fraction]:
    """J: the week's routines (each judge's paddle, a team score for every member) plus included weeks."""
    for routine in given.routines:
        for judge in given.judges:
            if (routine, judge) not in given.sheets:
                raise Conflict(
                    "paddles are missing: every judge scores every routine", dance=routine, judge=judge
                )
    routines = tuple(
        Routine(
            couples=couples,
            dance=name,
            marks=tuple(
                Mark(judge, Fraction(given.sheets[(name, judge)][couples[0]])) for judge in given.judges
            ),
        )
        for name, couples in given.routines.items()
    )
    points = week_points(Week(label=given.label, routines=routines))
    for earlier in given.earlier:
        for couple, value in judges_points(earlier).items():
            points[couple] = points.get(couple, Fraction(0)) + value
    return {c: points.get(c, Fraction(0)) for c in given.couples}


def waits_for_save(given: ShowWeekInput) -> bool:
    rules = parse_rules(given.rules)
    return not given.final and given.eliminate > 0 and rules.save != "none" and given.save_votes is None


def compute_show_week(given: ShowWeekInput) -> dict[str, Any]:
    """The week's decision as stable JSON: the engine's explanation plus the points and vote counts used."""
    rules = parse_rules(given.rules)
    points = judges_points(given)
    needs_votes = rules.for_final().method if given.final else rules.method
    if given.votes is None and needs_votes != "judges-only":
        raise Conflict("no vote tallies yet for this week", week=given.label)
    votes = {c: Fraction(given.votes.get(c, 0)) for c in given.couples} if given.votes is not None else None
    head = rules.head_judge
    panel = tuple(Judge(name=letter, head=letter == head) for letter in given.judges)
    outcome = combine(
        given.couples,
        points,
        votes,
        rules,
        eliminate=given.eliminate,
        final=given.final,
        panel=panel,
        save_votes=dict(given.save_votes) if given.save_votes is not None else None,
        week=given.label,
    )
    body = outcome_to_dict(outcome)
    body["kind"] = "show_week"
    body["resolved"] = not waits_for_save(given)
    body["points"] = {c: int(v) if v.denominator == 1 else float(v) for c, v in points.items()}
    body["vote_counts"] = dict(given.votes) if given.votes is not None else None
    return body
