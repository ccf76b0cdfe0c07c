"""``quizgen export canvas``: the question set as a Canvas Classic Quizzes QTI package, one zip
per deck and language."""

from __future__ import annotations

import logging

from quizgen.commands.lms import lms_files
from quizgen.commands.planning import Options, Output, Planned

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's questions as a Canvas QTI package (quizgen.render.canvas)."""
    from quizgen.render.canvas import write

    return lms_files(planned, options, fmt="canvas", suffix="canvas.zip", write=write)
