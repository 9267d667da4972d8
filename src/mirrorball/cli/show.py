"""`mirrorball show …`: one week's decision, the outlook before voting, a season and its what-ifs.

Thin: parse (mirrorball.formats), call the engine (mirrorball.scoring.show), render. Bad input raises
InputError/ShowError, which `main()` turns into a one-line message and exit status 2.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mirrorball.cli.app import app
from mirrorball.formats.dwts import BUNDLED, bundled_season
from mirrorball.formats.errors import InputError
from mirrorball.formats.season import load_json, read_season, read_votes_file, rules_to_dict
from mirrorball.formats.show_json import (
    number_out,
    numbers_out,
    outcome_to_dict,
    outlook_to_dict,
    preset,
    read_week_request,
)
from mirrorball.scoring.show import Rules, Season, WeekOutcome, combine, outlook
from mirrorball.scoring.show.outlook import CoupleOutlook
from mirrorball.scoring.show.progression import WeekReport, run_season
from mirrorball.scoring.show.whatif import WeekComparison, what_if

show_app = typer.Typer(
    help="TV-show seasons: combine judges' points and votes, see what the vote can still change, what-ifs.",
    no_args_is_help=True,
)
app.add_typer(show_app, name="show")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of tables.")]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False, width=160)


def _pct(value: Fraction | None) -> str:
    return "" if value is None else f"{float(value) * 100:.2f} %"


def _num(value: Fraction | None) -> str:
    if value is None:
        return ""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _print_csv(header: list[str], rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    typer.echo(buffer.getvalue(), nl=False)


@show_app.command("combine")
def combine_command(
    file: Annotated[
        Path, typer.Argument(help="Week JSON: method, couples, judges_points, votes, eliminate, …")
    ],
    as_json: JsonOpt = False,
) -> None:
    """One week's decision: combined result, ranking, bottom, eliminated, and every step explained."""
    req = read_week_request(load_json(file), str(file))
    out = combine(
        req.couples, req.judges_points, req.votes, req.rules, eliminate=req.eliminate, immune=req.immune,
        final=req.final, panel=req.panel, save_votes=req.save_votes, week=req.week,
    )  # fmt: skip
    if as_json:
        _print_json(outcome_to_dict(out))
        return
    unit = "share" if out.method in ("percentage", "votes-only", "judges-only") else "points"
    fmt = _pct if unit == "share" else _num
    table = Table(title=f"{out.method} — {'final' if out.final else 'week'} result")
    for column in (
        "#",
        "couple",
        "judges' points",
        f"judges' {unit}",
        "votes",
        f"votes' {unit}",
        "combined",
        "result",
    ):
        table.add_column(column, justify="left" if column in ("couple", "result") else "right")
    for i, couple in enumerate(out.ranking, 1):
        result = "eliminated" if couple in out.eliminated else "bottom" if couple in out.bottom else ""
        if couple in out.immune:
            result = "immune"
        votes = out.votes.get(couple) if out.votes else None
        table.add_row(
            str(i), couple, _num(out.judges_points.get(couple)), fmt(out.judges_part.get(couple)),
            _num(votes),
            fmt(out.votes_part.get(couple)), fmt(out.combined.get(couple)), result,
        )  # fmt: skip
    console = _console()
    console.print(table)
    for decision in out.decisions:
        if decision.step in ("tie-break", "bottom", "save", "eliminated", "immune", "placements"):
            console.print(
                f"- {decision.step}: {decision.text}"
                + (f" — {', '.join(decision.couples)}" if decision.couples else "")
            )


def _outlook_flag(entry: CoupleOutlook | None) -> str:
    if entry is None:
        return ""
    if entry.immune:
        return "immune"
    if entry.certain_elimination:
        return "OUT whatever the vote"
    if entry.certain_bottom:
        return "BOTTOM whatever the vote"
    if not entry.can_be_bottom:
        return "safe whatever the vote"
    if not entry.can_be_eliminated:
        return "cannot go home" + (f"; safe above {_pct(entry.safe_share)}" if entry.safe_share else "")
    parts = []
    if entry.safe_share is not None:
        parts.append(f"safe above {_pct(entry.safe_share)}")
    if entry.danger_share:
        parts.append(f"out below {_pct(entry.danger_share)}")
    return "; ".join(parts) or "vote decides"


