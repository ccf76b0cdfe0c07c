"""Answer markers, locators and dates."""

from __future__ import annotations

import pytest

from quizgen.model import marker_problem, parse_locator, split_marked


@pytest.mark.parametrize(("text", "problem"), [
    ("In [[1921]] it was signed.", None),
    ("في عام [[1921]] وقّعت", None),
    ("It was signed.", "no answer is marked"),
    ("[[a]] and [[b]]", "2 answers are marked"),
    ("[[a and b", 'the answer marker is unbalanced (1 "[[" but 0 "]]")'),
    ("a]] and [[b", '"]]" comes before "[["'),
    ("an [[ ]] empty one", "the marked answer [[]] is empty"),
])
def test_marker_problems(text: str, problem: str | None) -> None:
    found = marker_problem(text)
    assert (found is None) if problem is None else found.startswith(problem)


def test_split_marked_keeps_the_surrounding_text() -> None:
    marked = split_marked("בשנת [[1921]] חתמו")
    assert marked == ("בשנת ", "1921", " חתמו")
    assert marked.plain == "בשנת 1921 חתמו"


@pytest.mark.parametrize(("text", "kind", "detail"), [
    ("paragraph 3", "paragraph", 3),
    ("Paragraph  12", "paragraph", 12),
    ("infobox: אוכלוסייה", "infobox", "אוכלוסייה"),
    ("footnote 2", "text", None),
])
def test_locators(text: str, kind: str, detail: object) -> None:
    locator = parse_locator(text)
    assert locator.kind == kind
    assert detail in (locator.paragraph, locator.label)


@pytest.mark.parametrize("text", ["paragraph three", "paragraph 0", "infobox", "p 4"])
def test_malformed_locators(text: str) -> None:
    with pytest.raises(ValueError):
        parse_locator(text)


def test_allowed_values_come_from_the_model_not_from_pydantic_wording() -> None:
    from quizgen.model import ANSWER_TYPES, Fact
    from quizgen.validate import _literals_at

    assert _literals_at(Fact, ("answer_type",)) == list(ANSWER_TYPES)
    assert _literals_at(Fact, ("topic",)) == []  # not a closed list


@pytest.mark.parametrize(("date", "problem"), [
    ("1921-13-01", "month 13 is not in 1..12"),
    ("1921-04-31", "day 31 is not in 1..30 for 1921-04"),
    ("1900-02-29", "day 29 is not in 1..28 for 1900-02"),
    ("0000", "year 0 is not in 1..9999"),
    ("2000-02-29", None),
    ("1989-02-15", None),
])
def test_calendar_dates_are_checked_in_quizgens_words(date: str, problem: str | None) -> None:
    from quizgen.model import _calendar_problem

    assert _calendar_problem(date) == problem
