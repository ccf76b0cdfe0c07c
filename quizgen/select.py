"""Choose which questions a command uses: the same options pick the same questions everywhere."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from typing import Protocol

from quizgen.errors import QuizgenError
from quizgen.qtemplates import QUESTION_TYPES
from quizgen.questions import Plan

# No question type makes a question of any of the deck's facts: nothing to write, and an empty
# worksheet, self-test or package would be handed out as if it were one.
NO_QUESTION = ("the deck makes no question: no question type takes any of its facts (the "
               "warnings say why of each: skip_types, a missing cue or distractors); see "
               "docs/questions.md for what each type needs")

log = logging.getLogger(__name__)


def parse_list(value: str | None) -> list[str] | None:
    """Split a comma-separated option into its items (None when the option was not given)."""
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


# --count not given to a command that makes several formats: each takes its own default.
PER_FORMAT = "per-format"
# --count round: one question per fact, as many as the facts allow without a give-away.
ROUND = "round"

Count = int | str | None  # a number, ROUND, or None for every question


def parse_count(value: str | None, default: Count) -> Count:
    """Read --count: a positive number, 'round' (ROUND) or 'all' (None)."""
    if value is None:
        return default
    if value.strip().lower() == "all":
        return None
    if value.strip().lower() == ROUND:
        return ROUND
    try:
        count = int(value)
    except ValueError:
        raise QuizgenError(f'--count {value}: expected a number, "round" or "all"') from None
    if count < 1:
        raise QuizgenError(f"--count {value}: expected at least 1")
    return count


def _check_known(option: str, wanted: list[str], known: set[str]) -> None:
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise QuizgenError(f"{option} {','.join(unknown)}: unknown; known: "
                           f"{', '.join(sorted(known))}")


GAP = 2  # true statements minus false ones (or back), at most, on a page


class ClashPage(Protocol):
    """The questions picked so far (``giveaway.Page``): whether another clashes with one of
    them, and noting one picked."""

    def clashes(self, plan: Plan) -> bool: ...

    def add(self, plan: Plan) -> None: ...


def select(plans: Sequence[Plan], *, seed: int, topics: list[str] | None = None,
           tags: list[str] | None = None, types: list[str] | None = None,
           count: Count = None,
           page: Callable[[], ClashPage] | None = None,
           exposure: Callable[[Plan], int] | None = None) -> list[Plan]:
    """Filter by topics, tags and types, then sample ``count`` balanced over topic and type
    (``ROUND``: as many as the facts, one question each).

    A sample never asks about a fact twice (two questions of one fact give each other away, and
    so do two questions of several facts sharing one), nor takes two questions that clash
    (one shows the other's answer: ``page`` makes the page that knows), taking first in each
    bucket the questions whose answers the deck shows least (``exposure``). When too few
    questions are left for ``count``, it takes fewer: the caller says so. A filter that leaves
    no question at all is an error.
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
    if not plans:
        raise QuizgenError(NO_QUESTION)
    if not chosen:
        filters = [f"{name} {','.join(value)}" for name, value in
                   (("--topics", topics), ("--tags", tags), ("--types", types)) if value]
        raise QuizgenError(f"{' '.join(filters)}: no question of the deck matches; "
                           "choose other topics, tags or types")
    if count is None:
        return chosen
    whole_round = count == ROUND  # every fact once: a question of several facts is welcome
    if count == ROUND:
        count = len({f.id for p in chosen for f in p.facts})
    if not isinstance(count, int):
        raise QuizgenError(f'--count {count}: expected a number, "round" or "all"')
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
        if exposure is not None:  # the least exposed answers are taken first (from the end)
            buckets[key].sort(key=exposure, reverse=True)
    picked: list[Plan] = []
    on_page = page() if page is not None else None
    covered: set[str] = set()
    free = len({f.id for p in chosen for f in p.facts})  # facts no chosen question asks yet
    truths = [0, 0]  # statements picked that are false, true

    def take(bucket: list[Plan], truth: bool | None) -> bool:
        """Pick the next question of ``bucket`` that fits (of that ``truth``, if given)."""
        nonlocal free
        for index in range(len(bucket) - 1, -1, -1):
            plan = bucket[index]
            if truth is not None and plan.truth is not truth:
                continue
            spare = free - (count - len(picked))  # facts beyond one per question to come
            if not whole_round and len(plan.facts) > 1 and len(plan.facts) - 1 > spare:
                continue  # kept: a question of several facts would leave too few
            del bucket[index]
            if {f.id for f in plan.facts} & covered or (
                    on_page is not None and on_page.clashes(plan)):
                continue  # dropped for good
            picked.append(plan)
            if on_page is not None:
                on_page.add(plan)
            if plan.truth is not None:
                truths[plan.truth] += 1
            covered.update(f.id for f in plan.facts)
            free -= len(plan.facts)
            return True
        return False

    # True and false statements alike, as far as the deck allows: nine independent coin flips
    # came out 7 to 2 on a reviewed page, where "always False" scored 78%. A true/false of the
    # truth the page has more of waits until nothing else is left, and even then does not take
    # the page more than GAP statements apart.
    for balanced in (True, False):
        added = True
        while len(picked) < count and added:
            added = False
            for key in keys:
                if len(picked) >= count:
                    break
                bucket = buckets[key]
                statements = bool(bucket) and bucket[-1].truth is not None
                fewer = truths[0] > truths[1] if truths[0] != truths[1] else None
                wide = abs(truths[0] - truths[1]) >= GAP  # the most a full page may lean
                truth = fewer if statements and (balanced or wide) else None
                added = take(bucket, truth) or added
    ids = {p.id for p in picked}
    return [p for p in chosen if p.id in ids]
