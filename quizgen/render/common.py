"""What every renderer shares: the output templates' Jinja environment and citation grouping."""

from __future__ import annotations

import base64
import functools
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from quizgen.errors import ContentError, Problem, QuizgenError
from quizgen.files import FileFault, present, read_regular
from quizgen.images import MAX_BYTES, MEDIA
from quizgen.model import LRI, PDI, RLI
from quizgen.qtypes import TYPES
from quizgen.qtypes.base import QuestionBase
from quizgen.resources import bundled
from quizgen.sandbox import LIMITS, BoundedSandbox, LackingError, LimitError

if TYPE_CHECKING:
    from quizgen.qtypes import RenderedSet

log = logging.getLogger(__name__)




def text_direction(text: str, default: str = "ltr") -> str:
    """The direction of ``text``'s first strong character (what ``dir="auto"`` would pick)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in {"R", "AL"}:
            return "rtl"
    return default


def _attrs(cls: str, lang: str | None, direction: str) -> str:
    out = f' class="{escape(cls)}"' if cls else ""
    out += f' lang="{escape(lang)}"' if lang else ""
    return out + f' dir="{direction}"'


def html_isolate(value: object, cls: str = "", lang: str | None = None,
                 direction: str | None = None) -> Markup:
    """``value`` in a ``<bdi>``, its direction explicit: a value inside other text keeps its
    own order (a Hebrew title in an Arabic line, a date in a Hebrew sentence)."""
    text = str(value)
    return Markup(f"<bdi{_attrs(cls, lang, direction or text_direction(text))}>"
                  f"{escape(text)}</bdi>")


def pdf_isolate(value: object, cls: str = "", lang: str | None = None,
                direction: str | None = None) -> Markup:
    """The same for WeasyPrint, which has neither ``<bdi>`` nor ``unicode-bidi``: a span whose
    text is wrapped in the Unicode isolate characters (LRI or RLI ... PDI)."""
    text = str(value)
    direction = direction or text_direction(text)
    mark = RLI if direction == "rtl" else LRI
    return Markup(f"<span{_attrs(cls, lang, direction)}>{mark}{escape(text)}{PDI}</span>")


def pdf_isolate_join(values: Iterable[object], direction: str, sep: str = " / ") -> Markup:
    """``values`` joined by ``sep`` for a ``direction`` line. A value that would not read right
    as plain text there (one with a letter of the other direction, or, in a right-to-left line,
    one with no letter at all: "200") is isolated by the isolate characters alone, each value
    on its own: WeasyPrint breaks a line only inside the inline box that runs past its end (a
    span per value broke "Blinken" as "Bli|nken" at a line's end, and a span per run "Northern"
    as "Nor|thern", where one text breaks between the words), and values isolated together
    carried their own separator across a break in the other direction ("Antony Blinken / /"
    at the left end of an Arabic line, the next line going on with "Blinken / ...")."""
    strong = {"ltr": {"L"}, "rtl": {"R", "AL"}}
    other = "rtl" if direction == "ltr" else "ltr"
    runs: list[tuple[str | None, list[str]]] = []  # (direction to isolate in, or None; values)
    for value in values:
        text = str(value)
        kinds = {unicodedata.bidirectional(char) for char in text}
        plain = not kinds & strong[other] and (direction == "ltr" or bool(kinds & strong["rtl"]))
        isolate = None if plain else text_direction(text)
        if runs and isolate is None and runs[-1][0] is None:
            runs[-1][1].append(text)
        else:
            runs.append((isolate, [text]))
    return Markup(escape(sep)).join(
        escape(sep.join(texts)) if isolate is None else
        Markup(RLI if isolate == "rtl" else LRI) + escape(sep.join(texts)) + Markup(PDI)
        for isolate, texts in runs)


# The output templates a deck may override with its own ``templates/<folder>/<name>.j2``. Anki's
# are not among them: note types are shared by every deck and every learner's collection.
OVERRIDABLE = ("pdf", "html", "shared", "types")


def deck_templates(deck_root: Path | None) -> Path | None:
    """The deck's own output-template folder, when it overrides any output template."""
    if deck_root is None:
        return None
    own = deck_root / "templates"
    return own if any(_own_templates(own)) else None


def _own_templates(own: Path) -> list[Path]:
    """A deck's template files: a FIFO, a device or a dangling link among them too, so that
    reading it is refused with a message instead of passed over."""
    return sorted(p for folder in OVERRIDABLE if (own / folder).is_dir()
                  for p in (own / folder).rglob("*.j2") if present(p))


