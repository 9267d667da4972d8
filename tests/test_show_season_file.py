"""The season file: round trip, exact numbers, and errors that name the week, routine and field."""

from __future__ import annotations

import copy
import json
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

from mirrorball.formats.errors import InputError
from mirrorball.formats.season import read_season, season_from_dict, season_to_dict, write_season

SMALL: dict[str, Any] = {
    "format": "mirrorball-season/1",
    "name": "Test season",
    "rules": {"method": "percentage", "bottom": 2},
    "couples": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
    "judges": [{"name": "Len", "head": True}, {"name": "Bruno"}, {"name": "Guest", "role": "guest"}],
    "weeks": [
        {
            "label": "1",
            "routines": [
                {"couples": ["A"], "dance": "Waltz", "marks": {"Len": 7, "Bruno": "15/2"}},
                {"couples": ["B"], "dance": "Jive", "marks": {"Len": 6, "Bruno": 6.5}},
                {"couples": ["C"], "dance": "Tango", "marks": {"Len": 5, "Bruno": 5}},
                {"couples": ["A", "B", "C"], "dance": "Team freestyle", "marks": {"Len": 8, "Bruno": 8}},
            ],
            "eliminate": 0,
        },
        {
            "label": "2",
            "includes": ["1"],
            "rules": {"save": "judges"},
            "routines": [
                {
                    "couples": ["A"],
                    "dance": "Rumba",
                    "marks": [
                        {"judge": "Len", "score": 7, "component": "technical"},
                        {"judge": "Len", "score": 8, "component": "performance"},
                    ],
                },
                {"couples": ["B"], "dance": "Salsa", "marks": {"Len": 9}},
                {"couples": ["C"], "dance": "Samba", "marks": {"Len": 4, "Guest": 10}},
            ],
            "bonuses": [{"couple": "C", "points": 2, "kind": "dance-off"}],
        },
    ],
}


def test_round_trip_keeps_exact_numbers(tmp_path: Path) -> None:
    season = season_from_dict(SMALL, "small.json")
    assert season.weeks[0].routines[1].total == F(25, 2)  # 6 + 6.5, with 6.5 read as exactly 13/2
    assert season.weeks[1].rules is not None and season.weeks[1].rules.save == "judges"
    assert season.weeks[1].rules.bottom == 2  # week override keeps the season's other rules
    path = tmp_path / "season.json"
    write_season(season, path)
    assert read_season(path) == season
    assert season_to_dict(read_season(path)) == season_to_dict(season)


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "where", "what"),
    [
        (lambda d: d["weeks"][1]["routines"][1]["marks"].update(Len=11), "weeks[1]", "outside 1–10"),
        (lambda d: d["weeks"][0]["routines"][0]["marks"].update(Craig=7), "weeks[0]", "judge Craig"),
        (lambda d: d["weeks"][0]["routines"][2].update(couples=["Z"]), "weeks[0]", "couple Z"),
        (lambda d: d["weeks"][0]["routines"][0]["marks"].update(Len="seven"),
         "weeks[0].routines[0].marks.Len", "expected a number"),
        (lambda d: d["weeks"][1].update(includes=["9"]), "weeks[1].includes", "not an earlier week"),
        (lambda d: d["rules"].update(method="coin-toss"), "rules", "unknown method"),
        (lambda d: d["rules"].update(speed=3), "rules.speed", "unknown rule"),
        (lambda d: d.update(format="other"), "format", "not a season file"),
        (lambda d: d["weeks"][0].pop("label"), "weeks[0].label", "non-empty string"),
    ],
)  # fmt: skip
def test_bad_files_name_the_field(change: Any, where: str, what: str) -> None:
    with pytest.raises(InputError) as info:
        season_from_dict(_broken(change), "bad.json")
    message = str(info.value)
    assert "bad.json" in message and where in message and what in message


def test_unreadable_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n "format": \n}', encoding="utf-8")
    with pytest.raises(InputError, match="line 3"):
        read_season(path)
    assert json.loads(json.dumps(SMALL))  # the fixture itself is plain JSON
