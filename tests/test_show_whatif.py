"""What-if on the real seasons: only what the published results prove about the votes is used."""

from __future__ import annotations

from mirrorball.formats.dwts import bundled_season
from mirrorball.scoring.show import PRESETS, decision_points
from mirrorball.scoring.show.whatif import compare_week, implied_vote_order, what_if


def test_bobby_bones_still_wins_under_strictly_rules() -> None:
    season = bundled_season("dwts-27")
    final = compare_week(season, season.week("9"), PRESETS["strictly"])
    # Lowest judges' total (54) yet first: the percentage rule proves he out-polled all three others, and
    # Strictly's final is a public vote alone.
    assert set(final.implied) == {
        ("Bobby & Sharna", "Milo & Witney"), ("Bobby & Sharna", "Evanna & Keo"),
        ("Bobby & Sharna", "Alexis & Alan"), ("Milo & Witney", "Evanna & Keo"),
    }  # fmt: skip
    assert final.possible == (("Bobby & Sharna",),)
    assert final.verdict == "same"


def test_bobby_bones_loses_under_rank_points() -> None:
    season = bundled_season("dwts-27")
    final = compare_week(season, season.week("9"), PRESETS["dwts-rank"])
    # Judges' points 4, 4, 2, 1 (Milo and Evanna tie on 60); Bobby's 1 + 4 = 5 cannot beat
    # Milo's 4 + 3 or 4 + 2 (the real result proves Milo out-polled Evanna).
    assert final.possible == (("Milo & Witney",),)
    assert final.verdict == "changed"


def test_judges_only_needs_no_votes_and_logs_arbitrary_ties() -> None:
    season = bundled_season("dwts-19")
    weeks = {c.label: c for c in what_if(season, PRESETS["judges-only"])}
    assert weeks["1"].possible == (("Betsey & Tony",),) and weeks["1"].verdict == "changed"
    assert weeks["11"].possible == (("Alfonso & Witney",),) and weeks["11"].verdict == "same"
    assert weeks["5"].verdict == "no result"


def test_nothing_is_proven_when_the_higher_judged_couple_finished_higher() -> None:
    season = bundled_season("dwts-19")
    final = season.week("11")
    assert implied_vote_order(final, decision_points(season, final), season.rules) == ()
    result = compare_week(season, final, PRESETS["strictly"])
    assert result.verdict == "depends on the votes" and len(result.possible) == 3


def test_judges_only_final_tie_is_shown_as_a_tie_not_a_listing_order_winner() -> None:
    season = bundled_season("dwts-27")
    final = compare_week(season, season.week("9"), PRESETS["judges-only"])
    assert final.possible == (("Evanna & Keo", "Milo & Witney"),)  # both 60: listing order is no answer
    assert final.verdict == "changed"


def test_share_based_alternatives_do_not_pretend_vote_orderings_are_enough() -> None:
    season = bundled_season("dwts-28")
    week = compare_week(season, season.week("7"), PRESETS["dwts"])  # no save instead of the real save
    assert week.outlook is not None and "vote split" in week.explanation
    final = compare_week(season, season.week("11"), PRESETS["dwts"])
    assert final.verdict == "same" and "rules that were used" in final.explanation
