"""The real DWTS seasons: the import reproduces the source's own totals, the S19 finale and the S28
judges' save votes."""

from __future__ import annotations

import json
from fractions import Fraction as F
from importlib import resources

import pytest

from mirrorball.formats.dwts import BUNDLED, bundled_raw, bundled_season, chart_mismatches
from mirrorball.formats.season import season_from_dict, season_to_dict
from mirrorball.scoring.show import decision_points, judges_save
from mirrorball.scoring.show.progression import panel_of, run_season


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_import_reproduces_every_scoring_chart_cell(name: str) -> None:
    raw = bundled_raw(name)
    season = bundled_season(name)
    assert chart_mismatches(raw, season) == []
    # every routine's paddles add up to the row's own total (checked on import) and all were imported
    rows = sum(len(w["performances"]) + len(w.get("team_dances", [])) for w in raw["weeks"])
    assert sum(len(w.routines) for w in season.weeks) == rows
    numeric = sum(
        1
        for r in raw["scoring_chart"]["rows"]
        for c in r["cells"].values()
        if c.get("raw", "").strip("+").strip()
    )
    assert numeric > 40


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_shipped_season_files_are_the_import(name: str) -> None:
    ref = resources.files("mirrorball").joinpath("data", "show", f"{name}.json")
    shipped = json.loads(ref.read_text(encoding="utf-8"))
    assert season_to_dict(bundled_season(name)) == shipped
    assert season_from_dict(shipped, name) == bundled_season(name)


def test_season_19_finale_totals_from_the_paddles() -> None:
    season = bundled_season("dwts-19")
    final = season.week("11")
    assert final.final and final.includes == ("11 night 1",)
    paddles = [m.score for w in (season.week("11 night 1"), final) for r in w.routines for m in r.marks]
    assert all(p.denominator == 1 and 1 <= p <= 10 for p in paddles)
    assert decision_points(season, final) == {
        "Sadie & Mark": 118,
        "Janel & Val": 117,
        "Alfonso & Witney": 120,
    }
    places = dict(final.recorded.placements) if final.recorded else {}
    assert places == {"Alfonso & Witney": 1, "Sadie & Mark": 2, "Janel & Val": 3}


def test_season_19_team_dance_and_dance_off_bonus() -> None:
    season = bundled_season("dwts-19")
    week7 = decision_points(season, season.week("7"))
    assert week7["Alfonso & Witney"] == 36 + 32  # own routine + team freestyle
    week8 = season.week("8")
    bonus = {b.couple: (b.kind, b.points) for b in week8.bonuses}
    assert bonus["Janel & Val"] == ("immunity", 3) and bonus["Alfonso & Witney"] == ("dance-off", 3)
    assert "Sadie & Mark" not in bonus  # lost the dance-off
    assert week8.immune == ("Janel & Val",)


def test_season_28_judges_save_reproduced_from_the_recorded_votes() -> None:
    season = bundled_season("dwts-28")
    checked = 0
    for week in season.weeks:
        rec = week.recorded
        if rec is None or not rec.save_votes:
            continue
        prefs = {v.judge: v.couple or v.preference for v in rec.save_votes if v.couple or v.preference}
        result = judges_save(
            rec.bottom, panel_of(season, week), {j: c for j, c in prefs.items() if c}, head="Len Goodman"
        )
        assert (result.eliminated,) == rec.eliminated, week.label
        recorded_len = next(v for v in rec.save_votes if v.judge == "Len Goodman")
        assert result.head_voted == (recorded_len.couple is not None), week.label
        cast = {v.judge: v.couple for v in result.votes}
        assert cast == {v.judge: v.couple for v in rec.save_votes}, week.label
        checked += 1
    assert checked == 7


def test_season_28_week_2_split_decided_by_the_head_judge() -> None:
    season = bundled_season("dwts-28")
    week = season.week("2")
    assert week.recorded is not None and week.includes == ("1",)
    result = judges_save(
        week.recorded.bottom,
        panel_of(season, week),
        {
            "Carrie Ann Inaba": "Mary & Brandon",
            "Bruno Tonioli": "Ray & Cheryl",
            "Len Goodman": "Ray & Cheryl",
        },
        head="Len Goodman",
    )
    assert result.head_voted and result.saved == "Ray & Cheryl" and result.eliminated == "Mary & Brandon"


def test_season_27_finale_and_double_eliminations() -> None:
    season = bundled_season("dwts-27")
    final = season.week("9")
    assert decision_points(season, final) == {
        "Alexis & Alan": 57, "Bobby & Sharna": 54, "Evanna & Keo": 60, "Milo & Witney": 60,
    }  # fmt: skip
    assert season.week("7").eliminate == 2 and season.week("8").eliminate == 2
    assert season.week("6").includes == ("5",) and season.week("5").eliminate == 0


def test_running_a_real_season_without_votes_gives_outlooks_not_invented_results() -> None:
    season = bundled_season("dwts-27")
    reports = run_season(season)
    assert all(r.outcome is None for r in reports)  # votes unknown: no decision is made up
    finale = reports[-1]
    assert finale.cumulative["Bobby & Sharna"] < finale.cumulative["Milo & Witney"]
    week3 = next(r for r in reports if r.week.label == "3")
    assert week3.outlook is not None and week3.judges_share and sum(week3.judges_share.values()) == F(1)
