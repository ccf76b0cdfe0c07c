"""Worksheet forms: the questions grouped by type, and for a versioned set each form's own order.

A form shuffles the order of the questions within each section and the order of each question's
options (multiple choice, the items to order, the partners to match), seeded by the seed, the
form and the question id; the answer fields follow, so each form's key matches its form.
True/false keeps True before False, and ratio comparisons keep their ascending scale.
"""

from __future__ import annotations

import logging
import random
import string
from collections.abc import Sequence
from typing import Any

from quizgen.qtypes import MODULES, TYPES
from quizgen.qtypes.base import QuestionBase

log = logging.getLogger(__name__)

SECTION_ORDER = TYPES  # a worksheet's sections, in the registry's order


def form_label(index: int) -> str:
    """The Latin letter of form ``index`` (0 -> A), used in file names."""
    return string.ascii_uppercase[index]


def _permute(rng: random.Random, count: int) -> list[int]:
    order = list(range(count))
    while count > 1 and order == sorted(order):
        rng.shuffle(order)
    return order


def shuffle_question(question: Any, rng: random.Random) -> Any:
    """A copy of ``question`` with its options in another order, and its answer moved along
    (each type says which options it has: ``option_count`` and ``shuffled`` in its module)."""
    module = MODULES[question.type]
    count = module.option_count(question) if hasattr(module, "option_count") else 0
    if count < 2:
        return question
    return module.shuffled(question, _permute(rng, count))


def sections(questions: Sequence[QuestionBase], *, seed: int,
             form: int | None = None) -> list[tuple[str, list[Any]]]:
    """The questions by type, in section order; for ``form``, that form's shuffle."""
    grouped: dict[str, list[Any]] = {}
    for question in questions:
        grouped.setdefault(question.type, []).append(question)
    out = []
    for kind in SECTION_ORDER:
        group = grouped.get(kind, [])
        if not group:
            continue
        if form is not None:
            rng = random.Random(f"{seed}:form:{form}:{kind}")
            group = list(group)
            rng.shuffle(group)
            group = [shuffle_question(q, random.Random(f"{seed}:form:{form}:{q.id}"))
                     for q in group]
        out.append((kind, group))
    return out
