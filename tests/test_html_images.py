"""A fact's image in the self-test (``quizgen html``), in real headless Chromium: inline as a
``data:`` URL, shown with the answer only, within a phone's width, with its alt text."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from test_html import AXE_RUN
from test_images import make_deck, picture

from conftest import FIXTURES, quizgen

pytestmark = pytest.mark.slow

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> {{ 7*7 }}'
ALT = {"map.png": {"en": HOSTILE, "ar": "خريطة", "he": "מפה"},
       "photo.jpg": {"en": "A map", "ar": "خريطة", "he": "מפה"},
       "plan.svg": {"en": "A map", "ar": "خريطة", "he": "מפה"}}
MIME = {"map.png": "image/png", "photo.jpg": "image/jpeg", "plan.svg": "image/svg+xml"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample deck with a PNG (far wider than a phone, its English alt text hostile), a
    JPEG and an SVG, one per fact: its self-tests with every question and its JSON export."""
    root = tmp_path_factory.mktemp("images")
    alt = json.dumps(ALT["map.png"], ensure_ascii=False)  # JSON is YAML's flow style
    deck = make_deck(root, alt=alt)
    (deck / "media" / "map.png").write_bytes(picture("PNG", (1600, 400)))
    out = root / "out"
    for command in (("html", "--count", "all"), ("export", "json")):
        run = quizgen(*command, "--content", deck, "--out", out, "--seed", "3")
        assert run.code == 0, run.err
        assert "warning: images:" not in run.err  # html shows them: no "does not show"
    (out / "media").symlink_to(deck / "media")  # for comparing the bytes
    return out


def open_page(browser, site: Path, language: str, *, width: int = 390, height: int = 844,
              **options):
    """A fresh page with the self-test loaded from disk, recording errors and requests."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.problems, page.requests = [], []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.url_loaded = (site / f"sample.{language}.html").as_uri()
    page.goto(page.url_loaded)
    page.wait_for_selector("html[data-complete=true]", state="attached")
    return page


def shown_images(site: Path, language: str) -> dict[str, list[dict]]:
    """Each question's images, by question id, as the JSON export gives them."""
    data = json.loads((site / f"sample.{language}.json").read_text("utf-8"))
    return {q["id"]: q["images"] for q in data["questions"]}


IMAGES = """() => [...document.querySelectorAll("[data-question-id] img")].map(img => {
  const box = img.getBoundingClientRect();
  return {question: img.closest("[data-question-id]").dataset.questionId,
          alt: img.getAttribute("alt"), src: img.getAttribute("src"),
          visible: img.checkVisibility(), natural: img.naturalWidth, left: box.left,
          right: box.right, width: box.width,
          caption: img.closest("figure").querySelector("figcaption").textContent,
          after: img.closest("figure").previousElementSibling.className,
          before: img.closest("figure").nextElementSibling?.className ?? null};
})"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_images_show_with_the_answer_only(browser, site: Path, language: str) -> None:
    """Before checking no image is visible nor in the accessibility tree; after, each question's
    images show, decoded, with their alt text, credit and licence, below the explanation and
    before the sources, inside a 390 px screen; the page asks for nothing outside itself."""
    expected = shown_images(site, language)
    assert all(expected.values())  # every question of this deck shows an image
    page = open_page(browser, site, language)
    try:
        before = page.evaluate(IMAGES)
        assert sorted(i["question"] for i in before) == sorted(expected)
        assert not any(i["visible"] for i in before)
        # Role queries see the accessibility tree (what a screen reader reads), hidden excluded.
        assert page.get_by_role("img").count() == page.get_by_role("figure").count() == 0
        assert not any(alts[language] in page.locator("body").aria_snapshot()
                       for alts in ALT.values())
        page.locator("button[type=submit]").click()
        page.wait_for_function("[...document.images].every(i => i.complete)")
        after = page.evaluate(IMAGES)
        assert len(after) == len(before)
        for image in after:
            file = expected[image["question"]][0]["file"]
            assert image["visible"], image["question"]
            assert image["alt"] == ALT[file][language]
            assert image["natural"] > 0, file  # decoded
            assert image["left"] >= 0 and image["right"] <= 390, (file, image)
            assert image["caption"] == "A. Cartographer · CC0 1.0"
            assert (image["after"], image["before"]) == ("qg-explanation", "qg-sources")
            assert image["src"].startswith(f"data:{MIME[file]};base64,")
            assert base64.b64decode(image["src"].split(",", 1)[1]) == (
                site / "media" / file).read_bytes()
        wide = next(i for i in after if expected[i["question"]][0]["file"] == "map.png")
        assert wide["natural"] == 1600 and wide["width"] < 390  # scaled down to the screen
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
        for alt in {alts[language] for alts in ALT.values()}:
            shows = sum(1 for images in expected.values() if images[0]["alt"] == alt)
            assert page.get_by_role("img", name=alt, exact=True).count() == shows, alt
        assert page.get_by_role("img").count() == len(after)
        assert page.requests == [page.url_loaded]
        assert page.problems == []
    finally:
        page.context.close()


def policy(path: Path) -> dict[str, str]:
    """The page's Content-Security-Policy, by directive."""
    import html
    import re

    text = path.read_text(encoding="utf-8")
    content = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    assert content is not None
    return dict(part.strip().split(" ", 1)
                for part in html.unescape(content.group(1)).split(";") if part.strip())


