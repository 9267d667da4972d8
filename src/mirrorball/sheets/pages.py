"""The pages of a scrutineer's result sheet, laid out once for every output (text, HTML, CSV).

This module decides *what* a sheet shows — which cells, in which order, with which words — from the
engine's result objects alone; the renderers only decide how it looks. Nothing here applies a rule:
every count, sum, place and "this cell decided it" comes from the result (`mirrorball.scoring`), so a
sheet cannot disagree with the JSON export or the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mirrorball.scoring import (
    Cell,
    DanceResult,
    FinalResult,
    Place,
    RecallResult,
    Rule10Table,
    Rule11Table,
    format_number,
)
from mirrorball.scoring.places import PlaceStyle

#: Shown after the cell whose count (and sum) awarded a place, explained by LEGEND.
DECIDING_MARK = "*"
LEGEND = (
    "Columns 1, 1-2, … count each couple's marks of that place or better; '(n)' is the sum of those marks "
    f"where Rule 7 compared sums; '{DECIDING_MARK}' marks the cell that decided the place; '-' a column "
    "not needed for that couple."
)
NOT_NEEDED = "-"


@dataclass(frozen=True)
class Entry:
    """One printed cell. ``deciding`` cells get the mark; ``role`` lets HTML style marks, places, X's."""

    text: str
    deciding: bool = False
    role: str = ""


@dataclass(frozen=True)
class Table:
    """Rows of entries under a heading. ``groups`` spans the heading ("Judges", "Majority") when given."""

    header: tuple[str, ...]
    rows: tuple[tuple[Entry, ...], ...]
    caption: str = ""
    groups: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Page:
    """One printed page: a dance, the summary, or a recall round."""

    title: str
    subtitle: str
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()
    #: Lines the reader must act on (an unresolved cut), shown before the notes and more loudly.
    alerts: tuple[str, ...] = field(default=())


def pages(result: DanceResult | FinalResult | RecallResult, style: PlaceStyle = "decimal") -> list[Page]:
    """All the pages of a round's sheet, in print order."""
    if isinstance(result, DanceResult):
        return [dance_page(result, style)]
    if isinstance(result, FinalResult):
        dance_pages = [
            dance_page(result.dance_results[d], style) for d in result.dances if d in result.dance_results
        ]
        return [*dance_pages, summary_page(result, style)]
    return [recall_page(result)]


def dance_page(result: DanceResult, style: PlaceStyle) -> Page:
    judges = len(result.judges)
    table = _majority_table(
        result.couples,
        marks=result.marks,
        mark_labels=result.judges,
        mark_groups=(("Judges", judges),),
        columns=result.columns,
        cells=result.cells,
        places=result.places,
        style=style,
    )
    return Page(
        title=result.dance,
        subtitle=f"{len(result.couples)} couples, {judges} judges, majority {result.majority}",
        tables=(table,),
        notes=(LEGEND, *(d.note for d in result.decisions)),
    )


def summary_page(result: FinalResult, style: PlaceStyle) -> Page:
    header = ("Couple", *result.dances, "Total", "Place", "Rule")
    rows = tuple(
        (
            Entry(couple, role="couple"),
            *(Entry(result.dance_places[d][couple].format(style), role="place") for d in result.dances),
            Entry(format_number(result.totals[couple])),
            Entry(result.places[couple].format(style), role="final-place"),
            # R9 (lowest total) needs no note; R10 and R11 are what a reader asks about.
            Entry("" if result.decided_by[couple] == "R9" else result.decided_by[couple]),
        )
        for couple in result.couples
    )
    tables = [
        Table(
            header=header, rows=rows, groups=(("", 1), ("Places in each dance", len(result.dances)), ("", 3))
        )
    ]
    tables += [_rule10_table(table, style) for table in result.rule10]
    tables += [_rule11_table(table, style) for table in result.rule11]
    summary_notes = tuple(d.note for d in result.decisions if d.dance is None)
    return Page(
        title="Summary",
        subtitle=f"{len(result.couples)} couples, {len(result.dances)} dances: final places by Rules 9-11",
        tables=tuple(tables),
        notes=summary_notes,
    )


