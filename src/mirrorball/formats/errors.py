"""Errors in files given to mirrorball, naming the file, the line and the field."""

from __future__ import annotations

from mirrorball.scoring.errors import located, where_text


class InputError(ValueError):
    """A file (or request body) that cannot be read as what it claims to be."""

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.line = line
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        line = None if self.line is None else str(self.line)
        field = None if self.field is None else repr(self.field)
        return located(where_text(("", self.source), ("line", line), ("field", field)), self.problem)
