"""Printable worksheets and answer keys, rendered with WeasyPrint from ``templates/pdf``.

Everything the PDF needs comes from the package: the templates, ``print.css`` and the bundled
Noto fonts. WeasyPrint's URL fetcher is replaced by one that serves those files and ``data:``
URIs and refuses anything else, so no content can read a local file, attach one or reach the
network. The facts' images (in the keys only) are written into the page as ``data:`` URLs, read
from the deck's ``media/`` by quizgen itself, so the fetcher needs no access to the deck. A
glyph missing from the fonts (WeasyPrint's ``.notdef`` warning) fails the build. Every PDF is
tagged (WeasyPrint's ``pdf_tags``), so that a screen reader finds its structure, its language
and each image's alt text.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from quizgen.catalog import Catalog
from quizgen.errors import QuizgenError
from quizgen.model import LANG_PATTERN, PrintSettings
from quizgen.qtypes import MODULES, QuestionBase, RenderedSet
from quizgen.render.common import (
    environment,
    group_citations,
    image_urls,
    pdf_isolate,
    pdf_isolate_join,
    print_width,
    source_entries,
    type_styles,
    type_templates,
)
from quizgen.render.forms import form_label, sections
from quizgen.resources import bundled
from quizgen.yamlread import char_name

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def _only_bundled_fonts() -> None:
    """Point fontconfig at the bundled fonts alone, before WeasyPrint loads it.

    Otherwise a character the bundled fonts lack would quietly come from whatever fonts the
    machine has, and the PDF would differ from machine to machine.
    """
    if "weasyprint" in sys.modules:  # too late: fontconfig is loaded (tests, benchmarks)
        log.debug("weasyprint already imported; fontconfig keeps its configuration")
        return
    folder = Path(tempfile.gettempdir()) / f"quizgen-fontconfig-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    config = folder / "fonts.conf"
    text = (f"<?xml version=\"1.0\"?>\n<fontconfig>\n"
            f"<dir>{xml_escape(str(ASSETS / 'fonts'))}</dir>\n"
            f"<cachedir>{xml_escape(str(folder / 'cache'))}</cachedir>\n</fontconfig>\n")
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(config)


def _load_weasyprint() -> None:
    """Import WeasyPrint without its library search where the libraries load by their file
    names.

    WeasyPrint tries each library under several names (Windows', macOS', then Linux's file name);
    for every name that does not load as it is, cffi asks ``ctypes.util.find_library``, which
    starts ``ldconfig``, ``gcc`` and ``ld``: about 54 processes and 0.3-0.5 s on every run, to
    find nothing. The first attempt answers "not found" to those questions, so each library
    loads by the Linux file name on WeasyPrint's list; if that fails (a system that names
    them otherwise), WeasyPrint is imported again with the search as it is."""
    import contextlib
    import ctypes.util
    import io

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:  # WeasyPrint prints its advice on a library it cannot load: not for this attempt
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint  # noqa: F401


_only_bundled_fonts()
_load_weasyprint()

from weasyprint import HTML  # noqa: E402  (after fontconfig is pointed at the bundled fonts)
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import (  # noqa: E402
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
)

PAPER = {"a4": "A4", "letter": "letter"}
FONTS = (("quizgen Sans", "NotoSans"), ("quizgen Arabic", "NotoSansArabic"),
         ("quizgen Hebrew", "NotoSansHebrew"))
MIME = {".ttf": "font/ttf", ".css": "text/css"}


class RefusedFetch(FatalURLFetchingError):
    """A document asked for something outside quizgen's own assets."""


class AssetFetcher(URLFetcher):
    """Serve the package's fonts and styles and ``data:`` URIs; refuse every other URL."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("data", "file"))
        self.roots = tuple(r.resolve() for r in roots)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the asset at ``url``, or stop the rendering."""
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(),
                                          {"Content-Type": MIME.get(path.suffix, "")})
        raise RefusedFetch(f"refused to load {url!r}: only quizgen's own assets and data: URIs")


