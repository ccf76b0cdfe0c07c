"""Question templates are data, found along a search path: the deck's folder first."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, overlay_deck, problem_lines, quizgen, require


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


# Output templates -----------------------------------------------------------------------------

def with_output_template(tmp_path: Path, name: str, text: str) -> Path:
    deck = overlay_deck(FIXTURES / "no-such-case", tmp_path)
    path = deck / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return deck


@pytest.mark.slow
def test_a_decks_worksheet_template_is_used(tmp_path: Path) -> None:
    """A school's own worksheet header: the deck's templates/pdf/worksheet.html.j2 wins."""
    require(shutil.which("pdftotext") is not None, "poppler's pdftotext")
    built_in = (ROOT / "templates" / "pdf" / "worksheet.html.j2").read_text(encoding="utf-8")
    assert built_in.count("<h1 ") == 1
    deck = with_output_template(tmp_path, "pdf/worksheet.html.j2", built_in.replace(
        "<h1 ", '<p class="school">Northland Secondary School · Ms Okafor</p>\n<h1 '))
    run = quizgen("pdf", "--content", deck, "--out", tmp_path / "out", "--lang", "he", "-q")
    assert run.code == 0, run.err
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "out" /
                                                             "sample.he.worksheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Northland Secondary School · Ms Okafor" in text
    key = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "out" /
                                                           "sample.he.key.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Northland Secondary School" not in key  # the key's template is still the built-in


def test_a_decks_self_test_template_is_used(tmp_path: Path) -> None:
    built_in = (ROOT / "templates" / "html" / "selftest.html.j2").read_text(encoding="utf-8")
    assert "</h1>" in built_in
    deck = with_output_template(tmp_path, "html/selftest.html.j2", built_in.replace(
        "</h1>", "</h1><p>Room 12, Tuesdays</p>", 1))
    run = quizgen("html", "--content", deck, "--out", tmp_path / "out", "--lang", "ar")
    assert run.code == 0, run.err
    assert "<p>Room 12, Tuesdays</p>" in (tmp_path / "out" / "sample.ar.html").read_text("utf-8")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("<p>\n{{ qs.title }\n</p>\n", 2, "template syntax error: "),
    ("<p>\n\n{{ no_such_name.x }}\n", 3, "template error: unknown name: "),
    ("<p>{{ qs.title }}</p>\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 2,
     "template error: not allowed in a deck's template: "),
])
def test_a_broken_output_template_is_reported_at_its_line(tmp_path: Path, text: str,
                                                          line: int, message: str) -> None:
    deck = with_output_template(tmp_path, "html/selftest.html.j2", text)
    out = tmp_path / "out"
    # check finds what build would fail on: it compiles the template and renders it once
    for command in (("check",), ("html", "--out", out), ("build", "--out", out, "-q")):
        run = quizgen(*command, "--content", deck, cwd=deck)
        assert run.code == 1 and "Traceback" not in run.err, (command, run.err)
        [problem] = [p for p in problem_lines(run.err) if ": warning: " not in p]
        assert problem.startswith(f"templates/html/selftest.html.j2:{line}:1: {message}"), (
            command, problem)
        assert not out.exists()


def test_a_deck_cannot_override_anki_templates(tmp_path: Path) -> None:
    deck = with_output_template(tmp_path, "anki/fields.html.j2", "{{ nothing }}")
    run = quizgen("check", "--content", deck, "--format", "json", cwd=deck)
    assert run.code == 0, run.err
    [warning] = [w for w in json.loads(run.out)["warnings"] if w["file"] == "templates/anki"]
    assert "cannot override Anki" in warning["message"] and warning["line"] == 1


def test_a_deck_may_override_one_question_types_part(tmp_path: Path) -> None:
    """A type's own output template (templates/types/<type>/...) is overridable on its own."""
    built_in = (ROOT / "templates" / "types" / "cloze" / "selftest.html.j2").read_text("utf-8")
    deck = with_output_template(tmp_path, "types/cloze/selftest.html.j2", built_in.replace(
        '<p class="qg-sentence">', '<p class="qg-sentence own-cloze">'))
    run = quizgen("html", "--content", deck, "--out", tmp_path / "out", "--lang", "en",
                  "--count", "all")
    assert run.code == 0, run.err
    from quizgen.render.skeleton import page_questions

    page = "".join(markup for _, _, markup in page_questions(
        (tmp_path / "out" / "sample.en.html").read_text("utf-8")))  # as the page's script fills it
    assert page.count("qg-sentence own-cloze") == 3  # the deck's three clozes
    assert "qg-choices" in page  # the other types keep quizgen's own


