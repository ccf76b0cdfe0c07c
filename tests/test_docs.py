"""The documentation's examples are real: they pass `quizgen check`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, quizgen, require, warning_lines


def yaml_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown.read_text("utf-8"), flags=re.S)


def test_worked_example_of_the_content_format_is_valid(tmp_path: Path) -> None:
    require(SEEDS.is_dir(), f"the source documents in {SEEDS}")
    example = next(b for b in yaml_blocks(ROOT / "docs" / "content-format.md")
                   if b.startswith("# yaml-language-server") and "- id:" in b)
    deck = tmp_path / "deck"
    (deck / "facts").mkdir(parents=True)
    for name in ("deck.yaml", "sources.yaml"):
        shutil.copyfile(ROOT / "content" / "afghanistan-russia" / name, deck / name)
    (deck / "facts" / "early-relations.yaml").write_text(example, encoding="utf-8")
    run = quizgen("check", "--content", deck, "--sources-dir", SEEDS)
    assert run.code == 0, run.err
    assert ": 1 fact, 3 sources" in run.out


def test_readme_quickstart_has_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Quickstart", 1)[1]
    block = re.search(r"```\w*\n(.*?)```", section, flags=re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert commands == ["make build", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def shell_block(markdown: Path, heading: str) -> str:
    """The first ``sh`` block of the section under ``heading``."""
    section = markdown.read_text("utf-8").split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1)


@pytest.mark.slow
def test_readme_using_it_commands_run_as_printed(tmp_path: Path) -> None:
    """After the Quickstart, the README's "Using it" commands work, in order, as a user types
    them: in a folder of their own, with the installed tool put on PATH by the first line."""
    block = shell_block(ROOT / "README.md", "## Using it")
    assert block.startswith(". .venv/bin/activate"), "the first line puts quizgen on PATH"
    work = tmp_path / "work"
    work.mkdir()
    (work / ".venv").symlink_to(Path(sys.prefix))  # the environment `make build` installed
    script = ("set -euo pipefail\n"
              "trap 'echo \"README command failed: $BASH_COMMAND\" >&2' ERR\n" + block)
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # no quizgen until the README says so
    proc = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    deck = work / "my-deck"
    for name in ("check.json", "en.apkg", "ar.apkg", "en.html", "he.json",
                 "he.A.worksheet.pdf", "he.B.key.pdf"):
        assert (deck / "build" / f"my-deck.{name}").is_file(), name
    assert json.loads((work / "facts.schema.json").read_text("utf-8"))["title"]
    reading = [line for line in proc.stderr.splitlines() if line.startswith("reading ")]
    assert reading and all(line.endswith("my-deck (3 facts)") for line in reading), reading
    assert warning_lines(proc.stderr) == []  # the starter deck builds clean
