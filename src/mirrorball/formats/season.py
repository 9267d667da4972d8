"""The season file (JSON, format "mirrorball-season/1"): read, validate, write.

Documented in docs/show.md. Numbers may be integers, decimals or exact fractions written "17/2"; they are
read as Fractions (a decimal 0.1 means exactly 1/10) and written back as integers or "p/q". Every problem
is reported with the file and the field path (e.g. `weeks[3].routines[2].marks`), and the engine's own
checks (unknown judge, paddle outside 1–10, …) run on load so a bad file never reaches a result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from mirrorball.formats.errors import InputError
from mirrorball.scoring.show import (
    Bonus,
    Couple,
    Judge,
    Mark,
    Recorded,
    Routine,
    Rules,
    SaveVote,
    Season,
    ShowError,
    Week,
)
from mirrorball.scoring.show.totals import check_week

FORMAT = "mirrorball-season/1"
RULE_FIELDS = {
    "method": str,
    "judges_weight": Fraction,
    "votes_weight": Fraction,
    "tie_policy": str,
    "tie_break": tuple,
    "bottom": int,
    "save": str,
    "head_judge": str,
    "guests_vote": bool,
    "final_method": str,
    "immune_in_totals": bool,
}


class FieldReader:
    """Walks the JSON with a field path, so every error says where it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, problem: str, path: str) -> InputError:
        return InputError(problem, source=self.source, field=path or None)

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail("expected an object", path)
        return value

    def arr(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail("expected a list", path)
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail("expected a non-empty string", path)
        return value

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        return tuple(self.text(v, f"{path}[{i}]") for i, v in enumerate(self.arr(value, path)))

    def number(self, value: Any, path: str) -> Fraction:
        return number(value, path, self)

    def integer(self, value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail("expected a whole number", path)
        return value

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail("expected true or false", path)
        return value


def number(value: Any, path: str, reader: FieldReader | None = None) -> Fraction:
    """An exact number from JSON: 7, 7.5 (read as 15/2 exactly) or "15/2"."""
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            return Fraction(value)
        if isinstance(value, float):
            return Fraction(str(value))
        if isinstance(value, str):
            return Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        pass
    problem = f"expected a number (7, 7.5 or '15/2'), got {value!r}"
    raise reader.fail(problem, path) if reader else InputError(problem, field=path)


def encode_number(value: Fraction) -> int | str:
    return int(value) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def read_rules(data: Any, path: str, reader: FieldReader, base: Rules | None = None) -> Rules:
    """Rules from an object; fields left out keep `base` (the season's rules for a week override)."""
    obj = reader.obj(data, path)
    values: dict[str, Any] = {}
    for key, raw in obj.items():
        kind = RULE_FIELDS.get(key)
        where = f"{path}.{key}"
        if kind is None:
            raise reader.fail(f"unknown rule {key!r}; known: {', '.join(RULE_FIELDS)}", where)
        if raw is None and key in ("head_judge", "final_method"):
            values[key] = None
        elif kind is Fraction:
            values[key] = reader.number(raw, where)
        elif kind is int:
            values[key] = reader.integer(raw, where)
        elif kind is bool:
            values[key] = reader.flag(raw, where)
        elif kind is tuple:
            values[key] = reader.texts(raw, where)
        else:
            values[key] = reader.text(raw, where)
    base_values = {k: getattr(base or Rules(), k) for k in RULE_FIELDS}
    try:
        return Rules(**{**base_values, **values})
    except ShowError as exc:
        raise reader.fail(exc.problem, path) from exc


def _marks(data: Any, path: str, reader: FieldReader) -> tuple[Mark, ...]:
    if isinstance(data, dict):
        return tuple(Mark(reader.text(j, path), reader.number(s, f"{path}.{j}")) for j, s in data.items())
    marks = []
    for i, item in enumerate(reader.arr(data, path)):
        obj = reader.obj(item, f"{path}[{i}]")
        component = obj.get("component")
        marks.append(
            Mark(
                reader.text(obj.get("judge"), f"{path}[{i}].judge"),
                reader.number(obj.get("score"), f"{path}[{i}].score"),
                None if component is None else reader.text(component, f"{path}[{i}].component"),
            )
        )
    return tuple(marks)


def _week(data: Any, path: str, reader: FieldReader, rules: Rules) -> Week:
    obj = reader.obj(data, path)
    routines = []
    for i, item in enumerate(reader.arr(obj.get("routines", []), f"{path}.routines")):
        where = f"{path}.routines[{i}]"
        r = reader.obj(item, where)
        routines.append(
            Routine(
                reader.texts(r.get("couples"), f"{where}.couples"),
                reader.text(r.get("dance"), f"{where}.dance"),
                _marks(r.get("marks"), f"{where}.marks", reader),
                reader.integer(r.get("night", 1), f"{where}.night"),
                None
                if r.get("danced_with") is None
                else reader.text(r["danced_with"], f"{where}.danced_with"),
            )
        )
    bonuses = []
    for i, item in enumerate(reader.arr(obj.get("bonuses", []), f"{path}.bonuses")):
        where = f"{path}.bonuses[{i}]"
        b = reader.obj(item, where)
        bonuses.append(
            Bonus(
                reader.text(b.get("couple"), f"{where}.couple"),
                reader.number(b.get("points"), f"{where}.points"),
                str(b.get("kind", "other")),
                str(b.get("note", "")),
            )
        )
    recorded = None
    if obj.get("recorded") is not None:
        rec = reader.obj(obj["recorded"], f"{path}.recorded")
        placements = reader.obj(rec.get("placements", {}), f"{path}.recorded.placements")
        votes = []
        for i, item in enumerate(reader.arr(rec.get("save_votes", []), f"{path}.recorded.save_votes")):
            v = reader.obj(item, f"{path}.recorded.save_votes[{i}]")
            votes.append(SaveVote(reader.text(v.get("judge"), f"{path}.recorded.save_votes[{i}].judge"),
                                  v.get("couple"), v.get("preference")))  # fmt: skip
        recorded = Recorded(
            reader.texts(rec.get("bottom", []), f"{path}.recorded.bottom"),
            reader.texts(rec.get("eliminated", []), f"{path}.recorded.eliminated"),
            tuple((c, reader.integer(p, f"{path}.recorded.placements.{c}")) for c, p in placements.items()),
            tuple(votes),
        )
    label = obj.get("label")
    return Week(
        label=reader.text(str(label) if isinstance(label, int) else label, f"{path}.label"),
        routines=tuple(routines),
        bonuses=tuple(bonuses),
        couples=reader.texts(obj.get("couples", []), f"{path}.couples"),
        includes=reader.texts(obj.get("includes", []), f"{path}.includes"),
        eliminate=reader.integer(obj.get("eliminate", 1), f"{path}.eliminate"),
        final=reader.flag(obj.get("final", False), f"{path}.final"),
        immune=reader.texts(obj.get("immune", []), f"{path}.immune"),
        withdrawn=reader.texts(obj.get("withdrawn", []), f"{path}.withdrawn"),
        rules=read_rules(obj["rules"], f"{path}.rules", reader, rules) if obj.get("rules") else None,
        title=str(obj.get("title", "")),
        recorded=recorded,
    )


def season_from_dict(data: Any, source: str = "<season>") -> Season:
    """A validated Season from parsed JSON."""
    reader = FieldReader(source)
    obj = reader.obj(data, "")
    if obj.get("format") != FORMAT:
        raise reader.fail(f"not a season file: expected format {FORMAT!r}", "format")
    rules = read_rules(obj.get("rules", {}), "rules", reader)
    couples = []
    for i, item in enumerate(reader.arr(obj.get("couples"), "couples")):
        c = reader.obj(item, f"couples[{i}]")
        couples.append(Couple(reader.text(c.get("name"), f"couples[{i}].name"),
                              str(c.get("celebrity", "")), str(c.get("professional", ""))))  # fmt: skip
    judges = []
    for i, item in enumerate(reader.arr(obj.get("judges"), "judges")):
        j = reader.obj(item, f"judges[{i}]")
        role = j.get("role", "permanent")
        if role not in ("permanent", "guest", "guest-in-seat", "public"):
            raise reader.fail(f"unknown judge role {role!r}", f"judges[{i}].role")
        judges.append(Judge(reader.text(j.get("name"), f"judges[{i}].name"), role,
                            reader.flag(j.get("head", False), f"judges[{i}].head")))  # fmt: skip
    weeks = [
        _week(w, f"weeks[{i}]", reader, rules) for i, w in enumerate(reader.arr(obj.get("weeks"), "weeks"))
    ]
    labels = [w.label for w in weeks]
    if len(set(labels)) != len(labels):
        raise reader.fail("two weeks share a label", "weeks")
    for name, items in (("couples", [c.name for c in couples]), ("judges", [j.name for j in judges])):
        if len(set(items)) != len(items):
            raise reader.fail("a name is listed twice", name)
    season = Season(reader.text(obj.get("name"), "name"), tuple(couples), tuple(judges), tuple(weeks), rules,
                    reader.texts(obj.get("notes", []), "notes"))  # fmt: skip
    for i, week in enumerate(weeks):
        for label in week.includes:
            if label not in labels[:i]:
                raise reader.fail(f"includes {label!r}, which is not an earlier week", f"weeks[{i}].includes")
        try:
            check_week(season, week)
        except ShowError as exc:
            raise reader.fail(str(exc), f"weeks[{i}]") from exc
    return season


def load_json(path: str | Path) -> Any:
    """Parsed JSON from a file, or an InputError naming the file (and the line, for bad JSON)."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", source=str(path), line=exc.lineno) from exc


def read_season(path: str | Path) -> Season:
    return season_from_dict(load_json(path), str(path))


def rules_to_dict(rules: Rules) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, kind in RULE_FIELDS.items():
        value = getattr(rules, key)
        out[key] = encode_number(value) if kind is Fraction else list(value) if kind is tuple else value
    return out


def _week_dict(week: Week, base: Rules) -> dict[str, Any]:
    out: dict[str, Any] = {"label": week.label}
    if week.title:
        out["title"] = week.title
    out["routines"] = []
    for r in week.routines:
        routine: dict[str, Any] = {"couples": list(r.couples), "dance": r.dance}
        if r.night != 1:
            routine["night"] = r.night
        if r.danced_with:
            routine["danced_with"] = r.danced_with
        if any(m.component for m in r.marks):
            routine["marks"] = [
                {"judge": m.judge, "score": encode_number(m.score), "component": m.component} for m in r.marks
            ]
        else:
            routine["marks"] = {m.judge: encode_number(m.score) for m in r.marks}
        out["routines"].append(routine)
    if week.bonuses:
        out["bonuses"] = [
            {"couple": b.couple, "points": encode_number(b.points), "kind": b.kind, "note": b.note}
            for b in week.bonuses
        ]
    for key in ("couples", "includes", "immune", "withdrawn"):
        if getattr(week, key):
            out[key] = list(getattr(week, key))
    out["eliminate"] = week.eliminate
    if week.final:
        out["final"] = True
    if week.rules is not None and week.rules != base:
        whole, own = rules_to_dict(base), rules_to_dict(week.rules)
        out["rules"] = {k: v for k, v in own.items() if whole[k] != v}
    if week.recorded is not None:
        rec = week.recorded
        out["recorded"] = {
            "bottom": list(rec.bottom),
            "eliminated": list(rec.eliminated),
            **({"placements": dict(rec.placements)} if rec.placements else {}),
            **({"save_votes": [_save_vote(v) for v in rec.save_votes]} if rec.save_votes else {}),
        }
    return out


def _save_vote(vote: SaveVote) -> dict[str, Any]:
    out: dict[str, Any] = {"judge": vote.judge, "couple": vote.couple}
    if vote.preference is not None:
        out["preference"] = vote.preference
    return out


def season_to_dict(season: Season) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "name": season.name,
        "notes": list(season.notes),
        "rules": rules_to_dict(season.rules),
        "couples": [
            {"name": c.name, "celebrity": c.celebrity, "professional": c.professional} for c in season.couples
        ],
        "judges": [{"name": j.name, "role": j.role, "head": j.head} for j in season.judges],
        "weeks": [_week_dict(w, season.rules) for w in season.weeks],
    }


def write_season(season: Season, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(season_to_dict(season), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def parse_votes(data: Any, source: str, field: str = "votes") -> dict[str, Fraction]:
    """Votes (or judges' points) per couple: {"couple": number}."""
    reader = FieldReader(source)
    obj = reader.obj(data, field)
    return {str(c): reader.number(v, f"{field}.{c}") for c, v in obj.items()}


def read_votes_file(path: str | Path) -> tuple[dict[str, dict[str, Fraction]], str]:
    """A votes file for a season: {"source": "...", "weeks": {"label": {"couple": votes}}}.

    `source` says where the numbers come from ("published", "simulated: ..."): it is shown with every
    result computed from them, so invented numbers are never mistaken for real ones.
    """
    reader = FieldReader(str(path))
    obj = reader.obj(load_json(path), "")
    label = reader.text(obj.get("source"), "source")
    weeks = reader.obj(obj.get("weeks"), "weeks")
    return {str(w): parse_votes(v, str(path), f"weeks.{w}") for w, v in weeks.items()}, label


def as_mapping(values: Mapping[str, Fraction]) -> dict[str, int | str]:
    return {c: encode_number(v) for c, v in values.items()}
