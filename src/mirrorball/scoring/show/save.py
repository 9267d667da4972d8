"""The judges' save (DWTS S28–31) and Strictly's dance-off vote.

Judges vote in panel order to save one of the bottom two; the head judge votes last and only when the
others have not already decided it (a lead the head's single vote could not tie), and on a split the head
judge's choice stands (the casting vote). Guest judges and the public's "America's Score" seat vote only
when the rules say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mirrorball.scoring.show.errors import ShowError
from mirrorball.scoring.show.model import Judge, SaveVote


@dataclass(frozen=True)
class SaveResult:
    candidates: tuple[str, str]
    votes: tuple[SaveVote, ...]
    head: str
    head_voted: bool
    casting_vote: bool
    saved: str
    eliminated: str
    explanation: str


def voters(panel: Sequence[Judge], head: str, *, guests_vote: bool) -> tuple[list[Judge], Judge]:
    """The judges who may vote, head judge separated out (it always votes last)."""
    eligible = [j for j in panel if j.role != "public" and (guests_vote or j.role in ("permanent",))]
    heads = [j for j in eligible if j.name == head]
    if not heads:
        raise ShowError("the head judge is not an eligible voter on this panel", judge=head)
    return [j for j in eligible if j.name != head], heads[0]


@dataclass(frozen=True)
class ChoiceResult:
    """The judges' choice of who leaves from a bottom two or three (So You Think You Can Dance)."""

    candidates: tuple[str, ...]
    votes: tuple[SaveVote, ...]
    head: str
    head_voted: bool
    casting_vote: bool
    eliminated: str
    explanation: str


@dataclass(frozen=True)
class _Tally:
    chosen: str
    votes: tuple[SaveVote, ...]
    head_voted: bool
    casting: bool
    before: str


def _panel_vote(
    candidates: tuple[str, ...],
    panel: Sequence[Judge],
    preferences: Mapping[str, str],
    *,
    head: str,
    guests_vote: bool,
    week: str | None,
    verb: str,
) -> _Tally:
    """Judges vote in panel order, the head judge last and only if its vote could still matter."""
    others, _ = voters(panel, head, guests_vote=guests_vote)
    counts = dict.fromkeys(candidates, 0)
    cast: list[SaveVote] = []
    for judge in (*others, None):
        name = head if judge is None else judge.name
        choice = preferences.get(name)
        if choice is not None and choice not in counts:
            problem = f"vote to {verb} {choice!r}, who is not in the bottom {len(candidates)}"
            raise ShowError(problem, judge=name, week=week)
        if judge is not None:
            if choice is None:
                raise ShowError(f"judge has no vote to {verb} recorded", judge=name, week=week)
            counts[choice] += 1
            cast.append(SaveVote(name, choice))
    ranked = sorted(candidates, key=lambda c: -counts[c])
    before = "–".join(str(counts[c]) for c in ranked)
    head_pref = preferences.get(head)
    if counts[ranked[0]] > counts[ranked[1]] + 1:
        return _Tally(ranked[0], (*cast, SaveVote(head, None, head_pref)), False, False, before)
    if head_pref is None:
        raise ShowError("the head judge's vote is needed and none is recorded", judge=head, week=week)
    counts[head_pref] += 1
    cast.append(SaveVote(head, head_pref))
    top = max(counts.values())
    tied = [c for c in candidates if counts[c] == top]
    if len(tied) > 1 and head_pref not in tied:
        raise ShowError(
            f"the judges' votes tie and the head judge's vote does not break it: {tied}", week=week
        )
    return _Tally(head_pref if len(tied) > 1 else tied[0], tuple(cast), True, len(tied) > 1, before)


def judges_save(
    candidates: Sequence[str],
    panel: Sequence[Judge],
    preferences: Mapping[str, str],
    *,
    head: str,
    guests_vote: bool = False,
    week: str | None = None,
) -> SaveResult:
    """Run the save vote. `preferences`: judge → couple to save (the head's may be left out if unneeded)."""
    if len(candidates) != 2 or candidates[0] == candidates[1]:
        raise ShowError("a judges' save needs exactly two different couples", week=week)
    pair = (candidates[0], candidates[1])
    tally = _panel_vote(pair, panel, preferences, head=head, guests_vote=guests_vote, week=week, verb="save")
    saved = tally.chosen
    if not tally.head_voted:
        explanation = (
            f"{tally.before} for {saved} before the head judge; {head} did not need to vote; {saved} saved"
        )
    else:
        how = "casting vote" if tally.casting else "vote"
        pref = tally.votes[-1].couple
        explanation = f"{tally.before} before the head judge; {head}'s {how} for {pref}; {saved} saved"
    eliminated = pair[1] if saved == pair[0] else pair[0]
    return SaveResult(
        pair, tally.votes, head, tally.head_voted, tally.casting, saved, eliminated, explanation
    )


def judges_choice(
    candidates: Sequence[str],
    panel: Sequence[Judge],
    choices: Mapping[str, str],
    *,
    head: str,
    guests_vote: bool = False,
    week: str | None = None,
) -> ChoiceResult:
    """The judges send one of the bottom couples home. `choices`: judge → couple to eliminate."""
    bottom = tuple(candidates)
    if len(bottom) < 2 or len(set(bottom)) != len(bottom):
        raise ShowError("the judges' choice needs at least two different couples", week=week)
    tally = _panel_vote(
        bottom, panel, choices, head=head, guests_vote=guests_vote, week=week, verb="eliminate"
    )
    gone = tally.chosen
    if not tally.head_voted:
        text = f"{tally.before} to eliminate {gone} before the head judge; {head} did not need to vote"
    else:
        how = "casting vote" if tally.casting else "vote"
        text = f"{tally.before} before the head judge; {head}'s {how} eliminates {tally.votes[-1].couple}"
    return ChoiceResult(
        bottom, tally.votes, head, tally.head_voted, tally.casting, gone, f"{text}; {gone} out"
    )
