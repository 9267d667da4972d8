"""Errors of the show engine: a `ScoringError` that also names the week.

A producer fixing a season file needs "week 7, couple Kyle & Lacey, judge Len Goodman", so the week is
added to the judge/dance/couple that every scoring error already carries.
"""

from __future__ import annotations

from mirrorball.scoring.errors import ScoringError


class ShowError(ScoringError):
    """A season, week or vote the show engine cannot combine; says which week, couple and judge."""

    def __init__(
        self,
        problem: str,
        *,
        week: str | None = None,
        judge: str | None = None,
        dance: str | None = None,
        couple: str | None = None,
    ) -> None:
        self.week = week
        super().__init__(problem, judge=judge, dance=dance, couple=couple)

    def where(self) -> str:
        inner = super().where()
        if self.week is None:
            return inner
        return f"week {self.week}, {inner}" if inner else f"week {self.week}"
