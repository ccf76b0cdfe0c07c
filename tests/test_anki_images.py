"""A fact's image in the Anki package: the file travels as media named by a hash of its bytes,
once however many notes show it, and the card's back (never its front) shows it with its alt
text and its credit and licence; a changed image updates the notes that show it, in place. What
the real Anki backend imports and renders."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from test_anki import PAGE, SIZES, Collection, build, import_package, needs_anki
from test_images import make_deck

from conftest import ROOT, SCREENSHOTS, quizgen

HOSTILE = '<script>alert(1)</script> {{c1::x}} "quoted" it\'s'
FOURTH = """\
- id: southland-capital
  topic: history
  kind: place
  answer_type: place
  image:
    file: map.png
    alt: {en: The same map, ar: الخريطة نفسها, he: אותה מפה}
    credit: A. Cartographer
    license: CC0 1.0
  text:
    en: The capital of Southland is [[Lowmarsh]].
    ar: عاصمة ساوثلاند هي [[لومارش]].
    he: בירת סאות'לנד היא [[לומרש]].
  sources:
    - source: treaty-text
      locator: paragraph 2
      quote: The capital of Southland is Lowmarsh
"""
# Each fact's image file and English alt text.
IMAGES = {"treaty-year": ("map.png", "A map"), "treaty-town": ("photo.jpg", "A map"),
          "northland-capital": ("plan.svg", HOSTILE),
          "southland-capital": ("map.png", "The same map")}


def image_deck(tmp_path: Path) -> Path:
    """The sample deck with a PNG (two facts show it), a JPEG and an SVG whose English alt
    text is hostile."""
    deck = make_deck(tmp_path)
    b = deck / "facts" / "b.yaml"
    text = b.read_text(encoding="utf-8")
    hostile = json.dumps(HOSTILE)  # a YAML double-quoted string
    text = text.replace("    alt: {en: A map, ar: خريطة, he: מפה}\n",
                        f"    alt:\n      en: {hostile}\n      ar: خريطة\n      he: מפה\n")
    b.write_text(text + FOURTH, encoding="utf-8")
    return deck


def hashed(data: bytes, suffix: str) -> str:
    return f"quizgen-{hashlib.sha256(data).hexdigest()[:20]}{suffix}"


class _Images(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append(dict(attrs))


def images_in(html: str) -> list[dict[str, str | None]]:
    """The ``<img>`` elements of ``html``, their attributes as a browser reads them."""
    return _Images(html).found


def test_the_package_carries_each_file_once_by_its_hash(tmp_path: Path) -> None:
    deck = image_deck(tmp_path)
    build(deck, tmp_path / "out")
    media = deck / "media"
    expected = {hashed((media / f).read_bytes(), Path(f).suffix): (media / f).read_bytes()
                for f in ("map.png", "photo.jpg", "plan.svg")}
    with zipfile.ZipFile(tmp_path / "out" / "sample.en.apkg") as archive:
        listing = json.loads(archive.read("media"))
        assert sorted(listing) == ["0", "1", "2"]
        assert sorted(listing.values()) == sorted(expected)
        for member, name in listing.items():
            assert archive.read(member) == expected[name]
        assert archive.namelist() == ["collection.anki2", "media", "0", "1", "2"]


def test_a_deck_with_images_builds_the_same_bytes_twice(tmp_path: Path) -> None:
    deck = image_deck(tmp_path)
    build(deck, tmp_path / "one")
    build(deck, tmp_path / "two")
    for language in ("en", "ar", "he"):
        name = f"sample.{language}.apkg"
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_deck_without_images_has_no_media(tmp_path: Path) -> None:
    build(ROOT / "tests" / "fixtures" / "base", tmp_path)
    with zipfile.ZipFile(tmp_path / "sample.en.apkg") as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "he"])
def test_cards_show_the_image_on_the_back_only(tmp_path: Path, language: str) -> None:
    needs_anki()
    deck = image_deck(tmp_path)
    build(deck, tmp_path / "out")
    media = deck / "media"
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "out" / f"sample.{language}.apkg")
        stored = sorted(Path(col.media.dir()).iterdir())
        assert [p.name for p in stored] == sorted(
            hashed((media / f).read_bytes(), Path(f).suffix)
            for f in ("map.png", "photo.jpg", "plan.svg"))
        for path in stored:
            original = next(f for f in ("map.png", "photo.jpg", "plan.svg")
                            if hashed((media / f).read_bytes(), Path(f).suffix) == path.name)
            assert path.read_bytes() == (media / original).read_bytes()
        cards = col.find_cards("")
        assert len(cards) >= 8
        for cid in cards:
            card = col.get_card(cid)
            question_id = card.note()["QuestionId"]
            file, alt = IMAGES[question_id.split(".")[0]]
            question, answer = card.question(), card.answer()
            assert "<img" not in question, question_id
            shown = images_in(answer)
            assert len(shown) == 1, (question_id, answer)
            assert shown[0]["src"] == hashed((media / file).read_bytes(), Path(file).suffix)
            assert shown[0]["alt"]
            if language == "en":
                assert shown[0]["alt"] == alt, question_id
            assert "A. Cartographer" in answer and "CC0 1.0" in answer
            # The image comes after the answer and the explanation, before the sources.
            assert answer.index("<img") < answer.index('class="qg-sources"')
            assert answer.index('id="answer"') < answer.index("<img")
            if 'class="qg-explanation"' in answer:
                assert answer.index('class="qg-explanation"') < answer.index("<img")
            # Hostile alt text stays text: no element, no cloze, no field reference.
            assert "<script>alert" not in answer
            assert "{{" not in answer
            if language == "en" and alt == HOSTILE:
                assert "&#123;&#123;c1::x&#125;&#125;" in answer
    finally:
        col.close()


@pytest.mark.slow
def test_a_changed_image_updates_its_notes_in_place(tmp_path: Path) -> None:
    needs_anki()
    deck = image_deck(tmp_path)
    out = tmp_path / "out"
    build(deck, out, epoch="1760000000")
    package = out / "sample.en.apkg"
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, package)
        before = {col.get_note(n)["QuestionId"]: (n, col.get_note(n).guid,
                                                  col.get_note(n)["Sources"])
                  for n in col.find_notes("")}
        old_name = hashed((deck / "media" / "map.png").read_bytes(), ".png")
        buffer = io.BytesIO()
        Image.new("RGB", (8, 6), (30, 30, 200)).save(buffer, "PNG")
        (deck / "media" / "map.png").write_bytes(buffer.getvalue())
        new_name = hashed(buffer.getvalue(), ".png")
        assert new_name != old_name
        wrote = build(deck, out, epoch="1760000100")
        log = import_package(col, package)
        after = {col.get_note(n)["QuestionId"]: (n, col.get_note(n).guid,
                                                 col.get_note(n)["Sources"])
                 for n in col.find_notes("")}
        assert after.keys() == before.keys()
        changed = {q for q in after if after[q][2] != before[q][2]}
        png = {q for q in after if IMAGES[q.split(".")[0]][0] == "map.png"}
        assert changed == png and png
        assert len(log.updated) == len(png) and not log.new
        assert wrote["sample.en.apkg"][2:] == (0, len(png), len(after) - len(png))
        for q in after:
            assert after[q][:2] == before[q][:2]  # the same note id and GUID
            if q in png:
                assert f'src="{new_name}"' in after[q][2] and old_name not in after[q][2]
        assert (Path(col.media.dir()) / new_name).read_bytes() == buffer.getvalue()
    finally:
        col.close()


def test_hostile_alt_text_is_escaped_in_the_field(tmp_path: Path) -> None:
    """Anki reads ``{{`` in a field's text as a field or a cloze: the alt text's braces are
    character references, and its markup is text."""
    from quizgen.render.ankifields import figure

    html = figure("quizgen-0.svg", alt=HOSTILE, credit="<b>{{Me}}</b>", license="CC0 1.0")
    assert "{" not in html and "}" not in html and "<script" not in html and "<b>" not in html
    assert images_in(html) == [{"src": "quizgen-0.svg", "alt": HOSTILE,
                                "style": images_in(html)[0]["style"]}]


def test_anki_is_no_longer_said_to_leave_images_out(capsys: pytest.CaptureFixture[str]) -> None:
    from quizgen.commands.formats import FORMATS
    from quizgen.commands.planning import say_images_left_out

    assert FORMATS["anki"].shows_images
    deck = SimpleNamespace(loaded=SimpleNamespace(
        facts=[SimpleNamespace(image=object())], deck=SimpleNamespace(id="sample")))
    say_images_left_out([deck], ["json", "anki", "gift"])  # type: ignore[list-item]
    err = capsys.readouterr().err
    assert "warning: images: 1 fact of sample carries an image, which gift does not" in err
    say_images_left_out([deck], ["json", "anki"])  # type: ignore[list-item]
    assert capsys.readouterr().err == ""


def test_quizgen_anki_makes_no_images_warning(tmp_path: Path) -> None:
    deck = image_deck(tmp_path)
    run = quizgen("anki", "--content", deck, "--out", tmp_path / "out", "--lang", "en",
                  env={"SOURCE_DATE_EPOCH": "1760000000"})
    assert run.code == 0, run.err
    assert "images" not in run.err, run.err


@pytest.mark.slow
def test_a_large_image_fits_a_phone_in_chromium(tmp_path: Path, browser) -> None:
    """A Hebrew card's back with a photograph wider than a phone, as Anki renders it, at desktop
    and phone width, day and night: the image loads, fits the screen, and its caption follows
    it; the screenshots land in build/screenshots/ to be looked at."""
    needs_anki()
    deck = image_deck(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), (40, 120, 60)).save(buffer, "JPEG")
    (deck / "media" / "photo.jpg").write_bytes(buffer.getvalue())
    build(deck, tmp_path / "out")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "out" / "sample.he.apkg")
        (cid,) = col.find_cards('"QuestionId:treaty-town.cloze"')
        back = col.get_card(cid).answer()
        media = Path(col.media.dir())
    finally:
        col.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            for mode, body in (("day", "card card1"), ("night", "card card1 nightMode")):
                card = media / f"card-{size}-{mode}.html"  # beside the media, as Anki shows it
                card.write_text(PAGE.format(body=body, html=back), encoding="utf-8")
                page.goto(card.as_uri())
                page.wait_for_load_state("load")
                image = page.locator(".qg-figure img")
                assert page.evaluate("document.querySelector('.qg-figure img').naturalWidth") \
                    == 1600
                box = image.bounding_box()
                caption = page.locator(".qg-figure figcaption").bounding_box()
                assert box and caption
                assert box["width"] <= width and box["height"] <= 0.6 * height + 1
                assert caption["y"] >= box["y"] + box["height"]
                overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                assert overflow <= 0, f"{size}: {overflow}px too wide"
                page.screenshot(path=str(SCREENSHOTS / f"anki-image-he-back-{size}-{mode}.png"),
                                full_page=True)
        finally:
            page.close()
