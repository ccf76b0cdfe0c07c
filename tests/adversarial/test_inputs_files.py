"""Inputs that are not what they seem (issue 18, item 4): FIFOs, devices, dangling links and huge
files where quizgen reads content, source documents or its state; out-of-range build times;
temporary files of killed builds. Each fault is one line naming the path or variable and the
cause, exit 1, within the time limit, with the previous outputs untouched.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, overlay_deck
from quizgen.errors import QuizgenError
from quizgen.output import STALE_SECONDS

LIMIT_SECONDS = 30
MEMORY_CAP = 1536 * 2**20  # reading a 2 GB file whole would pass it
OLD = b'{"previous": "output"}\n'


def run_quizgen(*args: str | Path, env: dict[str, str] | None = None,
                memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess, with a time limit (and, if given, a cap on its memory)."""
    def limits() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "quizgen", *map(str, args)], cwd=ROOT, capture_output=True,
        text=True, timeout=LIMIT_SECONDS, preexec_fn=limits,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def fifo(path: Path) -> None:
    os.mkfifo(path)


def device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def dangling(path: Path) -> None:
    path.symlink_to(path.parent / "no-such-file.yaml")


def huge(path: Path) -> None:
    """A 2 GB file (sparse: it takes no disk), made of NUL bytes."""
    with path.open("wb") as handle:
        handle.truncate(2 * 2**30)


KINDS: dict[str, Callable[[Path], None]] = {"fifo": fifo, "device": device,
                                            "dangling": dangling, "huge": huge}
PLACES = {
    "fact file": "facts/hostile.yaml",
    "existing fact file": "facts/a.yaml",
    "deck.yaml": "deck.yaml",
    "sources.yaml": "sources.yaml",
    "question template": "templates/questions/hostile.yaml",
    "catalog": "templates/i18n/en.yaml",
}


def _assert_one_fault(run: subprocess.CompletedProcess[str], path: Path) -> None:
    err = run.stderr
    assert run.returncode == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    named = [line for line in err.splitlines()
             if path.name in line and path.parent.name in line]
    assert named, err


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_content_file_that_is_not_a_file(place: str, kind: str, tmp_path: Path) -> None:
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    target = deck / PLACES[place]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    KINDS[kind](target)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sample.en.json").write_bytes(OLD)
    run = run_quizgen("export", "json", "--content", deck, "--out", out, "--lang", "en",
                      memory=MEMORY_CAP)
    _assert_one_fault(run, target)
    assert sorted(p.name for p in out.iterdir()) == ["sample.en.json"]
    assert (out / "sample.en.json").read_bytes() == OLD


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("command", ["check", "html"])
def test_output_template_that_is_not_a_file(command: str, kind: str, tmp_path: Path) -> None:
    """A deck's own output template (a .j2 file) that is a FIFO, a device, a dangling link or
    huge: named, not passed over for quizgen's own template, not read."""
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    target = deck / "templates" / "html" / "selftest.html.j2"
    target.parent.mkdir(parents=True)
    KINDS[kind](target)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sample.en.html").write_bytes(OLD)
    args = ["--out", out, "--lang", "en"] if command == "html" else []
    run = run_quizgen(command, "--content", deck, *args, memory=MEMORY_CAP)
    _assert_one_fault(run, target)
    assert sorted(p.name for p in out.iterdir()) == ["sample.en.html"]
    assert (out / "sample.en.html").read_bytes() == OLD


@pytest.mark.parametrize("kind", ["fifo", "device", "dangling", "huge"])
def test_source_document_that_is_not_a_file(kind: str, tmp_path: Path) -> None:
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    documents = tmp_path / "documents"
    documents.mkdir()
    KINDS[kind](documents / "treaty.txt")
    run = run_quizgen("check", "--content", deck, "--sources-dir", documents,
                      memory=MEMORY_CAP)
    _assert_one_fault(run, documents / "treaty.txt")


@pytest.mark.parametrize("kind", ["fifo", "device", "dangling"])
def test_state_file_that_is_not_a_file(kind: str, tmp_path: Path) -> None:
    """A FIFO in place of .quizgen-state used to block every command for ever."""
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sample.en.json").write_bytes(OLD)
    KINDS[kind](out / ".quizgen-state")
    run = run_quizgen("export", "json", "--content", deck, "--out", out, "--lang", "en")
    _assert_one_fault(run, out / ".quizgen-state")
    assert (out / "sample.en.json").read_bytes() == OLD


@pytest.mark.parametrize("value", ["99999999999999999999", "4354819200", "7258118400",
                                   "9" * 5000, "1e9", "-5"])
def test_source_date_epoch_out_of_range(value: str, tmp_path: Path) -> None:
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sample.en.apkg").write_bytes(OLD)
    for command in (["anki"], ["build", "-q"]):
        run = run_quizgen(*command, "--content", deck, "--out", out, "--lang", "en",
                          env={"SOURCE_DATE_EPOCH": value})
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr
        assert [line for line in run.stderr.splitlines() if "SOURCE_DATE_EPOCH" in line]
        assert sorted(p.name for p in out.iterdir()) == ["sample.en.apkg"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_killed_builds_leftovers_are_removed_by_the_next_run(tmp_path: Path) -> None:
    """A build killed a moment ago (its process is gone) leaves temporary files beside the
    outputs and a folder in TMPDIR: the next run removes them, however young. Those of a running
    build stay."""
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    dead, alive = _dead_pid(), os.getpid()
    killed = [out / f".sample.en.json.{dead}.k1ll3d_x.part",
              out / f".sample.en.apkg.{dead}.k1ll3d_y.part"]
    running = out / f".sample.en.json.{alive}.running.part"
    for path in [*killed, running]:
        path.write_bytes(b"half")
    killed_dir = tmp / f"quizgen-anki-{dead}-abc123"
    running_dir = tmp / f"quizgen-anki-{alive}-def456"
    for folder in (killed_dir, running_dir):
        folder.mkdir()
        (folder / "collection.anki2").write_bytes(b"half")
    run = run_quizgen("anki", "--content", deck, "--out", out, "--lang", "en",
                      env={"TMPDIR": str(tmp)})
    assert run.returncode == 0, run.stderr
    assert not any(path.exists() for path in killed) and not killed_dir.exists()
    assert running.exists() and running_dir.exists()
    assert (out / "sample.en.apkg").is_file()


def test_old_leftovers_are_removed_whoever_wrote_them(tmp_path: Path) -> None:
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    old = out / f".sample.en.json.{os.getpid()}.oldfile.part"
    old.write_bytes(b"half")
    then = time.time() - STALE_SECONDS - 60
    os.utime(old, (then, then))
    run = run_quizgen("export", "json", "--content", deck, "--out", out, "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert not old.exists()


def test_out_that_cannot_be_written_is_refused_before_any_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only --out used to be found out only when writing, after all the work (root may
    write anywhere, so the refusal is simulated)."""
    from quizgen.output import check_folder

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    for target in (out, out / "sub" / "folder"):
        with pytest.raises(QuizgenError) as caught:
            check_folder(target)
        assert str(target) in caught.value.format_message()


def test_out_that_is_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    out = tmp_path / "out"
    out.symlink_to("/dev/null")
    run = run_quizgen("export", "json", "--content", deck, "--out", out, "--lang", "en")
    assert run.returncode == 1 and str(out) in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert out.is_symlink()
