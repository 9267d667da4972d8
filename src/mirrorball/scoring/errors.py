"""Errors raised by the scoring engines.

Every error names *where* the problem is (judge, dance, couple) as well as *what* it is, because the
person reading it is a scrutineer with a pile of paper marks who must find the wrong one. Engines never
repair marks: they refuse them with one of these.
"""

from __future__ import annotations


class ScoringError(ValueError):
    """Marks or settings the engines cannot score; the message says what and where."""

    def __init__(
        self,
        problem: str,
        *,
        judge: str | None = None,
        dance: str | None = None,
        couple: str | None = None,
    ) -> None:
        self.problem = problem
        self.judge = judge
        self.dance = dance
        self.couple = couple
        super().__init__(self.describe())

    def where(self) -> str:
        """'dance Waltz, judge C, couple 104' — only the parts that are known."""
        parts = []
        if self.dance is not None:
            parts.append(f"dance {self.dance}")
        if self.judge is not None:
            parts.append(f"judge {self.judge}")
        if self.couple is not None:
            parts.append(f"couple {self.couple}")
        return ", ".join(parts)

    def describe(self) -> str:
        where = self.where()
        return f"{where}: {self.problem}" if where else self.problem
