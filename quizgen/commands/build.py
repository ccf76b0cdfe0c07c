"""``quizgen build``: every output quizgen can make, for every deck, in one run."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from quizgen.commands.anki import anki_files
from quizgen.commands.check import deck_summary, load_and_verify, plural
from quizgen.commands.export import question_files
from quizgen.commands.html import html_files
from quizgen.commands.pdf import WORKSHEET_COUNT, pdf_files
from quizgen.commands.planning import EVERYTHING, Output, check_language, plan, write_all
from quizgen.content import find_deck_dirs
from quizgen.errors import ContentError
from quizgen.incremental import BuildState

log = logging.getLogger(__name__)


def run(*, content: Path, out: Path, lang: str | None, seed: int,
        sources_dir: Path | None, quiet: bool = False, force: bool = False) -> None:
    """Validate everything first, then write each deck's outputs into ``out``."""
    documents = sorted(p for p in sources_dir.iterdir() if p.is_file()) if sources_dir else []
    state = BuildState(out, "build", {"lang": lang, "seed": seed, "sources_dir": sources_dir},
                       force=force, extra_inputs=documents)
    stale = state.stale(find_deck_dirs(content))
    if not stale:
        state.say_up_to_date()
        return
    result, checked = load_and_verify(content, sources_dir)
    state.say_up_to_date()
    if result.errors:
        raise ContentError(result.errors)
    for warning in sorted(result.warnings):
        click.echo(str(warning), err=True)
    check_language(result.decks, lang)
    decks = [d for d in result.decks if d.root.resolve() in stale]
    # Every output is made in memory first; only when all of them are ready is anything written.
    planned = plan(decks, seed=seed, selection=EVERYTHING)
    outputs = [*question_files(planned, lang=lang),
               *anki_files(planned, lang=lang, previous_dir=out),
               *html_files(planned, lang=lang)]
    worksheets = [p.reselect({**EVERYTHING, "count": WORKSHEET_COUNT}, seed=seed)
                  for p in planned]
    outputs += pdf_files(worksheets, lang=lang, seed=seed, versions=1, paper="a4", quiet=quiet)
    reports = []
    for loaded in decks:
        summary = deck_summary(loaded, checked)
        report = {"deck": loaded.deck.id, "seed": seed, "language": lang, **summary,
                  "warnings": [p.as_dict() for p in sorted(result.warnings)]}
        reports.append(Output(f"{loaded.deck.id}.check.json",
                              (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode(),
                              f"content report: {plural(len(loaded.facts), 'fact')}, "
                              f"{plural(len(loaded.sources), 'source')}"))
    write_all(out, reports + outputs, state=state, decks=decks)
