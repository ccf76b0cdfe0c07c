"""``quizgen anki``: one Anki package per deck and language."""

from __future__ import annotations

import logging
import sqlite3
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizgen.commands.planning import Output, Planned, each_language, run_outputs
from quizgen.errors import display_path
from quizgen.output import build_time

if TYPE_CHECKING:
    from quizgen.render.anki import Previous

log = logging.getLogger(__name__)


def _previous(path: Path) -> Previous | None:
    """The package quizgen wrote at ``path`` before, if there is one it can read."""
    from quizgen.render.anki import read_previous

    if not path.is_file():
        return None
    try:
        return read_previous(path.read_bytes())
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, sqlite3.Error) as exc:
        click.echo(f"warning: {display_path(path)}: not a package quizgen can read ({exc}); "
                   "every note counts as changed", err=True)
        return None


def anki_files(planned: list[Planned], *, lang: str | None, previous_dir: Path) -> list[Output]:
    """Build every deck language's package in memory."""
    from quizgen.render.anki import build_package

    now = build_time()
    out = []
    for deck, language, data, catalog in each_language(planned, lang, lazy=True):
        name = f"{deck.loaded.deck.id}.{language}.apkg"
        package = build_package(data, catalog=catalog, now=now,
                                previous=_previous(previous_dir / name))
        summary = (f"{package.notes} notes, {package.cards} cards; {package.new} new, "
                   f"{package.changed} changed, {package.unchanged} unchanged")
        out.append(Output(name, package.data, summary))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict,
        previous: Path | None, force: bool = False) -> None:
    """Build every package in memory first, then write them all."""
    previous_dir = previous or out
    # Packages in --out are outputs, tracked as such; packages elsewhere are inputs.
    others = [] if previous_dir.resolve() == out.resolve() else sorted(previous_dir.glob("*.apkg"))
    run_outputs("anki", lambda planned: anki_files(planned, lang=lang, previous_dir=previous_dir),
                content=content, out=out, lang=lang, seed=seed, selection=selection, force=force,
                extra_inputs=others)
