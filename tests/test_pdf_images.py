"""A fact's image in the PDFs (``quizgen pdf``): in the answer key only, after the answer, as
poppler sees it: the raster images embedded (``pdfimages``), the SVG drawn, each within the text
column and at most 60 mm tall, the credit and licence beneath as text, each image a Figure of
the tagged PDF with its alt text, none of it on the worksheet, hostile text printed as
text."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from test_images import make_deck, picture
from test_layout import misplaced
from test_pdf import figures_alt, pdftotext, tagged_language

from conftest import SCREENSHOTS, quizgen, require

pytestmark = pytest.mark.slow

LANGUAGES = ("en", "ar", "he")
HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }}'
MM = 72 / 25.4
SIDE = 17 * MM  # @page margin in quizgen/render/pdf.py
RED, BLUE = (200, 30, 30), (30, 30, 200)


def tall_jpeg() -> bytes:
    """A blue JPEG four times as tall as it is wide: its height is what limits it."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 1200), BLUE).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample deck with a red PNG 1600 px wide (English alt text and credit hostile), a tall
    blue JPEG and an SVG, one per fact: every question's worksheet and key, and the JSON."""
    require(all(shutil.which(tool) for tool in ("pdfimages", "pdftotext", "pdftoppm")),
            "poppler's pdfimages, pdftotext and pdftoppm (apt-get install poppler-utils)")
    root = tmp_path_factory.mktemp("pdfimages")
    alt = json.dumps({"en": HOSTILE, "ar": "خريطة", "he": "מפה"}, ensure_ascii=False)
    deck = make_deck(root, alt=alt)
    (deck / "media" / "map.png").write_bytes(picture("PNG", (1600, 400)))
    (deck / "media" / "photo.jpg").write_bytes(tall_jpeg())
    facts = deck / "facts" / "a.yaml"
    text = facts.read_text(encoding="utf-8")  # the first image's credit, hostile too
    facts.write_text(text.replace("credit: A. Cartographer", f"credit: {json.dumps(HOSTILE)}",
                                  1), encoding="utf-8")
    out = root / "out"
    for command in ("pdf", "export json"):
        run = quizgen(*command.split(), "--content", deck, "--out", out, "--seed", "3",
                      "--count", "all")
        assert run.code == 0, run.err
        assert "warning: images:" not in run.err  # pdf shows them: no "does not show"
        # make_deck's SVG embeds a PNG, decoded by check: WeasyPrint draws it too
        assert "holds a picture" not in run.err
    return out


def image_rows(pdf: Path) -> list[tuple[int, int, str]]:
    """Each image ``pdfimages -list`` finds in ``pdf``: width, height (pixels) and encoding."""
    lines = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [(int(f[3]), int(f[4]), f[8]) for f in (line.split() for line in lines)]