@dataclass
class Document:
    """One PDF to make: its file name, kind (worksheet or key) and HTML; ``drawings``: whether
    it shows a fact's SVG drawing."""

    name: str
    kind: str
    html: str
    drawings: bool = False


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes, newlines and ``<`` escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return '"' + out.replace("<", "\\3C ") + '"'


def page_counter(template: str) -> str:
    """A catalog's "Page {page} of {pages}" as CSS ``content``."""
    parts = re.split(r"(\{page\}|\{pages\})", template)
    return " ".join("counter(page)" if p == "{page}" else "counter(pages)" if p == "{pages}"
                    else _css_string(p) for p in parts if p)


RUNNING_UNITS = 95  # Latin-letter widths the running header holds on one line at 9pt
NAME_GAP = 8  # between the title and the name field on a worksheet, in the same units


def one_line(title: str, suffix: str, *, room: float = RUNNING_UNITS) -> str:
    """The running header: ``title`` and ``suffix``, the title cut short ("…") where the two
    would not fit on one line (a long title wrapped down over the page's first questions)."""
    room -= print_width(suffix)
    if print_width(title) <= room:
        return title + suffix
    room -= print_width("…")
    used = 0.0
    for end, char in enumerate(title):
        used += print_width(char)
        if used > room:
            return title[:end].rstrip() + "…" + suffix
    return title + suffix


def head_style(catalog: Catalog, *, paper: str, running: str, name: str | None = None,
               images: bool = False) -> Markup:
    """The ``<style>`` of one document: fonts, page size and the margin boxes' texts (with
    ``name``, the field for the student's name at the header's end, from page 2 on; with
    ``images``, the style of the facts' images, ``key-images.css``, which a document without
    images leaves out so that its bytes stay as they were)."""
    faces = []
    for family, stem in FONTS:
        for weight, suffix in ((400, "Regular"), (700, "Bold")):
            url = (ASSETS / "fonts" / f"{stem}-{suffix}.ttf").as_uri()
            faces.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                         f'src: url("{url}"); }}')
    italic = (ASSETS / "fonts" / "NotoSans-Italic.ttf").as_uri()
    faces.append(f'@font-face {{ font-family: "quizgen Sans"; font-style: italic; '
                 f'src: url("{italic}"); }}')
    start, end = ("right", "left") if catalog.direction == "rtl" else ("left", "right")
    box = (f'font-family: "quizgen Sans", "quizgen Arabic", "quizgen Hebrew"; font-size: 9pt; '
           f"direction: {catalog.direction}")
    named = f"@top-{end} {{ content: {_css_string(name)}; {box} }} " if name else ""
    page = (f"@page {{ size: {PAPER[paper]}; margin: 18mm 17mm 20mm; "
            f"@top-{start} {{ content: {_css_string(running)}; {box} }} {named}"
            f"@bottom-{end} {{ content: {page_counter(catalog.raw('page'))}; {box} }} }}\n"
            f"@page :first {{ @top-{start} {{ content: none; }} "
            + (f"@top-{end} {{ content: none; }} " if name else "") + "}")
    own = type_styles("print").strip()
    if images:
        own = (own + "\n" + (bundled("templates") / "pdf" / "key-images.css")
               .read_text(encoding="utf-8").strip()).strip()
    return Markup("<style>\n" + "\n".join([*faces, page, *([own] if own else [])])
                  + "\n</style>")


