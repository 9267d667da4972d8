"""The sheet as aligned plain text, like the paper one: for a terminal, a log or an e-mail.

Plain text rather than rich markup so that what a terminal shows is byte for byte what `--output` writes
and what the docs quote.
"""

from __future__ import annotations

from mirrorball.sheets.pages import DECIDING_MARK, Page, Table

GAP = "  "


def render(pages: list[Page]) -> str:
    blocks = [_page(page) for page in pages]
    return "\n\n".join(blocks) + "\n"


def _page(page: Page) -> str:
    lines = [page.title, "=" * len(page.title), page.subtitle, ""]
    for table in page.tables:
        if table.caption:
            lines += [table.caption, ""]
        lines += _table(table)
        lines.append("")
    if page.alerts:
        lines += [*page.alerts, ""]
    lines += page.notes
    return "\n".join(lines).rstrip()


def _table(table: Table) -> list[str]:
    # A column with a deciding cell gets one extra character so the mark does not push its numbers out
    # of line with the cells above and below.
    marked = [any(row[i].deciding for row in table.rows) for i in range(len(table.header))]
    body = [
        [
            entry.text + (DECIDING_MARK if entry.deciding else " " if marked[i] else "")
            for i, entry in enumerate(row)
        ]
        for row in table.rows
    ]
    header = [text + (" " if marked[i] else "") for i, text in enumerate(table.header)]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    widths = _fit_groups(table, widths)

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return GAP.join([first, *rest]).rstrip()

    out = []
    if any(label for label, _ in table.groups):
        out.append(_group_line(table, widths))
    out.append(line(header))
    out.append(GAP.join("-" * w for w in widths))
    out += [line(row) for row in body]
    return out


def _spans(table: Table) -> list[tuple[str, int, int]]:
    """(label, first column, column count) for each heading group."""
    spans, start = [], 0
    for label, count in table.groups:
        spans.append((label, start, count))
        start += count
    return spans


def _fit_groups(table: Table, widths: list[int]) -> list[int]:
    """Widen a group's last column when its label is longer than the columns under it."""
    widths = list(widths)
    for label, start, count in _spans(table):
        room = sum(widths[start : start + count]) + len(GAP) * (count - 1)
        if count and len(label) > room:
            widths[start + count - 1] += len(label) - room
    return widths


def _group_line(table: Table, widths: list[int]) -> str:
    parts = [
        label.ljust(sum(widths[start : start + count]) + len(GAP) * (count - 1))
        for label, start, count in _spans(table)
        if count
    ]
    return GAP.join(parts).rstrip()
