"""Images in the content format: a fact's `image` names a file of the deck's media/ folder,
and check refuses every file that is missing, outside the deck, broken, too large, an unsafe
SVG, or described in too few languages, each at its fact's line, writing nothing."""

from __future__ import annotations

import base64
import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import BASE_DECK, problem_lines, quizgen
from quizgen import images
from quizgen.content import load

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'width="20" height="10">\n'
       '  <defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>\n'
       '  <style>rect { fill: url(#g); }</style></defs>\n'
       '  <rect width="20" height="10" style="stroke: url(#g)"/>\n'
       '  <use xlink:href="#g"/>\n'
       '  <image width="1" height="1" href="{png}"/>\n'
       '{extra}</svg>\n')


def picture(kind: str, size: tuple[int, int] = (8, 6)) -> bytes:
    """A small picture made by Pillow in the format ``kind``."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def data_url(kind: str, data: bytes) -> str:
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


# The drawing embeds a picture of its own, as drawing programs do.
SVG = SVG.replace("{png}", data_url("png", picture("PNG", (1, 1))))


def block(file: str, *, alt: str = "{en: A map, ar: خريطة, he: מפה}",
          license: str | None = "CC0 1.0", source: str | None = None) -> str:
    lines = ["  image:", f"    file: {file}", f"    alt: {alt}", "    credit: A. Cartographer"]
    if license is not None:
        lines.append(f"    license: {license}")
    if source is not None:
        lines.append(f"    source: {source}")
    return "\n".join(lines) + "\n"


def make_deck(tmp_path: Path, png: str = "map.png", jpg: str = "photo.jpg",
              svg: str = "plan.svg", **first: str | None) -> Path:
    """The sample deck with a PNG, a JPEG and an SVG in media/, one for each of its three
    facts; ``first`` changes the first fact's image entry (``block``'s arguments)."""
    import shutil

    deck = tmp_path / "sample"
    shutil.copytree(BASE_DECK, deck)
    media = deck / "media"
    media.mkdir()
    (media / "map.png").write_bytes(picture("PNG"))
    (media / "photo.jpg").write_bytes(picture("JPEG"))
    (media / "plan.svg").write_text(SVG.replace("{extra}", ""), encoding="utf-8")
    a = (deck / "facts" / "a.yaml").read_text(encoding="utf-8")
    a = a.replace("  answer_type: year\n", "  answer_type: year\n" + block(png, **first), 1)
    a = a.replace("  answer_type: place\n", "  answer_type: place\n" + block(jpg), 1)
    (deck / "facts" / "a.yaml").write_text(a, encoding="utf-8")
    b = (deck / "facts" / "b.yaml").read_text(encoding="utf-8")
    b = b.replace("  answer_type: place\n", "  answer_type: place\n" + block(svg), 1)
    (deck / "facts" / "b.yaml").write_text(b, encoding="utf-8")
    return deck


def errors(deck: Path) -> list[str]:
    """The errors loading the deck finds, as check prints them."""
    return [str(p) for p in load(deck).errors]


def only_error(deck: Path) -> str:
    found = errors(deck)
    assert len(found) == 1, found
    return found[0]


# The first fact's image: `image:` on line 5 of facts/a.yaml, its `file:` on line 6.
AT_FILE = "facts/a.yaml:6:11: fact treaty-year: "


def test_a_deck_with_a_png_a_jpeg_and_an_svg_passes(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    run = quizgen("check", "--content", deck, cwd=deck)
    assert run.code == 0, run.err
    assert "OK: no errors" in run.out
    assert errors(deck) == []


def test_gif_and_webp_pass(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, png="anim.gif", jpg="photo.webp")
    (deck / "media" / "anim.gif").write_bytes(picture("GIF"))
    (deck / "media" / "photo.webp").write_bytes(picture("WEBP"))
    assert errors(deck) == []


def test_a_missing_file_is_located_with_a_suggestion(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, png="mapp.png")
    message = only_error(tmp_path / "sample")
    assert message.startswith(str(deck / "facts/a.yaml") + ":6:11: fact treaty-year: ")
    assert "no image media/mapp.png in the deck" in message
    assert 'Did you mean "map.png"?' in message


def test_a_path_written_with_media_says_the_folder_is_implied(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, png="media/map.png")
    assert "write `map.png`" in only_error(deck)


@pytest.mark.parametrize(("path", "words"), [
    ("../deck.yaml", '".." leads out'),
    ("maps/../../facts/a.yaml", '".." leads out'),
    ("/etc/passwd", "an absolute path"),
    ("C:/images/map.png", "an absolute path"),
    ("maps\\\\map.png", "write folders with /"),
    ("./map.png", "write it plainly"),
])
def test_a_path_out_of_media_is_refused(tmp_path: Path, path: str, words: str) -> None:
    deck = make_deck(tmp_path, png=f'"{path}"')
    message = only_error(deck)
    assert ": fact treaty-year: " in message and words in message


def test_a_symbolic_link_out_of_the_deck_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(picture("PNG"))
    deck = make_deck(tmp_path, png="link.png")
    os.symlink(outside, deck / "media" / "link.png")
    message = only_error(deck)
    assert "leads out of the deck's media/ folder" in message and "a symbolic link" in message


def test_a_media_folder_that_is_a_link_out_is_refused(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (deck / "media").rename(elsewhere)
    os.symlink(elsewhere, deck / "media")
    assert all("leads out of the deck's media/ folder" in m for m in errors(deck))
    assert len(errors(deck)) == 3


def test_a_link_inside_media_is_fine(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, png="same.png")
    os.symlink("map.png", deck / "media" / "same.png")
    assert errors(deck) == []


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, png="pipe.png")
    os.mkfifo(deck / "media" / "pipe.png")
    assert "a FIFO" in only_error(deck)


def test_a_broken_image_is_refused(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    (deck / "media" / "map.png").write_bytes(picture("PNG")[:40])
    message = only_error(deck)
    assert message.startswith(str(deck / "facts/a.yaml") + ":6:11: fact treaty-year: ")
    assert "media/map.png: not a readable PNG image" in message


def test_text_named_as_an_image_is_refused(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    (deck / "media" / "map.png").write_text("hello", encoding="utf-8")
    assert "not a readable PNG image" in only_error(deck)


def test_an_image_of_another_kind_than_its_name_is_refused(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    (deck / "media" / "map.png").write_bytes(picture("JPEG"))
    assert "the file is a JPEG image, not PNG as its name says" in only_error(deck)


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, png="map.bmp")
    (deck / "media" / "map.bmp").write_bytes(picture("BMP"))
    assert '".bmp" is not a kind of image quizgen takes' in only_error(deck)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    deck = make_deck(tmp_path)
    with open(deck / "media" / "map.png", "ab") as handle:
        handle.truncate(images.MAX_BYTES + 1)
    assert "an image may be at most 5 MiB" in only_error(deck)


def bomb_png(width: int, height: int) -> bytes:
    """A PNG whose header promises ``width`` × ``height`` pixels (its data is tiny)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\0" + b"\0" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(min(height, 10))) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(8000, 6000), (20000, 20000)])
