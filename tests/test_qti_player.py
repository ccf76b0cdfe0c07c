"""The QTI package in a real QTI player: the bundled deck's export qti items, converted to QTI 3.0
by @citolab/qti-convert (in node, tests/js/qti-convert.mjs), rendered by @citolab/qti-components in
headless Chromium (tests/js/qti-player.html, served from a local folder), one item of each question
type in every language: the question shows, and the player's own response processing scores the
right answer 1, a wrong one 0, and a typed answer's folded form 1."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import NODE_MODULES, ROOT, SCREENSHOTS, npm_package, quizgen
from quizgen.matching import normalize_answer

pytestmark = pytest.mark.slow

LANGUAGES = ["en", "ar", "he"]
TYPES = ["multiple_choice", "true_false", "comparison", "short_answer", "cloze", "matching",
         "ordering", "word_bank"]
IDENTIFIER = re.compile(r'<assessmentItem\b[^>]*\bidentifier="([^"]+)"')


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The player's folder: the page, the player package (a link into tests/js/node_modules), and
    per language the QTI 3.0 conversions of the first item of each type; with the questions by
    language and type (export json)."""
    npm_package("@citolab/qti-convert")
    npm_package("@citolab/qti-components")
    out = tmp_path_factory.mktemp("qti-player")
    run = quizgen("export", "json", "--out", out, "--content", ROOT / "content")
    assert run.code == 0, run.err
    run = quizgen("export", "qti", "--out", out, "--content", ROOT / "content")
    assert run.code == 0, run.err
    site = out / "site"
    site.mkdir()
    shutil.copy(ROOT / "tests" / "js" / "qti-player.html", site / "index.html")
    (site / "qti-components").symlink_to(NODE_MODULES / "@citolab" / "qti-components")
    chosen: dict[str, dict[str, Any]] = {}
    for language in LANGUAGES:
        (package,) = out.glob(f"*.{language}.qti.zip")
        unzipped = out / language
        with zipfile.ZipFile(package) as archive:
            archive.extractall(unzipped)
        files = {}
        for path in (unzipped / "items").glob("*.xml"):
            found = IDENTIFIER.search(path.read_text(encoding="utf-8"))
            assert found, path
            files[found.group(1)] = path
        (exported,) = out.glob(f"*.{language}.json")
        questions = json.loads(exported.read_text(encoding="utf-8"))["questions"]
        for qtype in TYPES:
            of_type = [q for q in questions if q["type"] == qtype and q["id"] in files]
            # a typed answer: one whose folded form differs from it, where there is one
            q = next((q for q in of_type if qtype in {"short_answer", "cloze"}
                      and normalize_answer(q["answer"]) != q["answer"]), of_type[0])
            chosen[f"{language}/{qtype}"] = {**q, "file": f"{language}/{files[q['id']].name}"}
        (site / language).mkdir()
        shutil.copy(unzipped / "items" / "quizgen.css", site / language / "quizgen.css")
        items = [files[q["id"]] for key, q in chosen.items() if key.startswith(f"{language}/")]
        convert = ROOT / "tests" / "js" / "qti-convert.mjs"
        subprocess.run(["node", str(convert), str(site / language), *map(str, items)],
                       check=True, cwd=ROOT / "tests" / "js", timeout=600)
    return site, chosen