@dataclass(frozen=True)
class Header:
    """What a worksheet prints besides its questions, in one language: the deck's ``print:``
    settings, each overridden by ``quizgen pdf``'s option of the same name."""

    school: str | None = None
    class_: str | None = None
    teacher: str | None = None
    date: str | None = None
    instructions: str | None = None
    student_number: bool = False
    points: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: PrintSettings | None, language: str,
           options: Mapping[str, Any] | None = None) -> Header:
        """The header of ``language``'s sheets. ``options`` are pdf's; its ``instructions`` are
        ``--instructions`` values, each ``TEXT`` or ``LANG:TEXT`` (see ``split_instructions``)."""
        settings = settings or PrintSettings()
        given = {"school": settings.school, "class_": settings.class_,
                 "teacher": settings.teacher, "date": None,
                 "instructions": (settings.instructions or {}).get(language)}
        options = dict(options or {})
        if options.get("instructions"):
            each = split_instructions(options["instructions"])
            options["instructions"] = each.get(language, each.get(None))
        given.update({k: v for k, v in options.items() if v})
        points = {name.replace("-", "_"): n for name, n in settings.points.items()}
        return cls(**given, student_number=settings.student_number, points=points)

    def per_answer(self, question_type: str) -> int:
        """The points one answer of a type earns (1 unless the deck says otherwise)."""
        return self.points.get(question_type, 1)

    def points_of(self, question: QuestionBase) -> int:
        """What a question is worth: its answers (a matching's pairs...) times their points."""
        count = getattr(MODULES[question.type], "answers", None)
        return self.per_answer(question.type) * (count(question) if count else 1)


def split_instructions(values: Sequence[str]) -> dict[str | None, str]:
    """``--instructions`` values by language: ``he:TEXT`` is Hebrew's, a value without a
    language tag before its colon is every other language's (key ``None``)."""
    out: dict[str | None, str] = {}
    for value in values:
        tagged = re.fullmatch(rf"({LANG_PATTERN.strip('^$')}):(.*)", value, flags=re.DOTALL)
        language, text = (tagged[1], tagged[2].strip()) if tagged else (None, value.strip())
        if not text:
            raise QuizgenError(f"--instructions {value!r}: no text; give the paragraph after "
                               "the language (he:TEXT)" if language else
                               "--instructions: no text; give the paragraph to print")
        if language in out:
            raise QuizgenError(f"--instructions given twice for "
                               f"{language or 'every language'}: once per language")
        out[language] = text
    return out


class Renderer:
    """Renders one language's worksheets and keys to HTML, then to PDF."""

    def __init__(self, question_set: RenderedSet, catalog: Catalog, *,
                 deck_root: Path | None = None, header: Header | None = None) -> None:
        self.qs = question_set
        self.catalog = catalog
        self.header = header or Header()
        env = environment(deck_root=deck_root)  # the deck's own templates first
        env.globals.update(iso=pdf_isolate, iso_join=pdf_isolate_join, t=catalog.text,
                           letters=catalog.letters(), qs=self.qs,
                           header=self.header, points=self.header.points_of,
                           per_answer=self.header.per_answer)
        entries = source_entries(question_set)
        env.globals["groups"] = functools.partial(group_citations, entries=entries)
        env.globals["types"] = type_templates(env, "pdf")
        # the facts' images, as data: URLs by file, for the key (never the worksheet)
        self.images = image_urls(question_set, deck_root)
        env.globals["images"] = self.images
        self.env = env

    def documents(self, *, versions: int, paper: str, seed: int, created: str) -> list[Document]:
        """The worksheet and key of every form, as HTML."""
        letters = self.catalog.letters()
        if versions > len(letters):
            raise QuizgenError(f"--versions {versions}: at most {len(letters)} forms, one per "
                               f"option letter of {self.qs.language}")
        base = f"{self.qs.deck}.{self.qs.language}"
        out = []
        for index in range(versions):
            form = letters[index] if versions > 1 else None
            stem = f"{base}.{form_label(index)}" if versions > 1 else base
            grouped = sections(self.qs.questions, seed=seed,
                               form=index if versions > 1 else None)
            form_name = f" · {self.catalog.text('form', form=form)}" if form else ""
            total = sum(self.header.points_of(q) for _, group in grouped for q in group)
            for kind in ("worksheet", "key"):
                student = kind == "worksheet"  # the student's name on every page of a sheet
                # the deck's title is cut short where it must be, never the form's name
                running = one_line(self.qs.title, form_name + ("" if student else
                                   f" · {self.catalog.text('answer_key')}"),
                                   room=RUNNING_UNITS - (print_width(self._name_line())
                                                         + NAME_GAP if student else 0))
                html = self.env.get_template(f"pdf/{kind}.html.j2").render(
                    sections=grouped, form=form, created=created, total=total,
                    head=head_style(self.catalog, paper=paper, running=running,
                                    name=self._name_line() if student else None,
                                    images=bool(self.images) and not student))
                drawings = not student and any(name.lower().endswith(".svg")
                                               for name in self.images)
                out.append(Document(f"{stem}.{kind}.pdf", kind, html, drawings))
        return out

    def _name_line(self) -> str:
        """The running header's field for the student's name (and number) on pages 2+."""
        line = f"{self.catalog.text('name')}: {'_' * 22}"
        if self.header.student_number:
            line += f"   {self.catalog.text('student_number')}: {'_' * 10}"
        return line


