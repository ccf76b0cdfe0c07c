"""Cloze: the fact's sentence with its answer blanked, to be typed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase

NAME = "cloze"


class ClozeQuestion(QuestionBase):
    """A cloze question."""

    type: Literal["cloze"] = "cloze"
    accepted_answers: list[str] = Field(
        min_length=1, description="every typed answer that counts as right (the answer first), "
        "compared as docs/answer-matching.md says")
    prompt: str
    text_before: str
    text_after: str
    answer: str


Question = ClozeQuestion  # what the registry reads
