"""Matching: cues on the left, their answers shuffled on the right."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase

NAME = "matching"


class MatchingQuestion(QuestionBase):
    """A matching question."""

    type: Literal["matching"] = "matching"
    prompt: str
    left: list[str] = Field(min_length=2)
    right: list[str] = Field(min_length=2)
    answer_pairs: list[tuple[int, int]] = Field(description="[left index, right index] pairs")
    answer: list[tuple[str, str]] = Field(description="the [left, right] pairs")


Question = MatchingQuestion  # what the registry reads
