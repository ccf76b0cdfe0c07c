"""``quizgen anki``: one Anki package per deck and language."""

from __future__ import annotations

import logging
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizgen.catalog import load_catalog
from quizgen.commands.export import check_language, languages_of
from quizgen.content import LoadedDeck, load_content
from quizgen.errors import ContentError, display_path
from quizgen.output import build_time, write_atomic
from quizgen.questions import build_question_set
from quizgen.select import select

if TYPE_CHECKING:
    from quizgen.render.anki import Previous

log = logging.getLogger(__name__)


@dataclass
class Output:
    """One file made in memory, and the line that reports it once written."""

    name: str
    data: bytes
    summary: str


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


def anki_files(decks: list[LoadedDeck], *, lang: str | None, seed: int, selection: dict,
               previous_dir: Path) -> list[Output]:
    """Build every deck language's package in memory."""
    from quizgen.render.anki import build_package

    now = build_time()
    out = []
    for loaded in decks:
        questions = build_question_set(loaded, seed=seed)
        for warning in questions.warnings:
            click.echo(str(warning), err=True)
        plans = select(questions.plans, seed=seed, **selection)
        for language in languages_of(loaded, lang):
            catalog, problems = load_catalog(language, loaded.root)
            if catalog is None:
                raise ContentError(problems)
            name = f"{loaded.deck.id}.{language}.apkg"
            package = build_package(questions.render(language, plans), catalog=catalog, now=now,
                                    previous=_previous(previous_dir / name))
            summary = (f"{package.notes} notes, {package.cards} cards; {package.new} new, "
                       f"{package.changed} changed, {package.unchanged} unchanged")
            out.append(Output(name, package.data, summary))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict,
        previous: Path | None) -> None:
    """Build every package in memory first, then write them all."""
    decks = load_content(content)
    check_language(decks, lang)
    files = anki_files(decks, lang=lang, seed=seed, selection=selection,
                       previous_dir=previous or out)
    for item in files:
        write_atomic(out / item.name, item.data)
        click.echo(f"wrote {display_path(out / item.name)} ({item.summary})")
