"""True or false: the fact's sentence, or the same sentence with a wrong answer in it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase

NAME = "true_false"


class TrueFalseQuestion(QuestionBase):
    """A true-or-false question."""

    type: Literal["true_false"] = "true_false"
    prompt: str
    choices: list[str] = Field(min_length=2, max_length=2)
    answer_index: int = Field(ge=0, le=1)
    answer: str
    statement_is_true: bool


Question = TrueFalseQuestion  # what the registry reads