def test_the_policy_allows_data_images_and_nothing_else_new(site: Path, tmp_path: Path) -> None:
    """The page's CSP is that of a page without images (the same deck's), whose policy allows
    ``data:`` images and nothing else besides the page's own style and script."""
    run = quizgen("html", "--content", FIXTURES / "base", "--out", tmp_path, "--lang", "en")
    assert run.code == 0, run.err
    with_images, without = policy(site / "sample.en.html"), policy(tmp_path / "sample.en.html")
    assert with_images["img-src"] == "data:"
    assert with_images.keys() == without.keys() == {
        "default-src", "style-src", "script-src", "img-src", "base-uri", "form-action"}
    assert {k: v for k, v in with_images.items() if k != "style-src"} == {
        k: v for k, v in without.items() if k != "style-src"}
    assert with_images["style-src"].startswith("'sha256-")  # its own style, by hash alone


def test_a_hostile_alt_text_stays_text(browser, site: Path) -> None:
    """Markup and script in an alt text are the image's alt text, never markup, never run."""
    page = open_page(browser, site, "en", width=1280, height=900)
    try:
        page.locator("button[type=submit]").click()
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script").count() == 2  # the data block and quizgen's own script
        alts = page.locator("img").evaluate_all("els => els.map(e => e.getAttribute('alt'))")
        assert len(alts) == len(shown_images(site, "en"))  # no <img> but the facts' own
        assert alts.count(HOSTILE) == sum(1 for images in shown_images(site, "en").values()
                                          if images[0]["file"] == "map.png")
        assert page.requests == [page.url_loaded]
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "he"])
def test_axe_finds_nothing_serious_with_the_images_shown(browser, site: Path, axe: str,
                                                         language: str, scheme: str) -> None:
    """axe-core after checking, every image shown, at phone width: no serious or critical
    violation."""
    page = open_page(browser, site, language, color_scheme=scheme,
                     bypass_csp=True)  # the CSP would refuse axe's script
    try:
        page.locator("button[type=submit]").click()
        assert page.locator("img").evaluate_all("els => els.every(e => e.checkVisibility())")
        page.add_script_tag(content=axe)
        serious = [v for v in page.evaluate(AXE_RUN) if v["impact"] in {"serious", "critical"}]
        assert serious == []
        assert page.problems == []
    finally:
        page.context.close()


def test_every_question_type_shows_its_image_in_the_feedback(tmp_path: Path) -> None:
    """The bundled deck with an image on every fact: every question of every type holds it in
    its feedback (hidden until checked), below the explanation and before the sources, once
    however many of its facts show it (a word bank, an ordering, a matching)."""
    import re
    import shutil

    from conftest import ROOT
    from quizgen.qtypes import MODULES

    deck = tmp_path / "content"
    shutil.copytree(ROOT / "content", deck)
    folder = deck / "afghanistan-russia"
    (folder / "media").mkdir()
    (folder / "media" / "pic.png").write_bytes(picture("PNG"))
    for facts in (folder / "facts").glob("*.yaml"):
        text = facts.read_text(encoding="utf-8")
        facts.write_text(re.sub(r"(?m)^(  answer_type: .*\n)", lambda m: m.group(1) + (
            "  image: {file: pic.png, alt: {en: A red square, ar: مربع أحمر, he: ריבוע אדום}, "
            "credit: A. Painter, license: CC0 1.0}\n"), text), encoding="utf-8")
    run = quizgen("html", "--content", deck, "--out", tmp_path / "out", "--lang", "en",
                  "--count", "all")
    assert run.code == 0, run.err
    from quizgen.render.skeleton import page_questions

    page = (tmp_path / "out" / "afghanistan-russia.en.html").read_text(encoding="utf-8")
    boxes = "".join(m for _, _, m in page_questions(page)).split('<fieldset class="qg-q"')[1:]
    assert len(boxes) > 200
    figure = ('</p>\n<figure class="qg-figure"><img src="data:image/png;base64,'
              + base64.b64encode(picture("PNG")).decode() + '" alt="A red square">\n'
              '<figcaption><bdi class="qg-credit" dir="ltr">A. Painter</bdi> · '
              '<bdi class="qg-license" dir="ltr">CC0 1.0</bdi></figcaption></figure>\n')
    types = set()
    for box in boxes:
        types.add(re.search(r'data-type="([a-z_]+)"', box).group(1))
        feedback = box[box.index('<div class="qg-feedback" hidden>'):]
        assert feedback.count("<img ") == 1
        assert feedback.index('class="qg-explanation"') < feedback.index(figure) < (
            feedback.index('class="qg-sources"'))
    assert types == set(MODULES)
