"""Incremental builds: an unchanged rebuild skips its outputs and says so; any changed input
(content, options, another build's overwrite) makes them again; --force always does."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from conftest import BASE_DECK, ROOT, quizgen
from quizgen.incremental import STATE_FILE


def outputs(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.iterdir())
            if p.name != STATE_FILE}


def html(deck: Path, out: Path, *args: str):
    run = quizgen("html", "--content", deck, "--out", out, *args)
    assert run.code == 0, run.err
    return run


def test_unchanged_rebuild_skips_and_says_so(tmp_path: Path, sample_deck: Path) -> None:
    out = tmp_path / "out"
    first = html(sample_deck, out)
    assert first.out.count("wrote ") == 3
    before = outputs(out)
    again = html(sample_deck, out)
    assert "wrote " not in again.out
    assert "up to date: " in again.out and "3 files" in again.out and "--force" in again.out
    assert outputs(out) == before  # not even rewritten: the files keep their times


def test_every_input_counts(tmp_path: Path, sample_deck: Path) -> None:
    out = tmp_path / "out"
    html(sample_deck, out)
    # An option.
    assert html(sample_deck, out, "--seed", "5").out.count("wrote ") == 3
    assert "up to date" in html(sample_deck, out, "--seed", "5").out
    # The content: one character of one fact.
    facts = sorted((sample_deck / "facts").glob("*.yaml"))[0]
    facts.write_text(facts.read_text("utf-8").replace("signed their", "signed the", 1), "utf-8")
    assert html(sample_deck, out, "--seed", "5").out.count("wrote ") == 3
    # A file the deck adds, such as its own question template.
    (sample_deck / "templates" / "questions").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "templates" / "types" / "cloze" / "questions" / "cloze.yaml",
                sample_deck / "templates" / "questions" / "cloze.yaml")
    assert html(sample_deck, out, "--seed", "5").out.count("wrote ") == 3
    # SOURCE_DATE_EPOCH, which dates the outputs.
    run = quizgen("html", "--content", sample_deck, "--out", out, "--seed", "5",
                  env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0 and run.out.count("wrote ") == 3


def test_a_changed_or_missing_output_is_made_again(tmp_path: Path, sample_deck: Path) -> None:
    out = tmp_path / "out"
    html(sample_deck, out)
    page = out / "sample.ar.html"
    original = page.read_bytes()
    page.write_bytes(original + b"<!-- edited -->")
    assert html(sample_deck, out).out.count("wrote ") == 3
    assert page.read_bytes() == original
    (out / "sample.he.html").unlink()
    assert html(sample_deck, out).out.count("wrote ") == 3
    assert (out / "sample.he.html").is_file()


def test_force_rebuilds(tmp_path: Path, sample_deck: Path) -> None:
    out = tmp_path / "out"
    html(sample_deck, out)
    for path in out.iterdir():  # a day old: a file written again has a newer time on any disk
        os.utime(path, (path.stat().st_atime - 86400, path.stat().st_mtime - 86400))
    before = outputs(out)
    run = html(sample_deck, out, "--force")
    assert run.out.count("wrote ") == 3 and "up to date" not in run.out
    after = outputs(out)
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in before.items()}
    assert all(after[k][0] != before[k][0] for k in before)


def test_only_the_changed_deck_is_rebuilt(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for name in ("one", "two"):
        deck = content / name
        shutil.copytree(BASE_DECK, deck)
        text = (deck / "deck.yaml").read_text("utf-8")
        (deck / "deck.yaml").write_text(text.replace("id: sample", f"id: {name}", 1), "utf-8")
    out = tmp_path / "out"
    assert html(content, out).out.count("wrote ") == 6
    facts = sorted((content / "two" / "facts").glob("*.yaml"))[0]
    facts.write_text(facts.read_text("utf-8") + "\n", "utf-8")
    run = html(content, out)
    assert run.out.count("wrote ") == 3 and all(
        "two." in line for line in run.out.splitlines() if line.startswith("wrote "))
    assert "up to date: " in run.out and "one" in run.out


def test_a_broken_state_file_only_means_a_full_build(tmp_path: Path, sample_deck: Path) -> None:
    out = tmp_path / "out"
    html(sample_deck, out)
    (out / STATE_FILE).write_text("{not json", "utf-8")
    assert html(sample_deck, out).out.count("wrote ") == 3
    state = json.loads((out / STATE_FILE).read_text("utf-8"))
    assert state["format"] == 1 and len(state["entries"]) == 1


def test_build_skips_everything_it_made(tmp_path: Path, sample_deck: Path) -> None:
    out = tmp_path / "out"
    run = quizgen("build", "-q", "--content", sample_deck, "--out", out)
    assert run.code == 0, run.err
    before = outputs(out)
    assert len(before) == 28  # the check report, and 9 files in each of 3 languages
    again = quizgen("build", "-q", "--content", sample_deck, "--out", out)
    assert again.code == 0 and "wrote " not in again.out and "28 files" in again.out
    assert outputs(out) == before
