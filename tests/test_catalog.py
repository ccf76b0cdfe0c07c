"""UI strings: complete in every bundled language, right direction, localized letters."""

from __future__ import annotations

import pytest

from quizgen.catalog import load_catalog


@pytest.mark.parametrize(("language", "direction", "letters"), [
    ("en", "ltr", ["A", "B", "C", "D"]),
    ("ar", "rtl", ["أ", "ب", "ج", "د"]),
    ("he", "rtl", ["א", "ב", "ג", "ד"]),
])
def test_bundled_catalogs_are_complete(language: str, direction: str, letters: list[str]) -> None:
    catalog, problems = load_catalog(language)
    assert problems == []
    assert catalog is not None and catalog.direction == direction
    assert catalog.letters()[:4] == letters
    assert catalog.text("page", page=2, pages=5).count("2") == 1


def test_strings_differ_from_english_in_other_languages() -> None:
    english, _ = load_catalog("en")
    for language in ("ar", "he"):
        other, _ = load_catalog(language)
        same = [k for k in ("answer_key", "source", "score", "true", "false")
                if other.text(k) == english.text(k)]
        assert same == [], language
