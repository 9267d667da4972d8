"""The outlook on known weeks: Strictly's 2008 semi-final and the DWTS worked example."""

from __future__ import annotations

from fractions import Fraction as F

from mirrorball.scoring.show import PRESETS, Rules, combine, outlook

SEMI = {"Lisa": 75, "Rachel": 75, "Tom": 67}


def test_strictly_2008_tom_in_the_dance_off_whatever_the_vote() -> None:
    look = outlook(list(SEMI), SEMI, PRESETS["strictly-2008"])
    tom = look.of("Tom")
    assert tom.certain_bottom and not tom.can_be_safe and tom.fate_fixed
    assert look.fixed == ("Tom",)
    assert look.of("Lisa").can_be_safe and look.of("Lisa").can_be_bottom
    # Even Tom topping the vote leaves him in the bottom two: 1 + 3 = 4 against 3 + 1 and 3 + 2.
    out = combine(list(SEMI), SEMI, {"Lisa": 1, "Rachel": 2, "Tom": 3}, PRESETS["strictly-2008"])
    assert "Tom" in out.bottom


def test_dense_policy_gives_the_vote_back_its_say() -> None:
    look = outlook(list(SEMI), SEMI, PRESETS["strictly"])
    tom = look.of("Tom")
    assert tom.can_be_safe and tom.can_be_bottom and not tom.fate_fixed
    assert look.fixed == ()
    safe_votes = tom.witnesses["safe"]
    assert "Tom" not in combine(list(SEMI), SEMI, safe_votes, PRESETS["strictly"]).bottom


def test_percentage_thresholds_for_the_official_example() -> None:
    judges = {"A": 38, "B": 26, "C": 14}
    look = outlook(list(judges), judges, Rules())
    # A (19/39 of the judges) is out of the bottom two once its share beats B's handicap of 2/13:
    # s + (s + 2/13) = 1  →  s = 11/26.
    assert look.of("A").safe_share == F(11, 26)
    # C needs more than B's judges' lead over it (13/39 - 7/39 = 2/13) to escape elimination.
    assert look.of("C").danger_share == F(2, 13)
    assert all(c.can_be_eliminated and c.can_survive for c in look.couples)


def test_a_runaway_judges_leader_and_the_boundary_tie() -> None:
    rules = Rules(judges_weight=F(2))
    judges = {"A": 40, "B": 10, "C": 10}
    a = outlook(list(judges), judges, rules).of("A")
    # A's combined is at least 2·(2/3) = 4/3 and B reaches 2·(1/6) + 1 = 4/3 only with every vote: a tie,
    # which the vote tie-break gives to B. So A can be in the bottom two, exactly at that boundary.
    assert not a.can_be_eliminated and a.can_be_bottom
    assert a.witnesses["bottom"]["B"] == 1
    judges["A"] = 41  # now B falls short by 1/61 even with every vote
    a = outlook(list(judges), judges, rules).of("A")
    assert not a.can_be_bottom and a.fate_fixed and a.safe_share == 0
