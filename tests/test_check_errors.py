"""One broken deck per error class: `quizgen check` names the exact file, line and message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BROKEN, DOCUMENTS, overlay_deck, problem_lines, quizgen, warning_lines

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def test_every_error_class_has_a_case() -> None:
    """The error classes the content format promises to catch each have a fixture."""
    promised = {
        "yaml-syntax", "duplicate-key", "unknown-key", "yaml11-boolean", "wrong-type",
        "duplicate-fact-id", "unknown-source", "unknown-topic", "missing-language",
        "missing-marker", "doubled-marker", "empty-quote", "control-character", "non-utf8",
        "binary", "empty-file", "quote-not-found", "quote-wrong-paragraph",
    }
    assert promised <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_broken_deck_is_reported_exactly(case: str, tmp_path: Path) -> None:
    deck = overlay_deck(BROKEN / case, tmp_path)
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()

    run = quizgen("check", "--content", deck, "--sources-dir", DOCUMENTS, cwd=deck)

    assert run.code == 1
    assert "Traceback" not in run.err
    problems = problem_lines(run.err)
    assert problems == expected
    assert run.err.splitlines()[-1].startswith("quizgen: ")
    assert "nothing was written" in run.err


def test_the_sample_deck_is_valid(sample_deck: Path) -> None:
    run = quizgen("check", "--content", sample_deck, "--sources-dir", DOCUMENTS)
    assert run.code == 0, run.err
    assert "OK: no errors, 2 warnings." in run.out  # two places have no distractors


def test_every_problem_of_a_run_is_reported(tmp_path: Path) -> None:
    """Problems in several files and facts come out together, sorted, in one run."""
    deck = overlay_deck(BROKEN / "unknown-source", tmp_path)
    (deck / "facts" / "a.yaml").write_text(
        (BROKEN / "yaml11-boolean" / "facts" / "a.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    run = quizgen("check", "--content", deck, cwd=deck)
    lines = problem_lines(run.err)
    assert [line.split(":")[0] for line in lines] == ["facts/a.yaml", "facts/b.yaml"]
    assert run.err.splitlines()[-1] == "quizgen: 2 problems in the content; nothing was written."


def test_verbose_shows_a_traceback(tmp_path: Path) -> None:
    deck = overlay_deck(BROKEN / "unknown-source", tmp_path)
    assert "Traceback" in quizgen("check", "-v", "--content", deck).err


def test_missing_content_folder_is_a_message(tmp_path: Path) -> None:
    run = quizgen("check", "--content", tmp_path / "nowhere")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert "no such file or folder" in run.err


OUTPUT_COMMANDS = (("export", "json"), ("anki",), ("pdf", "-q"), ("html",), ("build", "-q"))
NEEDS_SOURCES = {"quote-not-found", "quote-wrong-paragraph"}  # found only by quote checking


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_every_command_refuses_a_broken_deck_and_writes_nothing(case: str,
                                                                 tmp_path: Path) -> None:
    deck = overlay_deck(BROKEN / case, tmp_path)
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    out = tmp_path / "out"
    for command in OUTPUT_COMMANDS:
        extra: tuple[str, ...] = ()
        if case in NEEDS_SOURCES:
            if command[0] != "build":
                continue
            extra = ("--sources-dir", str(DOCUMENTS))
        run = quizgen(*command, "--content", deck, "--out", out, *extra, cwd=deck)
        assert run.code == 1, (command, run.out)
        assert "Traceback" not in run.err, command
        problems = problem_lines(run.err)
        assert problems == expected, command
        assert not out.exists(), command


@pytest.mark.slow
def test_an_oversized_file_is_refused_by_every_command(tmp_path: Path) -> None:
    """Generated, not a fixture: 17 MiB of YAML does not belong in the repository."""
    deck = overlay_deck(BROKEN / "no-such-case", tmp_path)
    big = deck / "facts" / "c.yaml"
    big.write_text("# " + "x" * (17 * 1024 * 1024) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    for command in (("check",), *OUTPUT_COMMANDS):
        args = () if command == ("check",) else ("--out", out)
        run = quizgen(*command, "--content", deck, *args, cwd=deck)
        assert run.code == 1 and "Traceback" not in run.err, command
        assert problem_lines(run.err)[0].startswith("facts/c.yaml:1:1: "), run.err
        assert not out.exists()


# Output commands load without keeping every position (a large deck would hold them all at
# once); a problem must still be reported at the same place as by `check`.
OUTPUT_CASES = [c for c in CASES if not c.startswith("quote-")]


@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_output_commands_report_the_same_places(case: str, tmp_path: Path) -> None:
    deck = overlay_deck(BROKEN / case, tmp_path)
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    out = tmp_path / "out"

    run = quizgen("export", "json", "--content", deck, "--out", out, cwd=deck)

    assert run.code == 1
    assert problem_lines(run.err) == expected
    assert not out.exists() or not any(out.iterdir())


# Warnings: one kind, printed one way; --strict counts them as errors everywhere.

def test_check_reports_what_planning_finds(sample_deck: Path) -> None:
    """check says what build would: two multiple choices skipped for want of distractors."""
    run = quizgen("check", "--content", sample_deck, "--format", "json")
    assert run.code == 0, run.err
    warnings = json.loads(run.out)["warnings"]
    assert [(w["fact"], w["line"]) for w in warnings] == [("treaty-town", 14),
                                                          ("northland-capital", 1)]
    assert all("multiple-choice: skipped" in w["message"] for w in warnings)
    export = quizgen("export", "json", "--content", sample_deck, "--out", sample_deck / "o")
    assert warning_lines(export.err) == [w["text"] for w in warnings]


@pytest.mark.parametrize("command", [("check",), ("export", "json"), ("html",)])
def test_strict_turns_warnings_into_errors(sample_deck: Path, tmp_path: Path,
                                           command: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    args = () if command == ("check",) else ("--out", out)
    run = quizgen(*command, "--content", sample_deck, *args, "--strict")
    assert run.code == 1 and "Traceback" not in run.err
    assert len(warning_lines(run.err)) == 2
    assert run.err.splitlines()[-1].startswith("quizgen: --strict: 2 warnings")
    assert not out.exists()
    # Without the warnings' cause, --strict passes.
    facts = sample_deck / "facts"
    for name, line, others in (
            ("a.yaml", "    he: ההסכם נחתם ב[[ריברפורד]].\n",
             "{en: [Lakeside, Stonebridge, Eastport], ar: [ليكسايد, ستونبريدج, إيستبورت], "
             "he: [לייקסייד, סטונברידג', איסטפורט]}"),
            ("b.yaml", "    he: בירת נורתלנד היא [[הילקרסט]].\n",
             "{en: [Westmoor, Oakvale, Northgate], ar: [ويستمور, أوكفيل, نورثغيت], "
             "he: [וסטמור, אוקוויל, נורת'גייט]}")):
        text = (facts / name).read_text(encoding="utf-8")
        assert line in text
        (facts / name).write_text(text.replace(line, f"{line}  distractors: {others}\n"),
                                  encoding="utf-8")
    run = quizgen(*command, "--content", sample_deck, *args, "--strict")
    assert run.code == 0, run.err


@pytest.mark.slow
def test_build_strict_fails_on_the_same_warnings_as_check(sample_deck: Path,
                                                          tmp_path: Path) -> None:
    check = quizgen("check", "--content", sample_deck, "--strict")
    build = quizgen("build", "--content", sample_deck, "--out", tmp_path / "out", "--strict",
                    "-q")
    assert check.code == build.code == 1
    assert warning_lines(check.err) == warning_lines(build.err) != []
    assert not (tmp_path / "out").exists()
