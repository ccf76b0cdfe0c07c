"""What the LMS formats' commands share: a file per deck and language, and a line for what the
format could not carry."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from quizgen.commands.planning import Options, Output, Planned, each_language

if TYPE_CHECKING:
    from quizgen.render.lms import Written

log = logging.getLogger(__name__)


def lms_files(planned: list[Planned], options: Options, *, fmt: str, suffix: str,
              write: Callable[..., Written]) -> list[Output]:
    """Every deck language's questions as ``<deck>.<lang>.<suffix>``, ``write(data, catalog,
    media=...)`` given the deck's ``media/`` folder (the facts' images). What the format cannot
    carry is said, a line per kind with its count, never dropped unsaid. It is no warning about
    the content (``--strict`` does not refuse it): every deck with an ordering question would
    fail GIFT's."""
    from quizgen.images import MEDIA

    out = []
    for deck, language, data, catalog in each_language(planned, options.lang):
        written = write(data, catalog, media=deck.loaded.root / MEDIA)
        name = f"{deck.loaded.deck.id}.{language}.{suffix}"
        for left in written.left_out:
            click.echo(f"warning: {fmt}: {left.words()} left out of {name} ({left.reason})",
                       err=True)
        summary = f"{written.questions} questions"
        if written.left_out:
            summary += "; left out: " + ", ".join(left.words() for left in written.left_out)
        out.append(Output(name, written.data, summary))
    return out
