"""``quizgen html``: an offline self-test page per deck and language."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from quizgen.commands.planning import (
    Options,
    Output,
    Planned,
    each_language,
    page_giveaways,
    run_formats,
)

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's self-test page, in memory."""
    from quizgen.render.common import deck_template_errors
    from quizgen.render.html import render_page

    options.warnings += page_giveaways(planned)
    out = []
    for deck, language, data, catalog in each_language(planned, options.lang):
        with deck_template_errors(deck.loaded.root):
            page = render_page(data, catalog, deck_root=deck.loaded.root)
        out.append(Output(f"{deck.loaded.deck.id}.{language}.html", page.encode(),
                          f"self-test, {len(deck.plans)} questions"))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict[str, Any],
        force: bool = False, strict: bool = False) -> None:
    """Build every page in memory first, then write them all."""
    run_formats("html", ["html"], content=content, out=out, selection=selection,
                options=Options(lang=lang, seed=seed), force=force, strict=strict)
