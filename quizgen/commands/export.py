"""``quizgen export json``: the question set, one file per deck and language."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from quizgen.commands.planning import Options, Output, Planned, each_language, run_formats

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's question set as JSON."""
    return [Output(f"{deck.loaded.deck.id}.{language}.json",
                   (json.dumps(data.json_data(), ensure_ascii=False, indent=2) + "\n").encode(),
                   f"{len(deck.plans)} questions")
            for deck, language, data, _ in each_language(planned, options.lang)]


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict[str, Any],
        force: bool = False, strict: bool = False) -> None:
    """Build every file in memory first, then write them all."""
    run_formats("export json", ["json"], content=content, out=out, selection=selection,
                options=Options(lang=lang, seed=seed), force=force, strict=strict)
