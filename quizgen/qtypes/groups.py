"""Planning for the types that ask about several facts at once: facts grouped by topic or
answer type, with distinct answers and cues, in groups of a template's size."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizgen.matching import normalize_answer
from quizgen.qtypes.engine import Plan, Planning

if TYPE_CHECKING:
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

log = logging.getLogger(__name__)


def _year(fact: Fact) -> int:
    return int(fact.date[:4])  # type: ignore[index]


def _last_year(fact: Fact) -> int:
    return int(fact.date.split("/")[-1][:4])  # type: ignore[union-attr]


def _chunks(items: list[Fact], low: int, high: int) -> list[list[Fact]]:
    if len(items) < low:
        return []
    count = math.ceil(len(items) / high)
    while count > 1 and len(items) // count < low:
        count -= 1
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end][:high])
        start = end
    return [c for c in out if len(c) >= low]


def group_plans(template: QuestionTemplate, eligible: list[Fact], planning: Planning, *,
                name: str, by_date: bool, pairs: bool) -> list[Plan]:
    """The template's groups of ``eligible``, each one question shown out of order. ``by_date``:
    events of distinct years, in date order (years are always so); ``pairs``: the answers get an
    order of their own, apart from the cues'."""
    spec = template.spec
    group = spec.group
    if group is None:
        return []
    buckets: dict[str, list[Fact]] = {}
    for fact in eligible:
        key = {"topic": fact.topic, "answer_type": fact.answer_type}.get(group.by, "")
        buckets.setdefault(key, []).append(fact)
    plans = []
    for key in sorted(buckets):
        facts = buckets[key]
        if by_date or key == "year":
            facts = sorted(facts, key=lambda f: (f.date or "", f.id))
            distinct: list[Fact] = []
            for fact in facts:  # each after the last one kept: a period may not overlap
                if fact.date and (not distinct or _year(fact) > _last_year(distinct[-1])):
                    distinct.append(fact)
            facts = distinct
        else:
            facts = sorted(facts, key=lambda f: f.id)
        facts = _distinct_answers(facts, planning.languages)
        for chunk in _chunks(facts, group.min, group.max):
            qid = f"{chunk[0].id}.{spec.id}"
            rng = planning.rng(qid)
            plan = Plan(qid, name, template, chunk)
            plan.order = list(range(len(chunk)))
            while plan.order == sorted(plan.order):
                rng.shuffle(plan.order)
            if pairs:
                right = list(range(len(chunk)))
                while right == plan.order:
                    rng.shuffle(right)
                plan.extra["right"] = right
            plans.append(plan)
    return plans


def _distinct_answers(facts: list[Fact], languages: Sequence[str]) -> list[Fact]:
    seen: set[tuple[str, ...]] = set()
    cues: set[tuple[str, ...]] = set()
    out = []
    for fact in facts:
        answer = tuple(normalize_answer(fact.answer(lang)) for lang in languages)
        cue = tuple(normalize_answer((fact.cue or {}).get(lang, "")) for lang in languages)
        if answer in seen or cue in cues:
            continue
        seen.add(answer)
        cues.add(cue)
        out.append(fact)
    return out
