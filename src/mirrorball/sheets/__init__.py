"""Result sheets rendered from the engines' result objects: text, CSV, HTML and JSON.

`pages.py` lays out what a sheet shows; `text`, `csv` and `html` only draw those pages; `json` turns a
result into the documented JSON interface. None of them applies a rule.
"""

from __future__ import annotations

import json as _json
from typing import Literal

from mirrorball.scoring import DanceResult, FinalResult, RecallResult
from mirrorball.scoring.places import PlaceStyle
from mirrorball.sheets import csv, html, text
from mirrorball.sheets.json import to_dict
from mirrorball.sheets.pages import pages

SheetFormat = Literal["text", "json", "csv", "html"]
FORMATS: tuple[SheetFormat, ...] = ("text", "json", "csv", "html")

__all__ = ["FORMATS", "PlaceStyle", "SheetFormat", "render", "to_dict"]


def render(
    result: DanceResult | FinalResult | RecallResult,
    fmt: SheetFormat = "text",
    *,
    places: PlaceStyle = "decimal",
    title: str = "Result sheet",
) -> str:
    """The whole sheet of a round as one string in the chosen format."""
    if fmt == "json":
        return _json.dumps(to_dict(result), indent=2) + "\n"
    laid_out = pages(result, places)
    if fmt == "csv":
        return csv.render(laid_out)
    if fmt == "html":
        return html.render(laid_out, title=title)
    return text.render(laid_out)
