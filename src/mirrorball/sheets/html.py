"""The sheet as one self-contained, printable HTML page: one printed page per dance, then the summary.

No external CSS, fonts or scripts, so the file can be e-mailed, archived or printed offline; the print
stylesheet breaks the page after each dance.
"""

from __future__ import annotations

from functools import cache

import jinja2

from mirrorball import __version__
from mirrorball.sheets.pages import DECIDING_MARK, Page


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mirrorball", "data/sheets"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("sheet.html")


def render(pages: list[Page], *, title: str = "Result sheet") -> str:
    return _template().render(pages=pages, title=title, mark=DECIDING_MARK, version=__version__)
