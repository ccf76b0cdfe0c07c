"""``quizgen export json``: the question set, one file per deck and language."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from quizgen.content import LoadedDeck, load_content
from quizgen.errors import QuizgenError, display_path
from quizgen.output import write_atomic
from quizgen.questions import build_question_set
from quizgen.select import select

log = logging.getLogger(__name__)


def languages_of(loaded: LoadedDeck, lang: str | None) -> list[str]:
    """The languages to build a deck in: all of them, or the one asked for."""
    if lang is None:
        return list(loaded.deck.languages)
    return [lang] if lang in loaded.deck.languages else []


def check_language(decks: list[LoadedDeck], lang: str | None) -> None:
    """Refuse a --lang that no deck is written in."""
    if lang is None:
        return
    known = sorted({code for d in decks for code in d.deck.languages})
    if lang not in known:
        raise QuizgenError(f'--lang {lang}: no deck is written in "{lang}"; '
                           f"languages: {', '.join(known)}")


def question_files(decks: list[LoadedDeck], *, lang: str | None, seed: int,
                   selection: dict) -> list[tuple[str, bytes, int]]:
    """Render every deck's selected questions: (file name, JSON bytes, question count)."""
    out = []
    for loaded in decks:
        questions = build_question_set(loaded, seed=seed)
        for warning in questions.warnings:
            click.echo(str(warning), err=True)
        plans = select(questions.plans, seed=seed, **selection)
        for language in languages_of(loaded, lang):
            data = questions.render(language, plans)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            out.append((f"{loaded.deck.id}.{language}.json", text.encode(), len(plans)))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict) -> None:
    """Build every file in memory first, then write them all."""
    decks = load_content(content)
    check_language(decks, lang)
    files = question_files(decks, lang=lang, seed=seed, selection=selection)
    for name, data, count in files:
        write_atomic(out / name, data)
        click.echo(f"wrote {display_path(out / name)} ({count} questions)")