class _GlyphWatch(logging.Handler):
    """Collects WeasyPrint's warnings about missing glyphs and refused resources."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []
        self.failed: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef" in message:
            self.missing.append(message)
        elif "Failed to load" in message or "refused to load" in message:
            self.failed.append(message)


_QUOTED = re.compile(r'"([^"]+)"')


def _characters(messages: list[str]) -> str:
    """The characters named in WeasyPrint's missing-glyph warnings, each with its code point."""
    chars = sorted({c for m in messages for text in _QUOTED.findall(m)
                    for c in text if not c.isspace()})
    if not chars:
        return "a character of the text"
    return ", ".join(f'"{c}" {char_name(c)}' for c in chars[:10]) + (
        f" and {len(chars) - 10} more" if len(chars) > 10 else "")


def to_pdf(document: Document, *, fonts: FontConfiguration) -> bytes:
    """Render one document; fail on a missing glyph or a refused resource."""
    watch = _GlyphWatch()
    weasy = logging.getLogger("weasyprint")
    weasy.addHandler(watch)
    try:
        html = HTML(string=document.html, base_url=(bundled("templates") / "pdf").as_uri() + "/",
                    url_fetcher=AssetFetcher((ASSETS, bundled("templates") / "pdf")))
        # The document's identity, not the folder quizgen is installed in (the fonts' URLs).
        portable = document.html.replace(ASSETS.as_uri(), "quizgen:assets")
        identifier = hashlib.sha256(portable.encode()).hexdigest()[:32].encode()
        # Tagged: a structure tree (headings, paragraphs, tables, each image a Figure with its
        # alt text) and /Lang from <html lang>, for screen readers; the pages look the same.
        data = html.write_pdf(font_config=fonts, pdf_identifier=identifier, pdf_tags=True)
    except RefusedFetch as exc:
        raise QuizgenError(f"{document.name}: {exc}") from None
    finally:
        weasy.removeHandler(watch)
    if watch.missing:
        raise QuizgenError(f"{document.name}: no font of quizgen's can print "
                           f"{_characters(watch.missing)}; the bundled fonts cover Latin, Arabic "
                           "and Hebrew: rewrite the text (`quizgen check` shows where it is), "
                           "or report the script you need")
    failed = watch.failed
    if document.drawings:  # a picture inside a fact's SVG (images.py lets data: ones in,
        # decoded by Pillow) that WeasyPrint still cannot decode is left out of the drawing, as
        # a browser leaves it out
        inner = [m for m in failed if m.startswith("Failed to load image at 'data:")]
        for message in sorted(set(inner)):
            log.warning("%s: a fact's SVG drawing holds a picture that cannot be decoded; "
                        "it is left out of the drawing: %s", document.name, message[:120])
        failed = [m for m in failed if m not in inner]
    if failed:
        raise QuizgenError(f"{document.name}: " + "; ".join(sorted(set(failed))))
    return bytes(data)


def created(now: int) -> str:
    """The documents' creation time, as W3C date-time."""
    return dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def font_configuration() -> FontConfiguration:
    """One font configuration for a run: the fonts are loaded once."""
    return FontConfiguration()

