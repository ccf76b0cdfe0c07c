"""``quizgen html``: an offline self-test page per deck and language."""

from __future__ import annotations

import logging
from dataclasses import replace
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


ROUNDS = 3  # rounds a page of --count round holds: "New round" moves to the next


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's self-test page, in memory."""
    from quizgen.render.common import deck_template_errors
    from quizgen.render.html import render_page

    options.warnings += page_giveaways(planned)
    paged: list[tuple[Planned, list[list[str]]]] = []
    for deck in planned:
        chosen = deck.rounds(ROUNDS)
        every = [p for plans in chosen for p in plans]
        paged.append((replace(deck, plans=every), [[p.id for p in plans] for plans in chosen]))
    out = []
    for deck, rounds in paged:
        for _, language, data, catalog in each_language([deck], options.lang):
            with deck_template_errors(deck.loaded.root):
                page = render_page(data, catalog, deck_root=deck.loaded.root, rounds=rounds)
            held = (f"{len(rounds)} rounds of {', '.join(str(len(r)) for r in rounds)} questions"
                    if len(rounds) > 1 else f"{len(deck.plans)} questions")
            out.append(Output(f"{deck.loaded.deck.id}.{language}.html", page.encode(),
                              f"self-test, {held}"))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict[str, Any],
        force: bool = False, strict: bool = False) -> None:
    """Build every page in memory first, then write them all."""
    run_formats("html", ["html"], content=content, out=out, selection=selection,
                options=Options(lang=lang, seed=seed), force=force, strict=strict)
