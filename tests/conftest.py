"""Shared fixtures: the sample deck, broken-deck overlays, and running the real CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE_DECK = FIXTURES / "base"
DOCUMENTS = FIXTURES / "documents"
BROKEN = FIXTURES / "broken"
SEEDS = ROOT.parent / "shared" / "seeds"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, what: str) -> None:
    """Skip when a test's outside dependency is missing, except in CI, where it fails."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"missing in CI: {what}")
    pytest.skip(f"missing: {what}")  # outside CI only; CI=true turns this into a failure


def locked_version(name: str) -> str | None:
    """The version of package ``name`` in uv.lock (what `make test` installs)."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return next((p.get("version") for p in lock["package"] if p["name"] == name), None)


@dataclass
class Run:
    """What a quizgen command did: exit status and its two streams."""

    code: int
    out: str
    err: str


def quizgen(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> Run:
    """Run the quizgen CLI in a real subprocess, as a user would (``timeout``: a guard against a
    hang, not a speed target: a run that takes longer fails)."""
    proc = subprocess.run(
        [sys.executable, "-m", "quizgen", *map(str, args)],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


# A YAML syntax error names the place and carries the parser's own detail, whose wording is the
# parser's (it differs between libyaml and PyYAML releases): tests compare what quizgen says.
_PARSER_DETAIL = re.compile(r"(: YAML syntax error: ).+?(; check the indentation)")


_LOCATED = re.compile(r"^[^\s:][^:]*:\d+:\d+: ")


def problem_lines(err: str) -> list[str]:
    """The problems a command reported (its ``file:line:column: ...`` lines, not its summary,
    its ``reading ...`` lines or a library's warnings), with the parser's detail of a YAML syntax
    error as ``…``."""
    return [_PARSER_DETAIL.sub(r"\1…\2", line) for line in err.splitlines()
            if _LOCATED.match(line)]


def warning_lines(err: str) -> list[str]:
    """The content warnings a command reported."""
    return [line for line in problem_lines(err) if ": warning: " in line]


def overlay_deck(case: Path, dest: Path) -> Path:
    """Copy the sample deck to ``dest`` and lay the files of ``case`` over it."""
    deck = dest / "sample"
    shutil.copytree(BASE_DECK, deck)
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.name != "expected.txt":
            target = deck / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return deck


@pytest.fixture(scope="session", autouse=True)
def _parse_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every quizgen run of the suite shares one parse cache of its own, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path_factory.mktemp("parse-cache")))
        yield


@pytest.fixture
def sample_deck(tmp_path: Path) -> Path:
    """A fresh copy of the valid sample deck."""
    return overlay_deck(FIXTURES / "no-such-case", tmp_path)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (its own browser download is not used)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "the playwright package (pip install playwright)")
    require(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core"


@pytest.fixture(scope="session")
def axe() -> str:
    """axe-core's script, from npm at the version tests/js/package-lock.json pins (tools/system-deps
    installs it: `npm ci` in tests/js)."""
    require((AXE / "axe.min.js").exists(),
            "axe-core in tests/js/node_modules (cd tests/js && npm ci)")
    lock = json.loads((ROOT / "tests" / "js" / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        pytest.fail(f"axe-core {installed} in tests/js/node_modules, the lock pins {pinned}: "
                    "run `npm ci` in tests/js (or make system-deps)")
    return (AXE / "axe.min.js").read_text(encoding="utf-8")


NODE_MODULES = ROOT / "tests" / "js" / "node_modules"


def npm_package(name: str) -> Path:
    """An npm package of tests/js, at the version tests/js/package-lock.json pins (tools/system-deps
    installs them: `npm ci` in tests/js); skipped without it outside CI, failed in CI."""
    require(shutil.which("node") is not None, "node (apt-get install npm)")
    folder = NODE_MODULES / name
    require((folder / "package.json").exists(),
            f"{name} in tests/js/node_modules (cd tests/js && npm ci)")
    lock = json.loads((ROOT / "tests" / "js" / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"][f"node_modules/{name}"]["version"]
    installed = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        pytest.fail(f"{name} {installed} in tests/js/node_modules, the lock pins {pinned}: "
                    "run `npm ci` in tests/js (or make system-deps)")
    return folder


def lms_typed_forms(accepted: list[str]) -> list[str]:
    """What an LMS export should accept for a typed answer, worked out apart from quizgen's own
    ``render.lms.typed_forms``: the accepted answers, then each one's folded form
    (docs/answer-matching.md) that a case-insensitive comparison would not accept already."""
    from quizgen.matching import normalize_answer

    out = list(accepted)
    for answer in accepted:
        folded = normalize_answer(answer)
        if folded and folded.casefold() not in {a.casefold() for a in out}:
            out.append(folded)
    return out
