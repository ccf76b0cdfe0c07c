"""A deck's image files (``media/``), checked as untrusted input before any output uses them.

A fact's ``image: {file: ...}`` names a file inside the deck's ``media/`` folder. Shared decks
come from anyone, so the file is read like every other input (a regular file, its size known
before it is read: ``quizgen.files``), must stay inside ``media/`` (no absolute path, no ``..``,
no symbolic link leading out), and must be what its name says: a PNG, JPEG, GIF or WebP image
that Pillow decodes whole within a pixel budget, or an SVG drawing that loads nothing and runs
nothing. Each check gives a sentence that says what was expected and how to fix it; the caller
places it at the fact's ``image`` entry.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import re
import urllib.parse
import warnings
from pathlib import Path
from xml.parsers import expat

from quizgen.files import FileFault, FileTooLarge, read_regular
from quizgen.validate import did_you_mean

log = logging.getLogger(__name__)

MEDIA = "media"
MAX_BYTES = 5 * 2**20  # an image file, as read
MAX_PIXELS = 40_000_000  # decoded, summed over an animation's frames
MAX_FRAMES = 1000
RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
SVG = ".svg"
KINDS = "PNG, JPEG (.jpg, .jpeg), GIF, WebP or SVG"
_FORMATS = {"MPO": "JPEG"}  # Pillow names a JPEG with several pictures (a camera's) MPO


def package_name(data: bytes, file: str) -> str:
    """The name an output package gives the image ``file`` whose bytes are ``data``:
    ``quizgen-`` and 20 hex digits of their SHA-256, then the extension in lower case; never a
    learner's own file's name or another deck's, and a changed image is a new name."""
    return f"quizgen-{hashlib.sha256(data).hexdigest()[:20]}{Path(file).suffix.lower()}"


def packaged(folder: Path | None, file: str) -> tuple[str, bytes]:
    """The image ``file`` of the media folder ``folder`` as an output package carries it: its
    name there (``package_name``) and its bytes, read as inputs are. It was checked before the
    build; a file gone or grown since is a ``QuizgenError``."""
    from quizgen.errors import QuizgenError

    if folder is None:
        raise ValueError(f"image {file}: no media folder given to the output")
    path = folder / file
    try:
        data = read_regular(path, MAX_BYTES)
    except FileFault as exc:
        raise QuizgenError(f"{path}: cannot read the image: {exc}; run quizgen again once the "
                           "file is back") from None
    return package_name(data, file), data


def unused(root: Path, used: set[str], *, most: int = 20) -> list[str]:
    """The files of ``root``'s ``media/`` folder that no fact names (``used``), as facts name
    them (``maps/kabul.svg``), at most ``most`` of them; files whose name starts with a dot
    (``.DS_Store``) and what a link leads to are not looked at."""
    media = root / MEDIA
    if not media.is_dir() or media.is_symlink():
        return []
    found: list[str] = []
    for top, folders, files in os.walk(media):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            path = Path(top, name)
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            shown = path.relative_to(media).as_posix()
            if shown not in used:
                found.append(shown)
                if len(found) >= most:
                    return found
    return found


def image_problems(root: Path, name: str) -> list[str]:
    """What is wrong with the image ``name`` (a path inside ``root``'s ``media/``), each a
    sentence naming the rule and the fix; none when the file is a sound image."""
    shown = f"{MEDIA}/{name}"
    problem = _path_problem(name)
    if problem:
        return [f'image file "{name}": {problem}']
    path = root / MEDIA / name
    if not os.path.lexists(path):
        return [_missing(root, name)]
    real = Path(os.path.realpath(path))
    inside = Path(os.path.realpath(root)) / MEDIA
    if not real.is_relative_to(inside) or os.path.islink(root / MEDIA):
        return [f"{shown} leads out of the deck's {MEDIA}/ folder (a symbolic link, to "
                f"{real}): an image must be a file of the deck itself; copy it into {MEDIA}/"]
    suffix = Path(name).suffix.lower()
    if suffix not in RASTER and suffix != SVG:
        return [f'{shown}: "{suffix or "no extension"}" is not a kind of image quizgen takes; '
                f"use {KINDS}, named with its extension"]
    try:
        data = read_regular(path, MAX_BYTES)
    except FileTooLarge as exc:
        return [f"{shown} is {exc.size / 2**20:.1f} MiB; an image may be at most "
                f"{MAX_BYTES / 2**20:g} MiB: save it smaller (fewer pixels, or JPEG for a "
                "photograph)"]
    except FileFault as exc:
        return [f"{shown} cannot be read as an image: {exc}"]
    if suffix == SVG:
        return [f"{shown}: {p}" for p in svg_problems(data)]
    problem = raster_problem(data, RASTER[suffix])
    return [f"{shown}: {problem}"] if problem else []


