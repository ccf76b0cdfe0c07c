"""The adversarial corpus of deck templates: each case a deck whose own template tries to hang
the build, exhaust memory or crash quizgen. Every one must end, in a subprocess with a time
limit, in exit 1 and a message naming the template's file, with no traceback, no "internal
error" and nothing written (see SECURITY.md, "Deck templates")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, overlay_deck, problem_lines

LIMIT = 30  # seconds a command may take on one case

# A question template's prompt (templates/questions/cloze.yaml, English), each case one way to
# hang or exhaust: evaluated while compiling, looping without a call, growing a value.
PROMPTS = {
    "power folded while compiling": "{{ 10 ** (10 ** 10) }}",
    "nested ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                     "{% endfor %}",
    "nested loops over a string": '{% set s = "x" * 100000 %}{% for a in s %}{% for b in s %}'
                                  "{% endfor %}{% endfor %}",
    "repeated string": '{{ "x" * 3000000000 }}',
    "repeated list": "{{ ([1] * 3000000000) | length }}",
    "recursive macro": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
    "huge range": "{{ range(10 ** 9) | length }}",
    "center": '{{ "x" | center(10 ** 9) }}',
    "indent": '{{ ("x\\n" * 1000) | indent(10 ** 7) }}',
    "percent format": '{{ "%999999999d" % 1 }}',
    "percent format of many values": '{{ ("%s" * 100000) % (("y" * 1000,) * 100000) }}',
    "format filter": '{{ "%999999999d" | format(1) }}',
    "str.format": '{{ "{:>999999999}".format(1) }}',
    "ljust": '{{ "x".ljust(10 ** 9) }}',
    "wordwrap": '{{ ("a " * 100000) | wordwrap(1, wrapstring="x" * 1000) }}',
    "tilde doubling": '{% set ns = namespace(s="x") %}{% for i in range(40) %}'
                      "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    "join": '{{ range(100000) | map("string") | join("x" * 100000) }}',
    "replace": '{{ ("x" * 10000) | replace("", "y" * 10000) }}',
    "batch": "{{ [1] | batch(10 ** 9, 0) | list | length }}",
    "macro output doubling": '{% macro d(s) %}{{ s }}{{ s }}{% endmacro %}'
                             '{% set ns = namespace(s="x") %}{% for i in range(40) %}'
                             "{% set ns.s = d(ns.s) %}{% endfor %}{{ ns.s | length }}",
    "recursive loop": "{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}",
    "integer squaring": "{% set ns = namespace(n=3) %}{% for i in range(100) %}"
                        "{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "division by zero": "{{ 1 / 0 }}",
    "adding text to a number": '{{ "x" + 1 }}',
    # a prompt holds at most 5,000 characters (longer is refused by the schema, not here)
    "nested parentheses": "{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}",
    "nested ifs": "{% if 1 %}" * 200 + "{% endif %}" * 200,
    "chained filters": "{{ 1" + "|abs" * 1000 + " }}",
    "chained additions": "{{ 1" + "+1" * 2000 + " }}",
    "long number": "{{ " + "9" * 4400 + " }}",
}

# A deck's own output template, with the command that renders it.
OUTPUTS = {
    "nested loops in the page": ("html/selftest.html.j2", "html",
                                 "<p>\n{% for i in range(100000) %}{% for j in range(100000) %}"
                                 "{% endfor %}{% endfor %}\n"),
    "output too large": ("html/selftest.html.j2", "html",
                         "<p>\n{% for i in range(100000) %}" + "x" * 3000 + "{% endfor %}\n"),
    "template including itself": ("html/selftest.html.j2", "html",
                                  '<p>\n{% include "html/selftest.html.j2" %}\n'),
    "recursive macro in a question type": (
        "types/cloze/selftest.html.j2", "html",
        "{% macro legend(q, n) %}{{ legend(q, n) }}{% endmacro %}\n"
        "{% macro body(q, name) %}{% endmacro %}\n{% macro answer(q) %}{% endmacro %}\n"),
    "a question type's template without its macros": (
        "types/cloze/selftest.html.j2", "html", "<p>no macros</p>\n"),
    "nested ifs in the page": ("html/selftest.html.j2", "html",
                               "<p>\n" + "{% if 1 %}" * 10000 + "{% endif %}" * 10000),
    "worksheet growing a string": ("pdf/worksheet.html.j2", "pdf",
                                   '<p>\n{{ "x" * 3000000000 }}\n'),
}


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A quizgen command in a subprocess, stopped (and failed) after ``LIMIT`` seconds."""
    return subprocess.run([sys.executable, "-m", "quizgen", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=LIMIT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def assert_refused(proc: subprocess.CompletedProcess[str], file: str, out: Path) -> None:
    """Exit 1, one located message naming ``file``, no traceback, nothing written."""
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    errors = [line for line in problem_lines(proc.stderr) if ": warning: " not in line]
    assert len(errors) == 1 and errors[0].startswith(file), proc.stderr
    assert not out.exists()


def question_deck(tmp_path: Path, prompt: str) -> Path:
    case = tmp_path / "case" / "templates" / "questions"
    case.mkdir(parents=True)
    quoted = prompt.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    (case / "cloze.yaml").write_text(
        "id: cloze\ntype: cloze\nprompt:\n"
        f'  en: "{quoted}"\n'
        '  ar: "{{ before }}{{ blank }}{{ after }}"\n'
        '  he: "{{ before }}{{ blank }}{{ after }}"\n', encoding="utf-8")
    return overlay_deck(tmp_path / "case", tmp_path / "decks")


@pytest.mark.parametrize("prompt", list(PROMPTS.values()), ids=list(PROMPTS))
def test_question_template_is_refused_at_its_line(tmp_path: Path, prompt: str) -> None:
    deck = question_deck(tmp_path, prompt)
    out = tmp_path / "out"
    for command in (("check",), ("build", "--out", out, "-q")):
        proc = run(*command, "--content", deck, cwd=deck)
        assert_refused(proc, "templates/questions/cloze.yaml:4:", out)


@pytest.mark.parametrize(("name", "command", "text"), list(OUTPUTS.values()), ids=list(OUTPUTS))
def test_output_template_is_refused_at_its_file(tmp_path: Path, name: str, command: str,
                                                text: str) -> None:
    deck = overlay_deck(tmp_path / "no-such-case", tmp_path)
    path = deck / "templates" / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    for args in (("check",), (command, "--out", out, "--lang", "en")):
        proc = run(*args, "--content", deck, cwd=deck)
        assert_refused(proc, f"templates/{name}:", out)
