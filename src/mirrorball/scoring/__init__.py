"""Pure scoring engines: the Skating System, recalls and TV-show combination.

Nothing here does I/O or imports the rest of the package (DESIGN.md): it is usable as a library.
See docs/scoring.md for the API.
"""

from mirrorball.scoring.errors import (
    CouplesMismatch,
    DuplicateJudge,
    DuplicateRank,
    EmptyPanel,
    InvalidCutChoice,
    InvalidMark,
    InvalidPlaces,
    InvalidRequest,
    InvalidXMark,
    JudgesMismatch,
    MissingMark,
    NoCouples,
    RankOutOfRange,
    Rule11NeedsMarks,
    ScoringError,
    WrongRecallCount,
)
from mirrorball.scoring.multi_dance import place_final, place_final_from_dance_places
from mirrorball.scoring.places import Place, format_number
from mirrorball.scoring.recall import recall
from mirrorball.scoring.single_dance import place_dance
from mirrorball.scoring.tabulation import (
    Cell,
    CutOption,
    CutPolicy,
    DanceResult,
    Decision,
    FinalResult,
    RecallResult,
    Rule10Step,
    Rule10Table,
    Rule11Table,
)

__all__ = [
    "Cell",
    "CouplesMismatch",
    "CutOption",
    "CutPolicy",
    "DanceResult",
    "Decision",
    "DuplicateJudge",
    "DuplicateRank",
    "EmptyPanel",
    "FinalResult",
    "InvalidCutChoice",
    "InvalidMark",
    "InvalidPlaces",
    "InvalidRequest",
    "InvalidXMark",
    "JudgesMismatch",
    "MissingMark",
    "NoCouples",
    "Place",
    "RankOutOfRange",
    "RecallResult",
    "Rule10Step",
    "Rule10Table",
    "Rule11NeedsMarks",
    "Rule11Table",
    "ScoringError",
    "WrongRecallCount",
    "format_number",
    "place_dance",
    "place_final",
    "place_final_from_dance_places",
    "recall",
]
