"""Installed from a wheel into a fresh virtual environment, as pipx would, quizgen still works."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_carries_content_templates_and_schemas(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv*", ".tools", ".git", "build", "dist", "__pycache__", ".pytest_cache",
        ".hypothesis"))
    venv = tmp_path / "venv"  # made by the standard library, with pip in it, as pipx does
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist", src],
                   check=True)
    [wheel] = (tmp_path / "dist").glob("quizgen-*.whl")
    # The dependencies at the versions of uv.lock, as tested; the ranges are tried by
    # `make test-latest`.
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    pins = tmp_path / "pins.txt"
    pins.write_text("".join(f"{p['name']}=={p['version']}\n" for p in lock["package"]
                            if p["name"] != "quizgen" and "version" in p), encoding="utf-8")
    subprocess.run([*pip, "install", "--quiet", "-c", pins, wheel], check=True)
    shutil.rmtree(src)  # nothing may come from the source tree
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    exe = venv / "bin" / "quizgen"

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *map(str, args)], cwd=elsewhere, capture_output=True,
                              text=True, timeout=300)

    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("quizgen, version")
    check = run("check", "--format", "json")
    assert check.returncode == 0, check.stderr
    [deck] = json.loads(check.stdout)["decks"]
    assert deck["id"] == "afghanistan-russia" and deck["facts"] >= 70
    assert "site-packages" in str(Path(deck["path"]).resolve())
    build = run("build", "--out", elsewhere / "out")
    assert build.returncode == 0, build.stderr
    for name in ("check.json", "he.json", "ar.apkg", "he.worksheet.pdf", "he.key.pdf"):
        assert (elsewhere / "out" / f"afghanistan-russia.{name}").is_file(), name
    bundled = venv.glob("lib/python*/site-packages/quizgen/_bundled")
    [root] = list(bundled)
    assert (root / "templates").is_dir() and (root / "schemas" / "facts.schema.json").is_file()