def _path_problem(name: str) -> str | None:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return (f"an absolute path; write the path inside the deck's {MEDIA}/ folder "
                "(`map.png` for media/map.png)")
    if "\\" in name:
        return "write folders with / (`maps/kabul.png`), never \\"
    parts = name.split("/")
    if ".." in parts:
        return (f'".." leads out of the deck\'s {MEDIA}/ folder; put the image in {MEDIA}/ '
                "and name it from there")
    if any(part in {"", "."} for part in parts):
        return "an empty or \".\" part in the path; write it plainly (`maps/kabul.png`)"
    return None


def _missing(root: Path, name: str) -> str:
    media = root / MEDIA
    hint = ""
    if name.split("/")[0] == MEDIA:
        hint = (f" The path is read inside {MEDIA}/ already: write "
                f"`{name.split('/', 1)[1] if '/' in name else name}`.")
    elif media.is_dir():
        try:
            known = sorted(str(p.relative_to(media)).replace(os.sep, "/")
                           for p in media.rglob("*") if p.is_file())
        except OSError:
            known = []
        hint = did_you_mean(name, known)
    return (f"no image {MEDIA}/{name} in the deck; put the file in the deck's {MEDIA}/ "
            f"folder ({media}) or correct the name.{hint}")


def raster_problem(data: bytes, expected: str, *,
                   embedded: list[int] | None = None) -> str | None:
    """What is wrong with ``data`` as an image of Pillow's format ``expected`` (PNG, JPEG,
    GIF, WEBP), decoding every frame within ``MAX_PIXELS``; None when it decodes whole.
    ``embedded``: a picture inside an SVG, whose kind its data: URL names, and the pixels its
    SVG's pictures decoded before it (added to: they share one ``MAX_PIXELS``)."""
    from PIL import Image

    with warnings.catch_warnings():
        # Pillow warns of a decompression bomb above its own limit and raises above twice
        # that; either is our "too many pixels", never a warning on the terminal.
        warnings.simplefilter("ignore")  # a decoder's remarks (odd EXIF data) are no problem
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=sorted(set(RASTER.values()))) as image:
                found = _FORMATS.get(image.format or "", image.format)
                if found != expected and embedded is not None:
                    return (f"a {found} image, not {expected} as its data: URL says; write "
                            f"data:image/{str(found).lower()}")
                if found != expected:
                    return (f"the file is a {found} image, not {expected} as its name says; "
                            f"name it with the extension of its kind ({KINDS})")
                return _decode(image, embedded if embedded is not None else [0])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return (f"the image has more pixels than Pillow will decode safely; at most "
                    f"{MAX_PIXELS:,} pixels: save it smaller")
        except Exception as exc:  # a decoder's complaint about untrusted bytes, in its words
            detail = str(exc) or type(exc).__name__
            return (f"not a readable {expected} image ({detail}); export it again from an "
                    "image editor")


def _decode(image: object, spent: list[int]) -> str | None:
    from PIL import Image

    assert isinstance(image, Image.Image)
    frame = 0
    while True:
        width, height = image.size
        before = spent[0]
        spent[0] += width * height
        if spent[0] > MAX_PIXELS and before and not frame:
            return (f"the pictures embedded in the drawing decode to more than "
                    f"{MAX_PIXELS:,} pixels together; embed smaller pictures")
        if spent[0] > MAX_PIXELS:
            what = f"{width} × {height} pixels" if frame == 0 else f"{frame + 1} frames"
            return (f"the image decodes to more than {MAX_PIXELS:,} pixels ({what}); save it "
                    "smaller")
        image.load()
        frame += 1
        if frame >= MAX_FRAMES:
            return f"more than {MAX_FRAMES} frames; save a shorter animation"
        try:
            image.seek(frame)
        except EOFError:
            return None


# SVG: a drawing, never a program or a page. Elements that run or embed something else, by
# their lower-case names: an HTML parser (an SVG written into a page) ignores case.
_BANNED = {
    "script": "<script> (a program)",
    "handler": "<handler> (a program, SVG Tiny's)",
    "foreignobject": "<foreignObject> (HTML or other content inside the drawing)",
    "iframe": "<iframe> (another page)", "embed": "<embed>", "object": "<object>",
}
_LINKS = {"href", "src"}  # of any namespace: href, xlink:href, xi:include's href
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_SVG_NS = "http://www.w3.org/2000/svg"
_MAX_SVG_PROBLEMS = 5


class _Stop(Exception):
    """Parsing stops here: what was read is refused as a whole (a DOCTYPE)."""


def _local_target(value: str) -> bool:
    """Whether a reference stays inside the drawing: a #fragment or a data: URL of an image."""
    value = value.strip()
    return value == "" or value.startswith("#") or bool(_DATA_IMAGE.match(value))


