"""The output formats, registered in one place: what `quizgen build` makes, and how each one is
made. A format is a module with ``files(planned, options) -> list[Output]``; it is imported only
when it is made, so that no command pays for another's libraries."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizgen.commands.planning import Options, Output, Planned

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Format:
    """One output format: its name, the module that makes it, how many questions it takes
    when the command does not say (None: every question), and whether it shows (or carries)
    the facts' images; a command making one that does not says so."""

    name: str
    module: str
    default_count: int | str | None = None
    shows_images: bool = False

    def files(self, planned: list[Planned], options: Options) -> list[Output]:
        """This format's files for every deck and language of ``planned``."""
        made: list[Output] = importlib.import_module(self.module).files(planned, options)
        return made


class UpTo(int):
    """A default question count: as many as the deck gives, up to this, and no warning when
    it gives fewer (a count the user asked for is a plain int, and a shortfall is said)."""


WORKSHEET_COUNT = UpTo(20)  # a classroom worksheet: about two sides of A4 and a lesson's work
ROUND = "round"  # select.ROUND (not imported here: the CLI reads this module at start-up)

# In the order `quizgen build` makes and lists them.
FORMATS = {fmt.name: fmt for fmt in (
    Format("json", "quizgen.commands.export", shows_images=True),  # each question's `images`
    Format("anki", "quizgen.commands.anki", shows_images=True),  # on the cards' backs
    Format("html", "quizgen.commands.html", default_count=ROUND, shows_images=True),
    Format("pdf", "quizgen.commands.pdf", default_count=WORKSHEET_COUNT,
           shows_images=True),  # in the answer keys
    Format("gift", "quizgen.commands.gift"),
    Format("moodle", "quizgen.commands.moodle", shows_images=True),  # in the feedback
    Format("qti", "quizgen.commands.qti", shows_images=True),
    Format("canvas", "quizgen.commands.canvas", shows_images=True),
)}

# What `quizgen export FORMAT` writes: the formats of the question set itself, every question.
EXPORTS = ("json", "gift", "moodle", "qti", "canvas")
