"""The command line as a user meets it: start-up, build, and outputs left alone on errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import BROKEN, ROOT, overlay_deck, quizgen
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
          for kind in ("json", "apkg", "html", "worksheet.pdf", "key.pdf"))])


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
