"""Known answers for the show combination: the official DWTS example, Strictly's leaderboard policies,
tie-breaks, the judges' save, and the errors a producer sees."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from mirrorball.scoring.show import (
    PRESETS,
    Judge,
    Rules,
    ShowError,
    combine,
    judges_choice,
    judges_save,
    rank_points,
)

DWTS_EXAMPLE = {"A": 38, "B": 26, "C": 14}
DWTS_VOTES = {"A": 20, "B": 40, "C": 40}


def test_official_dwts_worked_example() -> None:
    out = combine(list(DWTS_EXAMPLE), DWTS_EXAMPLE, DWTS_VOTES, Rules())
    assert out.judges_part == {"A": F(38, 78), "B": F(26, 78), "C": F(14, 78)}
    assert out.votes_part == {"A": F(1, 5), "B": F(2, 5), "C": F(2, 5)}
    # 48.72 % + 20 % = 68.72 %, 33.33 % + 40 % = 73.33 %, 17.95 % + 40 % = 57.95 %
    assert [round(float(out.combined[c]) * 100, 2) for c in "ABC"] == [68.72, 73.33, 57.95]
    assert out.ranking == ("B", "A", "C")
    assert set(out.bottom) == {"A", "C"}
    assert out.eliminated == ("C",)
    steps = [d.step for d in out.decisions]
    assert steps == ["judges", "votes", "combined", "bottom", "eliminated"]


def test_weights_are_configurable() -> None:
    rules = Rules(judges_weight=F(0), votes_weight=F(1))
    out = combine(list(DWTS_EXAMPLE), DWTS_EXAMPLE, DWTS_VOTES, rules)
    assert out.eliminated == ("A",)  # votes only: A had 20 %, the least
    assert any("weights" in d.text for d in out.decisions)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("competition", {"Lisa": 3, "Rachel": 3, "Tom": 1}),
        ("dense", {"Lisa": 3, "Rachel": 3, "Tom": 2}),
        ("averaged", {"Lisa": F(5, 2), "Rachel": F(5, 2), "Tom": 1}),
    ],
)
def test_strictly_2008_semi_final_leaderboard_points(policy: str, expected: dict[str, F]) -> None:
    points = rank_points({"Lisa": F(75), "Rachel": F(75), "Tom": F(67)}, policy)  # type: ignore[arg-type]
    assert points == expected


def test_competition_policy_with_a_tie_lower_down() -> None:
    values = {"a": F(40), "b": F(35), "c": F(35), "d": F(30)}
    assert rank_points(values, "competition") == {"a": 4, "b": 3, "c": 3, "d": 1}
    assert rank_points(values, "dense") == {"a": 4, "b": 3, "c": 3, "d": 2}
    assert rank_points(values, "averaged") == {"a": 4, "b": F(5, 2), "c": F(5, 2), "d": 1}


def test_strictly_combined_tie_goes_to_the_public_vote_and_is_logged() -> None:
    judges = {"Lisa": 75, "Rachel": 75, "Tom": 67}
    votes = {"Lisa": 100, "Rachel": 200, "Tom": 300}  # Tom top of the vote: 1 + 3 = 4 = Lisa's 3 + 1
    out = combine(list(judges), judges, votes, PRESETS["strictly-2008"])
    assert out.combined == {"Lisa": 4, "Rachel": 5, "Tom": 4}
    assert out.ranking == ("Rachel", "Tom", "Lisa")
    tie = [d for d in out.decisions if d.step == "tie-break"]
    assert len(tie) == 1 and "more votes" in tie[0].text and tie[0].couples == ("Tom", "Lisa")
    assert set(out.bottom) == {"Tom", "Lisa"}
    assert out.eliminated == ()  # the judges' save has not been held yet
    assert any(d.step == "save" and "awaiting" in d.text for d in out.decisions)


def test_unresolved_tie_at_the_cut_is_refused_not_guessed() -> None:
    rules = Rules(tie_break=("votes",))
    with pytest.raises(ShowError, match="tie at the elimination cut"):
        combine(["a", "b", "c"], {"a": 30, "b": 20, "c": 20}, {"a": 1, "b": 1, "c": 1}, rules)


def test_rank_method_dwts_seasons_one_and_two() -> None:
    judges = {"a": 27, "b": 24, "c": 21, "d": 18}
    votes = {"a": 1, "b": 4, "c": 3, "d": 2}
    out = combine(list(judges), judges, votes, PRESETS["dwts-rank"])
    assert out.combined == {"a": 5, "b": 7, "c": 5, "d": 3}
    assert out.ranking == ("b", "c", "a", "d")  # a and c tie on 5: c had more votes
    assert out.eliminated == ("d",)


def test_eurovision_points_and_televote_tie_break() -> None:
    judges = {"a": 30, "b": 20, "c": 10}
    votes = {"a": 1, "b": 3, "c": 2}
    out = combine(list(judges), judges, votes, PRESETS["eurovision"])
    assert out.judges_part == {"a": 12, "b": 10, "c": 8}
    assert out.votes_part == {"a": 8, "b": 12, "c": 10}
    assert out.combined == {"a": 20, "b": 22, "c": 18}
    assert out.ranking == ("b", "a", "c")


def test_votes_only_final_ignores_the_judges() -> None:
    # S27 finale, judges 54 / 60 / 60 / 57: under a votes-only final the most-voted couple wins.
    judges = {"Bobby": 54, "Milo": 60, "Evanna": 60, "Alexis": 57}
    votes = {"Bobby": 40, "Milo": 30, "Evanna": 20, "Alexis": 10}
    out = combine(list(judges), judges, votes, PRESETS["strictly"], final=True)
    assert out.ranking[0] == "Bobby" and out.method == "votes-only"
    assert out.bottom == () and out.eliminated == ()


def test_immune_couple_never_in_the_bottom() -> None:
    judges = {"a": 10, "b": 30, "c": 20}
    votes = {"a": 1, "b": 50, "c": 49}
    out = combine(list(judges), judges, votes, Rules(), immune=["a"])
    assert "a" not in out.bottom and out.eliminated == ("c",)
    outside = combine(list(judges), judges, votes, Rules(immune_in_totals=False), immune=["a"])
    assert outside.ranking[0] == "a" and "a" not in outside.combined


def test_double_elimination() -> None:
    judges = {"a": 30, "b": 25, "c": 20, "d": 15}
    votes = dict.fromkeys(judges, 1)
    out = combine(list(judges), judges, votes, Rules(), eliminate=2)
    assert out.eliminated == ("c", "d")


PANEL_DWTS = [Judge("Carrie Ann"), Judge("Bruno"), Judge("Len", head=True)]
PANEL_STRICTLY = [Judge("Craig"), Judge("Shirley"), Judge("Motsi"), Judge("Anton", head=True)]


def test_dwts_save_head_judge_silent_when_two_agree() -> None:
    res = judges_save(["x", "y"], PANEL_DWTS, {"Carrie Ann": "x", "Bruno": "x"}, head="Len")
    assert (res.saved, res.eliminated, res.head_voted) == ("x", "y", False)


def test_dwts_save_head_judge_decides_a_split() -> None:
    res = judges_save(["x", "y"], PANEL_DWTS, {"Carrie Ann": "x", "Bruno": "y", "Len": "y"}, head="Len")
    assert (res.saved, res.head_voted) == ("y", True)
    with pytest.raises(ShowError, match="head judge's vote is needed"):
        judges_save(["x", "y"], PANEL_DWTS, {"Carrie Ann": "x", "Bruno": "y"}, head="Len")


def test_strictly_casting_vote_on_two_all() -> None:
    prefs = {"Craig": "x", "Shirley": "y", "Motsi": "x", "Anton": "y"}
    res = judges_save(["x", "y"], PANEL_STRICTLY, prefs, head="Anton")
    assert (res.saved, res.casting_vote) == ("y", True)
    unanimous = {"Craig": "x", "Shirley": "x", "Motsi": "x"}
    assert judges_save(["x", "y"], PANEL_STRICTLY, unanimous, head="Anton").head_voted is False


def test_guest_judges_excluded_from_the_save_by_setting() -> None:
    panel = [Judge("Carrie Ann"), Judge("Guest", role="guest"), Judge("Bruno"), Judge("Len", head=True)]
    prefs = {"Carrie Ann": "x", "Guest": "y", "Bruno": "x"}
    res = judges_save(["x", "y"], panel, prefs, head="Len")
    assert [v.judge for v in res.votes] == ["Carrie Ann", "Bruno", "Len"]
    with_guest = judges_save(["x", "y"], panel, {**prefs, "Len": "y"}, head="Len", guests_vote=True)
    assert with_guest.head_voted and with_guest.saved == "y" and with_guest.casting_vote


def test_save_through_combine_names_the_eliminated() -> None:
    judges = {"a": 30, "b": 20, "c": 25}
    votes = {"a": 1, "b": 1, "c": 1}
    out = combine(
        list(judges), judges, votes, PRESETS["dwts-save"], panel=PANEL_DWTS,
        save_votes={"Carrie Ann": "b", "Bruno": "b"},
    )  # fmt: skip
    assert set(out.bottom) == {"b", "c"} and out.eliminated == ("c",)
    assert out.save is not None and "did not need to vote" in out.save.explanation


@pytest.mark.parametrize(
    ("judges", "votes", "message"),
    [
        ({"a": 10}, {"a": 1, "b": 1}, "couple b"),
        ({"a": 10, "b": 5}, {"a": 1}, "no votes for this couple"),
        ({"a": 10, "b": 5}, {"a": 0, "b": 0}, "add up to zero"),
        ({"a": 10, "b": 5}, {"a": -1, "b": 3}, "cannot be negative"),
    ],
)
def test_bad_input_names_the_couple_and_week(
    judges: dict[str, int], votes: dict[str, int], message: str
) -> None:
    with pytest.raises(ShowError, match=message) as info:
        combine(["a", "b"], judges, votes, Rules(), week="3")
    assert "week 3" in str(info.value)


PANEL_SYTYCD = [Judge("Mary"), Judge("Adam"), Judge("Nigel", head=True)]


def test_sytycd_bottom_three_by_votes_and_the_judges_choose() -> None:
    couples = ["a", "b", "c", "d", "e"]
    votes = {"a": 50, "b": 40, "c": 30, "d": 20, "e": 10}
    out = combine(
        couples, {}, votes, PRESETS["sytycd"], panel=PANEL_SYTYCD,
        save_votes={"Mary": "d", "Adam": "c", "Nigel": "c"},
    )  # fmt: skip
    assert out.bottom == ("c", "d", "e") and out.eliminated == ("c",)
    assert out.save is not None and out.save.head_voted  # 1–1 split: Nigel decides


def test_judges_choice_head_silent_and_three_way_casting_vote() -> None:
    agreed = judges_choice(["x", "y", "z"], PANEL_SYTYCD, {"Mary": "z", "Adam": "z"}, head="Nigel")
    assert (agreed.eliminated, agreed.head_voted) == ("z", False)
    split = judges_choice(
        ["x", "y", "z"], PANEL_SYTYCD, {"Mary": "x", "Adam": "y", "Nigel": "z"}, head="Nigel"
    )
    assert (split.eliminated, split.casting_vote) == ("z", True)
    with pytest.raises(ShowError, match="not in the bottom 3"):
        judges_choice(["x", "y", "z"], PANEL_SYTYCD, {"Mary": "w", "Adam": "y"}, head="Nigel")


def test_save_needs_a_bottom_two() -> None:
    with pytest.raises(ShowError, match="bottom two"):
        Rules(save="judges", bottom=3)
