"""The sheet as CSV, for a spreadsheet: every table of every page, each under a `# title` row.

Cells hold exactly the text of the printed sheet (a deciding cell keeps its `*`), so what a spreadsheet
shows matches the paper; a blank row separates tables.
"""

from __future__ import annotations

import csv
import io

from mirrorball.sheets.pages import DECIDING_MARK, Page


def render(pages: list[Page]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for page in pages:
        writer.writerow([f"# {page.title}: {page.subtitle}"])
        for table in page.tables:
            if table.caption:
                writer.writerow([f"# {table.caption}"])
            writer.writerow(table.header)
            writer.writerows(
                [entry.text + (DECIDING_MARK if entry.deciding else "") for entry in row]
                for row in table.rows
            )
            writer.writerow([])
        for line in (*page.alerts, *page.notes):
            writer.writerow([f"# {line.strip()}"])
        writer.writerow([])
    return out.getvalue()
