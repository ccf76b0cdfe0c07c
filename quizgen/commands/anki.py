"""``quizgen anki``: one Anki package per deck and language."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizgen.commands.planning import Options, Output, Planned, each_language, run_formats
from quizgen.errors import Problem, QuizgenError, display_path
from quizgen.output import build_time

if TYPE_CHECKING:
    from quizgen.render.previous import Previous

log = logging.getLogger(__name__)


def _previous(path: Path, warnings: list[Problem]) -> Previous | None:
    """The package quizgen wrote at ``path`` before, if there is one it can use. One it cannot
    use is a warning naming it, and the build goes on as without a previous package; what is not
    a file at all (a FIFO, a device, a dangling link) is an error."""
    from quizgen.files import FileFault, present
    from quizgen.render.previous import Unusable, read_previous

    if not present(path):
        return None
    try:
        return read_previous(path)
    except FileFault as exc:
        raise QuizgenError(f"{display_path(path)}: cannot read the previous package: {exc}; "
                           "remove it, or give --previous a folder of packages") from None
    except Unusable as exc:
        warnings.append(Problem(str(path), 0, 0, f"cannot use the previous package: {exc}; "
                                "building as if there were none (every note counts as new)",
                                severity="warning"))
        return None


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Build every deck language's package in memory."""
    from quizgen.images import MEDIA
    from quizgen.render.anki import build_package

    now = build_time()
    out = []
    for deck, language, data, catalog in each_language(planned, options.lang, lazy=True):
        name = f"{deck.loaded.deck.id}.{language}.apkg"
        previous = _previous((options.previous_dir or Path("build")) / name, options.warnings)
        package = build_package(data, catalog=catalog, now=now, previous=previous,
                                media=deck.loaded.root / MEDIA)
        summary = (f"{package.notes} notes, {package.cards} cards; {package.new} new, "
                   f"{package.changed} changed, {package.unchanged} unchanged")
        out.append(Output(name, package.data, summary))
    return out


def run(*, content: Path, out: Path, lang: str | None, seed: int, selection: dict[str, Any],
        previous: Path | None, force: bool = False, strict: bool = False) -> None:
    """Build every package in memory first, then write them all."""
    if previous is not None and not previous.is_dir():
        raise QuizgenError(f"--previous {previous}: no such folder; give the folder that holds "
                           "the packages learners last imported, or leave --previous out")
    previous_dir = previous or out
    # Packages in --out are outputs, tracked as such; packages elsewhere are inputs.
    others = [] if previous_dir.resolve() == out.resolve() else sorted(previous_dir.glob("*.apkg"))
    run_formats("anki", ["anki"], content=content, out=out, selection=selection,
                options=Options(lang=lang, seed=seed, previous_dir=previous_dir), force=force,
                strict=strict, extra_inputs=others)
