"""Combining judges' points and audience votes into one week's result, with every number explained.

One interface for every method (`combine`): the judges' component, the votes' component, the combined
value, the ranking (ties broken by the configured keys and logged), the bottom, the eliminated (directly,
or through the judges' save), and a decision log a sheet or a page can render without recomputing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from mirrorball.scoring.show.errors import ShowError
from mirrorball.scoring.show.leaderboard import eurovision_points, rank_points
from mirrorball.scoring.show.model import Judge, Method, Rules
from mirrorball.scoring.show.save import ChoiceResult, SaveResult, judges_choice, judges_save
from mirrorball.scoring.show.totals import shares

COMPONENT_NAMES: dict[Method, str] = {
    "percentage": "share",
    "rank": "points",
    "eurovision": "points",
    "votes-only": "share",
    "judges-only": "share",
}


@dataclass(frozen=True)
class Decision:
    """One step of the working: what was done, to whom, with which numbers."""

    step: str
    text: str
    couples: tuple[str, ...] = ()
    values: tuple[tuple[str, Fraction], ...] = ()


@dataclass(frozen=True)
class Standings:
    """The numbers before any cut: components, combined value, ranking, and the ties met on the way."""

    method: Method
    judges_part: dict[str, Fraction]
    votes_part: dict[str, Fraction]
    combined: dict[str, Fraction]
    ranking: tuple[str, ...]
    ties: tuple[tuple[str, str, str], ...]
    """(higher, lower, key that separated them — or "unresolved") for neighbours with equal combined."""


@dataclass(frozen=True)
class WeekOutcome:
    """A week's decision. `ranking` is best first; `bottom` and `eliminated` follow ranking order."""

    method: Method
    couples: tuple[str, ...]
    judges_points: dict[str, Fraction]
    votes: dict[str, Fraction] | None
    judges_part: dict[str, Fraction]
    votes_part: dict[str, Fraction]
    combined: dict[str, Fraction]
    ranking: tuple[str, ...]
    bottom: tuple[str, ...]
    eliminated: tuple[str, ...]
    immune: tuple[str, ...]
    final: bool
    save: SaveResult | ChoiceResult | None
    decisions: tuple[Decision, ...]


def _check_inputs(
    couples: Sequence[str],
    judges_points: Mapping[str, Fraction],
    votes: Mapping[str, Fraction] | None,
    method: Method,
    week: str | None,
) -> None:
    if len(set(couples)) != len(couples):
        raise ShowError("a couple is listed twice", week=week)
    if not couples:
        raise ShowError("no couples to combine", week=week)
    wanted = set(couples)
    needs_judges = method != "votes-only"
    needs_votes = method != "judges-only"
    for label, given, needed in (
        ("judges' points", judges_points, needs_judges),
        ("votes", votes, needs_votes),
    ):
        if given is None:
            if needed:
                raise ShowError(f"{label} are needed by the {method} method", week=week)
            continue
        for couple in given:
            if couple not in wanted:
                raise ShowError(f"{label} given for a couple not in this week", couple=couple, week=week)
        if needed:
            for couple in couples:
                if couple not in given:
                    raise ShowError(f"no {label} for this couple", couple=couple, week=week)


def _components(
    pool: Sequence[str],
    judges_points: Mapping[str, Fraction],
    votes: Mapping[str, Fraction] | None,
    rules: Rules,
    method: Method,
    week: str | None,
) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    def picked(values: Mapping[str, Fraction] | None, needed: bool) -> dict[str, Fraction]:
        return {c: Fraction(values[c]) for c in pool} if values is not None and needed else {}

    j, v = picked(judges_points, method != "votes-only"), picked(votes, method != "judges-only")
    if method in ("percentage", "votes-only", "judges-only"):
        jp = shares(j, what="judges' points", week=week) if j and method != "votes-only" else {}
        vp = shares(v, what="votes", week=week) if v and method != "judges-only" else {}
        return jp, vp
    for couple, value in v.items():
        if value < 0:
            raise ShowError("votes cannot be negative", couple=couple, week=week)
    convert = rank_points if method == "rank" else eurovision_points
    return convert(j, rules.tie_policy), convert(v, rules.tie_policy)


