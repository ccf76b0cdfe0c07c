"""``quizgen html``: an offline self-test page per deck and language."""

from __future__ import annotations

import logging
from pathlib import Path

from quizgen.commands.planning import Output, Planned, each_language, run_outputs

log = logging.getLogger(__name__)


def html_files(planned: list[Planned], *, lang: str | None) -> list[Output]:
    """Every deck language's self-test page, in memory."""
    from quizgen.render.html import render_page

    return [Output(f"{deck.loaded.deck.id}.{language}.html", render_page(data, catalog).encode(),
                   f"self-test, {len(deck.plans)} questions")
            for deck, language, data, catalog in each_language(planned, lang)]


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict,
        force: bool = False) -> None:
    """Build every page in memory first, then write them all."""
    run_outputs("html", lambda planned: html_files(planned, lang=lang),
                content=content, out=out, lang=lang, seed=seed, selection=selection, force=force)
