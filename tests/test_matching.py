"""Typed answers are matched by one table-driven definition, shared with the self-test."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from quizgen.matching import answers_match, normalize_answer, rules

DATA = json.loads((ROOT / "tests" / "data" / "answer_matching_cases.json").read_text("utf-8"))
CASES = DATA["cases"]


@pytest.mark.parametrize(("typed", "expected", "match", "why"), CASES,
                         ids=[c[3] for c in CASES])
def test_case(typed: str, expected: str, match: bool, why: str) -> None:
    assert answers_match(typed, expected) is match, (normalize_answer(typed),
                                                     normalize_answer(expected))


@pytest.mark.parametrize(("typed", "expected", "accepted", "match", "why"),
                         DATA["accepted_cases"], ids=[c[4] for c in DATA["accepted_cases"]])
def test_accepted_case(typed: str, expected: str, accepted: list[str], match: bool,
                       why: str) -> None:
    assert answers_match(typed, expected, accepted) is match


@pytest.mark.parametrize(("typed", "expected", "accepted", "context", "language", "match", "why"),
                         DATA["question_cases"], ids=[c[6] for c in DATA["question_cases"]])
def test_question_case(typed: str, expected: str, accepted: list[str], context: str,
                       language: str, match: bool, why: str) -> None:
    """As the self-test grades a typed answer: with the question's text and language."""
    assert answers_match(typed, expected, accepted, context=context, language=language) is match


def test_folding_is_idempotent() -> None:
    for typed, _, _, _ in CASES:
        once = normalize_answer(typed)
        assert normalize_answer(once) == once


def test_rules_are_data() -> None:
    data = rules()
    assert {"map", "delete_ranges", "group_separators", "steps", "leading_words_ignored",
            "numbers"} <= set(data)
    assert all(len(pair) == 2 and pair[0] <= pair[1] for pair in data["delete_ranges"])
