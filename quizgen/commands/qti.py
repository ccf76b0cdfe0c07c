"""``quizgen export qti``: the question set as an IMS QTI 2.1 content package, one zip per deck
and language."""

from __future__ import annotations

import logging

from quizgen.commands.lms import lms_files
from quizgen.commands.planning import Options, Output, Planned

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's questions as a QTI 2.1 package (quizgen.render.qti)."""
    from quizgen.render.qti import write

    return lms_files(planned, options, fmt="qti", suffix="qti.zip", write=write)
