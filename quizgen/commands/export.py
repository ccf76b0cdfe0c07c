"""``quizgen export json``: the question set, one file per deck and language."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from quizgen.commands.planning import Output, Planned, each_language, run_outputs

log = logging.getLogger(__name__)


def question_files(planned: list[Planned], *, lang: str | None) -> list[Output]:
    """Every deck language's question set as JSON."""
    return [Output(f"{deck.loaded.deck.id}.{language}.json",
                   (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(),
                   f"{len(deck.plans)} questions")
            for deck, language, data, _ in each_language(planned, lang)]


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict,
        force: bool = False) -> None:
    """Build every file in memory first, then write them all."""
    run_outputs("export json", lambda planned: question_files(planned, lang=lang),
                content=content, out=out, lang=lang, seed=seed, selection=selection, force=force)
