"""The documentation's examples are real: they pass `quizgen check`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT, SEEDS, quizgen, require


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
