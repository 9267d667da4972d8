"""The example rounds shipped in the package (`mirrorball/data/examples/*.csv`), for trying things out.

The same files are in the repository's `examples/` folder for people to copy; a test keeps the two equal.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from mirrorball.formats.errors import InputError


def _folder() -> Traversable:
    return resources.files("mirrorball").joinpath("data", "examples")


def names() -> list[str]:
    """Example names (file names without `.csv`), sorted."""
    return sorted(
        entry.name.removesuffix(".csv") for entry in _folder().iterdir() if entry.name.endswith(".csv")
    )


def text(name: str) -> str:
    """The example's CSV text; an unknown name is an error listing the known ones."""
    if name not in names():
        raise InputError(
            f"no example named {name!r}; the examples are: {', '.join(names())}", field="--example"
        )
    return _folder().joinpath(f"{name}.csv").read_text(encoding="utf-8")


def summary(name: str) -> str:
    """The example's first comment line: what it shows."""
    first = text(name).splitlines()[0]
    return first.lstrip("# ").strip() if first.startswith("#") else ""