class TemplateUnreadable(TemplateSyntaxError):
    """A deck's template file that is not a regular UTF-8 file of a sensible size."""


class _DeckLoader(BaseLoader):
    """A deck's own templates, for the names a deck may override only."""

    def __init__(self, own: Path) -> None:
        self.files = FileSystemLoader(str(own))

    def get_source(self, environment: Environment, template: str,
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template.split("/", 1)[0] not in OVERRIDABLE or not template.endswith(".j2"):
            raise TemplateNotFound(template)
        for folder in self.files.searchpath:
            path = Path(folder, *template.split("/"))
            if not present(path):
                continue
            # Only a regular file, its size checked before it is read (a FIFO or /dev/zero
            # would hang or fill memory).
            try:
                source = read_regular(path, 4 * LIMITS.template_chars).decode("utf-8")
            except FileFault as exc:
                raise TemplateUnreadable(f"cannot read the template: {exc}", 1, template,
                                         str(path)) from None
            except UnicodeDecodeError:
                raise TemplateUnreadable("cannot read the template: it is not UTF-8 text", 1,
                                         template, str(path)) from None
            return source, str(path), lambda: True  # a run reads each template once
        raise TemplateNotFound(template)


# How wide a character prints, in widths of an average Latin letter of the same font size: the
# Arabic and Hebrew letters of Noto are wider, combining marks (vowel points, shadda) take no
# room. Measured over worksheets of every question (pdftotext word boxes): rows of options
# counted by characters alone, 60 at most, ran up to 40pt past the margin in Arabic and Hebrew,
# and in English where four options each had their letter bubble and padding.
ROW_UNITS = 74  # the widths one row of options may hold (A4 and Letter alike) ...
OPTION_OVERHEAD = 6  # ... each option counting its letter bubble and padding too
OPTION_UNITS = 18  # and one option of such a row
_WIDER = ((0x0600, 0x06FF, 1.45), (0x0750, 0x077F, 1.45), (0xFB50, 0xFDFF, 1.45),
          (0xFE70, 0xFEFF, 1.45), (0x0590, 0x05FF, 1.2))


def print_width(text: str) -> float:
    """``text``'s printed width in widths of an average Latin letter (see ``_WIDER``)."""
    total = 0.0
    for char in str(text):
        total += _char_width(char)
    return total


@functools.lru_cache(maxsize=8192)
def _char_width(char: str) -> float:
    """One character's share of ``print_width``: none for a combining mark."""
    if unicodedata.category(char) == "Mn":
        return 0.0
    code = ord(char)
    return next((w for low, high, w in _WIDER if low <= code <= high), 1.0)


def fits_one_row(values: list[object]) -> bool:
    """Whether a question's options print side by side on one row, or one per row."""
    widths = [print_width(str(v)) for v in values]
    return (max(widths, default=0) <= OPTION_UNITS
            and sum(widths) + OPTION_OVERHEAD * len(widths) <= ROW_UNITS)


HANDWRITING_MM = 3.2  # millimetres a handwritten letter takes, about 1.6 printed ones
BLANK_STEP_MM = 10  # blanks come in steps, so that their length tells little of the answer
BLANK_MM = (38, 120)  # the shortest and the longest blank


def blank_mm(answer: str) -> int:
    """How long a worksheet's blank is, in millimetres: room for ``answer`` written by hand
    ("Northern Alliance": 60), in steps of ``BLANK_STEP_MM``, within ``BLANK_MM``."""
    wanted = math.ceil(print_width(answer) * HANDWRITING_MM / BLANK_STEP_MM) * BLANK_STEP_MM
    return max(BLANK_MM[0], min(BLANK_MM[1], wanted))


def glued_blank(before: str, blank: Markup, after: str) -> Markup:
    """A sentence with ``blank`` (markup: an inline block) in it, the letters and marks written
    against the blank kept on its line: a Hebrew prefix ("ו" of "and"), an opening bracket, a
    closing period. A line may break on either side of an inline block, which left "ו" at one
    line's end and the blank at the next's start."""
    # At most a few letters: a long word (a URL) against a blank may still break.
    stuck_before = re.search(r"\S{0,12}$", before)[0]  # type: ignore[index]
    stuck_after = re.match(r"\S{0,12}", after)[0]  # type: ignore[index]
    head, tail = before[:len(before) - len(stuck_before)], after[len(stuck_after):]
    if not stuck_before and not stuck_after:
        return escape(before) + blank + escape(after)
    return (escape(head) + Markup('<span class="glued">') + escape(stuck_before) + blank
            + escape(stuck_after) + Markup("</span>") + escape(tail))


def environment(*, deck_root: Path | None = None) -> Environment:
    """The environment of the output templates (worksheets, keys, self-tests): autoescaped,
    strict. Anki's fields are made without templates (``quizgen.render.ankifields``).

    With ``deck_root``, the deck's own ``templates/`` folder is looked in first
    (``OVERRIDABLE``); its templates are content, so they then run in quizgen's bounded sandbox
    (``quizgen.sandbox``), which keeps them away from Python's internals and bounds what a
    render may cost.
    """
    built_in = FileSystemLoader(str(bundled("templates")))
    own = deck_templates(deck_root)
    kind = Environment if own is None else BoundedSandbox
    env = kind(
        loader=built_in if own is None else ChoiceLoader([_DeckLoader(own), built_in]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["fits_one_row"] = fits_one_row
    env.globals["blank_mm"] = blank_mm
    env.globals["glued_blank"] = glued_blank
    return env


def type_templates(env: Environment, output: str) -> dict[str, Any]:
    """Each question type's macros for ``output`` (``templates/types/<type>/<output>.html.j2``),
    by type: a page calls ``types[q.type].<macro>(q)``. Made after the page's globals are set,
    which the macros use."""
    return {name: env.get_template(f"types/{name}/{output}.html.j2").module for name in TYPES}


@functools.cache
def type_styles(output: str) -> str:
    """The question types' own styles for ``output`` (``templates/types/<type>/<output>.css``),
    in the registry's order: quizgen's own, like the page's main style sheet."""
    types = bundled("templates") / "types"
    return "".join(path.read_text(encoding="utf-8") for name in TYPES
                   if (path := types / name / f"{output}.css").is_file())


def check_deck_templates(deck_root: Path) -> list[Problem]:
    """Problems of a deck's own output templates that show before rendering: syntax errors
    (each template compiled in the bounded sandbox, as a build would), and Anki templates,
    which a deck cannot override."""
    own = deck_root / "templates"
    problems = []
    anki = [own / "anki"] if (own / "anki").is_dir() else []
    anki += sorted(own.glob("types/*/anki.html.j2")) + sorted(own.glob("shared/anki-*.j2"))
    for path in anki:
        problems.append(Problem(str(path), 1, 1, "a deck cannot override Anki's templates: "
                                "note types are shared by every deck, and a change to them is a "
                                "change to every learner's collection (see docs/anki.md); this "
                                f"{'folder' if path.is_dir() else 'file'} is not used",
                                severity="warning"))
    env = environment(deck_root=deck_root)
    for path in _own_templates(own):
        name = path.relative_to(own).as_posix()
        try:
            env.get_template(name)
        except TemplateUnreadable as exc:
            problems.append(Problem(str(path), 1, 1, exc.message or "cannot read the template"))
        except TemplateSyntaxError as exc:
            problems.append(Problem(str(path), exc.lineno or 1, 1,
                                    f"template syntax error: {exc.message}"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), 1, 1, f"cannot read the template: {exc}"))
    return problems


@contextmanager
def deck_template_errors(deck_root: Path | None) -> Iterator[None]:
    """Report an error that arises in a deck's own output template at its file and line."""
    try:
        yield
    except QuizgenError:
        raise
    except Exception as exc:
        problem = template_problem(exc, deck_root)
        if problem is None:
            raise
        raise ContentError([problem]) from None


def template_problem(exc: BaseException, deck_root: Path | None) -> Problem | None:
    """Where in a deck's own output template ``exc`` arose (its file and line), if it did."""
    own = deck_templates(deck_root)
    if own is None:
        return None
    if isinstance(exc, TemplateSyntaxError) and exc.filename \
            and Path(exc.filename).is_relative_to(own):
        return Problem(exc.filename, exc.lineno or 1, 1, f"template syntax error: {exc.message}")
    place = None
    tb = exc.__traceback__
    while tb is not None:  # Jinja gives template frames the template's file and line
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") and Path(filename).is_relative_to(own):
            place = (filename, tb.tb_lineno)
        tb = tb.tb_next
    if place is None and isinstance(exc, LimitError):
        # over a limit outside any frame of the deck's own templates (the whole output's size)
        if exc.filename and Path(exc.filename).is_relative_to(own):
            place = (exc.filename, exc.lineno or 1)
        else:
            return Problem(str(own), 0, 0, f"rendering {exc.filename or 'a template'} with the "
                           f"deck's own templates: over a limit of the sandbox: {exc}")
    lacking = exc.template if isinstance(exc, LackingError) else None
    if place is None and lacking is not None and (own / lacking).is_file():
        return Problem(str(own / lacking), 1, 1, f"template error: {exc}; quizgen's own "
                       f"templates use it: define it as quizgen's {lacking} does")
    if place is None and isinstance(exc, TemplateError):
        # raised in quizgen's own templates by what the deck's provide
        return Problem(str(own), 0, 0, f"rendering with the deck's own templates: {exc}; a "
                       "template of the deck may lack a macro or name quizgen's own templates "
                       "use: compare it with quizgen's (templates/ of quizgen)")
    if place is None:
        return None
    what = ("unknown name: " if isinstance(exc, UndefinedError)
            else "over a limit of the sandbox: " if isinstance(exc, LimitError)
            else "not allowed in a deck's template: " if isinstance(exc, SecurityError)
            else f"{type(exc).__name__}: " if not isinstance(exc, TemplateError)
            else "")
    return Problem(place[0], place[1], 1, f"template error: {what}{exc}")


def group_citations(question: QuestionBase,
                    entries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A question's citations grouped by source, in order, each passage once with the
    sentences (in the question set's language) of the facts it supports.

    ``entries`` are the question set's full source entries by id.
    """
    groups: dict[str, dict[str, Any]] = {}
    for cite in question.sources:
        group = groups.setdefault(cite.source, {**entries[cite.source], "passages": []})
        passage = {"locator": cite.locator, "locator_text": cite.locator_text,
                   "quote": cite.quote}
        same = next((p for p in group["passages"]
                     if all(p[k] == v for k, v in passage.items())), None)
        if same is None:
            same = {**passage, "statements": []}
            group["passages"].append(same)
        if cite.statement not in same["statements"]:  # the sentences the passage supports
            same["statements"].append(cite.statement)
    return list(groups.values())


def source_entries(question_set: RenderedSet) -> dict[str, dict[str, Any]]:
    """The question set's full source entries, by id."""
    return {entry.id: entry.model_dump() for entry in question_set.sources}


class Citations:
    """A question set's citation blocks, each made once by ``make`` (the grouped passages and
    the catalog's ``t`` in, the block out): the questions about the same facts share theirs,
    and a large deck asks for thousands."""

    def __init__(self, question_set: RenderedSet, t: Callable[..., str],
                 make: Callable[[list[dict[str, Any]], Callable[..., str]], Any]) -> None:
        self._make = make
        self._entries = source_entries(question_set)
        self._t = t
        self._made: dict[tuple[tuple[str, ...], ...], Any] = {}

    def __call__(self, question: QuestionBase) -> Any:
        key = tuple((c.source, c.locator, c.locator_text, c.quote) for c in question.sources)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._make(group_citations(question, self._entries),
                                                self._t)
        return made


def template_citations(env: Environment) -> Callable[[list[dict[str, Any]], Callable[..., str]],
                                                     Markup]:
    """Citation blocks from ``shared/sources.html.j2`` (the worksheet's key, the self-test)."""
    macro = env.get_template("shared/sources.html.j2").module.citations  # type: ignore[attr-defined]
    return lambda groups, t: Markup(macro(groups, t))


# An image's type by its file's extension (quizgen/images.py has checked that the bytes are it).
MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
        ".webp": "image/webp", ".svg": "image/svg+xml"}


def image_urls(question_set: RenderedSet, deck_root: Path | None) -> dict[str, str]:
    """Each image file the questions show (a path inside the deck's ``media/``), as a
    ``data:`` URL of its type, each file read once however many questions show it."""
    files = sorted({image.file for q in question_set.questions for image in q.images})
    if not files:
        return {}
    if deck_root is None:
        raise ValueError("the questions show images: the page needs the deck's folder")
    return {name: f"data:{MIME[Path(name).suffix.lower()]};base64,"
            + base64.b64encode(read_regular(deck_root / MEDIA / name, MAX_BYTES)).decode("ascii")
            for name in files}
