"""The CSV marks format: what spreadsheets do is forgiven, what people get wrong is named."""

from __future__ import annotations

import pytest

from mirrorball.formats.errors import InputError
from mirrorball.formats.marks import DancePlacesMarks, FinalMarks, RecallMarks
from mirrorball.formats.marks_csv import parse
from mirrorball.scoring import Place

FINAL = "dance,couple,A,B,C\nWaltz,1,1,2,1\nWaltz,2,2,1,2\nTango,1,2,1,1\nTango,2,1,2,2\n"


def test_a_two_dance_final_keeps_judges_dances_and_couples_in_file_order() -> None:
    marks = parse(FINAL, source="f.csv")
    assert isinstance(marks, FinalMarks)
    assert marks.judges == ("A", "B", "C")
    assert marks.dances == ("Waltz", "Tango")
    assert marks.couples == ("1", "2")
    assert marks.ranks["Tango"]["2"] == (1, 2, 2)


def test_spreadsheet_habits_are_forgiven() -> None:
    messy = (
        "\ufeff# exported from a spreadsheet,,,,\r\n"
        " Dance ; Couple ; A ; B ; C ;;\r\n"
        "Waltz; 1 ;1;2;1;;\r\n"
        ";;;;;;\r\n"
        "Waltz;2;2;1;2\r\n"
        "Tango;1;2;1;1;;\r\nTango;2;1;2;2\r\n"
    )
    assert parse(messy, source="f.csv") == parse(FINAL, source="f.csv")


def test_tabs_work_too() -> None:
    assert parse(FINAL.replace(",", "\t"), source="f.tsv") == parse(FINAL, source="f.csv")


def test_without_a_dance_column_the_file_is_one_dance() -> None:
    marks = parse("couple,A,B\n1,1,2\n2,2,1\n", source="f.csv")
    assert isinstance(marks, FinalMarks)
    assert marks.dances == ("Dance",)
    assert marks.ranks["Dance"] == {"1": (1, 2), "2": (2, 1)}


def test_x_marks_make_a_recall_round_and_the_recall_line_gives_the_number() -> None:
    marks = parse("# recall: 1\ndance,couple,A,B\nSamba,7,X,\nSamba,8,,x\n", source="r.csv")
    assert isinstance(marks, RecallMarks)
    assert marks.recall == 1
    assert marks.crosses["Samba"] == {"7": (True, False), "8": (False, True)}


def test_a_recall_file_may_leave_the_number_to_the_command_line() -> None:
    marks = parse("dance,couple,A\nSamba,7,X\nSamba,8,\n", source="r.csv")
    assert isinstance(marks, RecallMarks)
    assert marks.recall is None


def test_places_column_reads_decimal_range_and_german_comma() -> None:
    text = "dance;couple;place\nW;1;1\nW;2;2,5\nW;3;2-3\nT;1;1\nT;2;2.5\nT;3;2.5\n"
    marks = parse(text, source="p.csv")
    assert isinstance(marks, DancePlacesMarks)
    assert marks.places["W"] == {"1": Place(1, 1), "2": Place(2, 3), "3": Place(2, 3)}


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("dance,couple,A,B\nW,1,1,\nW,2,2,1\n", 2, "B", "no rank"),
        ("dance,couple,A,B\nW,1,1,one\nW,2,2,1\n", 2, "B", "whole number"),
        ("dance,couple,A,B\nW,1,1,2\nW,1,2,1\n", 3, "couple", "already has a row"),
        ("dance,couple,A,B\nW,1,1,2,7\n", 2, None, "no heading"),
        ("dance,A,B\nW,1,2\n", 1, None, "no 'couple' column"),
        ("dance,couple,A,A\nW,1,1,2\n", 1, "A", "two columns"),
        ("dance,couple\nW,1\n", 1, None, "names no judges"),
        ("dance,couple,A\nW,,1\n", 2, "couple", "no couple number"),
        ("dance,couple,A,B\nW,1,X,2\nW,2,,X\n", 2, "B", "X or an empty cell"),
        ("# recall: six\ndance,couple,A\nW,1,X\n", 1, "recall", "whole number"),
        ("# kind: semifinal\ndance,couple,A\nW,1,1\n", 1, "kind", "unknown kind"),
        ("dance,couple,place\nW,1,first\n", 2, "place", "a place is a number"),
        ("dance,couple,place\nW,1,3-2\n", 2, "place", "a place is a number"),
        ("# only a comment\n", None, None, "no heading row"),
        ("dance,couple,A\n", None, None, "no marks under it"),
        ('dance,couple,A\nW,"1,1\n', 2, None, "CSV"),
    ],
)
def test_mistakes_name_file_line_and_field(
    text: str, line: int | None, field: str | None, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse(text, source="marks.csv")
    error = caught.value
    assert (error.source, error.line, error.field) == ("marks.csv", line, field)
    assert words in error.problem
    assert str(error).startswith("marks.csv")


def test_a_couple_missing_from_one_dance_is_named() -> None:
    with pytest.raises(InputError, match="couple 2 has marks in Waltz but none in Tango"):
        parse("dance,couple,A\nWaltz,1,1\nWaltz,2,2\nTango,1,1\n", source="f.csv")