def _combined(
    pool: Sequence[str],
    jp: Mapping[str, Fraction],
    vp: Mapping[str, Fraction],
    rules: Rules,
    method: Method,
) -> dict[str, Fraction]:
    if method == "votes-only":
        return {c: vp[c] for c in pool}
    if method == "judges-only":
        return {c: jp[c] for c in pool}
    return {c: rules.judges_weight * jp[c] + rules.votes_weight * vp[c] for c in pool}


def standings(
    couples: Sequence[str],
    judges_points: Mapping[str, Fraction],
    votes: Mapping[str, Fraction] | None,
    rules: Rules,
    *,
    method: Method | None = None,
    exclude: Sequence[str] = (),
    week: str | None = None,
) -> Standings:
    """Components, combined values and the tie-broken ranking of `couples` (minus `exclude`)."""
    method = method or rules.method
    pool = [c for c in couples if c not in exclude]
    jp, vp = _components(pool, judges_points, votes, rules, method, week)
    combined = _combined(pool, jp, vp, rules, method)
    index = {c: i for i, c in enumerate(couples)}

    def key_value(couple: str, key: str) -> Fraction:
        if key == "votes":
            return Fraction(votes[couple]) if votes is not None else Fraction(0)
        if key == "judges":
            return Fraction(judges_points[couple]) if couple in judges_points else Fraction(0)
        return Fraction(-index[couple])

    def sort_key(couple: str) -> tuple[Fraction, ...]:
        return (combined[couple], *(key_value(couple, k) for k in rules.tie_break))

    ranking = tuple(sorted(pool, key=sort_key, reverse=True))
    ties: list[tuple[str, str, str]] = []
    for higher, lower in pairwise(ranking):
        if combined[higher] != combined[lower]:
            continue
        separated = next(
            (k for k in rules.tie_break if key_value(higher, k) != key_value(lower, k)), "unresolved"
        )
        ties.append((higher, lower, separated))
    return Standings(method, jp, vp, combined, ranking, tuple(ties))


def _check_cut(st: Standings, eligible: Sequence[str], size: int, what: str, week: str | None) -> None:
    """An unresolved tie across a cut would make the result depend on an unstated choice: refuse it."""
    if size <= 0 or size >= len(eligible):
        return
    above, below = eligible[-size - 1], eligible[-size]
    for higher, lower, key in st.ties:
        if (higher, lower) == (above, below) and key == "unresolved":
            raise ShowError(
                f"{above} and {below} tie at the {what} cut and no configured tie-break separates them "
                "(add 'order' to the tie-break)",
                week=week,
            )


def _tie_text(key: str) -> str:
    return {"votes": "more votes", "judges": "more judges' points", "order": "listing order"}.get(key, key)


