"""``quizgen export gift``: the question set as GIFT, one file per deck and language."""

from __future__ import annotations

import logging

from quizgen.commands.lms import lms_files
from quizgen.commands.planning import Options, Output, Planned

log = logging.getLogger(__name__)


def files(planned: list[Planned], options: Options) -> list[Output]:
    """Every deck language's questions as GIFT (quizgen.render.gift)."""
    from quizgen.render.gift import write

    return lms_files(planned, options, fmt="gift", suffix="gift", write=write)
