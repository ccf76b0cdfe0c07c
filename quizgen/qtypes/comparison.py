"""Comparison: which of two figures is larger, or about how many times larger."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase

NAME = "comparison"


class ComparisonQuestion(QuestionBase):
    """A comparison question."""

    type: Literal["comparison"] = "comparison"
    prompt: str
    choices: list[str] = Field(min_length=2)
    answer_index: int = Field(ge=0)
    answer: str
    variant: Literal["larger", "ratio"]


Question = ComparisonQuestion  # what the registry reads
