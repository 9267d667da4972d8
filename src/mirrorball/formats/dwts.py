"""Importer for the bundled Dancing with the Stars files (parsed from Wikipedia's score tables).

What it derives, and from where:
- couples: the scoring chart's names ("Bobby & Sharna"); celebrity and professional from the cast table.
  A row naming a temporary pairing ("Antonio & Allison", "Sean & Jenna") is booked under the season
  couple with the same celebrity, with `danced_with` set — as the chart does.
- judges: every name in the rows; "(guest judge)" marks a guest — a guest-in-seat when the panel keeps its
  usual size, a guest when it grows; S11 week 7's per-routine guests come from the row's `extra`;
  "America's Score" (S19 week 4) is a public seat. Len Goodman is the head judge.
- weeks: one decision per results show. A chart column "a+b" means week b adds week a's points; a week
  whose first night already had results (S19 finale, S27 week 1) is split into "w night 1" and "w", the
  second including the first when the chart accumulates it ("+40=120").
- bonuses: the file's `bonus` list (marathon points); dance-off winners and the immune couple get the
  dance-off bonus, whose size is read from the chart (the dance-off tables carry no points).
- recorded results: eliminated, bottom two/five, immunity, final placements, the judges' save votes.

What cannot be derived: vote counts or shares (never published), the ranks inside a bottom two, how
rolled-over weeks used the earlier week's votes, and whether S27 week 1's night-1 scores counted on night 2
(taken as not: the chart keeps them apart). These are listed in the season's notes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from fractions import Fraction
from importlib import resources
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
    Week,
)
from mirrorball.scoring.show.totals import decision_points, week_points

BUNDLED = {"dwts-11": "season_11.json", "dwts-19": "season_19.json", "dwts-27": "season_27.json",
           "dwts-28": "season_28.json"}  # fmt: skip
HEAD_JUDGE = "Len Goodman"
GUEST_SUFFIX = " (guest judge)"
PUBLIC_SEAT = "America's Score"
ELIMINATED, BOTTOM_LABELS, IMMUNE_LABELS = "Eliminated", ("Bottom two", "Bottom five"), ("Immunity", "Immune")
ASSUMPTIONS = (
    "Imported from the bundled Wikipedia-derived DWTS file; vote counts were never published.",
    "Percentage method (judges' share + votes' share, equal weights) as the show's published rules state.",
    "Ties in the combined result: more votes, then more judges' points (the show never published a rule).",
)


def bundled_raw(name: str) -> dict[str, Any]:
    """The raw bundled file for 'dwts-19' etc."""
    if name not in BUNDLED:
        raise InputError(f"unknown bundled season {name!r}; bundled: {', '.join(BUNDLED)}")
    ref = resources.files("mirrorball").joinpath("data", "dwts", BUNDLED[name])
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


def bundled_season(name: str) -> Season:
    return import_dwts(bundled_raw(name), source=name)


def _judge_name(raw: str, row: Mapping[str, Any]) -> str:
    if raw == "Guest judge (see extra)":
        return str(row.get("extra", {}).get("Guest judge", raw))
    if raw.startswith(PUBLIC_SEAT):
        return PUBLIC_SEAT
    return raw.removesuffix(GUEST_SUFFIX)


def _chart_value(raw: str) -> int | None:
    text = raw.split("=")[-1].strip()
    return int(text) if re.fullmatch(r"\d+", text) else None


class _Importer:
    def __init__(self, raw: Mapping[str, Any], source: str) -> None:
        self.raw, self.source = raw, source
        self.chart_rows = raw["scoring_chart"]["rows"]
        self.columns: list[str] = raw["scoring_chart"]["columns"]
        self.names = [r["couple"] for r in self.chart_rows]
        self.by_first = {n.split(" & ")[0]: n for n in self.names}
        self.cells = {(r["couple"], col): cell for r in self.chart_rows for col, cell in r["cells"].items()}
        self.default_panel = list(raw["judges_default"])
        self.roles: dict[str, str] = {}

    def fail(self, problem: str, field: str) -> InputError:
        return InputError(problem, source=self.source, field=field)

    def couple(self, name: str, field: str) -> tuple[str, str | None]:
        if name in self.names:
            return name, None
        celebrity, _, partner = name.partition(" & ")
        if celebrity not in self.by_first:
            raise self.fail(f"couple {name!r} matches no season couple", field)
        return self.by_first[celebrity], partner or None

    def marks(self, row: Mapping[str, Any], field: str) -> tuple[Mark, ...]:
        judges = [_judge_name(j, row) for j in row["judges"]]
        for raw_name, name in zip(row["judges"], judges, strict=True):
            if name == PUBLIC_SEAT:
                self.roles[name] = "public"
            elif raw_name != name:
                grows = len(judges) > len(self.default_panel)
                self.roles.setdefault(name, "guest" if grows else "guest-in-seat")
            else:
                self.roles.setdefault(name, "permanent")
        parts = [(None, row)] if "scores" in row else [(c, row[c]) for c in ("technical", "performance")]
        marks: list[Mark] = []
        for component, part in parts:
            scores = part["scores"]
            if len(scores) != len(judges):
                raise self.fail("scores and judges differ in number", field)
            if sum(scores) != part["total"]:
                raise self.fail(f"scores add up to {sum(scores)}, the row says {part['total']}", field)
            marks.extend(Mark(j, Fraction(s), component) for j, s in zip(judges, scores, strict=True))
        if "scores" not in row and sum(m.score for m in marks) != row["total"]:
            raise self.fail("technical + performance differ from the row's total", field)
        return tuple(marks)

    def routines(self, week: Mapping[str, Any], field: str) -> list[Routine]:
        out = []
        for i, row in enumerate(week["performances"]):
            couple, partner = self.couple(row["couple"], f"{field}.performances[{i}]")
            marks = self.marks(row, f"{field}.performances[{i}]")
            out.append(Routine((couple,), row["dance"], marks, int(row.get("night") or 1), partner))
        for i, team in enumerate(week.get("team_dances", [])):
            couples = tuple(self.couple(c, f"{field}.team_dances[{i}]")[0] for c in team["couples"])
            out.append(Routine(couples, team["dance"], self.marks(team, f"{field}.team_dances[{i}]")))
        return out

    def column(self, number: int) -> str | None:
        return str(number) if str(number) in self.columns else None

    def bonuses(self, week: Mapping[str, Any], routines: list[Routine], immune: list[str]) -> list[Bonus]:
        out = []
        for b in week.get("bonus", []):
            kind = "marathon" if "marathon" in b.get("dance", "").lower() else "other"
            out.append(
                Bonus(self.couple(b["couple"], "bonus")[0], Fraction(b["points"]), kind, b.get("dance", ""))
            )
        winners = [
            self.couple(d["couple"], "dance_offs")[0]
            for d in week.get("dance_offs", [])
            if d["result"] == "Winner"
        ]
        if winners:
            column = self.column(week["week"])
            cell = self.cells.get((winners[0], column or ""), {}).get("raw", "")
            danced = sum((r.total for r in routines if winners[0] in r.couples), Fraction(0))
            value = _chart_value(cell)
            if value is None:
                raise self.fail("dance-off bonus not readable from the scoring chart", f"week {week['week']}")
            points = Fraction(value) - danced
            out += [Bonus(c, points, "dance-off", "dance-off winner") for c in winners]
            out += [Bonus(c, points, "immunity", "immune: credited like a dance-off winner") for c in immune]
        return out

    def recorded(self, rows: list[Mapping[str, Any]], final: bool, competing: list[str]) -> Recorded:
        def having(labels: tuple[str, ...]) -> tuple[str, ...]:
            found: list[str] = []
            for row in rows:
                name = self.couple(row["couple"], "performances")[0]
                if row.get("result") in labels and name not in found:
                    found.append(name)
            return tuple(found)

        eliminated = having((ELIMINATED,))
        bottom = having(BOTTOM_LABELS)
        bottom = (*bottom, *eliminated) if bottom else ()
        placements: tuple[tuple[str, int], ...] = ()
        if final:
            by_name = {p["couple"]: int(p["place"]) for p in self.raw["final_placements"]}
            placements = tuple((c, by_name[c]) for c in competing if c in by_name)
        return Recorded(bottom, () if final else eliminated, placements)

    def save_votes(self, week: Mapping[str, Any]) -> tuple[SaveVote, ...]:
        votes = []
        for judge, text in week.get("judges_save_votes", {}).items():
            match = re.fullmatch(r"did not vote(?: \(would have saved (.+)\))?", text)
            if match:
                votes.append(SaveVote(judge, None, match.group(1)))
            else:
                votes.append(SaveVote(judge, self.couple(text, "judges_save_votes")[0]))
        return tuple(votes)

    def includes(self, number: int) -> tuple[str, ...]:
        out = []
        for col in self.columns:
            match = re.fullmatch(r"(\d+)\+(\d+)", col)
            if match and int(match.group(2)) == number:
                out.append(match.group(1))
        return tuple(out)

    def withdrawn(self, number: int) -> tuple[str, ...]:
        column = self.column(number)
        return tuple(
            c for c in self.names if column and "withdrew" in self.cells.get((c, column), {}).get("flags", [])
        )

    def decision(
        self, week: Mapping[str, Any], label: str, nights: set[int], final: bool, includes: tuple[str, ...]
    ) -> Week:
        number = int(week["week"])
        field = f"weeks[week={number}]"
        rows = [r for r in week["performances"] if int(r.get("night") or 1) in nights]
        routines = [r for r in self.routines(week, field) if r.night in nights]
        competing: list[str] = []
        for r in routines:
            competing.extend(c for c in r.couples if c not in competing)
        immune = [self.couple(r["couple"], field)[0] for r in rows if r.get("result") in IMMUNE_LABELS]
        rec = self.recorded(rows, final, competing)
        rec = Recorded(rec.bottom, rec.eliminated, rec.placements, self.save_votes(week))
        eliminate = 0 if final else len(rec.eliminated)
        rules = Rules(bottom=len(rec.bottom)) if len(rec.bottom) > 2 else None
        return Week(
            label=label, routines=tuple(routines), bonuses=tuple(self.bonuses(week, routines, immune)),
            includes=includes, eliminate=eliminate, final=final, immune=tuple(immune),
            withdrawn=self.withdrawn(number), rules=rules, title=str(week.get("title", "")), recorded=rec,
        )  # fmt: skip

    def weeks(self) -> list[Week]:
        raw_weeks = self.raw["weeks"]
        last = max(int(w["week"]) for w in raw_weeks)
        out: list[Week] = []
        for week in raw_weeks:
            number = int(week["week"])
            final = number == last
            nights = {int(r.get("night") or 1) for r in week["performances"]}
            night1_results = any(
                r.get("result") for r in week["performances"] if int(r.get("night") or 1) == 1
            )
            if len(nights) > 1 and night1_results:
                first = self.decision(week, f"{number} night 1", {1}, False, ())
                night2 = self.cells.get((self.names[0], f"{number} Night 2"), {}).get("raw", "")
                carried = (first.label,) if night2.startswith("+") else ()
                out += [first, self.decision(week, str(number), nights - {1}, final, carried)]
            else:
                out.append(self.decision(week, str(number), nights, final, self.includes(number)))
        return out

    def season(self) -> Season:
        cast = {c["celebrity"]: c for c in self.raw["couples"]}
        couples = []
        for name in self.names:
            first = name.split(" & ")[0]
            entry = next((c for celeb, c in cast.items() if celeb.startswith(first)), None)
            couples.append(
                Couple(name, entry["celebrity"] if entry else "", entry["professional"] if entry else "")
            )
        weeks = self.weeks()
        saves = any(w.get("judges_save_votes") for w in self.raw["weeks"])
        rules = Rules(save="judges", head_judge=HEAD_JUDGE) if saves else Rules()
        judges = tuple(Judge(n, self.roles[n], n == HEAD_JUDGE) for n in self.roles)  # type: ignore[arg-type]
        number = self.raw["_about"]["season"]
        notes = (*ASSUMPTIONS, *(f"Source gap: {g}" for g in self.raw.get("gaps", [])))
        if saves:
            notes = (
                *notes,
                "Judges' save from the first week with recorded save votes; head judge Len Goodman.",
            )
        return Season(
            f"Dancing with the Stars (US) season {number}", tuple(couples), judges, tuple(weeks), rules, notes
        )


def import_dwts(raw: Mapping[str, Any], source: str = "<dwts>") -> Season:
    """A Season from a bundled DWTS file (see the module doc for what is derived and what cannot be)."""
    try:
        return _Importer(raw, source).season()
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"not a DWTS season file: {exc!r}", source=source) from exc


def chart_mismatches(raw: Mapping[str, Any], season: Season) -> list[str]:
    """Every scoring-chart cell recomputed from the imported paddles; returns the cells that differ."""
    problems: list[str] = []
    by_label = {w.label: w for w in season.weeks}
    for row in raw["scoring_chart"]["rows"]:
        couple = row["couple"]
        for column, cell in row["cells"].items():
            expected = _chart_value(cell.get("raw", ""))
            if expected is None:
                continue
            computed: Fraction | None = None
            if re.fullmatch(r"\d+", column):
                computed = week_points(by_label[column]).get(couple)
            elif match := re.fullmatch(r"(\d+)\+(\d+)", column):
                computed = decision_points(season, by_label[match.group(2)]).get(couple)
            elif match := re.fullmatch(r"(\d+) 1\+2", column):
                computed = decision_points(season, by_label[match.group(1)]).get(couple)
            elif match := re.fullmatch(r"(\d+) Night (\d)", column):
                number, night = match.group(1), int(match.group(2))
                nights = range(1, night + 1) if cell["raw"].startswith("+") else (night,)
                computed = sum(
                    (r.total for w in season.weeks if w.label.split(" ")[0] == number for r in w.routines
                     if couple in r.couples and r.night in nights),
                    Fraction(0),
                )  # fmt: skip
            if computed != expected:
                problems.append(f"{couple}, column {column}: chart {expected}, computed {computed}")
    return problems