def test_a_decompression_bomb_is_a_located_error(tmp_path: Path, size: tuple[int, int]) -> None:
    """Over quizgen's 40 megapixels, and over Pillow's own limit (where it raises)."""
    deck = make_deck(tmp_path)
    (deck / "media" / "map.png").write_bytes(bomb_png(*size))
    message = only_error(deck)
    assert message.startswith(str(deck / "facts/a.yaml") + ":6:11: fact treaty-year: ")
    assert "40,000,000 pixels" in message


def test_an_animation_over_the_pixel_budget_is_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    deck = make_deck(tmp_path, png="anim.gif")
    frames = [Image.new("RGB", (10, 10), (50 * i, 0, 0)) for i in range(5)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    (deck / "media" / "anim.gif").write_bytes(buffer.getvalue())
    assert errors(deck) == []
    monkeypatch.setattr(images, "MAX_PIXELS", 350)
    assert "(4 frames)" in only_error(deck)


@pytest.mark.parametrize(("extra", "words"), [
    ('<script>alert(1)</script>\n', "<script>"),
    ('<rect width="1" height="1" onclick="alert(1)"/>\n', 'onclick="...">: an event handler'),
    ('<rect width="1" height="1" ONLOAD="alert(1)"/>\n', "an event handler"),
    ('<image href="https://example.com/x.png" width="1" height="1"/>\n',
     "a reference to something outside"),
    ('<use xlink:href="other.svg#a"/>\n', '<use href="other.svg#a">'),
    ('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>\n', "outside the drawing"),
    ('<image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>\n',
     "reference to something outside"),
    ('<foreignObject width="1" height="1"><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
     '</foreignObject>\n', "<foreignObject>"),
    ('<rect width="1" height="1" fill="url(https://example.com/p.svg#g)"/>\n',
     "refers to \"https://example.com/p.svg#g\" outside the drawing"),
    ('<style>@import "https://example.com/a.css";</style>\n', "@import"),
    ('<style><![CDATA[rect { fill: url(http://example.com/x) }]]></style>\n', "url(...)"),
    ('<style>rect { fill: u\\72l(http://example.com/x) }</style>\n', "a CSS escape"),
    ('<set attributeName="xlink:href" to="https://example.com"/>\n', "an animation"),
    ('<?xml-stylesheet href="https://example.com/a.css"?>\n', "a processing instruction"),
    # Names an HTML parser would read in any case, should an output write the SVG into a page:
    ('<SCRIPT>alert(1)</SCRIPT>\n', "<script>"),
    ('<image HREF="https://example.com/x.png"/>\n', "a reference to something outside"),
    ('<style>svg { background: image-set("https://example.com/a.png" 1x) }</style>\n',
     "image-set"),
    # An embedded picture is decoded as a file is: one an output cannot draw is refused here.
    ('<image href="data:image/png;base64,iVBORw0KGgo="/>\n',
     "<image href>: the embedded picture: not a readable PNG image"),
    ('<image href="data:image/png;base64,iVBOR@@"/>\n', "is not valid base64"),
    (f'<image href="{data_url("png", picture("JPEG"))}"/>\n',
     "a JPEG image, not PNG as its data: URL says"),
    (f'<rect width="1" height="1" style="fill: url({data_url("gif", b"GIF89a")})"/>\n',
     "the embedded picture: not a readable GIF image"),
    # Pictures each within the limit, many together are not.
    ("".join(f'<image href="{data_url("png", picture("PNG", (3000, 3000)))}"/>'
             for _ in range(5)) + "\n", "decode to more than 40,000,000 pixels together"),
])
def test_an_unsafe_svg_is_refused_with_its_line(tmp_path: Path, extra: str, words: str) -> None:
    deck = make_deck(tmp_path)
    (deck / "media" / "plan.svg").write_text(SVG.replace("{extra}", extra), encoding="utf-8")
    message = only_error(deck)
    assert message.startswith(str(deck / "facts/b.yaml") + ":6:11: fact northland-capital: ")
    assert "media/plan.svg: line 7: " in message
    assert words in message


def test_an_svg_with_a_doctype_entity_is_refused_unexpanded(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
              '<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
              '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;&secret;</text></svg>\n')
    (deck / "media" / "plan.svg").write_text(laughs, encoding="utf-8")
    message = only_error(deck)
    assert "media/plan.svg: line 2: a <!DOCTYPE> declaration" in message
    assert "delete the <!DOCTYPE ...> line" in message


@pytest.mark.parametrize(("text", "words"), [
    ("<svg xmlns='http://www.w3.org/2000/svg'>", "not a well-formed SVG (XML) file"),
    ("<html><body/></html>", "outer element is <html> in no namespace"),
    ("", "not a well-formed SVG"),
])
def test_what_is_no_svg_is_refused(tmp_path: Path, text: str, words: str) -> None:
    deck = make_deck(tmp_path)
    (deck / "media" / "plan.svg").write_text(text, encoding="utf-8")
    assert words in only_error(deck)


def test_an_image_without_alt_text_in_a_language_is_located(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, alt="{en: A map, ar: خريطة}")
    assert only_error(deck) == (
        f"{deck / 'facts/a.yaml'}:7:10: fact treaty-year: `image: alt` lacks he, which the "
        "deck declares (languages: en, ar, he); add it")


def test_alt_text_gets_the_checks_of_every_text(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, alt='{en: "A \\u202emap", ar: خريطة, he: מפה}')
    assert "bidirectional control character" in only_error(deck)
    deck = make_deck(tmp_path / "2", alt="{en: '  ', ar: خريطة, he: מפה}")
    assert "empty text" in only_error(deck)


def test_an_image_without_a_licence_is_located(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, license=None)
    message = only_error(deck)
    assert message.startswith(f"{deck / 'facts/a.yaml'}:6:5: fact treaty-year: ")
    assert 'the image lacks "license": add `license:`' in message


def test_an_image_source_must_be_a_known_source(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, source="treaty-txt")
    message = only_error(deck)
    assert message.startswith(f"{deck / 'facts/a.yaml'}:10:13: fact treaty-year: ")
    assert 'unknown source "treaty-txt"' in message and 'Did you mean "treaty-text"?' in message
    assert errors(make_deck(tmp_path / "2", source="treaty-text")) == []


def test_a_file_used_by_several_facts_is_decoded_once(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    deck = make_deck(tmp_path, png="photo.jpg")
    calls: list[str] = []
    real = images.raster_problem
    monkeypatch.setattr(images, "raster_problem",
                        lambda data, expected, **how: calls.append(expected)
                        or real(data, expected, **how))
    assert errors(deck) == []
    assert calls == ["JPEG", "PNG"]  # the file, and the picture the SVG embeds


def test_check_and_build_refuse_and_write_nothing(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    out = tmp_path / "out"
    run = quizgen("export", "json", "--content", deck, "--out", out, cwd=deck)
    assert run.code == 0, run.err
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (deck / "media" / "plan.svg").write_text(SVG.replace("{extra}", "<script>x()</script>\n"),
                                             encoding="utf-8")
    (deck / "media" / "map.png").write_bytes(b"\x89PNG broken")
    for command in (("check",), ("build", "--out", out), ("export", "json", "--out", out)):
        run = quizgen(*command, "--content", deck, cwd=deck)
        assert run.code == 1, run.err
        assert "Traceback" not in run.err
        assert [line.split(" ")[0] for line in problem_lines(run.err)] == [
            "facts/a.yaml:6:11:", "facts/b.yaml:6:11:"]
        assert "nothing was written" in run.err
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_check_sees_an_image_change(tmp_path: Path) -> None:
    """check keeps its result while the deck is unchanged; an image is one of its inputs."""
    deck = make_deck(tmp_path)
    assert quizgen("check", "--content", deck, cwd=deck).code == 0
    assert quizgen("check", "--content", deck, cwd=deck).code == 0
    (deck / "media" / "photo.jpg").write_bytes(b"not a jpeg")
    run = quizgen("check", "--content", deck, cwd=deck)
    assert run.code == 1
    assert "media/photo.jpg: not a readable JPEG image" in run.err


def test_export_json_carries_each_questions_images(tmp_path: Path) -> None:
    deck = make_deck(tmp_path, source="treaty-text")
    (deck / "facts" / "a.yaml").write_text(
        (deck / "facts" / "a.yaml").read_text(encoding="utf-8").replace(
            "  image:\n    file: photo.jpg\n    alt: {en: A map, ar: خريطة, he: מפה}\n"
            "    credit: A. Cartographer\n    license: CC0 1.0\n", "", 1), encoding="utf-8")
    out = tmp_path / "out"
    run = quizgen("export", "json", "--lang", "he", "--content", deck, "--out", out, cwd=deck)
    assert run.code == 0, run.err
    assert "warning: images" not in run.err  # the JSON carries them
    import json

    questions = json.loads((out / "sample.he.json").read_text(encoding="utf-8"))["questions"]
    by_fact = {q["fact_id"]: q["images"] for q in questions if len(q["fact_ids"]) == 1}
    assert by_fact["treaty-year"] == [{"fact_id": "treaty-year", "file": "map.png", "alt": "מפה",
                                       "credit": "A. Cartographer", "license": "CC0 1.0",
                                       "source": "treaty-text"}]
    assert by_fact["treaty-town"] == []
    assert by_fact["northland-capital"][0]["file"] == "plan.svg"
    assert list(questions[0])[-4:] == ["images", "explanation", "notes", "sources"]


def test_an_output_that_shows_no_images_says_so_once(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    run = quizgen("export", "gift", "--content", deck, "--out", tmp_path / "out", cwd=deck)
    assert run.code == 0, run.err
    assert not [line for line in problem_lines(run.err) if "image" in line]  # no content warning
    said = [line for line in run.err.splitlines() if line.startswith("warning: images:")]
    assert said == ["warning: images: 3 facts of sample carry an image, which gift does not "
                    "show: their questions are made without it"]
    # and each GIFT file, how many images of its questions it left out (tests/test_lms_images.py)
    assert [line for line in run.err.splitlines() if "images" in line and line not in said]


def test_a_file_no_fact_shows_is_a_warning(tmp_path: Path) -> None:
    """A file of media/ that no fact names (a name mistyped, a file left behind) is said once,
    as a warning: check still passes; hidden files (a desktop's .DS_Store) are not named."""
    deck = make_deck(tmp_path)
    assert [p for p in load(deck).problems if "no fact shows" in p.message] == []
    (deck / "media" / "maps").mkdir()
    (deck / "media" / "maps" / "old.png").write_bytes(picture("PNG"))
    (deck / "media" / ".DS_Store").write_bytes(b"\0")
    run = quizgen("check", "--content", deck, cwd=deck)
    assert run.code == 0, run.err
    said = [line for line in run.err.splitlines() if "no fact shows" in line]
    assert said == ["media/maps/old.png: warning: no fact shows this image (no output carries "
                    "it); name it in a fact's `image: file`, or delete it"], run.err
    strict = quizgen("check", "--strict", "--content", deck, cwd=deck)
    assert strict.code == 1
