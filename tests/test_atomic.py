"""A build killed midway leaves the previous outputs intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, quizgen
from quizgen.incremental import STATE_FILE

pytestmark = pytest.mark.slow


def test_killed_pdf_build_leaves_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = quizgen("pdf", "--lang", "he", "--out", out, "-q", "--count", "5")
    assert first.code == 0, first.err
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # A much longer build into the same folder, killed while it renders.
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizgen", "pdf", "--lang", "he", "--out", str(out),
         "--count", "all", "--versions", "4"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = ""
    while not line.startswith("rendering "):  # "rendering 8 PDFs": rendering has started
        line = proc.stderr.readline()
        assert line or proc.poll() is None, "the build ended before rendering"
    # Killed as soon as it renders, however fast the machine: eight PDFs of every question
    # are still ahead of it, and nothing is written before all of them are made.
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".part")}
    assert after == before


def test_build_is_reproducible(tmp_path: Path) -> None:
    """With SOURCE_DATE_EPOCH set, two builds give byte-identical files, every one of them."""
    trees = []
    for name, hash_seed in (("one", "1"), ("two", "2")):  # and no set or dict order matters
        run = quizgen("build", "--out", tmp_path / name, "-q",
                      env={"SOURCE_DATE_EPOCH": "1760000000", "PYTHONHASHSEED": hash_seed})
        assert run.code == 0, run.err
        # The build state records paths and file times: it is not an output.
        trees.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()
                      if p.name != STATE_FILE})
    assert trees[0].keys() == trees[1].keys()
    assert len(trees[0]) == 28  # report + per language: json, apkg, html, worksheet, key, gift,
    # moodle.xml, qti.zip, canvas.zip
    for name in trees[0]:
        assert trees[0][name] == trees[1][name], name
