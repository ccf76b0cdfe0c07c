"""Printed layout, swept: every word of every worksheet and key inside the text area (side
margins; the running header on one line in the top margin, the page number in the bottom one),
over seeds, en/ar/he, A4 and Letter, the default count and ``--count all``, two forms, on the
bundled deck, on a small generated deck and on a deck of long titles and unbroken words.
Measured with poppler's word boxes (``pdftotext -bbox``)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_pdf import needs_poppler

from conftest import ROOT, quizgen

pytestmark = pytest.mark.slow

MM = 72 / 25.4
SIDE, TOP, BOTTOM = 17 * MM, 18 * MM, 20 * MM  # @page margin in quizgen/render/pdf.py
SLACK = 1.0  # points: a glyph's side bearing may reach past its advance


@dataclass
class Word:
    page: int
    width: float
    height: float
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


def word_boxes(pdf: Path) -> list[Word]:
    """Every word poppler finds in ``pdf``, with its page's size."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    out = []
    pages = re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html,
                        flags=re.DOTALL)
    for number, page in enumerate(pages, start=1):
        for word in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                r'yMax="([\d.]+)">([^<]*)</word>', page[3]):
            out.append(Word(number, float(page[1]), float(page[2]),
                            *(float(word[i]) for i in range(1, 5)), word[5]))
    return out


def misplaced(pdf: Path) -> list[str]:
    """The words of ``pdf`` outside its text area: past a side margin, or in the top or bottom
    margin on more than one line (the running header and the page number have one each; a
    header that wraps runs down over the page's first lines)."""
    bad = []
    margins: dict[tuple[int, str], set[int]] = {}
    for word in word_boxes(pdf):
        where = f"{pdf.name} p{word.page} {word.text!r} x {word.x_min:.0f}-{word.x_max:.0f}"
        if word.x_min < SIDE - SLACK or word.x_max > word.width - SIDE + SLACK:
            bad.append(f"{where}: past a side margin")
        if word.y_max < TOP:
            margins.setdefault((word.page, "top"), set()).add(round(word.y_max))
        elif word.y_min > word.height - BOTTOM:
            margins.setdefault((word.page, "bottom"), set()).add(round(word.y_max))
    for (page, side), lines in sorted(margins.items()):
        if max(lines) - min(lines) > 6:  # glyphs of one line differ by a few points
            bad.append(f"{pdf.name} p{page}: {side} margin holds several lines {sorted(lines)}")
    return bad + overlapping(pdf)


def overlapping(pdf: Path) -> list[str]:
    """Words printed over each other: one box covering a third of another's (numbers placed
    out of their rows once stacked up over a key's title)."""
    bad = []
    pages: dict[int, list[Word]] = {}
    for word in word_boxes(pdf):
        pages.setdefault(word.page, []).append(word)
    for page, words in pages.items():
        words.sort(key=lambda w: w.y_min)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.y_min >= a.y_max:
                    break
                wide = min(a.x_max, b.x_max) - max(a.x_min, b.x_min)
                high = min(a.y_max, b.y_max) - max(a.y_min, b.y_min)
                smaller = min((a.x_max - a.x_min) * (a.y_max - a.y_min),
                              (b.x_max - b.x_min) * (b.y_max - b.y_min))
                if wide > 0 and high > 0 and wide * high > smaller / 3:
                    bad.append(f"{pdf.name} p{page}: {a.text!r} and {b.text!r} overlap at "
                               f"x {max(a.x_min, b.x_min):.0f}, y {max(a.y_min, b.y_min):.0f}")
    return bad


def sweep(tmp_path: Path, *args: object) -> list[str]:
    """Build the PDFs of one ``quizgen pdf`` run; what is misplaced in any of them."""
    # --count all prints every question of the deck in six PDFs: minutes on a busy machine
    run = quizgen("pdf", "--out", tmp_path, "-q", *args, timeout=1200)
    assert run.code == 0, run.err
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert pdfs
    return [problem for pdf in pdfs for problem in misplaced(pdf)]


@pytest.mark.parametrize(("seed", "paper"), [(0, "a4"), (11, "letter"), (22, "a4"),
                                           (33, "letter")])
def test_default_worksheets_stay_inside_the_text_area(tmp_path: Path, seed: int,
                                                       paper: str) -> None:
    needs_poppler()
    assert sweep(tmp_path, "--seed", seed, "--paper", paper, "--versions", "2") == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_question_stays_inside_the_text_area(tmp_path: Path, paper: str) -> None:
    needs_poppler()
    assert sweep(tmp_path, "--count", "all", "--seed", "5", "--paper", paper) == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_small_deck_stays_inside_the_text_area(tmp_path: Path, paper: str) -> None:
    needs_poppler()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import generate

    deck = generate(12, tmp_path / "deck")
    for seed in (1, 2):
        out = tmp_path / f"out{seed}"
        assert sweep(out, "--content", deck, "--count", "all", "--seed", seed,
                     "--paper", paper) == []


def test_long_titles_and_unbroken_words_stay_inside(sample_deck: Path, tmp_path: Path) -> None:
    """A title four lines long (the running header keeps one line, cut short), an answer of
    300 letters without a space (broken inside the column, in the grid and the full key)."""
    needs_poppler()
    deck = sample_deck / "deck.yaml"
    title = "A long deck title about the relations between Northland and Southland " * 4
    deck.write_text(deck.read_text("utf-8").replace("en: Sample deck", f"en: {title.strip()}"),
                    encoding="utf-8")
    facts = sample_deck / "facts" / "b.yaml"
    word = "Hillcrest" + "x" * 300
    facts.write_text(facts.read_text("utf-8").replace("[[Hillcrest]]", f"[[{word}]]", 1),
                     encoding="utf-8")
    assert sweep(tmp_path, "--content", sample_deck, "--count", "all") == []
    key = word_boxes(tmp_path / "sample.en.key.pdf")
    header = {round(w.y_min) for w in key if w.page == 2 and w.y_max < TOP}
    assert len(header) == 1, header
    assert any("…" in w.text for w in key if w.page == 2 and w.y_max < TOP)
