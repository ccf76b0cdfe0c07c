"""The parse cache: a large fact file is read from it when unchanged, and every message, count
and output is the same as without it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from conftest import ROOT, problem_lines, quizgen, warning_lines

sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate


def _check(deck: Path, cache: Path | str, *extra: str) -> tuple[int, str, str]:
    run = quizgen("check", "--content", deck, *extra, env={"QUIZGEN_CACHE_DIR": str(cache)})
    return run.code, run.out, run.err


def _entries(cache: Path, *, results: bool = True) -> dict[str, float]:
    """The cache's entries and their times; without ``results``, the parsed files' only (not
    the results kept of check and of the quality review)."""
    if not cache.is_dir():
        return {}
    return {p.name: p.stat().st_mtime_ns for p in _parsed(cache.iterdir(), results=results)}


def _parsed(entries: Iterable[Path], *, results: bool = False) -> list[Path]:
    """The entries of parsed fact files (each holds its facts' ids), or every one."""
    return [p for p in entries if results or b'"id":"fact-' in p.read_bytes()]


def _break_deep(deck: Path) -> Path:
    """Make one value deep inside a fact of a large file wrong: a quote's locator a boolean."""
    path = deck / "facts" / "part-001.yaml"
    text = path.read_text("utf-8")
    start = text.index("- id: fact-7\n")
    at = text.index("    locator: ", start)
    end = text.index("\n", at)
    path.write_text(text[:at] + "    locator: no" + text[end:], "utf-8")
    return path


def test_warm_reads_give_the_same_messages(tmp_path: Path) -> None:
    deck = generate(300, tmp_path)
    assert (deck / "facts" / "part-001.yaml").stat().st_size > 64 * 1024
    _break_deep(deck)
    cache = tmp_path / "cache"
    uncached = _check(deck, "")
    assert uncached[0] == 1 and "part-001.yaml:" in uncached[2]
    cold = _check(deck, cache)
    written = _entries(cache)
    assert written, "the large fact file was not cached"
    warm = _check(deck, cache)
    assert _entries(cache) == written  # read, not written again
    # The problem sits below a fact, where a cached file keeps its positions packed.
    assert uncached == cold == warm


def test_an_edit_is_seen(tmp_path: Path) -> None:
    deck = generate(300, tmp_path)
    cache = tmp_path / "cache"
    assert _check(deck, cache)[0] == 0
    assert _check(deck, cache)[0] == 0
    broken = _break_deep(deck)
    code, _, err = _check(deck, cache)
    assert code == 1 and f"{broken.name}:" in err and "quote it" in err


def test_a_damaged_entry_is_parsed_again(tmp_path: Path) -> None:
    deck = generate(300, tmp_path)
    cache = tmp_path / "cache"
    first = _check(deck, cache, "--format", "json")
    for entry in cache.iterdir():
        entry.write_bytes(entry.read_bytes()[:40] + b"\x80\x05garbage")
    assert _check(deck, cache, "--format", "json") == first
    for entry in cache.iterdir():
        entry.write_bytes(b"")
    assert _check(deck, cache, "--format", "json") == first


def test_empty_setting_turns_it_off(tmp_path: Path) -> None:
    deck = generate(300, tmp_path)
    home = tmp_path / "home"
    run = quizgen("check", "--content", deck,
                  env={"QUIZGEN_CACHE_DIR": "", "HOME": str(home), "XDG_CACHE_HOME": ""})
    assert run.code == 0, run.err
    assert not home.exists() or not any(home.rglob("*"))


def test_default_folder_is_the_users_cache(tmp_path: Path) -> None:
    deck = generate(300, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "QUIZGEN_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "quizgen", "check", "--content", str(deck)],
                          cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert any((tmp_path / "xdg" / "quizgen" / "parsed").iterdir())


def test_a_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    deck = generate(300, tmp_path)
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    cache.chmod(0o777)
    code, _, err = _check(deck, cache)
    assert code == 0
    assert "parse cache off" in err and "chmod 700" in err
    assert not any(cache.iterdir())


def _export(deck: Path, cache: Path | str, out: Path) -> bytes:
    run = quizgen("export", "json", "--content", deck, "--out", out,
                  env={"QUIZGEN_CACHE_DIR": str(cache)})
    assert run.code == 0, run.err
    return b"".join(p.read_bytes() for p in sorted(out.glob("*.json")))


def test_a_planted_pickle_never_runs(tmp_path: Path) -> None:
    """Entries are data: an entry holding a pickle that would run a command, with the right
    header and key, is ignored and written again; the command never runs."""
    deck = generate(300, tmp_path)
    cache = tmp_path / "cache"
    plain = _check(deck, "", "--format", "json")
    assert _check(deck, cache, "--format", "json") == plain
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.system, (f"touch {marker}",)

    import pickle

    for entry in cache.iterdir():
        head = entry.read_bytes()[:17 + 64]  # format line, key, checksum
        entry.write_bytes(head + pickle.dumps(Planted()))
    assert _check(deck, cache, "--format", "json") == plain
    assert not marker.exists()
    assert all(not e.read_bytes().endswith(b".") for e in cache.iterdir())  # written again


def test_an_entry_edited_in_place_is_parsed_again(tmp_path: Path) -> None:
    """A same-length edit inside an entry ("Soviet" to "Sovjet") fails its checksum: the file is
    parsed again and no output changes."""
    deck = generate(300, tmp_path)
    cache = tmp_path / "cache"
    plain = _export(deck, "", tmp_path / "plain")
    assert _export(deck, cache, tmp_path / "cold") == plain
    edited = 0
    for entry in _parsed(cache.iterdir()):
        data = entry.read_bytes()
        at = data.index(b'"id":"fact-') + len(b'"id":"fact-')
        entry.write_bytes(data[:at] + b"X" + data[at + 1:])
        edited += 1
    assert edited
    assert _export(deck, cache, tmp_path / "warm") == plain


def test_an_entry_others_can_write_is_not_read(tmp_path: Path) -> None:
    """An entry that is not the user's own private file (writable by others; as root, owned by
    another user) is ignored and replaced."""
    deck = generate(300, tmp_path)
    cache = tmp_path / "cache"
    plain = _export(deck, "", tmp_path / "plain")
    _export(deck, cache, tmp_path / "cold")
    entries = _parsed(cache.iterdir())
    for entry in entries:
        data = entry.read_bytes()
        at = data.index(b'"id":"fact-') + len(b'"id":"fact-')
        entry.write_bytes(data[:at] + b"X" + data[at + 1:])
        entry.chmod(0o666)
    if os.geteuid() == 0:  # root (CI) can hand an entry to another user
        os.chown(entries[0], 65534, 65534)
    assert _export(deck, cache, tmp_path / "warm") == plain
    for entry in cache.iterdir():
        assert entry.stat().st_mode & 0o022 == 0
        assert entry.stat().st_uid == os.geteuid()


def test_every_spelling_of_a_path_shares_one_entry(tmp_path: Path) -> None:
    """`deck`, `./deck` and the absolute path are one file: one entry, and the same messages as
    without the cache."""
    deck = generate(300, tmp_path)
    _break_deep(deck)
    cache = tmp_path / "cache"
    plain = quizgen("check", "--content", deck.name, cwd=deck.parent,
                    env={"QUIZGEN_CACHE_DIR": ""})
    assert plain.code == 1 and "part-001.yaml:" in plain.err
    seen = None
    for spelling in (deck.name, f"./{deck.name}", str(deck), f"{deck}/../{deck.name}"):
        run = quizgen("check", "--content", spelling, cwd=deck.parent,
                      env={"QUIZGEN_CACHE_DIR": str(cache)})
        assert problem_lines(run.err) == problem_lines(plain.err), spelling
        if seen is None:
            seen = _entries(cache, results=False)
        assert _entries(cache, results=False) == seen, spelling  # read, not written again


def test_check_remembers_what_planning_found_until_the_deck_changes(tmp_path: Path) -> None:
    """Planning a deck's questions is most of check's time on a large deck: an unchanged deck's
    findings come from the cache (the same messages), and any edit is planned again."""
    deck = generate(120, tmp_path)
    cache = tmp_path / "cache"
    uncached = _check(deck, "")
    cold = _check(deck, cache)
    written = _entries(cache)
    large = [p for p in (deck / "facts").iterdir() if p.stat().st_size >= 64 * 1024]
    # check's result, the review of each question and the plans (kept for the output commands)
    assert len(written) == len(large) + 3, "the planning findings were not kept"
    warm = _check(deck, cache)
    assert _entries(cache) == written
    assert uncached == cold == warm
    # A distractor that is the answer itself: a finding of planning, not of validation.
    path = deck / "facts" / "part-001.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("    - Kazakhstan\n", "    - China\n", 1), "utf-8")
    edited = _check(deck, cache)
    assert edited == _check(deck, "")
    assert edited[1:] != warm[1:] and "fact-1:" in edited[2] and "fact-1:" not in warm[2]


def test_what_the_review_found_is_kept_per_question_and_said_the_same(tmp_path: Path) -> None:
    """An output command reviews the questions it writes in every language (most of its
    planning); what a question's review found is kept, so a later command over the same deck
    and seed renders only the questions not reviewed yet, and says the same warnings."""
    deck = generate(120, tmp_path)
    # A wrong option far longer than the others: a finding of the review.
    path = deck / "facts" / "part-001.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "    - Kazakhstan\n", "    - the Republic of Kazakhstan and all of its many neighbouring "
        "provinces together\n", 1), "utf-8")
    cache = tmp_path / "cache"

    def run(*extra: str, cached: bool = True) -> tuple[list[str], bytes]:
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        done = quizgen("export", "json", "--content", deck, "--out", out, *extra,
                       env={"QUIZGEN_CACHE_DIR": str(cache) if cached else ""})
        assert done.code == 0, done.err
        return warning_lines(done.err), b"".join(p.read_bytes() for p in sorted(out.glob("*.json")))

    plain = run(cached=False)
    assert any("fact-1: [choices-length]" in line for line in plain[0])
    assert run() == plain  # reviewed and kept
    kept = _entries(cache)
    assert len(kept) == 2 + len(_entries(cache, results=False))  # the review, the plans
    assert run() == plain  # from what was kept
    assert _entries(cache) == kept  # nothing new to keep
    # Another selection: its questions were reviewed; the warnings are its own.
    assert run("--count", "7", "--seed", "0") == run("--count", "7", cached=False)
    # Another seed plans other questions: reviewed afresh, and said as without the cache.
    assert run("--seed", "3") == run("--seed", "3", cached=False)


