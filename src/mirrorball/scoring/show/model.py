"""The TV-show season as plain immutable values: couples, judges, weeks, routines, bonuses, rules.

Everything the engine needs is here and nothing else: no file formats, no vote counting. A week is one
*decision* (one results show): the routines it scores, the earlier weeks or nights whose judges' points it
adds ("1+2", a finale's first night), how many leave, who is immune, and — when known — what really
happened. Rules are explicit values (DESIGN.md: producer decisions are inputs, never hidden defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from mirrorball.scoring.show.errors import ShowError

Method = Literal["percentage", "rank", "eurovision", "votes-only", "judges-only"]
TiePolicy = Literal["competition", "dense", "averaged"]
TieBreak = Literal["votes", "judges", "order"]
Save = Literal["none", "judges", "judges-choice"]
JudgeRole = Literal["permanent", "guest", "guest-in-seat", "public"]

METHODS: tuple[Method, ...] = ("percentage", "rank", "eurovision", "votes-only", "judges-only")
TIE_POLICIES: tuple[TiePolicy, ...] = ("competition", "dense", "averaged")
TIE_BREAKS: tuple[TieBreak, ...] = ("votes", "judges", "order")
SAVES: tuple[Save, ...] = ("none", "judges", "judges-choice")
JUDGE_ROLES: tuple[JudgeRole, ...] = ("permanent", "guest", "guest-in-seat", "public")

PADDLE_MIN = Fraction(1)
PADDLE_MAX = Fraction(10)


@dataclass(frozen=True)
class Couple:
    """A season couple; `name` ("Bobby & Sharna") is its identity everywhere in the engine."""

    name: str
    celebrity: str = ""
    professional: str = ""


@dataclass(frozen=True)
class Judge:
    """A seat on the panel. Guests may be excluded from the judges' save; 'public' is America's Score."""

    name: str
    role: JudgeRole = "permanent"
    head: bool = False


@dataclass(frozen=True)
class Mark:
    """One paddle: a judge's 1–10 for one routine, or one component of a two-score week."""

    judge: str
    score: Fraction
    component: str | None = None


@dataclass(frozen=True)
class Routine:
    """One judged dance. A team dance lists several couples and its score counts for each of them.

    `danced_with` records a stand-in partner; the score still belongs to the season couple.
    """

    couples: tuple[str, ...]
    dance: str
    marks: tuple[Mark, ...]
    night: int = 1
    danced_with: str | None = None

    @property
    def total(self) -> Fraction:
        return sum((mark.score for mark in self.marks), Fraction(0))

    @property
    def is_team(self) -> bool:
        return len(self.couples) > 1


@dataclass(frozen=True)
class Bonus:
    """Points that are not paddles but enter J: dance-off winner, immunity, marathon placing."""

    couple: str
    points: Fraction
    kind: str = "other"
    note: str = ""


@dataclass(frozen=True)
class Rules:
    """How one week's judges' points and votes become a result. Every choice is explicit.

    - `method`: percentage (DWTS, S3 on), rank (rank points: DWTS S1–2 and Strictly), eurovision
      (12-10-8…1 for jury and televote), votes-only, judges-only.
    - `tie_policy`: how tied judges' totals share leaderboard points (competition 3,3,1; dense 3,3,2;
      averaged 2.5,2.5,1).
    - `tie_break`: keys tried in order when combined results tie: more votes, more judges' points, listing
      order. Without "order" an unbroken tie at a cut is an error rather than a silent choice.
    - `bottom`: how many are named in the bottom (2, or 3 for a bottom three).
    - `save`: "judges" — the judges vote to save one of the bottom two (DWTS S28–31, Strictly's dance-off);
      "judges-choice" — the judges choose who leaves from the bottom (So You Think You Can Dance).
    - `head_judge` votes last and only when needed, and has the casting vote on a split.
    - `guests_vote`: whether guest judges take part in the save.
    - `final_method`: the finale's method when different (Strictly: votes-only).
    - `immune_in_totals`: whether an immune couple's points and votes still count in ΣJ and ΣV.
    """

    method: Method = "percentage"
    judges_weight: Fraction = Fraction(1)
    votes_weight: Fraction = Fraction(1)
    tie_policy: TiePolicy = "competition"
    tie_break: tuple[TieBreak, ...] = ("votes", "judges", "order")
    bottom: int = 2
    save: Save = "none"
    head_judge: str | None = None
    guests_vote: bool = False
    final_method: Method | None = None
    immune_in_totals: bool = True

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ShowError(f"unknown method {self.method!r}; use one of {', '.join(METHODS)}")
        if self.final_method is not None and self.final_method not in METHODS:
            raise ShowError(f"unknown final method {self.final_method!r}")
        if self.tie_policy not in TIE_POLICIES:
            raise ShowError(f"unknown tie policy {self.tie_policy!r}; use one of {', '.join(TIE_POLICIES)}")
        for key in self.tie_break:
            if key not in TIE_BREAKS:
                raise ShowError(f"unknown tie-break {key!r}; use some of {', '.join(TIE_BREAKS)}")
        if len(set(self.tie_break)) != len(self.tie_break):
            raise ShowError("a tie-break key is listed twice")
        if self.save not in SAVES:
            raise ShowError(f"unknown save {self.save!r}; use one of {', '.join(SAVES)}")
        if self.judges_weight < 0 or self.votes_weight < 0 or self.judges_weight + self.votes_weight == 0:
            raise ShowError("weights must be non-negative and not both zero")
        if self.bottom < 0:
            raise ShowError("the bottom cannot be negative")
        if self.save == "judges" and self.bottom != 2:
            raise ShowError("a judges' save needs a bottom two")
        if self.save == "judges-choice" and self.bottom < 2:
            raise ShowError("the judges' choice needs a bottom of two or more")

    def for_final(self) -> Rules:
        """The rules of a finale: the same, with `final_method` in charge and no save."""
        return replace(self, method=self.final_method or self.method, save="none", final_method=None)


