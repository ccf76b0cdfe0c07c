"""quizgen's benchmarks: CPU time (user + system), wall time and peak memory of every command on
synthetic decks, beside the libraries' own floors.

For each size N it generates a deck of N facts (``synthetic.py``), then runs, each in a fresh
process: ``check`` (without and with quote verification), ``export json``, ``anki`` (after
them, with what they kept in the per-user cache, then with no cache), ``html``,
``pdf`` at 100 and 1,000 questions (one language, ``--pdf-lang``), and ``build`` twice (the
second run has nothing to do). Beside them: bare genanki writing the same notes and bare
WeasyPrint rendering the same HTML (``baselines.py``), with quizgen's ratio to each in CPU time
(wall time swings with whatever else the machine runs; CPU time much less); the time
until the self-test page answers a click in headless Chromium; and ``quizgen --help``.

It prints figures and never fails on a time: targets are judged by people, in
docs/performance.md.

    python benchmarks/run.py                      # N = 100, 1,000 and 10,000
    python benchmarks/run.py --sizes 1000 --json results.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import generate  # noqa: E402

PDF_COUNTS = (100, 1000)
CHROMIUM = "/usr/bin/chromium"


@dataclass
class Result:
    size: int
    name: str
    seconds: float  # wall time
    peak_mb: float | None = None
    note: str = ""
    cpu_seconds: float | None = None  # user + system, of the command and its children


class Failed(Exception):
    """A measured command did not succeed."""


def measure(argv: list[str], *, env: dict[str, str] | None = None
            ) -> tuple[float, float, float]:
    """Run ``argv`` to its end; return its wall time, its CPU time (user + system, with the
    processes it waited for) and its peak resident memory (MB).

    A child's ``ru_maxrss`` counts its parent's memory at the fork, so this runner (which holds
    Playwright and results) starts a small Python process that starts the command and reads
    its resources.
    """
    probe = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure", *argv],
                           capture_output=True, text=True, env=env)
    if probe.returncode != 0:
        raise Failed(f"{' '.join(argv)} exited with {probe.returncode}:\n{probe.stderr[-2000:]}")
    seconds, cpu, peak = json.loads(probe.stdout.strip().splitlines()[-1])
    return seconds, cpu, peak


def _measure_here(argv: list[str]) -> None:
    """The small process of ``measure``: time one command, print [seconds, CPU seconds, peak
    MB]. ``wait4``'s usage covers the command and the children it waited for."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace")[-2000:])
            sys.exit(code if code > 0 else 1)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([seconds, cpu, usage.ru_maxrss / 1024]))  # ru_maxrss: KiB on Linux


def quizgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "quizgen", *args]


def baseline(*args: str) -> list[str]:
    return [sys.executable, str(HERE / "baselines.py"), *args]


def question_count(out: Path) -> int:
    data = json.loads(next(out.glob("*.en.json")).read_text(encoding="utf-8"))
    return len(data["questions"])


# Put in the page before its own script: the browser's own clock for when the first answer
# control is drawn (the first animation frame in which it has a box), when a task queued in that
# frame runs (a click made then is handled no later: Chromium puts input before such tasks),
# and the long tasks (over 50 ms) that would hold a click back while the page fills in.
_WATCH = """(() => {
  const seen = window.__qgWatch = {drawn: null, handled: null, long: []};
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.long.push([e.startTime, e.duration]);
    }).observe({type: "longtask", buffered: true});
  } catch (error) {}
  function frame() {
    const control = document.querySelector(
      "[data-question-id] input, [data-question-id] button");
    const box = control && control.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) {
      seen.drawn = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { seen.handled = performance.now(); };
      channel.port2.postMessage(0);
    } else requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();"""