def test_check_sees_a_fifo_go_away(tmp_path: Path) -> None:
    """What is not a regular file is named by check; its going away changes the result kept
    (only files' contents were hashed, so the FIFO's error was said again after it was gone)."""
    deck = generate(20, tmp_path)
    pipe = deck / "facts" / "pipe.yaml"
    os.mkfifo(pipe)
    cache = tmp_path / "cache"
    code, _, err = _check(deck, cache)
    assert code == 1 and "pipe.yaml" in err
    pipe.unlink()
    assert _check(deck, cache) == _check(deck, "")
    assert _check(deck, cache)[0] == 0


def test_an_entry_reads_back_as_it_was_kept() -> None:
    """Entries are read with orjson where it gives Python's values: a whole number beyond 64
    bits (a float to orjson) and a lone surrogate (refused by it) come back as they were."""
    import json

    from quizgen.parsecache import _loads

    for value in ({"a": 123456789012345678901234567890, "b": -2**70, "c": 2**63},
                  ["\ud800", "x"], [0.1, 1.5e-07, 1e308, -0.0, 17098242, "١٢٣"],
                  {"deep": [[{"k": "v"}]] * 3}):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        raw = text.encode("utf-8", "surrogatepass")
        assert _loads(raw) == value
        assert [type(x) for x in _loads(raw)] == [type(x) for x in value]
