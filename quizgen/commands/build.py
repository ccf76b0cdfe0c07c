"""``quizgen build``: every registered output format, for every deck, in one run."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from quizgen.commands.check import deck_summary, plural
from quizgen.commands.formats import FORMATS
from quizgen.commands.planning import Batch, Options, Output, run_formats

log = logging.getLogger(__name__)


def reports(batch: Batch) -> list[Output]:
    """Each deck's content report, ``<deck>.check.json``."""
    out = []
    for deck in batch.planned:
        loaded = deck.loaded
        report = {"deck": loaded.deck.id, "seed": batch.options.seed,
                  "language": batch.options.lang, **deck_summary(loaded, batch.quotes_checked),
                  "warnings": [p.as_dict() for p in batch.warnings
                               if Path(p.file).resolve().is_relative_to(loaded.root.resolve())]}
        out.append(Output(f"{loaded.deck.id}.check.json",
                          (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode(),
                          f"content report: {plural(len(loaded.facts), 'fact')}, "
                          f"{plural(len(loaded.sources), 'source')}"))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict[str, Any],
        versions: int = 1, paper: str = "a4", sources_dir: Path | None = None,
        quiet: bool = False, force: bool = False, strict: bool = False) -> None:
    """Validate everything first (quotes too, with ``sources_dir``), then make every output
    format's files, each with the options its own command takes, and write them all."""
    try:
        documents = sorted(p for p in sources_dir.iterdir() if p.is_file()) if sources_dir else []
    except OSError as exc:
        from quizgen.errors import QuizgenError
        from quizgen.output import reason

        raise QuizgenError(f"--sources-dir {sources_dir}: cannot list the folder: "
                           f"{reason(exc)}") from None
    run_formats("build", list(FORMATS), content=content, out=out, selection=selection,
                options=Options(lang=lang, seed=seed, versions=versions, paper=paper,
                                quiet=quiet, previous_dir=out),
                force=force, strict=strict, extra=reports,
                state_options={"sources_dir": sources_dir, "versions": versions,
                               "paper": paper},
                extra_inputs=documents, sources_dir=sources_dir)
