"""What-if: the same weeks under other rules — another method, another tie policy, judges only.

Each week is re-decided with the couples who really danced it (a different elimination would have changed
later casts, and nobody knows how those couples would have scored). Votes were rarely published, so:

- with votes given (a file, marked real or simulated by its author) the alternative result is computed;
- with "judges-only" no votes are needed;
- otherwise only what the real results *prove* about the votes is used. Under the percentage method, a
  couple that finished above another with no more judges' points must have had more votes
  (C_A > C_B and J_A ≤ J_B ⇒ V_A > V_B, assuming no two couples had exactly equal votes). Every vote
  ordering that respects these proven pairs is tried (up to 8 couples) when the alternative depends on the
  order of the votes only (rank points, Eurovision, votes only); the verdict is "same"/"changed" only when
  all of them agree. Bigger weeks, and alternatives that use vote *shares*, fall back to the outlook:
  what any vote could have done. The rules actually used give the real result by definition.

Under rules with a judges' save the comparison asks whether the couple that really went home would have
been in the bottom two (the save itself never happened); a double elimination is compared without a save.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from mirrorball.scoring.show.combine import WeekOutcome, standings
from mirrorball.scoring.show.model import Rules, Season, Week
from mirrorball.scoring.show.outlook import Outlook, outlook
from mirrorball.scoring.show.progression import Votes, decide
from mirrorball.scoring.show.totals import decision_points

MAX_ORDERINGS_COUPLES = 8
ORDER_ONLY = ("rank", "eurovision", "votes-only")
"""Methods whose result depends only on the order of the votes, so vote orderings can be enumerated."""


@dataclass(frozen=True)
class WeekComparison:
    label: str
    couples: tuple[str, ...]
    kind: str
    """What is compared: 'eliminated', 'bottom' (the alternative ends in a judges' save), 'winner', 'none'."""
    actual: tuple[str, ...] | None
    alternative: WeekOutcome | None
    possible: tuple[tuple[str, ...], ...]
    implied: tuple[tuple[str, str], ...]
    outlook: Outlook | None
    verdict: str
    explanation: str


def _actual(week: Week, kind: str) -> tuple[str, ...] | None:
    """What really happened that the alternative is compared with: the winner, or who went home."""
    rec = week.recorded
    if rec is None:
        return None
    if kind == "winner":
        return tuple(c for c, place in rec.placements if place == 1) or None
    return tuple(sorted(rec.eliminated)) or None


def _names(couples: Sequence[str]) -> str:
    return " + ".join(couples) or "nobody"


def implied_vote_order(
    week: Week, points: Mapping[str, Fraction], actual_rules: Rules
) -> tuple[tuple[str, str], ...]:
    """Pairs (A, B) the real result proves had V_A > V_B (percentage method only; see module doc)."""
    rec = week.recorded
    if rec is None or actual_rules.method != "percentage" or actual_rules.votes_weight <= 0:
        return ()
    couples = week.competing()
    above: set[tuple[str, str]] = set()
    if week.final and rec.placements:
        place = dict(rec.placements)
        above |= {
            (a, b) for a in couples for b in couples if a in place and b in place and place[a] < place[b]
        }
    else:
        lower = set(rec.bottom) if rec.bottom else set()
        if not lower and actual_rules.save == "none":
            lower = set(rec.eliminated)
        above |= {(a, b) for a in couples for b in lower if a not in lower and a not in week.immune}
    return tuple(sorted((a, b) for a, b in above if points[a] <= points[b]))


def _extensions(couples: Sequence[str], pairs: Sequence[tuple[str, str]]) -> Iterator[list[str]]:
    """Every strict vote ordering (most votes first) in which each pair's first couple comes first."""
    must_follow = {c: {a for a, b in pairs if b == c} for c in couples}

    def grow(prefix: list[str], left: list[str]) -> Iterator[list[str]]:
        if not left:
            yield prefix
            return
        for c in left:
            if must_follow[c] <= set(prefix):
                yield from grow([*prefix, c], [x for x in left if x != c])

    yield from grow([], list(couples))


def _result(kind: str, ranking: Sequence[str], week: Week, rules: Rules) -> tuple[str, ...]:
    eligible = [c for c in ranking if c not in week.immune]
    if kind == "winner":
        return (ranking[0],)
    size = rules.bottom if kind == "bottom" else week.eliminate
    return tuple(sorted(eligible[len(eligible) - size :])) if size else ()


def _verdict(
    kind: str, actual: tuple[str, ...] | None, possible: tuple[tuple[str, ...], ...], look: Outlook | None
) -> tuple[str, str]:
    """'same' when every admissible vote leads to the real result, 'changed' when none does."""
    if kind == "none":
        return "no result", "no elimination this week"
    if actual is None:
        return "unknown", "the real result is not recorded"
    what = {
        "winner": "wins",
        "eliminated": "eliminated",
        "bottom": "in the bottom two (the judges' save decides)",
    }
    if look is not None and kind == "winner":
        winner = look.of(actual[0])
        could = ", ".join(e.couple for e in look.couples if e.can_survive)
        if not winner.can_be_eliminated:
            return "same", f"{_names(actual)} wins whatever the vote"
        if winner.certain_elimination:
            return "changed", f"{_names(actual)} could not win, whatever the vote; could win: {could}"
        return "depends on the votes", f"could win: {could}"
    if look is not None:
        entries = [look.of(c) for c in actual]
        can = [e.can_be_bottom if kind == "bottom" else e.can_be_eliminated for e in entries]
        certain = [e.certain_bottom if kind == "bottom" else e.certain_elimination for e in entries]
        if all(certain):
            return "same", f"{_names(actual)} {what[kind]} whatever the vote"
        if not all(can):
            return "changed", f"{_names(actual)} could not be {what[kind]}, whatever the vote"
        return "depends on the votes", f"{_names(actual)} could be {what[kind]} or not"

    def matches(result: tuple[str, ...]) -> bool:
        return set(actual) <= set(result) if kind == "bottom" else result == actual

    shown = "; ".join(_names(p) for p in possible)
    if all(matches(p) for p in possible):
        return "same", f"{_names(actual)} {what[kind]}" + (
            f" (possible: {shown})" if kind == "bottom" else ""
        )
    if not any(matches(p) for p in possible):
        return "changed", f"{what[kind]}: {shown}"
    return "depends on the votes", f"possible: {shown}"


def _same_rules(a: Rules, b: Rules, final: bool) -> bool:
    """Whether two rule sets decide a week the same way (settings that play no part are ignored)."""

    def key(r: Rules) -> tuple[object, ...]:
        core: tuple[object, ...] = (r.method, r.judges_weight, r.votes_weight, r.tie_policy, r.tie_break)
        if final:
            return core
        save = (r.save, r.head_judge, r.guests_vote) if r.save != "none" else ("none",)
        return (*core, r.bottom, *save, r.immune_in_totals)

    return key(a) == key(b)


def _top_block(
    couples: Sequence[str], points: Mapping[str, Fraction], votes: Mapping[str, Fraction] | None, rules: Rules
) -> tuple[str, ...]:
    """The winner — or every couple tied with it when only listing order separated them."""
    st = standings(couples, points, votes, rules)
    block = [st.ranking[0]]
    for higher, lower, key in st.ties:
        if higher == block[-1] and key in ("order", "unresolved"):
            block.append(lower)
    return tuple(sorted(block))


def compare_week(
    season: Season, week: Week, rules: Rules, votes: Mapping[str, Fraction] | None = None
) -> WeekComparison:
    """One week under `rules`, against what really happened (see the module doc for what is assumed)."""
    couples = week.competing()
    points = decision_points(season, week)
    week_rules = rules.for_final() if week.final else rules
    if week.eliminate > 1 and week_rules.save != "none":
        week_rules = replace(week_rules, save="none")  # a double elimination is not one judges' save
    kind = "winner" if week.final else ("bottom" if week_rules.save != "none" else "eliminated")
    if not week.final and week.eliminate == 0:
        kind = "none"
    actual = _actual(week, kind)
    actual_rules = week.rules or season.rules
    actual_rules = actual_rules.for_final() if week.final else actual_rules
    outcome = decide(season, week, week_rules, votes)
    implied = implied_vote_order(week, points, actual_rules)
    look = None
    possible: tuple[tuple[str, ...], ...] = ()
    if outcome is None and _same_rules(week_rules, actual_rules, week.final) and actual is not None:
        text = f"{_names(actual)}: these are the rules that were used"
        return WeekComparison(week.label, couples, kind, actual, None, (actual,), implied, None, "same", text)
    if outcome is not None:
        possible = (_result(kind, outcome.ranking, week, week_rules),)
        if kind == "winner":
            possible = (_top_block(couples, points, votes, week_rules),)
        basis = "votes given" if votes is not None else "the votes do not count under these rules"
        arbitrary = [
            d.text for d in outcome.decisions
            if d.step == "tie-break" and "listing order" in d.text and set(d.couples) & set(possible[0])
        ]  # fmt: skip
        if arbitrary:
            basis += "; " + "; ".join(arbitrary)
    elif week_rules.method in ORDER_ONLY and len(couples) <= MAX_ORDERINGS_COUPLES:
        found: list[tuple[str, ...]] = []
        for order in _extensions(couples, implied):
            fake = {c: Fraction(len(order) - i) for i, c in enumerate(order)}
            ranking = standings(couples, points, fake, week_rules).ranking
            result = _result(kind, ranking, week, week_rules)
            if result not in found:
                found.append(result)
        possible = tuple(found)
        basis = (
            f"every vote ordering consistent with the {len(implied)} vote comparisons the real result proves"
        )
    else:
        eliminate = len(couples) - 1 if kind == "winner" else max(week.eliminate, 1)
        rules_for_look = (
            replace(week_rules, save="none", bottom=eliminate) if kind == "winner" else week_rules
        )
        look = outlook(couples, points, rules_for_look, eliminate=eliminate, immune=week.immune)
        if kind == "winner":
            possible = tuple((e.couple,) for e in look.couples if e.can_survive)
        if week_rules.method in ORDER_ONLY:
            basis = f"any vote — {len(couples)} couples are too many to try every ordering"
        else:
            basis = "any vote split — the proven vote comparisons are not used with vote shares"
    verdict, text = _verdict(kind, actual, possible, look)
    text = f"{text} ({basis})" if verdict not in ("no result", "unknown") else text
    return WeekComparison(week.label, couples, kind, actual, outcome, possible, implied, look, verdict, text)


def what_if(season: Season, rules: Rules, votes: Votes | None = None) -> list[WeekComparison]:
    """Every week of the season under `rules`; votes per week label when known."""
    votes = votes or {}
    for label in votes:
        season.week(label)
    return [compare_week(season, week, rules, votes.get(week.label)) for week in season.weeks]
