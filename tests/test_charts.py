"""The comparison questions' bar chart (quizgen/render/chart.py): its SVG in each direction,
escaped, and where it shows: the JSON export, the Anki card's back through the real backend, the
PDF key (poppler) and the self-test's answer (Chromium); the pictures land in
build/screenshots/ to be looked at."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, SCREENSHOTS, quizgen
from quizgen.catalog import load_catalog
from quizgen.model import LRI, PDI, RLI
from quizgen.render.chart import bar_chart, describe

DECK = "afghanistan-russia"
BUNDLED = ROOT / "content" / DECK
SVG = "{http://www.w3.org/2000/svg}"
LANGUAGES = ["en", "ar", "he"]
FIGURES = {  # the area question's figures, as the bundled deck prints them
    "en": [("The area of Russia", 17098242, "17,098,242 km²"),
           ("The area of Afghanistan", 652230, "652,230 km²")],
    "ar": [("مساحة روسيا", 17098242, "17,098,242 كم²"),
           ("مساحة أفغانستان", 652230, "652,230 كم²")],
    "he": [("שטחה של רוסיה", 17098242, "17,098,242 קמ״ר"),
           ("שטחה של אפגניסטן", 652230, "652,230 קמ״ר")],
}
DIRECTION = {"en": "ltr", "ar": "rtl", "he": "rtl"}


def figures(rows: list[tuple[str, float, str]]) -> list[SimpleNamespace]:
    return [SimpleNamespace(label=label, value=value, shown=shown) for label, value, shown in rows]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[tuple[float, float]]:
    """Each bar's (x, width), in the order drawn."""
    return [(float(r.get("x")), float(r.get("width"))) for r in root.iter(f"{SVG}rect")]


def texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}text"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_chart_svg_in_each_direction(language: str) -> None:
    """Bars scaled to the larger figure (26 times: the shorter a twenty-sixth), labels and
    figures present as digits, each text isolated in its direction; in rtl everything starts
    at the right and bars grow to the left; described in words for a screen reader."""
    catalog, _ = load_catalog(language)
    rows = figures(FIGURES[language])
    svg = bar_chart(rows, direction=DIRECTION[language], title=describe(rows, catalog.text))
    root = parsed(svg)
    width = float(root.get("viewBox").split()[2])
    assert root.get("role") == "img" and root.get("direction") == "ltr"
    assert root.get("width").endswith("em") and root.get("height").endswith("em")
    title = root.find(f"{SVG}title").text
    assert root.get("aria-label") == title
    assert all(shown in title and label in title for label, _, shown in FIGURES[language])
    (x1, w1), (x2, w2) = bars(root)
    assert w1 / w2 == pytest.approx(17098242 / 652230, rel=0.05)
    label1, value1, label2, value2 = (t.text for t in texts(root))
    mark = RLI if language != "en" else LRI
    assert [label1, value1, label2, value2] == [
        f"{mark}{text}{PDI}" for row in FIGURES[language] for text in (row[0], row[2])]
    assert "17,098,242" in value1 and "652,230" in value2
    if DIRECTION[language] == "rtl":
        assert x1 + w1 == pytest.approx(x2 + w2, abs=0.2)  # both end at the right edge
        assert x1 + w1 > width * 0.9 and x2 > x1
        assert {t.get("text-anchor") for t in texts(root)} == {"end"}
        values = zip(texts(root)[1::2], bars(root), strict=True)
        assert all(float(t.get("x")) <= x + 0.1 for t, (x, _) in values)  # left of its bar
    else:
        assert x1 == x2 < width * 0.1 and x1 + w1 > width * 0.5
        assert {t.get("text-anchor") for t in texts(root)} == {"start"}
        values = zip(texts(root)[1::2], bars(root), strict=True)
        assert all(float(t.get("x")) >= x + w for t, (x, w) in values)  # right of its bar
    assert svg == bar_chart(rows, direction=DIRECTION[language],
                            title=describe(rows, catalog.text))  # the same bytes each time