def captions(language: str, built: Path) -> int:
    """How many figures the key shows: each question's images, a file once."""
    data = json.loads((built / f"sample.{language}.json").read_text(encoding="utf-8"))
    return sum(len({image["file"] for image in q["images"]}) for q in data["questions"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_key_shows_the_images_and_the_worksheet_none(built: Path, language: str) -> None:
    """The key embeds the PNG and the JPEG at their full pixels; the SVG is drawn (WeasyPrint
    draws it as vectors: pdfimages lists only the 1 × 1 picture it embeds), its caption there;
    the worksheet has no image, no caption and no alt text."""
    key = built / f"sample.{language}.key.pdf"
    rows = image_rows(key)
    assert (1600, 400, "image") in rows and (300, 1200, "jpeg") in rows, rows
    assert {(w, h) for w, h, _ in rows} == {(1600, 400), (300, 1200), (1, 1)}
    text = pdftotext(key)
    assert text.count("CC0 1.0") == captions(language, built) > 0
    assert text.count("A. Cartographer") == captions(language, built) - text.count("alert(1)")
    worksheet = built / f"sample.{language}.worksheet.pdf"
    assert image_rows(worksheet) == []
    sheet = pdftotext(worksheet)
    assert "Cartographer" not in sheet and "CC0" not in sheet and "alert" not in sheet
    assert "מפה" not in sheet and "خريطة" not in sheet


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_image_is_a_figure_with_its_alt_text(built: Path, language: str) -> None:
    """The key is a tagged PDF in its language, each image (the SVG too) a Figure of its
    structure tree whose Alt is the image's alt text in the key's language, the hostile one
    as written; the worksheet, tagged too, has no Figure."""
    data = json.loads((built / f"sample.{language}.json").read_text(encoding="utf-8"))
    alts = [image["alt"] for q in data["questions"]
            for image in {image["file"]: image for image in q["images"]}.values()]
    key = built / f"sample.{language}.key.pdf"
    assert tagged_language(key) == language
    assert sorted(figures_alt(key)) == sorted(alts)
    assert len(alts) == captions(language, built) > 0
    assert (HOSTILE in alts) == (language == "en")
    assert {"ar": "خريطة", "he": "מפה"}.get(language, HOSTILE) in alts
    worksheet = built / f"sample.{language}.worksheet.pdf"
    assert tagged_language(worksheet) == language
    assert figures_alt(worksheet) == []


def test_hostile_credit_stays_text(built: Path) -> None:
    """A credit holding markup and a template expression is printed as it is written."""
    text = pdftotext(built / "sample.en.key.pdf")
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text
    assert "49" not in text
    raw = (built / "sample.en.key.pdf").read_bytes()
    assert b"/JavaScript" not in raw and b"/JS" not in raw


def colour_boxes(png: Path, colour: tuple[int, int, int]) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom, in pixels) of the runs of rows of ``png`` holding
    ``colour``: one box for each image of that colour on the page."""
    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()

    def near(p: tuple[int, int, int]) -> bool:
        return all(abs(a - b) < 40 for a, b in zip(p, colour, strict=True))

    boxes: list[tuple[int, int, int, int]] = []
    start = None
    columns: list[int] = []
    for y in range(height + 1):
        xs = [x for x in range(width) if y < height and near(pixels[x, y])]
        if xs and start is None:
            start, columns = y, []
        if xs:
            columns += [min(xs), max(xs)]
        elif start is not None:
            boxes.append((min(columns), start, max(columns), y - 1))
            start = None
    return boxes


@pytest.mark.parametrize("language", LANGUAGES)
def test_images_fit_the_column_and_60_mm(built: Path, language: str, tmp_path: Path) -> None:
    """Rendered at 50 dpi, every page of the key: the wide PNG spans the text column and no
    more, the tall JPEG is 60 mm tall at most and sits at the line's start (left in English,
    right in Arabic and Hebrew); no word of the key (captions included) is past a margin."""
    key = built / f"sample.{language}.key.pdf"
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(key), str(tmp_path / "p")], check=True)
    dpmm = 50 / 25.4
    side = 17 * dpmm
    wide, tall = 0, 0
    for page in sorted(tmp_path.glob("p-*.png")):
        width = Image.open(page).size[0]
        for left, _top, right, _bottom in colour_boxes(page, RED):
            assert left >= side - 2 and right <= width - side + 2, (page.name, left, right)
            if right - left > 100 * dpmm:
                wide += 1
                assert right - left > 150 * dpmm  # scaled down to the column, not cropped
        for left, top, right, bottom in colour_boxes(page, BLUE):
            tall += 1
            assert left >= side - 2 and right <= width - side + 2, (page.name, left, right)
            assert 55 * dpmm < bottom - top + 1 <= 60 * dpmm + 2, (page.name, top, bottom)
            middle = (left + right) / 2
            assert (middle > width / 2) == (language != "en"), (page.name, left, right)
    assert wide > 0 and tall > 0
    assert misplaced(key) == []


def test_a_hebrew_key_page_for_the_eye(built: Path) -> None:
    """Page 2 of the Hebrew key at 60 dpi, saved for a person to look at (build/screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / "pdf-key-images.he"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "2", "-l", "2", "-singlefile",
                    str(built / "sample.he.key.pdf"), str(stem)], check=True)
    assert Image.open(f"{stem}.png").size[0] > 400
