"""UI strings: complete in every bundled language, right direction, localized letters."""

from __future__ import annotations

from pathlib import Path

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


def test_question_types_bring_their_own_strings() -> None:
    from quizgen.qtypes import TYPES

    for language in ("en", "ar", "he"):
        catalog, _ = load_catalog(language)
        assert catalog is not None
        for name in TYPES:
            assert catalog.text(f"instructions.{name}")


def test_a_deck_language_needs_the_types_strings_too(tmp_path: Path) -> None:
    from quizgen.resources import bundled

    folder = tmp_path / "templates" / "i18n"
    folder.mkdir(parents=True)
    main = (bundled("templates") / "i18n" / "en.yaml").read_text(encoding="utf-8")
    (folder / "fr.yaml").write_text(main, encoding="utf-8")
    catalog, problems = load_catalog("fr", tmp_path)
    assert catalog is None
    missing = {p.message.split('"')[1] for p in problems}
    assert "instructions.cloze" in missing and "move_up" in missing
    assert {Path(p.file).name for p in problems} == {"fr.yaml"}


def test_a_decks_catalog_wins_over_a_types_strings(tmp_path: Path) -> None:
    from quizgen.resources import bundled

    folder = tmp_path / "templates" / "i18n"
    folder.mkdir(parents=True)
    main = (bundled("templates") / "i18n" / "he.yaml").read_text(encoding="utf-8")
    (folder / "he.yaml").write_text(main + "instructions:\n  cloze: מלאו את המילה.\n",
                                    encoding="utf-8")
    catalog, problems = load_catalog("he", tmp_path)
    assert problems == [] and catalog is not None
    assert catalog.text("instructions.cloze") == "מלאו את המילה."
    assert catalog.text("instructions.ordering") == load_catalog("he")[0].text(  # type: ignore[union-attr]
        "instructions.ordering")


def test_a_string_where_english_has_a_group_is_a_located_error(tmp_path: Path) -> None:
    """A deck's ``instructions: Answer.`` would replace the types' group of instructions and
    fail later, mid-render, with no file named."""
    from quizgen.resources import bundled

    folder = tmp_path / "templates" / "i18n"
    folder.mkdir(parents=True)
    main = (bundled("templates") / "i18n" / "en.yaml").read_text(encoding="utf-8")
    (folder / "en.yaml").write_text(main + "instructions: Answer.\n", encoding="utf-8")
    catalog, problems = load_catalog("en", tmp_path)
    assert catalog is None
    [problem] = [p for p in problems if p.severity == "error"]
    assert Path(problem.file).name == "en.yaml"
    assert problem.line == main.count("\n") + 1
    assert '"instructions" must be a mapping' in problem.message


@pytest.mark.parametrize("hostile", [
    "Round {n.__class__.__mro__} of {total}",  # Python's internals, through str.format
    "Round {n}{n:>2000000000} of {total}",  # two gigabytes of spaces
    "Round {n} of {total} {",  # a stray brace
    "Round {0.real} of {total}",
])
def test_a_catalog_string_cannot_reach_python_or_eat_memory(tmp_path: Path, hostile: str) -> None:
    """A catalog is content: only ``{name}`` fields are filled, and anything else in braces is
    an error at the string's line."""
    from quizgen.catalog import fill
    from quizgen.resources import bundled

    folder = tmp_path / "templates" / "i18n"
    folder.mkdir(parents=True)
    lines = (bundled("templates") / "i18n" / "en.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("round_of:"))
    lines[at] = f"round_of: {hostile!r}"
    (folder / "en.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog, problems = load_catalog("en", tmp_path)
    errors = [p for p in problems if p.severity == "error"]
    assert catalog is None and len(errors) == 1
    assert errors[0].line == at + 1 and '"round_of"' in errors[0].message
    filled = fill(hostile, {"n": 2, "total": 3})  # what a build would print: as written
    assert filled.startswith("Round ") and "<class" not in filled and len(filled) < 100
