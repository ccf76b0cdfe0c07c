"""Ordering: events of one group, to be put in the order they happened."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase

NAME = "ordering"


class OrderingQuestion(QuestionBase):
    """An ordering question."""

    type: Literal["ordering"] = "ordering"
    prompt: str
    items: list[str] = Field(min_length=2, description="the events, in the order shown")
    answer_order: list[int] = Field(description="indices of `items` in the right order")
    answer: list[str] = Field(description="the items in the right order")
    dates: list[str | None] = Field(description="each event's date, in the right order")


Question = OrderingQuestion  # what the registry reads
