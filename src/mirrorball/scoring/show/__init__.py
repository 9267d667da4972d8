"""The TV-show engine: judges' paddles and audience votes combined, week by week, with explanations.

Pure and exact (Fractions). Typical use by a producer tool or the server:

    outlook(couples, judges_points, rules)      # before the window: who can the vote still save or sink?
    combine(couples, judges_points, votes, rules, panel=..., save_votes=...)   # the week's decision
    run_season(season) / what_if(season, rules) # a whole season, or the same weeks under other rules
"""

from mirrorball.scoring.show.combine import Decision, Standings, WeekOutcome, combine, standings
from mirrorball.scoring.show.errors import ShowError
from mirrorball.scoring.show.leaderboard import eurovision_points, places, rank_points
from mirrorball.scoring.show.model import (
    PRESETS,
    Bonus,
    Couple,
    Judge,
    Mark,
    Recorded,
    Routine,
    Rules,
    SaveVote,
    Season,
    Week,
)
from mirrorball.scoring.show.outlook import CoupleOutlook, Outlook, outlook
from mirrorball.scoring.show.save import ChoiceResult, SaveResult, judges_choice, judges_save
from mirrorball.scoring.show.totals import cumulative_points, decision_points, shares, week_points

__all__ = [
    "PRESETS",
    "Bonus",
    "ChoiceResult",
    "Couple",
    "CoupleOutlook",
    "Decision",
    "Judge",
    "Mark",
    "Outlook",
    "Recorded",
    "Routine",
    "Rules",
    "SaveResult",
    "SaveVote",
    "Season",
    "ShowError",
    "Standings",
    "Week",
    "WeekOutcome",
    "combine",
    "cumulative_points",
    "decision_points",
    "eurovision_points",
    "judges_choice",
    "judges_save",
    "outlook",
    "places",
    "rank_points",
    "shares",
    "standings",
    "week_points",
]