PRESETS: dict[str, Rules] = {
    "dwts": Rules(method="percentage"),
    "dwts-save": Rules(method="percentage", save="judges", head_judge=None),
    "dwts-rank": Rules(method="rank", tie_policy="competition"),
    "strictly": Rules(method="rank", tie_policy="dense", save="judges", final_method="votes-only"),
    "strictly-2008": Rules(method="rank", tie_policy="competition", save="judges", final_method="votes-only"),
    "sytycd": Rules(method="votes-only", bottom=3, save="judges-choice"),
    "eurovision": Rules(method="eurovision", tie_break=("votes", "judges", "order")),
    "judges-only": Rules(method="judges-only", tie_break=("judges", "order")),
    "votes-only": Rules(method="votes-only"),
}
"""Named rule sets for what-if questions. 'strictly' uses the dense leaderboard policy used after 2008."""


@dataclass(frozen=True)
class SaveVote:
    """A judge's vote in a judges' save; `couple` None means the judge did not vote."""

    judge: str
    couple: str | None
    preference: str | None = None


@dataclass(frozen=True)
class Recorded:
    """What really happened in a week, as far as it is known (for checks and what-if comparisons)."""

    bottom: tuple[str, ...] = ()
    eliminated: tuple[str, ...] = ()
    placements: tuple[tuple[str, int], ...] = ()
    save_votes: tuple[SaveVote, ...] = ()


@dataclass(frozen=True)
class Week:
    """One decision of the season (one results show).

    `couples` are the couples in the decision (empty: everyone with a routine or bonus this week);
    `includes` names earlier weeks/nights whose judges' points are added to this one's J.
    """

    label: str
    routines: tuple[Routine, ...] = ()
    bonuses: tuple[Bonus, ...] = ()
    couples: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    eliminate: int = 1
    final: bool = False
    immune: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    rules: Rules | None = None
    title: str = ""
    recorded: Recorded | None = None

    def competing(self) -> tuple[str, ...]:
        """The couples in this decision, in first-appearance order, without withdrawn couples."""
        if self.couples:
            names = list(self.couples)
        else:
            names = []
            for routine in self.routines:
                names.extend(c for c in routine.couples if c not in names)
            names.extend(b.couple for b in self.bonuses if b.couple not in names)
        return tuple(n for n in names if n not in self.withdrawn)


@dataclass(frozen=True)
class Season:
    """A whole season: who danced, who judged, every week, and the rules used by default."""

    name: str
    couples: tuple[Couple, ...]
    judges: tuple[Judge, ...]
    weeks: tuple[Week, ...]
    rules: Rules = field(default_factory=Rules)
    notes: tuple[str, ...] = ()

    def week(self, label: str) -> Week:
        for week in self.weeks:
            if week.label == label:
                return week
        raise ShowError("no such week in the season", week=label)

    def rules_for(self, week: Week) -> Rules:
        rules = week.rules or self.rules
        return rules.for_final() if week.final else rules

    def judge(self, name: str) -> Judge:
        for judge in self.judges:
            if judge.name == name:
                return judge
        raise ShowError("judge is not on the season's panel list", judge=name)
