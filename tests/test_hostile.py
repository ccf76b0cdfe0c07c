"""Hostile content is inert in every output and shows as exactly the text the author typed."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import quizgen, require

pytestmark = pytest.mark.slow

HOSTILE = ('<script>window.__pwned=1</script><img src="file:///etc/passwd"> '
           '<link rel=attachment href="file:///etc/hostname"> javascript:alert(1) '
           'url(file:///etc/passwd) {{ 7*7 }} {{c2::x}} {% raw %}')


OWN_SCRIPT = re.compile(r"<script>/\* quizgen's choice cards:.*?</script>", re.DOTALL)


@pytest.fixture
def hostile_deck(sample_deck: Path) -> Path:
    facts = sample_deck / "facts" / "a.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("signed their treaty in", f"signed their {HOSTILE} treaty in"),
                     encoding="utf-8")
    return sample_deck


def test_anki_cards_show_the_text(hostile_deck: Path, tmp_path: Path) -> None:
    try:
        from anki.collection import (
            Collection,
            ImportAnkiPackageOptions,
            ImportAnkiPackageRequest,
        )
    except ImportError:
        Collection = None
    require(Collection is not None, "the anki package")
    run = quizgen("anki", "--content", hostile_deck, "--out", tmp_path, "--lang", "en")
    assert run.code == 0, run.err
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(tmp_path / "sample.en.apkg"), options=ImportAnkiPackageOptions()))
        shown = 0
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            for side in (card.question(), card.answer()):
                body = side.split("</style>")[-1]
                # The Choice note type's own script (templates/anki/choices.js) is the one
                # script a card may hold; nothing of the content may become one.
                body = OWN_SCRIPT.sub("", body)
                assert "<script" not in body and "<img" not in body and "<link" not in body
                text = html.unescape(re.sub(r"<[^>]+>", "", body))
                shown += HOSTILE in " ".join(text.split())
        assert shown, "the hostile text shows on no card"
        # One card a note, as for any deck: no extra cloze card from a {{c2::}} in the text.
        assert col.card_count() == col.note_count() > 0
    finally:
        col.close()


def test_pdf_shows_the_text_and_reads_nothing(hostile_deck: Path, tmp_path: Path) -> None:
    require(shutil.which("pdftotext") is not None, "poppler's pdftotext")
    run = quizgen("pdf", "--content", hostile_deck, "--out", tmp_path, "--lang", "en", "-q",
                  "--count", "all")
    assert run.code == 0, run.err
    for kind in ("worksheet", "key"):
        path = tmp_path / f"sample.en.{kind}.pdf"
        attached = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True,
                                  text=True, check=True).stdout
        assert re.match(r"0\b", attached.strip()), attached  # "0 embedded files"
        links = subprocess.run(["pdfinfo", "-url", str(path)], capture_output=True, text=True,
                               check=True).stdout
        assert "file:" not in links, links
        if kind == "worksheet":  # the key shows answers and quotes, not the facts' sentences
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                  capture_output=True, text=True, check=True).stdout
            assert "".join(HOSTILE.split()) in "".join(text.split())


def _html_parts(text: str) -> str:
    """What a reader sees of HTML text, the whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_lms_formats_show_the_text(hostile_deck: Path, tmp_path: Path) -> None:
    """GIFT (read by gift-pegjs), Moodle XML, the QTI package's items and the Canvas package's
    HTML texts (by the XML parser): no element of the text's own, none of GIFT's or Moodle's
    syntax from it, and the text shown as typed."""
    import json
    import xml.etree.ElementTree as ET
    import zipfile

    from conftest import ROOT, npm_package

    npm_package("gift-pegjs")
    for fmt in ("gift", "moodle", "qti", "canvas"):
        run = quizgen("export", fmt, "--content", hostile_deck, "--out", tmp_path, "--lang", "en")
        assert run.code == 0, run.err
    wanted = " ".join(HOSTILE.split())
    parsed = subprocess.run(["node", str(ROOT / "tests" / "js" / "gift-parse.js")],
                            input=json.dumps((tmp_path / "sample.en.gift").read_text("utf-8")),
                            capture_output=True, text=True, check=True).stdout
    questions = [q for q in json.loads(parsed)["questions"] if q["type"] != "Category"]
    gift_texts = [part["text"] for q in questions for part in (q["stem"], q["globalFeedback"])]
    root = ET.parse(tmp_path / "sample.en.moodle.xml").getroot()
    moodle_texts = [(node.findtext("text") or "") for question in root.findall("question")
                    for node in (question.find("questiontext"), question.find("generalfeedback"))
                    if node is not None]
    assert len(questions) == len(root.findall("question[@type='multichoice']")
                                 + root.findall("question[@type='truefalse']")
                                 + root.findall("question[@type='cloze']"))
    with zipfile.ZipFile(tmp_path / "sample.en.qti.zip") as archive:
        items = [ET.fromstring(archive.read(name)) for name in archive.namelist()
                 if name.startswith("items/") and name.endswith(".xml")]
    assert items
    qti = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
    for item in items:  # the text is text: no element but QTI's own
        assert {e.tag.split("}")[0] + "}" for e in item.iter()} == {qti}
        assert not {e.tag.split("}")[1] for e in item.iter()} & {"script", "img", "link"}
    qti_texts = [" ".join("".join(part.itertext()).split()) for item in items
                 for part in (item.find(f"{qti}itemBody"), item.find(f"{qti}modalFeedback"))
                 if part is not None]
    assert sum(wanted in text for text in qti_texts) >= 2
    from test_canvas import html_texts  # Canvas: the mattext HTML of the QTI 1.2 package
    canvas_texts = html_texts(tmp_path / "sample.en.canvas.zip")
    for texts in (gift_texts, moodle_texts, canvas_texts):
        assert texts
        for text in texts:
            assert "<script" not in text and "<img" not in text and "<link" not in text
        assert sum(wanted in _html_parts(text) for text in texts) >= 2
    for text in moodle_texts:  # no cloze gap but the question's own, no file link, no TeX
        assert "{{" not in text and "{%" not in text and "@@" not in text
    for text in canvas_texts:  # nor a blank of Canvas's ([id]) or a tag from the text
        assert "<script" not in text and "<img" not in text and "<link" not in text
        assert "{{" not in text and "[" not in text.replace("[blank", "")
