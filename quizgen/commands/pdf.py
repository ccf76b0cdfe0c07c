"""``quizgen pdf``: worksheets and answer keys per deck, language and form."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from quizgen.commands.planning import (
    Options,
    Output,
    Planned,
    each_language,
    page_giveaways,
    run_formats,
)
from quizgen.errors import QuizgenError
from quizgen.output import build_time

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Render every worksheet and key in memory, with a progress bar unless ``quiet``."""
    from quizgen.render.common import deck_template_errors
    from quizgen.render.pdf import Header, Renderer, created, font_configuration, to_pdf
    from quizgen.render.pdf import split_instructions as instructions_by_language

    options.warnings += page_giveaways(planned)
    tagged = {tag for tag in instructions_by_language(options.header.get("instructions") or ())
              if tag is not None}
    known = {language for deck in planned for language in deck.loaded.deck.languages}
    if tagged - known:
        decks = "decks" if len(planned) > 1 else "deck"
        raise QuizgenError(f"--instructions {sorted(tagged - known)[0]}:…: not a language of "
                           f"the {decks} ({', '.join(sorted(known))}); tag a paragraph with "
                           "one of these, or leave the tag out for all")
    stamp = created(build_time())
    documents = []
    for deck, _, data, catalog in each_language(planned, options.lang):
        header = Header.of(deck.loaded.deck.print_, data.language, options.header)
        with deck_template_errors(deck.loaded.root):
            documents += [(doc, len(deck.plans)) for doc in Renderer(
                data, catalog, deck_root=deck.loaded.root, header=header).documents(
                versions=options.versions, paper=options.paper, seed=options.seed,
                created=stamp)]
    fonts = font_configuration()
    out = []
    label = f"rendering {len(documents)} PDF{'' if len(documents) == 1 else 's'}"
    terminal = sys.stderr.isatty()
    if not options.quiet and not terminal:  # a log gets one line; a terminal, a progress bar
        click.echo(label, err=True)
    with click.progressbar(documents, label=label[0].upper() + label[1:], file=sys.stderr,
                           item_show_func=lambda d: d[0].name if d else None,
                           hidden=options.quiet or not terminal or len(documents) < 2) as bar:
        for document, count in bar:
            what = "worksheet" if document.kind == "worksheet" else "answer key"
            out.append(Output(document.name, to_pdf(document, fonts=fonts),
                              f"{what}, {count} questions"))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict[str, Any],
        versions: int, paper: str, quiet: bool, force: bool = False,
        strict: bool = False, header: dict[str, Any] | None = None) -> None:
    """Render every PDF in memory first, then write them all. ``header``: the options that
    override the deck's ``print:`` settings (school, class_, teacher, date, instructions)."""
    given = {k: v for k, v in (header or {}).items() if v}
    run_formats("pdf", ["pdf"], content=content, out=out, selection=selection,
                options=Options(lang=lang, seed=seed, versions=versions, paper=paper,
                                quiet=quiet, header=given), force=force, strict=strict,
                state_options={"versions": versions, "paper": paper, **given})
