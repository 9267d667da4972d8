"""The JSON of the show commands (and, later, the API): week requests in, outcomes and outlooks out.

Input of `show combine` / `show outlook` (documented in docs/show.md):

    {"method": "percentage", "couples": [...], "judges_points": {couple: number},
     "votes": {couple: number}, "eliminate": 1, "bottom": 2, ...the method's options...}

Options are the `Rules` fields (judges_weight, votes_weight, tie_policy, tie_break, save, head_judge,
guests_vote, final_method, immune_in_totals), or "preset": a named rule set. Also: "final", "immune",
"panel" (judges, for a save) and "save_votes" (judge → couple). Numbers are exact: 7, 7.5 or "15/2".

Output numbers are JSON numbers (floats, for reading) with the exact fraction beside them ("exact").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from mirrorball.formats.errors import InputError
from mirrorball.formats.season import RULE_FIELDS, FieldReader, encode_number, parse_votes, read_rules
from mirrorball.scoring.show import PRESETS, Judge, Outlook, Rules, SaveResult, WeekOutcome

WEEK_FIELDS = {
    "couples", "judges_points", "votes", "eliminate", "final",
    "immune", "panel", "save_votes", "preset", "week",
}  # fmt: skip


@dataclass(frozen=True)
class WeekRequest:
    """One week's question, as plain values ready for `combine` or `outlook`."""

    couples: tuple[str, ...]
    judges_points: dict[str, Fraction]
    votes: dict[str, Fraction] | None
    rules: Rules
    eliminate: int
    final: bool
    immune: tuple[str, ...]
    panel: tuple[Judge, ...]
    save_votes: dict[str, str] | None
    week: str | None


def preset(name: str, source: str = "<rules>") -> Rules:
    """A named rule set (strictly, dwts, …) or a bare method name (rank, eurovision, …)."""
    if name in PRESETS:
        return PRESETS[name]
    if name in ("percentage", "rank", "eurovision", "votes-only", "judges-only"):
        return Rules(method=name)  # type: ignore[arg-type]
    known = ", ".join([*PRESETS, "percentage", "rank"])
    raise InputError(f"unknown rules {name!r}; use one of {known}", source=source, field="preset")


def read_week_request(data: Any, source: str = "<request>", *, need_votes: bool = True) -> WeekRequest:
    """Parse a combine/outlook request; every problem names the field."""
    reader = FieldReader(source)
    obj = reader.obj(data, "")
    for key in obj:
        if key not in WEEK_FIELDS and key not in RULE_FIELDS:
            raise reader.fail(f"unknown field {key!r}", key)
    base = preset(reader.text(obj["preset"], "preset"), source) if "preset" in obj else Rules()
    rules = read_rules({k: v for k, v in obj.items() if k in RULE_FIELDS}, "", reader, base)
    couples = reader.texts(obj.get("couples"), "couples")
    if len(set(couples)) != len(couples):
        raise reader.fail("a couple is listed twice", "couples")
    judges_points = parse_votes(obj.get("judges_points", {}), source, "judges_points")
    votes = parse_votes(obj["votes"], source, "votes") if obj.get("votes") is not None else None
    if need_votes and votes is None and rules.method != "judges-only":
        raise reader.fail("votes are needed to combine (use `show outlook` before the votes are in)", "votes")
    for field, values in (("judges_points", judges_points), ("votes", votes or {})):
        for couple in values:
            if couple not in couples:
                raise reader.fail(f"{couple!r} is not in couples", f"{field}.{couple}")
    panel = []
    for i, item in enumerate(reader.arr(obj.get("panel", []), "panel")):
        if isinstance(item, str):
            panel.append(Judge(item, head=item == rules.head_judge))
            continue
        j = reader.obj(item, f"panel[{i}]")
        role = j.get("role", "permanent")
        if role not in ("permanent", "guest", "guest-in-seat", "public"):
            raise reader.fail(f"unknown judge role {role!r}", f"panel[{i}].role")
        panel.append(Judge(reader.text(j.get("name"), f"panel[{i}].name"), role,
                           reader.flag(j.get("head", False), f"panel[{i}].head")))  # fmt: skip
    save_votes = None
    if obj.get("save_votes") is not None:
        raw = reader.obj(obj["save_votes"], "save_votes")
        save_votes = {str(j): reader.text(c, f"save_votes.{j}") for j, c in raw.items()}
    week = obj.get("week")
    return WeekRequest(
        couples, judges_points, votes, rules,
        reader.integer(obj.get("eliminate", 1), "eliminate"),
        reader.flag(obj.get("final", False), "final"),
        reader.texts(obj.get("immune", []), "immune"),
        tuple(panel), save_votes, None if week is None else str(week),
    )  # fmt: skip


def number_out(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def numbers_out(values: Mapping[str, Fraction]) -> dict[str, int | float]:
    return {c: number_out(v) for c, v in values.items()}


def exact_out(values: Mapping[str, Fraction]) -> dict[str, int | str]:
    return {c: encode_number(v) for c, v in values.items()}


def outcome_to_dict(out: WeekOutcome) -> dict[str, Any]:
    """The documented output of `show combine`."""
    result: dict[str, Any] = {
        "method": out.method,
        "combined": numbers_out(out.combined),
        "ranking": list(out.ranking),
        "bottom": list(out.bottom),
        "eliminated": list(out.eliminated),
        "decisions": [
            {
                "step": d.step,
                "text": d.text,
                "couples": list(d.couples),
                "values": numbers_out(dict(d.values)),
            }
            for d in out.decisions
        ],
        "judges": numbers_out(out.judges_part),
        "votes": numbers_out(out.votes_part),
        "exact": {
            "combined": exact_out(out.combined),
            "judges": exact_out(out.judges_part),
            "votes": exact_out(out.votes_part),
        },
        "final": out.final,
    }
    if out.save is not None:
        result["save"] = {
            **({"saved": out.save.saved} if isinstance(out.save, SaveResult) else {}),
            "eliminated": out.save.eliminated,
            "head_voted": out.save.head_voted,
            "casting_vote": out.save.casting_vote,
            "votes": [{"judge": v.judge, "couple": v.couple} for v in out.save.votes],
            "explanation": out.save.explanation,
        }
    return result


def outlook_to_dict(look: Outlook) -> dict[str, Any]:
    """The documented output of `show outlook`: per couple what the vote can still do."""

    def share(value: Fraction | None) -> float | int | None:
        return None if value is None else number_out(value)

    return {
        "method": look.method,
        "how": look.how,
        "bottom": look.bottom,
        "eliminate": look.eliminate,
        "elimination_by": "judges' save" if look.by_save else "combined result",
        "fixed": list(look.fixed),
        "couples": {
            c.couple: {
                "immune": c.immune,
                "can_be_eliminated": c.can_be_eliminated,
                "can_be_safe": c.can_be_safe,
                "certain_bottom": c.certain_bottom,
                "safe_share": share(c.safe_share),
                "can_be_bottom": c.can_be_bottom,
                "can_survive": c.can_survive,
                "certain_elimination": c.certain_elimination,
                "danger_share": share(c.danger_share),
                "fate_fixed": c.fate_fixed,
                "exact": {
                    k: encode_number(v)
                    for k, v in (("safe_share", c.safe_share), ("danger_share", c.danger_share))
                    if v is not None
                },
                "witnesses": {name: exact_out(votes) for name, votes in c.witnesses.items()},
            }
            for c in look.couples
        },
    }
