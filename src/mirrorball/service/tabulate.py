"""Tabulate one round from its marks, with no database: what `mirrorball tabulate` and a file upload do.

The Chairman's decisions (how many to recall, a cut policy) are explicit arguments, passed straight to
the engine; this module only picks the engine that fits the round's shape.
"""

from __future__ import annotations

from typing import TypeAlias

from mirrorball.formats.errors import InputError
from mirrorball.formats.marks import DancePlacesMarks, RecallMarks, RoundMarks
from mirrorball.scoring import (
    CutPolicy,
    DanceResult,
    FinalResult,
    InvalidCutChoice,
    RecallResult,
    place_dance,
    place_final,
    place_final_from_dance_places,
    recall,
)

RoundResult: TypeAlias = DanceResult | FinalResult | RecallResult


def tabulate(
    marks: RoundMarks,
    *,
    requested: int | None = None,
    chairman_choice: int | None = None,
    cut_policy: CutPolicy = CutPolicy.ASK,
) -> RoundResult:
    """Place a final or cut a recall round.

    ``requested`` overrides the number of couples to recall given in the file. ``chairman_choice`` (a
    number of couples, one of the options' sizes) or ``cut_policy`` settles a tie at the cut; they make
    no sense for a final, so giving them for one is an error rather than silently ignored.
    """
    if isinstance(marks, RecallMarks):
        asked = requested if requested is not None else marks.recall
        if asked is None:
            raise InputError("how many couples to recall? Add a '# recall: N' line or give --recall N")
        # Rule 1: every judge marks exactly the number of couples the Chairman asked for.
        result = recall(
            marks.crosses, judges=marks.judges, requested=asked, marks_per_judge=asked, policy=cut_policy
        )
        if chairman_choice is None:
            return result
        # The Chairman says how many couples (the options read "4 or 7"); the engine takes the option's
        # marks threshold, which names the same option.
        min_marks = next((o.min_marks for o in result.options if len(o.recalled) == chairman_choice), None)
        if result.options and min_marks is None:
            sizes = " or ".join(str(len(o.recalled)) for o in result.options)
            raise InvalidCutChoice(f"the Chairman can recall {sizes} couples, not {chairman_choice}")
        return recall(
            marks.crosses,
            judges=marks.judges,
            requested=asked,
            marks_per_judge=asked,
            policy=cut_policy,
            chairman_choice=min_marks if min_marks is not None else chairman_choice,
        )
    for name, given in (
        ("--recall", requested is not None),
        ("--chairman", chairman_choice is not None),
        ("--cut-policy", cut_policy is not CutPolicy.ASK),
    ):
        if given:
            raise InputError(f"{name} applies to recall rounds, and this is a final")
    if isinstance(marks, DancePlacesMarks):
        return place_final_from_dance_places(marks.places)
    if len(marks.dances) == 1:
        dance = marks.dances[0]
        return place_dance(marks.ranks[dance], judges=marks.judges, dance=dance)
    return place_final(marks.ranks, judges=marks.judges)
