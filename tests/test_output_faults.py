"""Faults of the output folder and the disk are messages, not internal errors: an `--out` that is
a file, a disk that fills up halfway (nothing is replaced), temporary files of killed builds."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from conftest import quizgen
from quizgen.errors import QuizgenError
from quizgen.output import STALE_SECONDS, write_all_or_none


def test_an_out_that_is_a_file_is_said(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("mine", encoding="utf-8")
    for out in (target, target / "sub"):
        run = quizgen("export", "json", "--out", out)
        assert run.code == 1
        assert str(out) in run.err and "internal error" not in run.err
        assert "Traceback" not in run.err
    assert target.read_text(encoding="utf-8") == "mine"


def test_a_full_disk_replaces_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    real = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(QuizgenError) as caught:
        write_all_or_none([(first, b"new a"), (second, b"new b")])
    message = caught.value.format_message()
    assert str(second) in message and "disk is full" in message and "nothing was written" in message
    assert first.read_bytes() == b"old a" and second.read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_a_killed_builds_temporary_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / ".x.en.json.abc123.part"
    old.write_bytes(b"half")
    then = time.time() - STALE_SECONDS - 60
    os.utime(old, (then, then))
    fresh = out / ".x.en.json.def456.part"  # another build's, still running
    fresh.write_bytes(b"half")
    run = quizgen("export", "json", "--out", out)
    assert run.code == 0, run.err
    assert not old.exists() and fresh.exists()


def test_a_missing_previous_folder_is_an_error(tmp_path: Path) -> None:
    """Without it every note would count as new, and the learners' review times be lost."""
    run = quizgen("anki", "--out", tmp_path / "out", "--previous", tmp_path / "nowhere")
    assert run.code == 1 and str(tmp_path / "nowhere") in run.err
    assert "internal error" not in run.err and not (tmp_path / "out").exists()
