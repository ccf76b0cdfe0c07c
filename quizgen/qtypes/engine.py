"""What a question type plans and renders with: the plan of one question (without language),
the deck and seed it is planned from, and the language it is rendered in."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizgen.errors import Problem

if TYPE_CHECKING:
    from quizgen.catalog import Catalog
    from quizgen.content import LoadedDeck
    from quizgen.distractors import Key, Pool
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

log = logging.getLogger(__name__)

BLANK = "_____"


@dataclass
class Plan:
    """A question without its language."""

    id: str
    type: str
    template: QuestionTemplate
    facts: list[Fact]
    keys: list[Key] = field(default_factory=list)
    correct: int | None = None
    truth: bool | None = None
    order: list[int] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fact(self) -> Fact:
        """The fact the question is about (the first one of a group)."""
        return self.facts[0]


def rng(seed: int, question_id: str) -> random.Random:
    """The random choices of one question: they do not depend on any other question's."""
    return random.Random(f"{seed}:{question_id}")


@dataclass
class Planning:
    """What a type plans its questions from: the deck, its distractor pool and the seed; what
    it skips, it says in ``warnings``."""

    loaded: LoadedDeck
    pool: Pool
    seed: int
    warnings: list[Problem]

    @property
    def languages(self) -> list[str]:
        """The deck's languages."""
        return list(self.loaded.deck.languages)

    def rng(self, question_id: str) -> random.Random:
        """The random choices of question ``question_id``."""
        return rng(self.seed, question_id)

    def warn(self, fact: Fact, message: str) -> None:
        """Say that a question about ``fact`` was skipped, and why."""
        self.warnings.append(self.loaded.fact_origins[fact.id].problem(
            (), message, fact=fact.id, severity="warning"))


@dataclass
class Rendering:
    """What a type renders a plan in: the language, its catalog, the deck's facts by id, and
    the prompt templates' context for the plan's fact."""

    language: str
    catalog: Catalog
    facts: dict[str, Fact]
    context: dict[str, Any]

    def prompt(self, plan: Plan, **extra: object) -> str:
        """The plan's prompt, from its template."""
        return plan.template.render("prompt", self.language, **{**self.context, **extra})
