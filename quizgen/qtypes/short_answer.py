"""Short answer: the answer named from the fact's cue (or its own question) alone."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase

NAME = "short_answer"


class ShortAnswerQuestion(QuestionBase):
    """A short-answer question."""

    type: Literal["short_answer"] = "short_answer"
    accepted_answers: list[str] = Field(
        min_length=1, description="every typed answer that counts as right (the answer first)")
    prompt: str
    answer: str
    answer_type: str = Field(description="the fact's answer type")
    cue: str = Field(description="the fact's cue (empty when the fact has none)")


Question = ShortAnswerQuestion  # what the registry reads