def recall_page(result: RecallResult) -> Page:
    judges = len(result.judges)
    sure = (
        set(result.recalled) if result.resolved else set(result.options[0].recalled if result.options else ())
    )
    maybe = set(result.options[-1].recalled) - sure if not result.resolved and result.options else set()
    header = ("Couple", *(j for _ in result.dances for j in result.judges), "Total", "Recalled")
    rows = tuple(
        (
            Entry(couple, role="couple"),
            *(
                Entry("X" if x else "", role="cross")
                for dance in result.dances
                for x in result.x_marks[dance][couple]
            ),
            Entry(str(result.totals[couple])),
            Entry("R" if couple in sure else "?" if couple in maybe else "", role="recalled"),
        )
        for couple in result.couples
    )
    groups = (("", 1), *((dance, judges) for dance in result.dances), ("", 2))
    alerts: tuple[str, ...] = ()
    if result.resolved:
        outcome = (
            f"Recalled {len(result.recalled)} of {len(result.couples)} couples "
            f"(asked for {result.requested}): {_couples(result.recalled)}. "
            f"Marks needed to be recalled: {result.min_marks}."
        )
    else:
        outcome = f"Asked for {result.requested}: that would split couples with equal marks ('?' above)."
        alerts = (
            "THE CHAIRMAN MUST CHOOSE how many couples to recall:",
            *(
                f"  {len(option.recalled)} couples, those with {option.min_marks} or more marks: "
                f"{_couples(option.recalled)}"
                for option in result.options
            ),
        )
    return Page(
        title="Recall",
        subtitle=(
            f"{len(result.couples)} couples, {judges} judges, "
            f"{len(result.dances)} dance{'s' if len(result.dances) > 1 else ''}: {', '.join(result.dances)}"
        ),
        tables=(Table(header=header, rows=rows, groups=groups),),
        notes=(outcome, *(d.note for d in result.decisions)),
        alerts=alerts,
    )


def _couples(couples: Sequence[str]) -> str:
    return ", ".join(couples)


def _cell_text(cell: Cell) -> str:
    if not cell.used:
        return NOT_NEEDED
    return f"{cell.count} ({cell.total})" if cell.sum_used else str(cell.count)


def _majority_table(
    couples: Sequence[str],
    *,
    marks: Mapping[str, Sequence[int]],
    mark_labels: Sequence[str],
    mark_groups: tuple[tuple[str, int], ...],
    columns: Sequence[str],
    cells: Mapping[str, Sequence[Cell]],
    places: Mapping[str, Place],
    style: PlaceStyle,
    caption: str = "",
) -> Table:
    """A dance (or the Rule 11 merger): marks, the majority columns, the place."""
    header = ("Couple", *mark_labels, *columns, "Place")
    rows = tuple(
        (
            Entry(couple, role="couple"),
            *(Entry(str(mark), role="mark") for mark in marks[couple]),
            *(Entry(_cell_text(cell), deciding=cell.deciding, role="count") for cell in cells[couple]),
            Entry(places[couple].format(style) if couple in places else "", role="place"),
        )
        for couple in couples
    )
    groups = (("", 1), *mark_groups, ("Majority columns", len(columns)), ("", 1))
    return Table(header=header, rows=rows, caption=caption, groups=groups)


def _rule10_table(table: Rule10Table, style: PlaceStyle) -> Table:
    """Count (sum) of dances placed p or better, one column per place p under review."""
    header = ("Couple", *(_column(step.place) for step in table.steps), "Place")
    awarded = {couple: place for step in table.steps for couple, place in step.places.items()}
    rows = tuple(
        (
            Entry(couple, role="couple"),
            *(
                Entry(
                    f"{step.counts[couple]} ({format_number(step.sums[couple])})",
                    deciding=couple in step.awarded,
                    role="count",
                )
                if couple in step.couples
                else Entry(NOT_NEEDED, role="count")
                for step in table.steps
            ),
            Entry(awarded[couple].format(style) if couple in awarded else "", role="place"),
        )
        for couple in table.couples
    )
    rules = (Entry("rule", role="couple"), *(Entry(step.rule) for step in table.steps), Entry(""))
    caption = (
        f"Rule 10: couples on a total of {format_number(table.total)}, competing for place "
        f"{table.first_place} onwards — dances placed p or better, count (sum of those places)"
    )
    return Table(header=header, rows=(*rows, rules), caption=caption)


def _rule11_table(table: Rule11Table, style: PlaceStyle) -> Table:
    # Sources read "dance/judge": print the judge under a heading per dance, as on the dance pages.
    split = [source.rsplit("/", 1) if "/" in source else ["", source] for source in table.sources]
    groups: list[tuple[str, int]] = []
    for dance, _ in split:
        if groups and groups[-1][0] == dance:
            groups[-1] = (dance, groups[-1][1] + 1)
        else:
            groups.append((dance, 1))
    return _majority_table(
        table.couples,
        marks=table.marks,
        mark_labels=[judge for _, judge in split],
        mark_groups=tuple(groups),
        columns=table.columns,
        cells=table.cells,
        places=table.places,
        style=style,
        caption=(
            f"Rule 11 for place {table.place}: {len(table.sources)} marks per couple as one dance, "
            f"majority {table.majority}"
        ),
    )


def _column(place: int) -> str:
    return "1" if place == 1 else f"1-{place}"
