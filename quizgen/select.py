"""Choose which questions a command uses: the same options pick the same questions everywhere."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence

from quizgen.errors import QuizgenError
from quizgen.qtemplates import QUESTION_TYPES
from quizgen.questions import Plan

log = logging.getLogger(__name__)


def parse_list(value: str | None) -> list[str] | None:
    """Split a comma-separated option into its items (None when the option was not given)."""
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


# --count not given to a command that makes several formats: each takes its own default.
PER_FORMAT = "per-format"


def parse_count(value: str | None, default: int | None) -> int | None:
    """Read --count: a positive number or 'all' (None)."""
    if value is None:
        return default
    if value.strip().lower() == "all":
        return None
    try:
        count = int(value)
    except ValueError:
        raise QuizgenError(f'--count {value}: expected a number or "all"') from None
    if count < 1:
        raise QuizgenError(f"--count {value}: expected at least 1")
    return count


def _check_known(option: str, wanted: list[str], known: set[str]) -> None:
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise QuizgenError(f"{option} {','.join(unknown)}: unknown; known: "
                           f"{', '.join(sorted(known))}")


def select(plans: Sequence[Plan], *, seed: int, topics: list[str] | None = None,
           tags: list[str] | None = None, types: list[str] | None = None,
           count: int | None = None) -> list[Plan]:
    """Filter by topics, tags and types, then sample ``count`` balanced over topic and type.

    A sample avoids asking about the same fact twice while it can (two questions of one fact
    give each other away, and so do two questions of several facts sharing one): it takes first
    a question none of whose facts a chosen question is about.
    """
    chosen = list(plans)
    if topics is not None:
        _check_known("--topics", topics, {p.fact.topic for p in plans})
        chosen = [p for p in chosen if p.fact.topic in topics]
    if tags is not None:
        _check_known("--tags", tags, {t for p in plans for f in p.facts for t in f.tags})
        chosen = [p for p in chosen if any(t in tags for f in p.facts for t in f.tags)]
    if types is not None:
        wanted = [t.replace("-", "_") for t in types]
        _check_known("--types", [t.replace("_", "-") for t in wanted],
                     {t.replace("_", "-") for t in QUESTION_TYPES})
        chosen = [p for p in chosen if p.type in wanted]
    if count is None or count >= len(chosen):
        return chosen
    rng = random.Random(f"{seed}:select")
    buckets: dict[tuple[str, str], list[Plan]] = {}
    for plan in chosen:
        buckets.setdefault((plan.fact.topic, plan.type), []).append(plan)
    keys = sorted(buckets)
    rng.shuffle(keys)
    # Questions about several facts go first in every round, before single-fact questions
    # cover those facts and leave no group question free of repeats.
    keys.sort(key=lambda key: len(buckets[key][0].facts) == 1)
    for key in keys:
        rng.shuffle(buckets[key])
    picked: set[str] = set()
    covered: set[str] = set()
    fresh_only = True
    while len(picked) < count:
        added = False
        for key in keys:
            bucket = buckets[key]
            if not bucket or len(picked) >= count:
                continue
            index = next((i for i in range(len(bucket) - 1, -1, -1)
                          if not fresh_only or not {f.id for f in bucket[i].facts} & covered),
                         None)
            if index is None:
                continue
            plan = bucket.pop(index)
            picked.add(plan.id)
            covered.update(f.id for f in plan.facts)
            added = True
        if not added:
            fresh_only = False  # every fact is asked about: repeat facts for the rest
    return [p for p in chosen if p.id in picked]
