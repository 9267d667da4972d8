"""`mirrorball tabulate`: a round's marks in (JSON or CSV), its result sheet out. No server, no database.

Also `mirrorball example list|show` for the bundled example rounds.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from mirrorball.cli.app import app
from mirrorball.formats import examples
from mirrorball.formats.errors import InputError
from mirrorball.formats.json_text import decode_utf8
from mirrorball.formats.marks import STDIN, parse_marks, read_marks
from mirrorball.scoring import CutPolicy, RecallResult
from mirrorball.service.tabulate import tabulate as tabulate_round
from mirrorball.sheets import render


class OutputFormat(enum.StrEnum):
    """Typer offers a closed set of choices through an Enum; values are `mirrorball.sheets.FORMATS`."""

    text = "text"
    json = "json"
    csv = "csv"
    html = "html"


class PlacesChoice(enum.StrEnum):
    decimal = "decimal"
    range = "range"


class InputChoice(enum.StrEnum):
    json = "json"
    csv = "csv"


class PolicyChoice(enum.StrEnum):
    """The values of `mirrorball.scoring.CutPolicy`."""

    ask = "ask"
    more = "more"
    fewer = "fewer"
    nearest = "nearest"


example_app = typer.Typer(help="The example rounds bundled with mirrorball (CSV files to copy and edit).")
app.add_typer(example_app, name="example")


@app.command()
def tabulate(
    file: Annotated[
        str | None,
        typer.Argument(
            help="The round's marks: a .json or .csv file, or - for standard input.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="What to print: the sheet as text, json, csv or html.",
        ),
    ] = OutputFormat.text,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    places: Annotated[
        PlacesChoice,
        typer.Option(
            help="Shared places as 2.5 (decimal, English sheets) or 2-3 (range, German sheets).",
        ),
    ] = PlacesChoice.decimal,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the sheet to this file instead of standard output."),
    ] = None,
    input_format: Annotated[
        InputChoice | None,
        typer.Option(
            help="The input's format if the file name does not say (default: by extension; stdin: sniffed).",
        ),
    ] = None,
    recall: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Recall round: the number of couples asked for (overrides the CSV's '# recall: N' line "
            'or the JSON\'s "recall").',
        ),
    ] = None,
    chairman: Annotated[
        int | None,
        typer.Option(
            min=1, help="Recall round with a tie at the cut: how many couples the Chairman chose to recall."
        ),
    ] = None,
    cut_policy: Annotated[
        PolicyChoice,
        typer.Option(
            help="Recall round with a tie at the cut: ask (show the options), or always recall more, fewer, "
            "or the nearest number to the request.",
        ),
    ] = PolicyChoice.ask,
    example: Annotated[
        str | None,
        typer.Option(help="Tabulate a bundled example instead of FILE (see `mirrorball example list`)."),
    ] = None,
) -> None:
    """Tabulate a final or a recall round and print its result sheet.

    A final: each dance placed by Rules 5-8 with every majority column, then the final by Rules 9-11.

    A recall round: X totals and the cut (Rule 1). If the cut would split a tie, the Chairman's options are
    shown (exit status 0) until --chairman or --cut-policy settles it.
    """
    if (file is None) == (example is None):
        raise InputError("give a FILE (or - for standard input), or --example NAME, but not both")
    if example is not None:
        name = f"example {example}"
        marks = parse_marks(examples.text(example), source=name, input_format="csv")
    else:
        assert file is not None
        name = "standard input" if file == "-" else Path(file).name
        stdin_text = _read_stdin() if file == "-" else None
        marks = read_marks(
            file, input_format=input_format.value if input_format else None, stdin_text=stdin_text
        )
    result = tabulate_round(
        marks, requested=recall, chairman_choice=chairman, cut_policy=CutPolicy(cut_policy.value)
    )
    sheet_format = OutputFormat.json if as_json else output_format
    sheet = render(result, sheet_format.value, places=places.value, title=f"Result sheet: {name}")
    if output is None:
        typer.echo(sheet, nl=False)
    else:
        try:
            output.write_text(sheet, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the sheet: {exc.strerror or exc}", source=str(output)) from None
    if isinstance(result, RecallResult) and not result.resolved:
        sizes = " or ".join(str(len(option.recalled)) for option in result.options)
        typer.echo(
            f"The cut splits a tie: the Chairman chooses how many to recall ({sizes}); "
            "tabulate again with --chairman N or --cut-policy.",
            err=True,
        )


def _read_stdin() -> str:
    """Standard input as UTF-8, strictly: the terminal's locale may otherwise smuggle bad bytes through."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # already text (tests, embedding)
        return sys.stdin.read()
    return decode_utf8(bytes(buffer.read()), source=STDIN)


@example_app.command("list")
def list_examples() -> None:
    """List the bundled examples and what each shows."""
    for name in examples.names():
        typer.echo(f"{name:<20} {examples.summary(name)}")


@example_app.command("show")
def show_example(
    name: Annotated[str, typer.Argument(help="An example name from `mirrorball example list`.")],
) -> None:
    """Print an example's CSV, to copy and edit: `mirrorball example show recall-round > my-round.csv`."""
    typer.echo(examples.text(name), nl=False)
