"""The command line as a user meets it: start-up, build, and outputs left alone on errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import BROKEN, ROOT, overlay_deck, quizgen, warning_lines
from quizgen import __version__
from quizgen.incremental import STATE_FILE


def test_version() -> None:
    run = quizgen("--version")
    assert run.code == 0 and run.out.strip() == f"quizgen, version {__version__}"


def test_help_imports_nothing_heavy() -> None:
    code = ("import sys; from quizgen.cli import cli; "
            "heavy = [m for m in ('weasyprint', 'genanki', 'pydantic', 'jinja2', 'rapidfuzz') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_every_command_has_help() -> None:
    """Each command's help shows its own summary (the first line of its docstring)."""
    from quizgen.cli import cli

    for name, command in cli.commands.items():
        run = quizgen(name, "--help")
        summary = " ".join((command.help or "").split(".")[0].split())
        assert run.code == 0 and summary and summary in " ".join(run.out.split()), name
    assert set(cli.commands) >= {"check", "schema", "export", "anki", "pdf", "html", "build"}


def test_build_writes_every_output(tmp_path: Path, sample_deck: Path) -> None:
    run = quizgen("build", "--content", sample_deck, "--out", tmp_path / "out")
    assert run.code == 0, run.err
    report = json.loads((tmp_path / "out" / "sample.check.json").read_text("utf-8"))
    assert report["facts"] == 3 and report["languages"] == ["en", "ar", "he"]
    assert (tmp_path / "out" / STATE_FILE).is_file()  # what the next build may skip
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name != STATE_FILE) == sorted([
        "sample.check.json",
        *(f"sample.{lang}.{kind}" for lang in ("en", "ar", "he")
          for kind in ("json", "apkg", "html", "worksheet.pdf", "key.pdf", "gift", "moodle.xml",
                       "qti.zip", "canvas.zip"))])


def test_build_of_broken_content_leaves_previous_outputs_untouched(tmp_path: Path,
                                                                     sample_deck: Path) -> None:
    out = tmp_path / "out"
    assert quizgen("build", "--content", sample_deck, "--out", out).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = overlay_deck(BROKEN / "doubled-marker", tmp_path / "broken")
    run = quizgen("build", "--content", broken, "--out", out)
    assert run.code == 1 and "Traceback" not in run.err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_build_refuses_an_unknown_language(tmp_path: Path, sample_deck: Path) -> None:
    run = quizgen("build", "--content", sample_deck, "--out", tmp_path / "out", "--lang", "fr")
    assert run.code == 1
    assert '--lang fr: no deck is written in "fr"; languages: ar, en, he' in run.err
    assert not (tmp_path / "out").exists()


def test_content_may_be_a_folder_of_decks(tmp_path: Path, sample_deck: Path) -> None:
    run = quizgen("check", "--content", sample_deck.parent, "--format", "json")
    assert run.code == 0
    assert [d["id"] for d in json.loads(run.out)["decks"]] == ["sample"]


def test_json_report_lists_errors_with_positions(tmp_path: Path) -> None:
    deck = overlay_deck(BROKEN / "unknown-source", tmp_path)
    run = quizgen("check", "--content", deck, "--format", "json", cwd=deck)
    assert run.code == 1
    [error] = json.loads(run.out)["errors"]
    assert {k: error[k] for k in ("file", "line", "column", "fact")} == {
        "file": "facts/b.yaml", "line": 10, "column": 15, "fact": "northland-capital"}


BUNDLED_DECK = ROOT / "content" / "afghanistan-russia"


def read_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("reading ")]


def test_check_inside_a_deck_folder_reads_that_deck() -> None:
    for where in (BUNDLED_DECK, BUNDLED_DECK / "facts"):  # the deck folder, or one inside it
        run = quizgen("check", "--format", "json", cwd=where)
        assert run.code == 0, run.err
        [deck] = json.loads(run.out)["decks"]
        assert (where / deck["path"]).resolve() == BUNDLED_DECK
        [line] = read_lines(run.err)
        assert line.startswith("reading ") and line.endswith(f" ({deck['facts']} facts)")
        assert run.err.splitlines()[0] == line  # the first thing it says
        assert "bundled" not in run.err


def test_check_in_a_folder_without_decks_reads_the_bundled_decks_and_says_so(
        tmp_path: Path) -> None:
    run = quizgen("check", cwd=tmp_path)
    assert run.code == 0, run.err
    first, second, *_ = run.err.splitlines()
    assert first == (f"no deck in {tmp_path}: reading the bundled decks (run quizgen in a deck "
                     "folder, or pass --content PATH)")
    assert second.startswith("reading ") and second.endswith("afghanistan-russia (97 facts)")
    assert Path(second.split(" ", 1)[1].rsplit(" (", 1)[0]).resolve() == BUNDLED_DECK


