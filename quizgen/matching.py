"""Compare a typed answer with the expected one, by rules defined once in a data file.

The rules live in ``quizgen/data/answer_matching.json`` so that the HTML self-test's JavaScript
applies exactly the same ones; ``tests/data/answer_matching_cases.json`` holds the cases both
implementations are tested against.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

log = logging.getLogger(__name__)


@cache
def rules() -> dict:
    """The matching rules, as the data file states them."""
    text = resources.files("quizgen").joinpath("data/answer_matching.json").read_text("utf-8")
    return json.loads(text)


@cache
def _compiled() -> tuple[dict[int, str | None], re.Pattern[str]]:
    data = rules()
    table: dict[int, str | None] = {ord(k): v for k, v in data["map"].items()}
    for start, end in data["delete_ranges"]:
        for code in range(ord(start), ord(end) + 1):
            table[code] = None
    separators = "".join(re.escape(s) for s in data["group_separators"])
    return table, re.compile(rf"(?<=\d)[{separators}](?=\d{{3}}(?!\d))")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=1 << 16)
def normalize_answer(text: str) -> str:
    """Fold an answer to the form in which equal answers compare equal (cached: a deck's answers
    and distractors are compared many times over)."""
    table, groups = _compiled()
    text = unicodedata.normalize("NFKC", text).translate(table).lower()
    text = groups.sub("", text)
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    words = text.split()
    if len(words) > 1 and words[0] in rules()["leading_words_ignored"]:
        words = words[1:]
    return " ".join(words)


def answers_match(typed: str, expected: str, accepted: Iterable[str] = ()) -> bool:
    """Tell whether a typed answer counts as the expected one or one of its alternatives."""
    folded = normalize_answer(typed)
    if not folded:
        return False
    for target in (expected, *accepted):
        want = normalize_answer(target)
        if folded == want:
            return True
        numbers = _NUMBER.findall(want)
        if _NUMBER.fullmatch(folded) and len(numbers) == 1 and float(folded) == float(numbers[0]):
            return True
    return False
