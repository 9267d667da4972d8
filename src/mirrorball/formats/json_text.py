"""JSON text and files in, plain values out, with every way JSON can go wrong named as an InputError.

One reader for every JSON input (round marks, show weeks, seasons, votes), so they all refuse the same
things the same way: bytes that are not UTF-8, invalid JSON, nesting too deep for the parser, numbers
too long to convert, and a key given twice in one object — which `json.loads` would otherwise settle
silently by keeping the last value (a couple listed twice would lose its first row of marks).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from mirrorball.formats.errors import InputError


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def decode_json(text: str, *, source: str) -> Any:
    """Parse JSON text; `source` names it in errors."""
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno
        ) from None
    except _DuplicateKey as exc:
        raise InputError(f"the key {exc.key!r} appears twice in one object", source=source) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", source=source) from None
    except ValueError as exc:  # e.g. an integer longer than Python converts (4300 digits)
        raise InputError(f"a number in the JSON cannot be read: {exc}", source=source) from None


def decode_utf8(raw: bytes, *, source: str) -> str:
    """File bytes as text: UTF-8 (a byte-order mark is allowed), or an error naming the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); save it as UTF-8", source=source) from None


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, or an error naming the file and why it cannot be read (missing, a directory, …)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", source=str(path)) from None


def read_json_file(path: str | Path) -> Any:
    """Parsed JSON from a file, or an InputError naming the file (and the line, for bad JSON)."""
    return decode_json(decode_utf8(read_bytes(path), source=str(path)), source=str(path))


class FieldReader:
    """Walks the JSON with a field path, so every error says where it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, problem: str, path: str) -> InputError:
        return InputError(problem, source=self.source, field=path or None)

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail("expected an object", path)
        return value

    def arr(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail("expected a list", path)
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail("expected a non-empty string", path)
        return value

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        return tuple(self.text(v, f"{path}[{i}]") for i, v in enumerate(self.arr(value, path)))

    def number(self, value: Any, path: str) -> Fraction:
        return number(value, path, self)

    def integer(self, value: Any, path: str) -> int:
        # bool is an int in Python; true as a rank or a count is a typing slip, not a 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"expected a whole number, got {json.dumps(value)}", path)
        return value

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail("expected true or false", path)
        return value


def number(value: Any, path: str, reader: FieldReader | None = None) -> Fraction:
    """An exact number from JSON: 7, 7.5 (read as 15/2 exactly) or "15/2"."""
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            return Fraction(value)
        if isinstance(value, float):
            return Fraction(str(value))
        if isinstance(value, str):
            return Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        pass
    problem = f"expected a number (7, 7.5 or '15/2'), got {value!r}"
    raise reader.fail(problem, path) if reader else InputError(problem, field=path)