def test_hostile_label_stays_text() -> None:
    """Markup and Anki's braces in a label or figure are text, never elements or fields."""
    hostile = '<script>alert(1)</script>"\'&{{c1::x}}'
    rows = figures([(hostile, 3, hostile), ("B", 1, "1 <b>x</b>")])
    svg = bar_chart(rows, direction="ltr", title=f"{hostile} title")
    root = parsed(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert "<script" not in svg and "{{" not in svg and "<b>" not in svg
    assert texts(root)[0].text == f"{LRI}{hostile}{PDI}"  # read back as the very text
    assert root.get("aria-label") == f"{hostile} title"


def test_a_tiny_figure_still_shows() -> None:
    """A ratio of a thousand: the shorter bar is a sliver, not nothing."""
    rows = figures([("A", 1000, "1,000"), ("B", 1, "1")])
    (_, long), (_, short) = bars(parsed(bar_chart(rows, direction="ltr", title="t")))
    assert short >= 2 and long > 100


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("json")
    run = quizgen("export", "json", "--content", BUNDLED, "--out", out)
    assert run.code == 0, run.err
    return {lang: [q for q in json.loads((out / f"{DECK}.{lang}.json").read_text("utf-8"))
                   ["questions"] if q["type"] == "comparison"] for lang in LANGUAGES}


def test_every_comparison_of_the_bundled_deck_has_its_figures(exported) -> None:
    """In every language: two figures, larger first, each printed as the question prints it."""
    assert all(exported.values())
    for questions in exported.values():
        for q in questions:
            big, small = q["figures"]
            assert big["value"] > small["value"] > 0
            if q["variant"] == "ratio":  # the prompt names both figures
                assert big["shown"] in q["prompt"] and small["shown"] in q["prompt"]
    assert [[f["value"] for f in q["figures"]] for q in exported["en"]] == \
        [[f["value"] for f in q["figures"]] for q in exported["ar"]]


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_anki_back_shows_the_chart(tmp_path: Path, exported, language: str) -> None:
    """Through the real Anki backend: every comparison card's back has its chart with both
    figures; the front has none."""
    from test_anki import build, import_package, needs_anki

    needs_anki()
    from anki.collection import Collection

    build(BUNDLED, tmp_path, "--lang", language)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / f"{DECK}.{language}.apkg")
        for q in exported[language]:
            (cid,) = col.find_cards(f'"QuestionId:{q["id"]}"')
            card = col.get_card(cid)
            front, back = card.question(), card.answer()
            assert "<svg" not in front
            (svg,) = re.findall(r"<svg .*?</svg>", back, flags=re.DOTALL)
            root = parsed(svg)
            shown = "".join(t.text for t in texts(root))
            for f in q["figures"]:
                assert f["shown"] in shown and f["label"] in shown
    finally:
        col.close()


