"""``quizgen export moodle``: the question set as Moodle XML, one file per deck and language."""

from __future__ import annotations

import logging

from quizgen.commands.lms import lms_files
from quizgen.commands.planning import Options, Output, Planned

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's questions as Moodle XML (quizgen.render.moodle)."""
    from quizgen.render.moodle import write

    return lms_files(planned, options, fmt="moodle", suffix="moodle.xml", write=write)
