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


# Specific errors: each names what went wrong so a caller can react (e.g. the API maps them to 422) and
# the message still reads as one line for the scrutineer.


class EmptyPanel(ScoringError):
    """No judges were given (at least one is needed)."""


class NoCouples(ScoringError):
    """A dance or round has no couples."""


class DuplicateJudge(ScoringError):
    """The same judge label appears twice on the panel."""


class JudgesMismatch(ScoringError):
    """A couple's marks do not line up with the panel (more marks than judges), or dances disagree."""


class CouplesMismatch(ScoringError):
    """The dances of one final (or round) do not have the same couples."""


class MissingMark(ScoringError):
    """A judge gave no mark to a couple."""


class InvalidMark(ScoringError):
    """A mark is not a whole number (e.g. 2.5, a string, True)."""


class RankOutOfRange(ScoringError):
    """A rank outside 1..N for N couples."""


class DuplicateRank(ScoringError):
    """A judge gave the same rank to two couples in one dance."""


class InvalidXMark(ScoringError):
    """A recall mark that is not 0/1 (or False/True)."""


class WrongRecallCount(ScoringError):
    """A judge marked more or fewer couples than asked for in a dance."""


class InvalidRequest(ScoringError):
    """A recall request that cannot be met (e.g. fewer than one couple asked for)."""


class InvalidCutChoice(ScoringError):
    """The Chairman's choice is not one of the cut options, or no choice was needed/allowed."""


class InvalidPlaces(ScoringError):
    """Dance places given directly do not form a valid ranking of the couples."""


class Rule11NeedsMarks(ScoringError):
    """Rule 10 left a tie that only Rule 11 can break, and only dance places (no marks) were given."""
