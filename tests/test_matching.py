"""Typed answers are matched by one table-driven definition, shared with the self-test."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from quizgen.matching import answers_match, normalize_answer, rules

CASES = json.loads((ROOT / "tests" / "data" / "answer_matching_cases.json")
                   .read_text("utf-8"))["cases"]


@pytest.mark.parametrize(("typed", "expected", "match", "why"), CASES,
                         ids=[c[3] for c in CASES])
def test_case(typed: str, expected: str, match: bool, why: str) -> None:
    assert answers_match(typed, expected) is match, (normalize_answer(typed),
                                                     normalize_answer(expected))


def test_matching_is_symmetric_and_idempotent() -> None:
    for typed, expected, match, _ in CASES:
        assert answers_match(expected, typed) is match
        once = normalize_answer(typed)
        assert normalize_answer(once) == once


def test_rules_are_data() -> None:
    data = rules()
    assert {"map", "delete_ranges", "group_separators", "steps"} <= set(data)
    assert all(len(pair) == 2 and pair[0] <= pair[1] for pair in data["delete_ranges"])
