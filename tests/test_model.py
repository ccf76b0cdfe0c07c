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
