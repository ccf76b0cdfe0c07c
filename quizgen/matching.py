"""Compare a typed answer with the expected one, by rules defined once in a data file.

The rules live in ``quizgen/data/answer_matching.json`` so that the HTML self-test's JavaScript
applies exactly the same ones; ``tests/data/answer_matching_cases.json`` holds the cases both
implementations are tested against.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
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


def normalize_answer(text: str) -> str:
    """Fold an answer to the form in which equal answers compare equal."""
    table, groups = _compiled()
    text = unicodedata.normalize("NFKC", text).translate(table).lower()
    text = groups.sub("", text)
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    return " ".join(text.split())


def answers_match(typed: str, expected: str) -> bool:
    """Tell whether a typed answer counts as the expected one."""
    return normalize_answer(typed) == normalize_answer(expected)