def test_a_folder_of_decks_is_read_where_it_stands(tmp_path: Path, sample_deck: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(sample_deck, other)
    (other / "deck.yaml").write_text((other / "deck.yaml").read_text("utf-8").replace(
        "id: sample", "id: other"), encoding="utf-8")
    run = quizgen("check", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.err
    assert [d["id"] for d in json.loads(run.out)["decks"]] == ["other", "sample"]
    assert read_lines(run.err) == ["reading other (3 facts)", "reading sample (3 facts)"]
    # --content still wins over the folder one stands in.
    run = quizgen("check", "--content", sample_deck, "--format", "json", cwd=other)
    assert [d["id"] for d in json.loads(run.out)["decks"]] == ["sample"]


def test_every_output_command_says_first_which_decks_it_reads(tmp_path: Path,
                                                              sample_deck: Path) -> None:
    for command in (("export", "json"), ("anki",), ("html",), ("pdf", "-q"), ("build", "-q")):
        run = quizgen(*command, "--lang", "en", "--out", tmp_path / command[0], cwd=sample_deck)
        assert run.code == 0, run.err
        assert run.err.splitlines()[0] == f"reading {sample_deck} (3 facts)", command
        assert (tmp_path / command[0]).is_dir()


def test_outputs_inside_the_deck_are_not_its_inputs(tmp_path: Path, sample_deck: Path) -> None:
    """Built where the deck is (build/ inside it), a second run has nothing to do."""
    assert quizgen("export", "json", cwd=sample_deck).code == 0
    assert (sample_deck / "build" / "sample.en.json").is_file()
    run = quizgen("export", "json", cwd=sample_deck)
    assert run.code == 0 and run.out.startswith("up to date: "), run.out


def test_new_writes_a_deck_that_checks_and_builds_clean(tmp_path: Path) -> None:
    run = quizgen("new", "My Deck", cwd=tmp_path)
    assert run.code == 0, run.err
    deck = tmp_path / "My Deck"
    check = quizgen("check", "--sources-dir", "documents", "--format", "json", cwd=deck)
    assert check.code == 0, check.err
    report = json.loads(check.out)
    assert report["warnings"] == [] and report["decks"][0]["id"] == "my-deck"
    assert report["decks"][0]["quotes_checked"] == 3
    export = quizgen("export", "json", cwd=deck)  # plans every question type
    assert export.code == 0 and warning_lines(export.err) == [], export.err
    # An existing folder is never written into; nothing is left behind by a refusal.
    again = quizgen("new", "My Deck", cwd=tmp_path)
    assert again.code == 1 and "already exists" in again.err and "Traceback" not in again.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["My Deck"]


@pytest.mark.slow
def test_build_takes_the_options_of_the_single_commands(tmp_path: Path,
                                                       sample_deck: Path) -> None:
    """build makes every registered format, with what pdf, anki and export would be given."""
    from quizgen.commands.formats import FORMATS

    out = tmp_path / "out"
    run = quizgen("build", "--content", sample_deck, "--out", out, "--lang", "he", "-q",
                  "--paper", "letter", "--versions", "2", "--types", "cloze,true-false",
                  "--count", "2")
    assert run.code == 0, run.err
    names = sorted(p.name for p in out.iterdir() if p.name != STATE_FILE)
    assert names == sorted(["sample.check.json", "sample.he.json", "sample.he.apkg",
                            "sample.he.html", "sample.he.gift", "sample.he.moodle.xml",
                            "sample.he.qti.zip", "sample.he.canvas.zip",
                            *(f"sample.he.{form}.{kind}.pdf" for form in "AB"
                                                for kind in ("worksheet", "key"))])
    assert {n.split(".")[-1] for n in names} >= {"json", "apkg", "html", "pdf", "gift", "xml",
                                                 "zip"}
    assert len(FORMATS) == 8
    questions = json.loads((out / "sample.he.json").read_text("utf-8"))["questions"]
    assert len(questions) == 2 and {q["type"] for q in questions} <= {"cloze", "true_false"}
    info = subprocess.run(["pdfinfo", str(out / "sample.he.A.worksheet.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+612 x 792 pts", info), info
    # Without --count, each format takes its own default: all questions, 20 on a worksheet.
    default = quizgen("build", "--out", tmp_path / "bundled", "--lang", "en", "-q")
    assert default.code == 0, default.err
    assert "(worksheet, 20 questions)" in default.out
    all_questions = json.loads((tmp_path / "bundled" / "afghanistan-russia.en.json")
                               .read_text("utf-8"))["questions"]
    assert len(all_questions) > 20


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(st.characters(exclude_categories=("Cs",)), max_size=8), inner,
                      max_size=4),
    max_leaves=30)


@settings(max_examples=500, deadline=None)
@example(value={"a": [1.5e-7, 1e16, 0.1, -0.0, "\u2028\x1f\"\\ 𝄞 שלום"], "": None})
@example(value=[1e-05, 0.0001, 123456789012345.67, 1e15, 9.999e15, 5e-324,
                1.7976931348623157e308])
@given(value=JSON_VALUES)
def test_export_json_writes_what_pythons_encoder_would(value: object) -> None:
    """export json's fast encoder gives json.dumps(ensure_ascii=False, indent=2)'s bytes."""
    from quizgen.commands.export import encode

    assert encode(value) == (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()


def test_export_json_of_the_bundled_deck_is_pythons_json(tmp_path: Path) -> None:
    run = quizgen("export", "json", "--count", "all", "--out", tmp_path)
    assert run.code == 0, run.err
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 3
    for path in files:
        data = path.read_bytes()
        assert data == (json.dumps(json.loads(data), ensure_ascii=False, indent=2)
                        + "\n").encode(), path.name
