"""Problems found in a scenario, as values: collected, sorted, then raised together."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem, located in a file (`line`, `col` 1-based) or in a `--set` override.

    A `warning` is legal but probably not meant (scenario/lint.py); anything else is an error.
    """

    source: str
    line: int = 0
    col: int = 0
    message: str = ""
    warning: bool = False

    def __str__(self) -> str:
        text = f"warning: {self.message}" if self.warning else self.message
        if self.line:
            return f"{self.source}:{self.line}:{self.col}: {text}"
        return f"{self.source}: {text}"

    def as_json(self) -> dict[str, object]:
        """For `--json`: line and col are null for a problem of a `--set` override."""
        return {
            "source": self.source,
            "line": self.line or None,
            "col": self.col or None,
            "severity": "warning" if self.warning else "error",
            "message": self.message,
        }


def verdict(found: Iterable[Problem]) -> dict[str, object]:
    """What `acsasim validate --json` (and the workbench's API) says of one file's problems:
    ok unless there is an error; errors and warnings listed apart."""
    found = list(found)
    return {
        "ok": not any(not p.warning for p in found),
        "problems": [p.as_json() for p in found if not p.warning],
        "warnings": [p.as_json() for p in found if p.warning],
    }


class ScenarioError(Exception):
    """A scenario (or its overrides) is not valid; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def closest(word: object, options: Iterable[str]) -> str | None:
    """The option nearest to `word`, or None when none is close. Case is ignored, so `ph`
    finds `PH`: party codes are upper case and most other ids lower case."""
    folded: dict[str, str] = {}
    for option in sorted(options):
        folded.setdefault(option.casefold(), option)
    close = difflib.get_close_matches(str(word).casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def did_you_mean(word: object, options: Iterable[str], prefix: str = "") -> str:
    """'; did you mean 'x'?' for the closest option, or '' when none is close."""
    best = closest(word, options)
    return f"; did you mean '{prefix}{best}'?" if best else ""
