"""Question templates are data, found along a search path: the deck's folder first."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, overlay_deck, quizgen


def test_deck_templates_override_and_add(tmp_path: Path) -> None:
    deck = overlay_deck(FIXTURES / "scenarios" / "template-override", tmp_path)
    run = quizgen("export", "json", "--content", deck, "--out", tmp_path / "out", "--lang", "he")
    assert run.code == 0, run.err
    questions = json.loads((tmp_path / "out" / "sample.he.json").read_text("utf-8"))["questions"]
    by_id = {q["id"]: q for q in questions}
    assert by_id["treaty-year.cloze"]["prompt"].startswith("השלימו: ")
    assert by_id["treaty-year.which-year"]["prompt"].endswith("איזו שנה?")
    assert by_id["treaty-year.which-year"]["answer"] == "1921"
    assert "treaty-year.true-false" in by_id  # the built-in templates still apply


def test_broken_deck_template_is_located(tmp_path: Path) -> None:
    deck = overlay_deck(FIXTURES / "scenarios" / "template-error", tmp_path)
    run = quizgen("export", "json", "--content", deck, "--out", tmp_path / "out", cwd=deck)
    assert run.code == 1 and "Traceback" not in run.err
    lines = run.err.splitlines()
    assert ('templates/questions/cloze.yaml:4:3: template "cloze" has no prompt in "he", a '
            "language of the deck; add it (the deck's own templates/questions/ can override "
            "this file)") in lines
    assert any(line.startswith("templates/questions/cloze.yaml:4:7: template syntax error")
               for line in lines)
    assert not (tmp_path / "out").exists()


def test_templates_cannot_reach_python(tmp_path: Path) -> None:
    """Deck templates run sandboxed: attribute tricks raise, and nothing is written."""
    case = tmp_path / "case" / "templates" / "questions"
    case.mkdir(parents=True)
    (case / "cloze.yaml").write_text(
        "id: cloze\ntype: cloze\nprompt:\n"
        "  en: \"{{ before.__class__.__mro__[1].__subclasses__() }}\"\n"
        "  ar: \"{{ before }}\"\n  he: \"{{ before }}\"\n", encoding="utf-8")
    deck = overlay_deck(tmp_path / "case", tmp_path / "d")
    run = quizgen("export", "json", "--content", deck, "--out", tmp_path / "out", cwd=deck)
    assert run.code == 1
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert any(line.startswith("templates/questions/cloze.yaml:4:7: template \"cloze\": a "
                               "prompt may not reach into Python")
               for line in run.err.splitlines())
    assert not (tmp_path / "out").exists()


def test_check_reports_deck_template_problems(tmp_path: Path) -> None:
    deck = overlay_deck(FIXTURES / "scenarios" / "template-error", tmp_path)
    run = quizgen("check", "--content", deck, cwd=deck)
    assert run.code == 1
    assert any(line.startswith("templates/questions/cloze.yaml:4:7: template syntax error")
               for line in run.err.splitlines())