def interactive_ms(page_file: Path) -> tuple[float, float, float, float]:
    """Milliseconds, by the browser's clock, from navigation until the page's script is ready
    (its ``qg-ready`` mark) and until its first answer control is clickable: drawn, and a
    click made then handled. Then the longest task after that (how long a click could wait
    while the page fills in), and when Playwright's own trial click of that control returned
    (its round trips included: what the figures said before 2026-12-03)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page()
            page.add_init_script(_WATCH)
            page.goto(page_file.as_uri(), wait_until="commit")
            ready = None
            deadline = time.monotonic() + 300
            while ready is None and time.monotonic() < deadline:
                ready = page.evaluate(
                    "(performance.getEntriesByName('qg-ready')[0] || {}).startTime ?? null")
                if ready is None:
                    time.sleep(0.01)
            if ready is None:
                raise Failed(f"{page_file.name}: the page never became ready")
            page.locator("[data-question-id] input, [data-question-id] button").first.click(
                trial=True, timeout=120_000)
            trial = float(page.evaluate("performance.now()"))
            page.locator("html[data-complete=true]").wait_for(state="attached",
                                                              timeout=300_000)
            seen = page.evaluate("window.__qgWatch")
            if seen["handled"] is None:
                raise Failed(f"{page_file.name}: no answer control was drawn")
            longest = max((d for start, d in seen["long"] if start + d > seen["handled"]),
                          default=0.0)
            return float(ready), float(seen["handled"]), float(longest), trial
        finally:
            browser.close()


def help_seconds(env: dict[str, str], runs: int = 7) -> tuple[float, float]:
    """The median wall and CPU time of ``quizgen --help``."""
    times = [measure(quizgen("--help"), env=env) for _ in range(runs)]
    return (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))


def ratio(bare: Result, ours: Result, what: str) -> None:
    """quizgen's CPU time over the bare library's (wall time's ratio beside it)."""
    assert bare.cpu_seconds and ours.cpu_seconds
    cpu = ours.cpu_seconds / bare.cpu_seconds
    wall = ours.seconds / bare.seconds
    bare.note += f"; {what} = {cpu:.2f}x this in CPU time ({wall:.2f}x in wall time)"
    print(f"  {'':<28} {what} / bare = {cpu:.2f}x CPU ({wall:.2f}x wall)")


def bench_size(size: int, work: Path, pdf_lang: str, env: dict[str, str]) -> list[Result]:
    results: list[Result] = []

    def run(name: str, argv: list[str], note: str = "", *, cache: bool = True) -> Result:
        seconds, cpu, peak = measure(argv, env=env if cache else {**env, "QUIZGEN_CACHE_DIR": ""})
        result = Result(size, name, seconds, peak, note, cpu)
        results.append(result)
        print(f"  {name:<28} {cpu:8.2f} s CPU {seconds:8.2f} s wall {peak:8.0f} MB  {note}",
              flush=True)
        return result

    root = work / str(size)
    deck = generate(size, root)
    documents = root / "documents"
    out = root / "out"
    # A parse cache of this size's own: the first check fills it, as a teacher's first run does;
    # every later command finds it, as on a teacher's machine.
    env = {**env, "QUIZGEN_CACHE_DIR": str(root / "parse-cache")}
    run("check, empty parse cache", quizgen("check", "--content", str(deck)))
    run("check", quizgen("check", "--content", str(deck)),
        "nothing changed: the result from the cache")
    edit = sorted((deck / "facts").glob("*.yaml"))[0]
    edit.write_text(edit.read_text("utf-8").replace(
        "generated for the benchmarks.", "generated for the benchmarks (edited).", 1), "utf-8")
    run("check, one file edited", quizgen("check", "--content", str(deck)),
        f"{edit.name} parsed again, every question planned again")
    run("check --sources-dir", quizgen("check", "--content", str(deck),
                                        "--sources-dir", str(documents)))
    run("export json", quizgen("export", "json", "--content", str(deck), "--out", str(out)))
    questions = question_count(out)
    note = f"{questions} questions per language, 3 languages"
    # After check and export json, as a teacher's: what the quality review found about each
    # question is kept (the cache) and not found again; then once with nothing cached.
    anki = run("anki", quizgen("anki", "--content", str(deck), "--out", str(root / "anki")),
               f"{note}; the review's findings from the cache")
    run("anki, nothing cached", quizgen("anki", "--content", str(deck), "--out",
                                        str(root / "anki-cold")), "no cache at all", cache=False)
    notes = root / "notes.json"
    subprocess.run(baseline("dump-notes", str(deck), str(notes)), check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bare = run("  bare genanki", baseline("genanki", str(notes), str(root / "genanki")),
               "the same notes")
    ratio(bare, anki, "quizgen anki")
    # Every question (the page's default is a round, one per fact): the figures stay
    # comparable with docs/performance.md's, and the page is the largest a deck makes.
    run("html", quizgen("html", "--count", "all", "--content", str(deck),
                        "--out", str(root / "html")), note)
    pages = sorted((root / "html").glob("*.html"))
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        timings = [interactive_ms(p) for p in pages]
        ready = max(t[0] for t in timings)
        click = max(t[1] for t in timings)
        longest = max(t[2] for t in timings)
        trial = max(t[3] for t in timings)
        biggest = max(p.stat().st_size for p in pages) / 2**20
        results.append(Result(size, "html: page ready in Chromium", ready / 1000, None,
                              f"slowest of {len(pages)} pages; largest {biggest:.1f} MiB; "
                              f"first control clickable by {click / 1000:.2f} s (browser's "
                              f"clock), longest task after it {longest / 1000:.2f} s, "
                              f"Playwright's trial click back by {trial / 1000:.2f} s"))
        print(f"  {'html: page ready':<28} {ready:8.0f} ms  (first control clickable by "
              f"{click:.0f} ms, longest task after it {longest:.0f} ms, Playwright's trial "
              f"click back by {trial:.0f} ms; largest page {biggest:.1f} MiB)")
    elif os.environ.get("CI") == "true":
        raise Failed(f"{CHROMIUM} is missing")
    for count in PDF_COUNTS:
        if count > questions:
            continue
        pdf = run(f"pdf --count {count}", quizgen(
            "pdf", "-q", "--content", str(deck), "--out", str(root / f"pdf{count}"),
            "--count", str(count), "--lang", pdf_lang), f"{pdf_lang}: worksheet and key")
        html_dir = root / f"pdf{count}-html"
        subprocess.run(baseline("dump-html", str(deck), str(count), pdf_lang, str(html_dir)),
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bare = run("  bare WeasyPrint", baseline("weasyprint", str(html_dir),
                                                 str(root / f"weasy{count}")), "the same HTML")
        ratio(bare, pdf, "quizgen pdf")
    build_out = root / "build"
    run("build", quizgen("build", "-q", "--content", str(deck), "--out", str(build_out)),
        "every output")
    run("build, unchanged", quizgen("build", "-q", "--content", str(deck), "--out",
                                    str(build_out)), "nothing to do")
    shutil.rmtree(root, ignore_errors=True)
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def compiled(env: dict[str, str], prefix: Path) -> dict[str, str]:
    """An environment whose Python finds quizgen's and its libraries' bytecode compiled in
    advance, in ``prefix``, as an installed package has it: where PYTHONDONTWRITEBYTECODE is
    set (as on some CI machines) every run would compile them again, about a second of CPU
    that is not quizgen's."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    folders = [str(Path(p)) for p in sys.path if p.endswith("site-packages")]
    folders.append(str(Path(__file__).resolve().parent.parent / "quizgen"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
                   env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return env


def main() -> None:
    if sys.argv[1:2] == ["--measure"]:
        _measure_here(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="comma-separated numbers of facts (default: 100,1000,10000)")
    parser.add_argument("--pdf-lang", default="ar", help="the language of the PDF runs")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": "0"}
    work = args.keep or Path(tempfile.mkdtemp(prefix="quizgen-bench-"))
    env = compiled(env, work / "pycache")
    print(f"quizgen benchmarks on {machine()}")
    help_wall, help_cpu = help_seconds(env)
    print(f"  {'quizgen --help':<28} {help_cpu:8.3f} s CPU {help_wall:8.3f} s wall "
          "(medians of 7)")
    results = [Result(0, "quizgen --help", help_wall, cpu_seconds=help_cpu)]
    try:
        for size in sizes:
            print(f"\nN = {size:,} facts", flush=True)
            results += bench_size(size, work, args.pdf_lang, env)
    except Failed as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(),
                                         "results": [asdict(r) for r in results]}, indent=2))


if __name__ == "__main__":
    main()
