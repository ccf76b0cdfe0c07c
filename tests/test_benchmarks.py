"""The benchmarks' synthetic deck is valid content, and the engine scales its question ids."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from conftest import ROOT, quizgen, warning_lines

sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate


def test_synthetic_deck_checks_clean_and_gives_unique_questions(tmp_path: Path) -> None:
    deck = generate(300, tmp_path)
    run = quizgen("check", "--content", deck, "--sources-dir", tmp_path / "documents")
    assert run.code == 0, run.err
    assert "OK: no errors" in run.out and "300/300" in run.out
    # A few generated figures lack plausible distractors; nothing else is worth a warning.
    assert all("multiple-choice: skipped" in w or "true-false: skipped" in w
               for w in warning_lines(run.err)), run.err
    run = quizgen("export", "json", "--content", deck, "--out", tmp_path / "out")
    assert run.code == 0, run.err
    data = json.loads((tmp_path / "out" / "synthetic-300.he.json").read_text("utf-8"))
    ids = [q["id"] for q in data["questions"]]
    assert len(ids) == len(set(ids))
    types = Counter(q["type"] for q in data["questions"])
    assert set(types) == {"cloze", "short_answer", "multiple_choice", "true_false", "ordering",
                          "matching", "comparison", "word_bank"}, types
    # Comparisons grow with the figures, not with their pairs: two partners, two variants each.
    quantities = len({q["fact_id"] for q in data["questions"] if "quantity" in q["kinds"]})
    assert types["comparison"] <= 2 * 2 * quantities, (types["comparison"], quantities)


def test_measure_reports_cpu_time_of_the_command_and_its_children() -> None:
    """A command that burns CPU in a child process: its CPU time counts (not only the wall
    time a sleep would take); a command that sleeps takes wall time, not CPU."""
    from run import measure

    burn = "import subprocess, sys; subprocess.run([sys.executable, '-c', " \
           "'sum(range(3 * 10**7))'], check=True)"
    wall, cpu, peak = measure([sys.executable, "-c", burn])
    assert cpu > 0.2 and peak > 1, (wall, cpu, peak)
    wall, cpu, _ = measure([sys.executable, "-c", "import time; time.sleep(1.5)"])
    assert wall >= 1.5 and cpu < 1.0, (wall, cpu)
