"""Multiple choice: the fact's sentence with its answer among plausible wrong ones."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase

NAME = "multiple_choice"


class MultipleChoiceQuestion(QuestionBase):
    """A multiple-choice question."""

    type: Literal["multiple_choice"] = "multiple_choice"
    prompt: str
    text_before: str
    text_after: str
    answer: str
    choices: list[str] = Field(min_length=2)
    answer_index: int = Field(ge=0)


Question = MultipleChoiceQuestion  # what the registry reads
