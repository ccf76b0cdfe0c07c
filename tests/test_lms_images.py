"""A fact's image in the LMS formats, with the answer only (in the feedback, never the question):
Moodle XML embeds each file base64 in the general feedback and shows it by its
``@@PLUGINFILE@@`` URL; QTI and Canvas packages hold each file once, listed in the manifest and
shown from the feedback; GIFT, one text file, says how many images it leaves out. A hostile alt
text stays text in each."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from test_images import make_deck
from test_qti import Schemas, schemas  # noqa: F401 (a fixture)

from conftest import quizgen

# Every markup an alt text could smuggle: HTML, Moodle's cloze and drop-down gaps, its file
# URLs, Canvas's path tokens, a quote to close the attribute.
HOSTILE = ('<script>alert(1)</script> "q" it\'s {1:SHORTANSWER:=x} [[1]] @@PLUGINFILE@@/x.png '
           "$IMS-CC-FILEBASE$/x.png &amp;")
EPOCH = "1700000000"


def image_deck(tmp_path: Path) -> Path:
    """The sample deck with a PNG, a JPEG and an SVG, the SVG's English alt text hostile."""
    deck = make_deck(tmp_path)
    b = deck / "facts" / "b.yaml"
    text = b.read_text(encoding="utf-8")
    old = "    alt: {en: A map, ar: خريطة, he: מפה}\n"
    assert old in text
    b.write_text(text.replace(old, f"    alt:\n      en: {json.dumps(HOSTILE)}\n"
                              "      ar: خريطة\n      he: מפה\n"), encoding="utf-8")
    return deck


def hashed(data: bytes, file: str) -> str:
    return f"quizgen-{hashlib.sha256(data).hexdigest()[:20]}{Path(file).suffix.lower()}"


class _Parsed(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))


def parsed(html: str) -> _Parsed:
    """``html`` as a browser reads it: its elements, and its images' attributes."""
    return _Parsed(html)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """The image deck exported in English as json and every LMS format: (deck, out, json),
    and the stderr of the GIFT export in json's ``gift_err``."""
    tmp = tmp_path_factory.mktemp("lmsimages")
    deck = image_deck(tmp)
    out = tmp / "out"
    errs = {}
    for fmt in ("json", "moodle", "qti", "canvas", "gift"):
        run = quizgen("export", fmt, "--content", deck, "--out", out, "--lang", "en",
                      env={"SOURCE_DATE_EPOCH": EPOCH})
        assert run.code == 0, run.err
        errs[fmt] = run.err
    data = json.loads((out / "sample.en.json").read_text(encoding="utf-8"))
    data["errs"] = errs
    return deck, out, data


def expected(deck: Path, q: dict[str, Any]) -> dict[str, tuple[str, bytes]]:
    """A question's images: its package name -> (alt text, bytes), each file once."""
    shown = {}
    for image in q["images"]:
        data = (deck / "media" / image["file"]).read_bytes()
        shown[hashed(data, image["file"])] = (image["alt"], data)
    return shown


def test_the_deck_has_every_kind_and_the_hostile_alt(built: tuple[Path, Path, dict]) -> None:
    _, _, data = built
    files = {image["file"] for q in data["questions"] for image in q["images"]}
    assert files == {"map.png", "photo.jpg", "plan.svg"}
    assert any(image["alt"] == HOSTILE for q in data["questions"] for image in q["images"])


def test_moodle_embeds_each_image_in_the_general_feedback(
        built: tuple[Path, Path, dict]) -> None:
    deck, out, data = built
    root = ET.parse(out / "sample.en.moodle.xml").getroot()
    questions = {node.findtext("name/text"): node for node in root.findall("question")
                 if node.get("type") != "category"}
    assert set(questions) == {q["id"] for q in data["questions"]}
    pictured = 0
    for q in data["questions"]:
        node = questions[q["id"]]
        text = node.find("questiontext")
        assert text is not None and text.find("file") is None
        assert parsed(text.findtext("text", "")).images == []  # never before the answer
        assert "PLUGINFILE" not in text.findtext("text", "")
        feedback = node.find("generalfeedback")
        assert feedback is not None
        html = feedback.findtext("text", "")
        files = {f.get("name"): f for f in feedback.findall("file")}
        want = expected(deck, q)
        assert set(files) == set(want)
        for name, (_, blob) in want.items():
            assert files[name].get("path") == "/"
            assert files[name].get("encoding") == "base64"
            assert base64.b64decode(files[name].text or "") == blob
        page = parsed(html)
        assert [(i["src"], i["alt"]) for i in page.images] == \
            [(f"@@PLUGINFILE@@/{name}", alt) for name, (alt, _) in want.items()]
        # Moodle rewrites every @@PLUGINFILE@@ of the text, and reads {1:...} and [[1]]: only
        # the images' own URLs hold them.
        assert html.count("@@PLUGINFILE@@") == len(want)
        assert "{1:" not in html and "[[" not in html
        assert "script" not in page.tags
        if want:
            pictured += 1
            assert html.index("<img") < html.index("<blockquote")  # before the sources
    assert pictured == sum(1 for q in data["questions"] if q["images"]) > 0


def read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names))
        return {name: archive.read(name) for name in names}


QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def test_qti_package_holds_each_image_once_shown_in_the_feedback(
        built: tuple[Path, Path, dict], schemas: Schemas) -> None:  # noqa: F811
    deck, out, data = built
    files = read(out / "sample.en.qti.zip")
    errors = [e for name, body in files.items() if name.endswith(".xml")
              for e in schemas.check(name, body)]
    assert errors == [], errors[:10]
    media = {name for name in files if name.startswith("items/media/")}
    every = {}
    for q in data["questions"]:
        every.update(expected(deck, q))
    assert media == {f"items/media/{name}" for name in every}
    for name, (_, blob) in every.items():
        assert files[f"items/media/{name}"] == blob
    manifest = ET.fromstring(files["imsmanifest.xml"])
    resources = {r.get("href"): r for r in manifest.iter(f"{CP}resource")}
    listed = {f.get("href") for r in resources.values() for f in r.findall(f"{CP}file")}
    assert listed == set(files) - {"imsmanifest.xml"}
    items = {ET.fromstring(files[href]).get("title"): (href, ET.fromstring(files[href]))
             for href, r in resources.items() if r.get("type") == "imsqti_item_xmlv2p1"}
    for q in data["questions"]:
        href, item = items[q["id"]]
        want = expected(deck, q)
        body = item.find(f"{QTI}itemBody")
        assert body is not None and body.find(f".//{QTI}img") is None
        shown = [(img.get("src"), img.get("alt"))
                 for img in item.iterfind(f"{QTI}modalFeedback//{QTI}img")]
        assert shown == [(f"media/{name}", alt) for name, (alt, _) in want.items()]
        own = {f.get("href") for f in resources[href].findall(f"{CP}file")}
        assert own == {href} | {f"items/media/{name}" for name in want}
        assert not any(el.tag.endswith("script") for el in item.iter())


def test_canvas_package_holds_each_image_where_its_importer_finds_it(
        built: tuple[Path, Path, dict]) -> None:
    """Each file once under web_resources/, listed in the manifest as a webcontent resource
    the quiz depends on; the general feedback's ``src`` is that path, which the importer
    matches against the manifest's files (Qti::HtmlHelper#find_best_path_match)."""
    deck, out, data = built
    files = read(out / "sample.en.canvas.zip")
    every = {}
    for q in data["questions"]:
        every.update(expected(deck, q))
    assert {n for n in files if n.startswith("web_resources/")} == \
        {f"web_resources/{name}" for name in every}
    manifest = ET.fromstring(files["imsmanifest.xml"])
    ns = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
    resources = list(manifest.iter(f"{ns}resource"))
    web = {r.get("identifier"): r.get("href") for r in resources if r.get("type") == "webcontent"}
    assert set(web.values()) == {f"web_resources/{name}" for name in every}
    for r in resources:
        if r.get("type") == "webcontent":
            assert [f.get("href") for f in r.findall(f"{ns}file")] == [r.get("href")]
    quiz = next(r for r in resources if r.get("type") == "imsqti_xmlv1p2")
    assert set(web) <= {d.get("identifierref") for d in quiz.findall(f"{ns}dependency")}
    assessment = next(body for name, body in files.items()
                      if name.endswith(".xml") and name.count("/") == 1
                      and not name.endswith("assessment_meta.xml"))
    root = ET.fromstring(assessment)
    qns = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    items = {item.get("title"): item for item in root.iter(f"{qns}item")}
    for q in data["questions"]:
        item = items[q["id"]]
        want = expected(deck, q)
        question = "".join(m.text or "" for m in item.iterfind(f"{qns}presentation//{qns}mattext"))
        assert parsed(question).images == []
        feedback = item.find(f"{qns}itemfeedback[@ident='general_fb']//{qns}mattext")
        assert feedback is not None
        page = parsed(feedback.text or "")
        assert [(i["src"], i["alt"]) for i in page.images] == \
            [(f"web_resources/{name}", alt) for name, (alt, _) in want.items()]
        assert all(i["src"] in files for i in page.images)  # the importer's exact match
        assert "script" not in page.tags
        assert "[[" not in (feedback.text or "") and "$IMS" not in (feedback.text or "")


def test_gift_says_how_many_images_it_leaves_out(built: tuple[Path, Path, dict]) -> None:
    _, out, data = built
    err = data["errs"]["gift"]
    found = {m.group(2): int(m.group(1)) for m in re.finditer(
        r"warning: gift: (\d+) (.+?) question images? left out of sample\.en\.gift "
        r"\(GIFT cannot carry files", err)}
    want: dict[str, int] = {}
    for q in data["questions"]:
        if q["images"]:
            kind = q["type"].replace("_", " ").replace("-", " ")
            want[kind] = want.get(kind, 0) + len({i["file"] for i in q["images"]})
    assert found and set(found) <= set(want)
    for kind, n in found.items():
        assert n == want[kind]
    gift = (out / "sample.en.gift").read_text(encoding="utf-8")
    assert "quizgen-" not in gift and "<img" not in gift and "alert(1)" not in gift
    assert "warning: images:" in err  # the deck-wide line too
    for fmt in ("moodle", "qti", "canvas"):  # they carry them: no warning about images
        assert "warning: images:" not in data["errs"][fmt]
        assert "left out" not in data["errs"][fmt]


def test_a_deck_without_images_carries_no_file(sample_deck: Path, tmp_path: Path) -> None:
    for fmt in ("moodle", "qti", "canvas", "gift"):
        run = quizgen("export", fmt, "--content", sample_deck, "--out", tmp_path, "--lang", "en")
        assert run.code == 0, run.err
        assert "image" not in run.err.replace(str(tmp_path), "")
    moodle = (tmp_path / "sample.en.moodle.xml").read_text(encoding="utf-8")
    assert "<file" not in moodle and "PLUGINFILE" not in moodle
    assert not any(n.startswith("items/media/") for n in read(tmp_path / "sample.en.qti.zip"))
    assert not any(n.startswith("web_resources/")
                   for n in read(tmp_path / "sample.en.canvas.zip"))
