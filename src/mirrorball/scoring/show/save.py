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
    others, _ = voters(panel, head, guests_vote=guests_vote)
    counts = dict.fromkeys(pair, 0)
    cast: list[SaveVote] = []
    for judge in others:
        choice = preferences.get(judge.name)
        if choice is None:
            raise ShowError("judge has no save vote recorded", judge=judge.name, week=week)
        if choice not in counts:
            problem = f"save vote for {choice!r}, who is not in the bottom two"
            raise ShowError(problem, judge=judge.name, week=week)
        counts[choice] += 1
        cast.append(SaveVote(judge.name, choice))
    leader, runner = sorted(pair, key=lambda c: -counts[c])
    before = f"{counts[leader]}–{counts[runner]}"
    head_pref = preferences.get(head)
    if head_pref is not None and head_pref not in counts:
        raise ShowError(f"save vote for {head_pref!r}, who is not in the bottom two", judge=head, week=week)
    head_voted = casting = False
    if counts[leader] > counts[runner] + 1:
        cast.append(SaveVote(head, None, head_pref))
        saved = leader
        explanation = (
            f"{before} for {leader} before the head judge; {head} did not need to vote; {leader} saved"
        )
    else:
        if head_pref is None:
            raise ShowError("the head judge's vote is needed and none is recorded", judge=head, week=week)
        counts[head_pref] += 1
        cast.append(SaveVote(head, head_pref))
        head_voted = True
        casting = counts[pair[0]] == counts[pair[1]]
        saved = head_pref if casting else max(pair, key=lambda c: counts[c])
        how = "casting vote" if casting else "vote"
        explanation = f"{before} before the head judge; {head}'s {how} for {head_pref}; {saved} saved"
    eliminated = pair[1] if saved == pair[0] else pair[0]
    return SaveResult(pair, tuple(cast), head, head_voted, casting, saved, eliminated, explanation)