class _SvgCheck:
    """One pass of expat over an SVG file, noting what it must not hold."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.depth = 0
        self.elements = 0
        self.style: list[str] | None = None
        self.pixels = [0]  # decoded in the pictures embedded so far (one budget for them all)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.entity
        parser.ExternalEntityRefHandler = self.external_entity
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        self.parser = parser

    def note(self, message: str) -> None:
        self.problems.append(f"line {self.parser.CurrentLineNumber}: {message}")

    def doctype(self, *_: object) -> None:
        self.note("a <!DOCTYPE> declaration, which can define entities (an XML bomb, a "
                  "file read from the computer); an SVG needs none: delete the <!DOCTYPE ...> "
                  "line")
        raise _Stop

    def entity(self, *_: object) -> None:
        self.note("an <!ENTITY> declaration; delete it")
        raise _Stop

    def external_entity(self, *_: object) -> int:
        self.note("a reference to an external entity; delete it")
        raise _Stop

    def instruction(self, target: str, data: str) -> None:
        self.note(f"a processing instruction <?{target} ...?> (a style sheet or program "
                  "loaded from elsewhere); delete it")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if self.depth == 0 and (local != "svg" or namespace != _SVG_NS):
            bare = "" if namespace else " in no namespace"
            self.note(f"the drawing's outer element is <{local}>{bare}; an SVG file starts "
                      f'<svg xmlns="{_SVG_NS}">')
        self.depth += 1
        self.elements += 1
        if local.lower() in _BANNED:
            self.note(f"{_BANNED[local.lower()]}: an image may hold no program, page or embedded "
                      "content; delete the element")
        for attribute, value in attributes.items():
            attr = attribute.rpartition(" ")[2]
            if attr.lower().startswith("on"):
                self.note(f'<{local} {attr}="...">: an event handler (a program); delete the '
                          "attribute")
            elif attr.lower() in _LINKS and not _local_target(value):
                self.note(f'<{local} {attr}="{value[:60]}">: a reference to something outside '
                          "the drawing; an image may refer only to its own parts (#id) or "
                          "embed a PNG, JPEG, GIF or WebP as a data: URL")
            elif attr.lower() in _LINKS and _DATA_IMAGE.match(value.strip()):
                self.embedded(value.strip(), f"<{local} {attr}>")
            elif attr == "attributeName" and local.lower() in _ANIMATIONS and (
                    value.rpartition(":")[2].lower() in _LINKS
                    or value.lower().startswith("on")):
                self.note(f'<{local} attributeName="{value}">: an animation that changes a '
                          "link or an event handler; delete it")
            elif attr.lower() == "style":
                self.css(value)
            elif "url" in value.lower():
                self.urls(value, f'<{local} {attr}="...">')
        if local.lower() == "style":
            self.style = []

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.style is not None and name.rpartition(" ")[2].lower() == "style":
            self.css("".join(self.style))
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def css(self, text: str) -> None:
        if "\\" in text:
            self.note("a style with a CSS escape (\\), which can hide a reference; write the "
                      "characters themselves")
        if re.search(r"@import", text, re.IGNORECASE):
            self.note("a style that loads another style sheet (@import); delete it")
        if re.search(r"image-set\s*\(", text, re.IGNORECASE):
            self.note("a style with image-set(...), which can load an image from elsewhere; "
                      "delete it")
        self.urls(text, "a style")

    def urls(self, text: str, where: str) -> None:
        for match in _URL.finditer(text):
            if not _local_target(match.group(2)):
                self.note(f'{where} refers to "{match.group(2)[:60]}" outside the drawing '
                          "(url(...)); refer only to its own parts, url(#id)")
            elif _DATA_IMAGE.match(match.group(2).strip()):
                self.embedded(match.group(2).strip(), where)

    def embedded(self, url: str, where: str) -> None:
        """A picture embedded as a data: URL is decoded whole, as an image file is: the
        outputs would otherwise draw the drawing without it."""
        head, _, payload = url.partition(",")
        kind = head[len("data:image/"):].split(";")[0].lower()
        try:
            if head.lower().endswith(";base64"):
                data = base64.b64decode("".join(payload.split()), validate=True)
            else:
                data = urllib.parse.unquote_to_bytes(payload)
        except ValueError:
            self.note(f"{where}: the embedded {kind.upper()} picture is not valid base64; "
                      "embed it again from the drawing program")
            return
        problem = raster_problem(data, RASTER["." + ("jpg" if kind == "jpeg" else kind)],
                                 embedded=self.pixels)
        if problem is not None:
            self.note(f"{where}: the embedded picture: {problem}")


def svg_problems(data: bytes) -> list[str]:
    """What makes ``data`` no safe SVG drawing: not XML, a DOCTYPE or entity, a program, an
    event handler, a reference outside itself (at most a few, each with its line)."""
    check = _SvgCheck()
    try:
        check.parser.Parse(data, True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        check.problems.append(f"not a well-formed SVG (XML) file: "
                              f"{expat.errors.messages[exc.code]} at line {exc.lineno}, column "
                              f"{exc.offset + 1}; export it again from a drawing program")
    if check.elements == 0 and not check.problems:
        check.problems.append("no drawing in the file (no <svg> element)")
    shown = check.problems[:_MAX_SVG_PROBLEMS]
    if len(check.problems) > _MAX_SVG_PROBLEMS:
        shown.append(f"and {len(check.problems) - _MAX_SVG_PROBLEMS} more problems")
    return shown