@show_app.command("outlook")
def outlook_command(
    file: Annotated[Path, typer.Argument(help="Week JSON with judges' points (votes not needed).")],
    as_json: JsonOpt = False,
) -> None:
    """Before voting opens: for each couple, can the vote still sink it, save it, or keep it safe?"""
    req = read_week_request(load_json(file), str(file), need_votes=False)
    look = outlook(
        req.couples, req.judges_points, req.rules, eliminate=req.eliminate, immune=req.immune, week=req.week
    )
    if as_json:
        _print_json(outlook_to_dict(look))
        return
    table = Table(
        title=f"outlook — {look.method}, bottom {look.bottom}, eliminate {look.eliminate} ({look.how})"
    )
    for column in ("couple", "judges' points", "can be bottom", "can be safe", "can go home", "can survive",
                   "safe share", "danger share", "verdict"):  # fmt: skip
        table.add_column(column)
    yes = {True: "yes", False: "no"}
    for entry in look.couples:
        table.add_row(
            entry.couple, _num(req.judges_points.get(entry.couple)), yes[entry.can_be_bottom],
            yes[entry.can_be_safe], yes[entry.can_be_eliminated], yes[entry.can_survive],
            _pct(entry.safe_share), _pct(entry.danger_share),
            _outlook_flag(entry),
        )  # fmt: skip
    console = _console()
    console.print(table)
    if look.fixed:
        console.print(f"[bold]warning:[/] the public vote cannot change the fate of: {', '.join(look.fixed)}")


def load_season(name_or_path: str) -> Season:
    """A season file, or a bundled season name (dwts-11, dwts-19, dwts-27, dwts-28)."""
    path = Path(name_or_path)
    if path.exists():
        return read_season(path)
    if name_or_path in BUNDLED:
        return bundled_season(name_or_path)
    raise InputError(
        f"no such season file, and not a bundled season ({', '.join(BUNDLED)})", source=name_or_path
    )


def _recorded_result(report: WeekReport, couple: str) -> str:
    rec, week = report.recorded, report.week
    if couple in week.immune:
        return "immune"
    if rec is None:
        return ""
    if rec.placements:
        return {c: f"place {p}" for c, p in rec.placements}.get(couple, "")
    if couple in rec.eliminated:
        return "eliminated"
    return "bottom" if couple in rec.bottom else ""


def _computed(out: WeekOutcome, couple: str) -> str:
    if out.final:
        return f"place {out.ranking.index(couple) + 1}"
    return "eliminated" if couple in out.eliminated else "bottom" if couple in out.bottom else ""


def _season_rows(reports: list[WeekReport]) -> list[dict[str, Any]]:
    rows = []
    for r in reports:
        look = {e.couple: e for e in r.outlook.couples} if r.outlook else {}
        for couple in sorted(r.couples, key=lambda c: (r.places[c][0], c)):
            place = r.places[couple]
            out = r.outcome
            rows.append({
                "week": r.week.label, "couple": couple,
                "place": str(place[0]) if place[0] == place[1] else f"{place[0]}-{place[1]}",
                "week_points": r.own_points[couple], "points": r.points[couple],
                "share": r.judges_share.get(couple), "season_total": r.cumulative[couple],
                "outlook": _outlook_flag(look.get(couple)), "recorded": _recorded_result(r, couple),
                "combined": out.combined.get(couple) if out else None,
                "computed": _computed(out, couple) if out else "",
            })  # fmt: skip
    return rows


def _show_season(season: Season, reports: list[WeekReport], votes_source: str | None, fmt: str) -> None:
    rows = _season_rows(reports)
    if fmt == "json":
        _print_json({
            "season": season.name, "notes": list(season.notes), "rules": rules_to_dict(season.rules),
            "votes": votes_source or "not published: no combined results are computed",
            "weeks": [
                {
                    "label": r.week.label, "title": r.week.title, "final": r.week.final,
                    "includes": list(r.week.includes), "eliminate": r.week.eliminate,
                    "points": numbers_out(r.points), "season_total": numbers_out(r.cumulative),
                    "judges_share": numbers_out(r.judges_share),
                    "recorded": None if r.recorded is None else {
                        "bottom": list(r.recorded.bottom), "eliminated": list(r.recorded.eliminated),
                        "placements": dict(r.recorded.placements),
                    },
                    "outlook": outlook_to_dict(r.outlook) if r.outlook else None,
                    "outcome": outcome_to_dict(r.outcome) if r.outcome else None,
                }
                for r in reports
            ],
        })  # fmt: skip
        return
    columns = [
        "week",
        "place",
        "couple",
        "week_points",
        "points",
        "share",
        "season_total",
        "outlook",
        "recorded",
    ]
    if votes_source:
        columns += ["combined", "computed"]
    if fmt == "csv":

        def cell(value: Any) -> Any:
            return number_out(value) if isinstance(value, Fraction) else "" if value is None else value

        _print_csv(columns, [[cell(row[c]) for c in columns] for row in rows])
        return
    console = _console()
    console.print(f"[bold]{season.name}[/]")
    for note in season.notes:
        console.print(f"  {note}")
    console.print(f"  votes: {votes_source or 'not published — outlook only, no combined results computed'}")
    for r in reports:
        title = f"week {r.week.label}" + (f" — {r.week.title}" if r.week.title else "")
        if r.week.includes:
            title += f" (J adds week {' + '.join(r.week.includes)})"
        title += (
            " — final"
            if r.week.final
            else f" — {r.week.eliminate} out"
            if r.week.eliminate
            else " — no elimination"
        )
        table = Table(title=title, title_justify="left")
        headers = {
            "week_points": "this week",
            "points": "J",
            "share": "judges' share",
            "season_total": "season",
        }
        for column in columns[1:]:
            table.add_column(
                headers.get(column, column),
                justify="right" if column in headers or column == "place" else "left",
            )
        for row in rows:
            if row["week"] != r.week.label:
                continue
            values = []
            for column in columns[1:]:
                value = row[column]
                if column in ("share", "combined") and r.rules.method in ("percentage",):
                    values.append(_pct(value))
                else:
                    values.append(_num(value) if isinstance(value, Fraction) else str(value or ""))
            table.add_row(*values)
        console.print(table)