@pytest.fixture(scope="module")
def server(site: tuple[Path, dict[str, dict[str, Any]]]) -> Iterator[str]:
    handler = functools.partial(Quiet, directory=str(site[0]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def player(browser, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server)
            else outside.append(request.url))
    page.goto(f"{server}/index.html")
    page.wait_for_function("window.ready === true")
    yield page
    context.close()
    assert not outside, f"the page asked the network for {outside}"
    assert not errors, errors


def responses(page: Any, q: dict[str, Any]) -> tuple[Any, Any]:
    """The right and a wrong RESPONSE for q, as identifiers of the item's choices found by their
    text (export json's answer), or typed text."""
    choice = functools.partial(page.evaluate, "choiceId")
    if q["type"] in {"short_answer", "cloze"}:
        return q["answer"], "zzz"
    if q["type"] == "matching":
        lefts = [choice(left) for left, _ in q["answer"]]
        rights = [choice(right) for _, right in q["answer"]]
        wrong = rights[1:] + rights[:1]
        return ([f"{a} {b}" for a, b in zip(lefts, rights, strict=True)],
                [f"{a} {b}" for a, b in zip(lefts, wrong, strict=True)])
    if q["type"] == "ordering":
        order = [choice(text) for text in q["answer"]]
        return order, [order[1], order[0], *order[2:]]
    if q["type"] == "word_bank":
        words = [choice(text) for text in q["answer"]]
        gaps = page.evaluate("gapIds()")
        assert len(gaps) == len(words)
        wrong = words[1:] + words[:1]
        return ([f"{w} {g}" for w, g in zip(words, gaps, strict=True)],
                [f"{w} {g}" for w, g in zip(wrong, gaps, strict=True)])
    right = choice(q["answer"])
    return right, next(c for c in page.evaluate("allChoiceIds()") if c != right)


def folded_forms(answer: str) -> list[str]:
    """Typed forms of the answer a reader may give, which quizgen's mapping should accept: upper
    case, and the folded form (docs/answer-matching.md)."""
    return [form for form in {answer.upper(), normalize_answer(answer)} if form != answer]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def question_texts(q: dict[str, Any]) -> list[str]:
    """What of the question the item must show: the prompt (around its blank), and for a word
    bank its passage too."""
    if q["type"] == "word_bank":
        return [q["prompt"], *(text for s in q["sentences"]
                               for text in (s["text_before"], s["text_after"])
                               if text.strip(" .,;:"))]
    return [part for part in q["prompt"].split("_____") if part.strip(" .,;:")]


def said_feedback(player: Any, q: dict[str, Any]) -> None:
    """The feedback the player shows after processing: the explanation and every citation's
    verbatim quote."""
    player.wait_for_function("feedbackShown() !== null", timeout=5000)
    shown = squeeze(player.evaluate("feedbackShown()"))
    assert squeeze(q["explanation"]) in shown, q["id"]
    for cite in q["sources"]:
        assert squeeze(cite["quote"]) in shown, (q["id"], cite["quote"])


@pytest.mark.parametrize("qtype", TYPES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_item_renders_and_grades(player: Any, site: tuple[Path, dict[str, dict[str, Any]]],
                                 language: str, qtype: str) -> None:
    q = site[1][f"{language}/{qtype}"]
    assert player.evaluate("loadItem", q["file"]) == q["id"]
    shown = squeeze(player.inner_text("#host"))
    for text in question_texts(q):
        assert squeeze(text) in shown, (q["id"], text)
    # The direction comes from quizgen.css (QTI has no dir: the item body's class), which the
    # player loads from the item's stylesheet element.
    direction = player.evaluate(
        "() => getComputedStyle(document.querySelector('qti-item-body')).direction")
    assert direction == ("ltr" if language == "en" else "rtl"), q["id"]
    assert player.evaluate("feedbackShown()") is None, q["id"]  # not before an answer
    right, wrong = responses(player, q)
    assert float(player.evaluate("score", right)) == 1, (q["id"], right)
    said_feedback(player, q)
    assert float(player.evaluate("score", wrong)) == 0, (q["id"], wrong)
    said_feedback(player, q)
    if q["type"] in {"short_answer", "cloze"}:
        for form in folded_forms(q["answer"]):
            assert float(player.evaluate("score", form)) == 1, (q["id"], form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_answering_through_the_interactions(player: Any, site: tuple[Path, dict[str, Any]],
                                            language: str) -> None:
    """As a reader answers: a click on a choice, text typed in the field; then the player's
    response processing."""
    for qtype in ("multiple_choice", "true_false", "short_answer", "cloze"):
        q = site[1][f"{language}/{qtype}"]
        for answer, expected in ((q["answer"], 1), (wrong_text(q), 0)):
            player.evaluate("loadItem", q["file"])
            if qtype in {"short_answer", "cloze"}:
                player.locator("qti-text-entry-interaction input").fill(answer)
                player.locator("qti-text-entry-interaction input").press("Tab")
            else:
                player.locator("qti-simple-choice").filter(has_text=answer).first.click()
            assert float(player.evaluate("processed()")) == expected, (q["id"], answer)


def wrong_text(q: dict[str, Any]) -> str:
    if q["type"] in {"short_answer", "cloze"}:
        return "zzz"
    return next(c for c in q["choices"] if c != q["answer"])


@pytest.mark.parametrize(("language", "qtype"), [("ar", "matching"), ("he", "word_bank")])
def test_screenshots(player: Any, site: tuple[Path, dict[str, Any]], language: str,
                     qtype: str) -> None:
    """An Arabic and a Hebrew item as the player shows them, to build/screenshots/ to be looked
    at: right to left, the question and its choices."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    q = site[1][f"{language}/{qtype}"]
    player.evaluate("loadItem", q["file"])
    player.screenshot(path=str(SCREENSHOTS / f"qti-player-{language}-{qtype}.png"),
                      full_page=True)
    player.evaluate("score", responses(player, q)[0])  # and the feedback it shows then
    said_feedback(player, q)
    player.screenshot(path=str(SCREENSHOTS / f"qti-player-{language}-{qtype}-feedback.png"),
                      full_page=True)