def combine(
    couples: Sequence[str],
    judges_points: Mapping[str, Fraction],
    votes: Mapping[str, Fraction] | None,
    rules: Rules,
    *,
    eliminate: int = 1,
    immune: Sequence[str] = (),
    final: bool = False,
    panel: Sequence[Judge] = (),
    save_votes: Mapping[str, str] | None = None,
    week: str | None = None,
) -> WeekOutcome:
    """One week's decision under `rules` (a finale uses `rules.for_final()`), fully explained."""
    if final:
        rules = rules.for_final()
    method = rules.method
    _check_inputs(couples, judges_points, votes, method, week)
    for couple in immune:
        if couple not in couples:
            raise ShowError("immune couple is not in this week", couple=couple, week=week)
    if eliminate < 0:
        raise ShowError("cannot eliminate a negative number of couples", week=week)
    exclude = () if rules.immune_in_totals else tuple(immune)
    st = standings(couples, judges_points, votes, rules, exclude=exclude, week=week)
    decisions: list[Decision] = []
    unit = COMPONENT_NAMES[method]
    if st.judges_part:
        decisions.append(
            Decision("judges", f"judges' {unit} ({method})", values=tuple(st.judges_part.items()))
        )
    if st.votes_part:
        decisions.append(Decision("votes", f"votes' {unit} ({method})", values=tuple(st.votes_part.items())))
    weights = ""
    if method in ("percentage", "rank", "eurovision") and (
        rules.judges_weight != 1 or rules.votes_weight != 1
    ):
        weights = f" with weights judges {rules.judges_weight}, votes {rules.votes_weight}"
    decisions.append(Decision("combined", f"combined {unit}{weights}", values=tuple(st.combined.items())))
    for higher, lower, key in st.ties:
        tie = f"{higher} and {lower} tie on {st.combined[higher]}"
        text = (
            f"{tie}: {higher} ranks higher by {_tie_text(key)}"
            if key != "unresolved"
            else f"{tie} and no configured tie-break separates them"
        )
        decisions.append(Decision("tie-break", text, (higher, lower)))
    ranking = tuple(c for c in couples if c in exclude) + st.ranking
    if exclude:
        decisions.append(
            Decision("immune", "immune: left out of the totals and placed above the cut", exclude)
        )
    eligible = [c for c in ranking if c not in immune]
    if immune and not exclude:
        decisions.append(
            Decision("immune", "immune: counted in the totals but cannot be in the bottom", tuple(immune))
        )
    if final:
        decisions.append(Decision("placements", f"final placings; winner {ranking[0]}", ranking))
        return WeekOutcome(
            method, tuple(couples), {c: Fraction(v) for c, v in judges_points.items()},
            None if votes is None else {c: Fraction(v) for c, v in votes.items()},
            st.judges_part, st.votes_part, st.combined, ranking, (), (), tuple(immune), True, None,
            tuple(decisions),
        )  # fmt: skip
    bottom_size = min(rules.bottom, len(eligible))
    _check_cut(st, eligible, bottom_size, "bottom", week)
    bottom = tuple(eligible[len(eligible) - bottom_size :]) if bottom_size else ()
    if bottom:
        decisions.append(Decision("bottom", f"bottom {bottom_size}: the lowest combined", bottom))
    save: SaveResult | ChoiceResult | None = None
    eliminated: tuple[str, ...] = ()
    if eliminate and rules.save != "none":
        what = "judges' save" if rules.save == "judges" else "judges' choice"
        if eliminate != 1:
            raise ShowError(f"a {what} decides one elimination, not several", week=week)
        if len(bottom) < 2:
            raise ShowError(f"a {what} needs at least two couples in the bottom", week=week)
        if save_votes is None:
            decisions.append(Decision("save", f"awaiting the {what} vote", bottom))
        else:
            head = rules.head_judge or next((j.name for j in panel if j.head), None)
            if head is None:
                raise ShowError(
                    f"a {what} needs a head judge (rules.head_judge or a judge marked head)", week=week
                )
            vote = judges_save if rules.save == "judges" else judges_choice
            save = vote(bottom, panel, save_votes, head=head, guests_vote=rules.guests_vote, week=week)
            eliminated = (save.eliminated,)
            decisions.append(Decision("save", save.explanation, bottom))
    elif eliminate:
        _check_cut(st, eligible, eliminate, "elimination", week)
        eliminated = tuple(eligible[max(0, len(eligible) - eliminate) :])
    if eliminated:
        decisions.append(Decision("eliminated", "eliminated", eliminated))
    elif not eliminate:
        decisions.append(Decision("eliminated", "no elimination this week"))
    return WeekOutcome(
        method, tuple(couples), {c: Fraction(v) for c, v in judges_points.items()},
        None if votes is None else {c: Fraction(v) for c, v in votes.items()},
        st.judges_part, st.votes_part, st.combined, ranking, bottom, eliminated, tuple(immune), False, save,
        tuple(decisions),
    )  # fmt: skip