def _show_what_if(
    season: Season, label: str, rules: Rules, rules_text: str, results: list[WeekComparison], fmt: str,
    votes_source: str | None,
) -> None:  # fmt: skip
    basis = votes_source or "votes never published: only what the real results prove about them is used"
    final = next((c for c in reversed(results) if c.kind == "winner"), None)
    summary = ""
    if final is not None and final.actual:
        names = [" + ".join(p) + (" (tied)" if len(p) > 1 else "") for p in final.possible]
        actual = " + ".join(final.actual)
        if final.verdict == "same":
            summary = f"{actual} still wins under {label}."
        elif final.verdict == "changed":
            summary = f"{actual} would not have won under {label}: {' or '.join(names)} would."
        else:
            summary = f"Under {label} the winner depends on the votes: {' or '.join(names)}."
    if fmt == "json":
        _print_json({
            "season": season.name, "what_if": label, "rules": rules_to_dict(rules), "votes": basis,
            "summary": summary,
            "weeks": [
                {
                    "label": c.label, "kind": c.kind, "actual": list(c.actual or []),
                    "possible": [list(p) for p in c.possible], "verdict": c.verdict,
                    "explanation": c.explanation,
                    "proven_vote_order": [list(p) for p in c.implied],
                    "outcome": outcome_to_dict(c.alternative) if c.alternative else None,
                }
                for c in results
            ],
        })  # fmt: skip
        return
    if fmt == "csv":
        rows = [[c.label, c.kind, " + ".join(c.actual or []), c.verdict, c.explanation] for c in results]
        _print_csv(["week", "kind", "actual", "verdict", "explanation"], rows)
        return
    console = _console()
    console.print(f"[bold]{season.name}[/] — what if: {rules_text}")
    console.print(f"  votes: {basis}")
    console.print("  each week is re-decided with the couples who really danced it")
    table = Table()
    for column in ("week", "compared", "really", "verdict", "under the alternative"):
        table.add_column(column)
    for c in results:
        table.add_row(c.label, c.kind, " + ".join(c.actual or []), c.verdict, c.explanation)
    console.print(table)
    if summary:
        console.print(f"[bold]{summary}[/]")


SeasonArg = Annotated[
    str, typer.Argument(help="A season file, or a bundled season: dwts-11, dwts-19, dwts-27, dwts-28.")
]
WhatIfOpt = Annotated[
    str | None,
    typer.Option(
        "--what-if",
        help="Re-decide every week under other rules: strictly, strictly-2008, dwts, dwts-save, dwts-rank, "
        "sytycd, eurovision, judges-only, votes-only, or a method name.",
    ),
]
TiePolicyOpt = Annotated[
    str | None,
    typer.Option("--tie-policy", help="Override the leaderboard tie policy: competition, dense, averaged."),
]
VotesOpt = Annotated[
    Path | None,
    typer.Option("--votes", help='Votes per week: {"source": "...", "weeks": {label: {couple: votes}}}.'),
]
WeekOpt = Annotated[str | None, typer.Option("--week", help="Show only this week (its label).")]


@show_app.command("season")
def season_command(
    season_file: SeasonArg,
    what_if_rules: WhatIfOpt = None,
    tie_policy: TiePolicyOpt = None,
    votes_file: VotesOpt = None,
    week: WeekOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:  # fmt: skip
    """Week-by-week leaderboard, totals, shares, outlook and results; --what-if for other rules."""
    if as_json and as_csv:
        raise typer.BadParameter("choose --json or --csv, not both")
    fmt = "json" if as_json else "csv" if as_csv else "text"
    season = load_season(season_file)
    votes, source = read_votes_file(votes_file) if votes_file else ({}, None)
    if week is not None:
        season.week(week)
    if what_if_rules is None:
        rules = replace(season.rules, tie_policy=tie_policy) if tie_policy else None  # type: ignore[arg-type]
        reports = run_season(season, votes, rules)
        _show_season(season, [r for r in reports if week in (None, r.week.label)], source, fmt)
        return
    rules = preset(what_if_rules, "--what-if")
    if tie_policy:
        rules = replace(rules, tie_policy=tie_policy)  # type: ignore[arg-type]
    results = [c for c in what_if(season, rules, votes) if week in (None, c.label)]
    described = f"{what_if_rules} ({rules.method}, ties {rules.tie_policy}" + (
        f", {rules.save} from a bottom {rules.bottom}, final by {rules.final_method or rules.method})"
        if rules.save != "none"
        else ")"
    )
    _show_what_if(season, what_if_rules, rules, described, results, fmt, source)
