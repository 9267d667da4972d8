"""Pure scoring engines: the Skating System, recalls and TV-show combination.

Nothing here does I/O or imports the rest of the package (DESIGN.md): it is usable as a library.
"""

from mirrorball.scoring.errors import ScoringError

__all__ = ["ScoringError"]
