"""Problems found in content, and the exceptions that carry them to the user."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click

log = logging.getLogger(__name__)


def display_path(path: Path | str) -> str:
    """Return ``path`` relative to the working directory where that is shorter, for messages."""
    path = Path(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    if rel == ".":  # the working folder itself: its name says more
        return str(path.resolve())
    return rel if len(rel) < len(str(path)) else str(path)


def say_reading(folder: Path, facts: int | None) -> None:
    """Say which deck a command reads: ``reading content/afghanistan-russia (99 facts)``;
    ``facts`` None: the deck cannot be used."""
    what = ("cannot be used: see the problems below" if facts is None
            else f"{facts} fact{'' if facts == 1 else 's'}")
    click.echo(f"reading {display_path(folder)} ({what})", err=True)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the content: where it is, which fact, and what to do about it."""

    file: str
    line: int
    column: int
    message: str
    fact: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.line:  # 0: a problem of the whole file (an output, say), at no place in it
            where += f":{self.line}:{self.column}"
        who = f" fact {self.fact}:" if self.fact else ""
        level = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{level}{who} {self.message}"

    def as_dict(self) -> dict[str, object]:
        """Return the problem as a JSON-ready mapping."""
        return {
            "file": display_path(self.file),
            "line": self.line or None,
            "column": self.column or None,
            "fact": self.fact,
            "message": self.message,
            "text": str(self),
        }


class QuizgenError(click.ClickException):
    """Base of every error a user should see as a message and exit status 1, not a traceback."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"quizgen: {self.format_message()}", err=True, file=file)


class ContentError(QuizgenError):
    """The content has problems; every one of them is reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the content")

    def show(self, file: IO[Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True, file=file)
        click.echo(f"quizgen: {self.format_message()}; nothing was written.", err=True, file=file)


def show_warnings(problems: Iterable[Problem]) -> None:
    """Print warnings (content, planning or rendering ones) the one way every command does."""
    for problem in sorted(problems):
        click.echo(str(problem), err=True)


class StrictError(QuizgenError):
    """``--strict`` and warnings: the command stops as for errors."""

    def __init__(self, count: int) -> None:
        super().__init__(f"--strict: {count} warning{'s' if count != 1 else ''}, which "
                         "--strict counts as errors; nothing was written")
