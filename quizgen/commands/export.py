"""``quizgen export FORMAT``: the question set, one file per deck and language: JSON here;
the other formats (GIFT, Moodle XML) in their own modules (``formats.EXPORTS``)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizgen.commands.planning import Options, Output, Planned, each_language, run_formats
from quizgen.qtypes import RenderedSet

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's question set as JSON: orjson writes the bytes
    ``json.dumps(value, ensure_ascii=False, indent=2)`` would, 8-10 times faster (Python's
    encoder falls back to pure Python when indenting; tests/test_cli.py compares the two).
    Each file is rendered and encoded when it is written, its questions one at a time: one
    language's JSON is held at once, never every language's."""
    return [Output(f"{deck.loaded.deck.id}.{language}.json", _encoder(data),
                   f"{len(deck.plans)} questions")
            for deck, language, data, _ in each_language(planned, options.lang, lazy=True)]


def _encoder(data: RenderedSet) -> Callable[[], bytes]:
    return lambda: encode(data.json_data())


def encode(value: Any) -> bytes:
    """``value`` as indented JSON, byte for byte what ``json.dumps(value, ensure_ascii=False,
    indent=2)`` and a newline give. The two write a float under 1e-4 differently (``1e-05``:
    orjson ``0.00001``; ``1.5e-07``: orjson ``1.5e-7``): a file with anything that looks like
    it (rare: a figure that small in a deck, or such text) is written by Python's encoder."""
    import orjson

    out = orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"
    if re.search(rb"\de|0\.0000", out):
        out = (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict[str, Any],
        output_format: str = "json", force: bool = False, strict: bool = False) -> None:
    """Build every file in memory first, then write them all."""
    run_formats(f"export {output_format}", [output_format], content=content, out=out,
                selection=selection,
                options=Options(lang=lang, seed=seed), force=force, strict=strict)
