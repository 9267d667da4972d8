"""Preliminary rounds: Rule 1 (totals of X marks) and the cut, which never splits a tie.

The same function sizes a final: ask for the final's size and the same tie rule gives the options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirrorball.scoring.errors import InvalidCutChoice, InvalidRequest
from mirrorball.scoring.tabulation import CutOption, CutPolicy, Decision, RecallResult
from mirrorball.scoring.validation import check_dances, check_panel, check_x_marks


def recall(
    x_marks: Mapping[str, Mapping[str, Sequence[bool | int]]],
    *,
    judges: Sequence[str],
    requested: int,
    marks_per_judge: int | Mapping[str, int] | None,
    policy: CutPolicy = CutPolicy.ASK,
    chairman_choice: int | None = None,
) -> RecallResult:
    """Total ``x_marks[dance][couple][j]`` (judge ``judges[j]``'s X) and cut at ``requested``.

    ``marks_per_judge``: the X's each judge must give per dance (an int, or per dance name); None makes
    no check. It has no default on purpose: skipping the check must be a visible choice.

    When recalling ``requested`` couples would split couples with equal totals, the result carries the
    options (fewer, more). ``policy`` settles it in advance (see CutPolicy); with ASK it stays
    unresolved until ``chairman_choice`` names the ``min_marks`` of one of the options.
    """
    panel = check_panel(judges)
    dances = check_dances(tuple(x_marks), {d: tuple(x_marks[d]) for d in x_marks})
    if requested < 1:
        raise InvalidRequest(f"{requested} couples requested: ask for at least one")
    if chairman_choice is not None and policy is not CutPolicy.ASK:
        raise InvalidCutChoice(f"policy {policy.name} already decides the cut; no Chairman's choice is taken")
    for dance in dances:
        check_x_marks(x_marks[dance], panel, dance, _required(marks_per_judge, dance))
    couples = tuple(x_marks[dances[0]])
    marks = {d: {c: tuple(bool(x) for x in x_marks[d][c]) for c in couples} for d in dances}
    totals = {c: sum(sum(marks[d][c]) for d in dances) for c in couples}
    tally = Decision(
        rule="R1",
        dance=None,
        place=None,
        column=None,
        couples=couples,
        counts=totals,
        sums={},
        outcome=(),
        note=f"X marks totalled over {len(panel)} judges and {len(dances)} dance(s); {requested} asked for.",
    )
    clean, options = _cut(totals, requested)
    chosen, how = (clean, "") if clean else _choose(options, requested, policy, chairman_choice)
    if clean and chairman_choice is not None:
        raise InvalidCutChoice(f"the cut is clean at {clean.min_marks} marks: there is nothing to choose")
    tied = tuple(c for c in options[-1].recalled if c not in options[0].recalled) if len(options) == 2 else ()
    if chosen is None:
        choices = " or ".join(f"{len(o.recalled)} ({o.min_marks} or more marks)" for o in options)
        split = f"Recalling {requested} would split the tie of {', '.join(tied)}"
        note = f"{split}: the Chairman chooses {choices}."
    else:
        note = f"{len(chosen.recalled)} couples with {chosen.min_marks} or more marks are recalled{how}."
    cut = Decision(
        rule="cut",
        dance=None,
        place=None,
        column=None,
        couples=tied or couples,
        counts={c: totals[c] for c in tied or couples},
        sums={},
        outcome=chosen.recalled if chosen else (),
        note=note,
    )
    return RecallResult(
        dances=dances,
        judges=panel,
        couples=couples,
        x_marks=marks,
        totals=totals,
        requested=requested,
        resolved=chosen is not None,
        recalled=chosen.recalled if chosen else (),
        options=options,
        min_marks=chosen.min_marks if chosen else None,
        decisions=(tally, cut),
    )


def _required(marks_per_judge: int | Mapping[str, int] | None, dance: str) -> int | None:
    if marks_per_judge is None or isinstance(marks_per_judge, int):
        return marks_per_judge
    if dance not in marks_per_judge:
        raise InvalidRequest("no number of X's per judge given for this dance", dance=dance)
    return marks_per_judge[dance]


def _recall_from(totals: Mapping[str, int], min_marks: int) -> CutOption:
    return CutOption(min_marks, tuple(c for c in totals if totals[c] >= min_marks))


def _cut(totals: Mapping[str, int], requested: int) -> tuple[CutOption | None, tuple[CutOption, ...]]:
    """(the clean cut, no options) or (None, the options: fewer if anyone is above the tie, then more)."""
    ranked = sorted(totals.values(), reverse=True)
    if requested >= len(ranked):
        return _recall_from(totals, ranked[-1]), ()
    edge = ranked[requested - 1]
    if ranked[requested] < edge:
        return _recall_from(totals, edge), ()
    above = [t for t in ranked if t > edge]
    more = _recall_from(totals, edge)
    return None, ((_recall_from(totals, min(above)), more) if above else (more,))


def _choose(
    options: tuple[CutOption, ...], requested: int, policy: CutPolicy, chairman_choice: int | None
) -> tuple[CutOption | None, str]:
    """Settle a tied cut by policy or the Chairman's choice; (None, "") while it waits for the Chairman."""
    more = options[-1]
    fewer = options[0] if len(options) == 2 else None
    if fewer is None and chairman_choice is None:
        return more, " (nobody is above the tie, so the whole tie is the only option)"
    if policy is CutPolicy.MORE:
        return more, " (policy: more)"
    if policy is CutPolicy.FEWER:
        return (fewer, " (policy: fewer)") if fewer else (more, "")
    if policy is CutPolicy.NEAREST:
        assert fewer is not None
        below, beyond = requested - len(fewer.recalled), len(more.recalled) - requested
        if below < beyond:
            return fewer, " (policy: nearest)"
        if below == beyond:
            return more, " (policy: nearest; an equal distance goes to more)"
        return more, " (policy: nearest)"
    if chairman_choice is None:
        return None, ""
    for option in options:
        if option.min_marks == chairman_choice:
            return option, " (the Chairman's choice)"
    offered = ", ".join(str(o.min_marks) for o in options)
    raise InvalidCutChoice(f"{chairman_choice} marks is not one of the options ({offered})")