@pytest.mark.slow
@pytest.mark.parametrize("language", ["ar"])
def test_pdf_key_shows_the_chart_inside_the_margins(tmp_path: Path, exported,
                                                    language: str) -> None:
    """The key of every question prints each comparison's figures in its chart (poppler reads
    them), and every word stays inside the text area."""
    from test_layout import misplaced
    from test_pdf import needs_poppler

    needs_poppler()
    run = quizgen("pdf", "--content", BUNDLED, "--out", tmp_path, "-q", "--lang", language,
                  "--count", "all", "--seed", "5")
    assert run.code == 0, run.err
    keys = [p for p in tmp_path.glob("*.pdf") if "key" in p.name]
    assert keys
    text = subprocess.run(["pdftotext", str(keys[0]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for q in exported[language]:
        for f in q["figures"]:
            assert f["shown"].split()[0] in text
    assert [p for pdf in sorted(tmp_path.glob("*.pdf")) for p in misplaced(pdf)] == []


@pytest.mark.slow
@pytest.mark.parametrize("language", ["he", "ar", "en"])
def test_selftest_answer_shows_the_chart(tmp_path: Path, browser, exported,
                                         language: str) -> None:
    """After checking, each comparison's feedback shows its chart, inside the question's box,
    mirrored in rtl; the page loads with no error under its CSP. Pictured, day and night."""
    from test_html import box, open_page, reach, shoot

    run = quizgen("html", "--content", BUNDLED, "--out", tmp_path, "--count", "all",
                  "--types", "comparison", "--lang", language)
    assert run.code == 0, run.err
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page = open_page(browser, tmp_path, language, width=390, height=844,
                         color_scheme=scheme)
        try:
            questions = exported[language]
            for q in questions:
                reach(page, q["id"])
                box(page, q["id"]).locator(
                    f'input[type=radio][value="{q["answer_index"]}"]').check()
            assert page.locator(".qg-chart").count() == len(questions)
            assert not page.locator(".qg-chart").first.is_visible()  # not before checking
            page.locator("button[type=submit]").click()
            q = questions[0]
            reach(page, q["id"])
            item = box(page, q["id"])
            chart = item.locator(".qg-feedback .qg-chart")
            assert chart.is_visible()
            inside = item.evaluate("""(e) => { const c = e.querySelector('.qg-chart')
              .getBoundingClientRect(); const b = e.getBoundingClientRect();
              return c.left >= b.left && c.right <= b.right; }""")
            assert inside
            bars = chart.locator("rect").evaluate_all(
                "els => els.map(e => { const r = e.getBoundingClientRect();"
                " return [r.left, r.right]; })")
            if DIRECTION[language] == "rtl":
                assert abs(bars[0][1] - bars[1][1]) < 1 and bars[1][0] > bars[0][0]
            else:
                assert abs(bars[0][0] - bars[1][0]) < 1 and bars[1][1] < bars[0][1]
            assert chart.get_attribute("aria-label")
            assert page.problems == []
            shoot(page, item, SCREENSHOTS / f"chart-selftest-{language}-{scheme}.png")
        finally:
            page.context.close()


@pytest.mark.slow
def test_hostile_cue_stays_text_in_every_output(tmp_path: Path) -> None:
    """A cue with markup and Anki's braces, through the self-test and Anki's backend: in the
    chart it is escaped text (the page and the card hold no element of it, and no cloze)."""
    from test_anki import build

    deck = tmp_path / "deck"
    shutil.copytree(BUNDLED, deck)
    facts = deck / "facts" / "figures.yaml"
    hostile = '<img src=x onerror=alert(1)>{{c1::x}}'
    text = facts.read_text("utf-8")
    assert "    en: The area of Russia\n" in text
    facts.write_text(text.replace("    en: The area of Russia\n",
                                  f"    en: '{hostile}'\n"), "utf-8")
    run = quizgen("html", "--content", deck, "--out", tmp_path / "html", "--lang", "en",
                  "--count", "all", "--types", "comparison")
    assert run.code == 0, run.err
    from quizgen.render.skeleton import page_questions

    page = (tmp_path / "html" / f"{DECK}.en.html").read_text("utf-8")
    shown = "".join(m for _, _, m in page_questions(page))  # as the page's script fills it
    charts = re.findall(r"<svg .*?</svg>", shown, flags=re.DOTALL)
    assert charts and any("&lt;img src=x" in c for c in charts)
    assert "<img src=x" not in page and "<img src=x" not in shown
    from test_anki import import_package, needs_anki

    needs_anki()
    from anki.collection import Collection

    build(deck, tmp_path / "anki", "--lang", "en")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "anki" / f"{DECK}.en.apkg")
        (cid,) = col.find_cards('"QuestionId:afghanistan-area.comparison.russia-area.ratio"')
        back = col.get_card(cid).answer()
    finally:
        col.close()
    (svg,) = re.findall(r"<svg .*?</svg>", back, flags=re.DOTALL)
    assert "&lt;img src=x" in svg and "<img" not in back and "{{" not in svg
    assert texts(parsed(svg))[0].text == f"{LRI}{hostile}{PDI}"
