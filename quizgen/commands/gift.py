"""``quizgen export gift``: the question set as GIFT, one file per deck and language."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import click

from quizgen.commands.planning import Options, Output, Planned, each_language

if TYPE_CHECKING:
    from quizgen.render.gift import LeftOut

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's questions as GIFT; what GIFT cannot carry is said, a line per
    type with its count, never dropped unsaid. It is no warning about the content (``--strict``
    does not refuse it): every deck with an ordering question would fail."""
    from quizgen.render.gift import write

    out = []
    for deck, language, data, catalog in each_language(planned, options.lang):
        written = write(data, catalog)
        name = f"{deck.loaded.deck.id}.{language}.gift"
        for left in written.left_out:
            click.echo(f"warning: gift: {left.count} {_plural(left)} left out of {name} "
                       f"({left.reason})", err=True)
        summary = f"{written.questions} questions"
        if written.left_out:
            summary += "; left out: " + ", ".join(f"{left.count} {_plural(left)}"
                                                  for left in written.left_out)
        out.append(Output(name, written.text.encode(), summary))
    return out


def _plural(left: LeftOut) -> str:
    """What was left out, in words: "2 ordering questions", "1 cloze accepted answer"."""
    what = left.type.replace("_", " ")
    return what if left.count == 1 else f"{what}s"