def test_options_share_a_row_only_where_their_printed_width_fits() -> None:
    """Counted by characters, these rows ran past the worksheet's margin (Arabic and Hebrew
    letters print wider; every option has its letter bubble)."""
    from quizgen.render.common import fits_one_row

    assert fits_one_row(["1917", "1918", "1921", "1923"])
    assert fits_one_row(["20", "30", "50", "300"])
    assert not fits_one_row(["مهندسو سكك حديدية", "مشغّلو تلغراف", "معلّمو مدارس",
                             "مستشارون عسكريون"])
    assert not fits_one_row(["שלב של קיפאון", "שלב של מתיחות", "שלב של התחממות",
                             "שלב של טלטלות"])
    assert not fits_one_row(["energy market", "economic zone", "national security",
                             "cultural sphere"])


def test_a_blank_keeps_the_letters_written_against_it() -> None:
    """The Hebrew "ו" of "and" before a blank and the period after it stay on the blank's line
    (one unbreakable span); text apart from the blank stays outside; a long word may break."""
    from markupsafe import Markup

    from quizgen.render.common import glued_blank

    blank = Markup('<span class="blank"></span>')
    assert glued_blank("נפט, גז ו", blank, ".") == (
        'נפט, גז <span class="glued">ו<span class="blank"></span>.</span>')
    assert glued_blank("In ", blank, ", then") == (
        'In <span class="glued"><span class="blank"></span>,</span> then')
    assert glued_blank("In ", blank, " then") == 'In <span class="blank"></span> then'
    assert glued_blank("<b>", blank, "") == (
        '<span class="glued">&lt;b&gt;<span class="blank"></span></span>')
    long = glued_blank("x" * 40, blank, "")
    assert long.startswith("x" * 28 + '<span class="glued">' + "x" * 12)


@pytest.mark.parametrize("text", [
    "{{ before }}{{ blank }}{{ after }}", "{{before}}: {{ x }}.", "Which is larger?",
    "{{ a }} and {{a}} again", "}} {{ a }} {", "", "{{ a }}",
    # rendered by Jinja (the plain fill does not take them), with the same result:
    "{{ a }}\n", "{{ a }}\r\nb", "{{ a|upper }}", "{{- a }} b", "{{ true }}", "{{ none }}",
    "{% if a %}{{ a }}{% endif %}", "{# note #}{{ a }}", "{{ a }} {{\tb }}", "{{ a ~ b }}",
])
@pytest.mark.parametrize("values", [
    {"a": "x", "b": "y", "before": "In ", "blank": "_____", "after": " it was.", "x": "{{ y }}"},
    {"a": 3, "b": 2.5, "before": None, "blank": True, "after": "", "x": "<b>&"},
])
def test_a_prompt_of_plain_names_is_filled_as_jinja_fills_it(text: str, values: dict) -> None:
    """Prompts made only of text and ``{{ name }}`` are filled without Jinja (quicker by far on a
    large deck): the same text as the sandbox renders, for every kind of value."""
    from markupsafe import Markup

    from quizgen import qtemplates

    values = {**values, "m": Markup("<i>x</i>")}
    expected = qtemplates._environment().from_string(text).render(**values)
    plain = qtemplates._plain(text)
    if plain is not None:
        assert "".join(str(values[p]) if i % 2 else p for i, p in enumerate(plain)) == expected
    spec = qtemplates.TemplateSpec.model_construct(id="t", prompt={"en": text})
    template = qtemplates.QuestionTemplate(spec, None)  # type: ignore[arg-type]
    assert template.render("prompt", "en", **values) == expected


def test_a_plain_prompt_naming_what_it_is_not_given_fails_as_before() -> None:
    from quizgen import qtemplates
    from quizgen.errors import ContentError, Problem

    class Located:
        def problem(self, path: object, message: str) -> Problem:
            return Problem("t.yaml", 1, 1, message)

    spec = qtemplates.TemplateSpec.model_construct(id="t", prompt={"en": "{{ nothing }}"})
    template = qtemplates.QuestionTemplate(spec, Located())  # type: ignore[arg-type]
    with pytest.raises(ContentError) as raised:
        template.render("prompt", "en", before="x")
    message = raised.value.problems[0].message
    assert "nothing" in message and "may use: before" in message
