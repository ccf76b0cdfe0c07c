"""The content model: decks, sources, facts and their citations, as pydantic models.

The models check shape and types; references between files (topics, source ids, languages) are
checked by :mod:`quizgen.content`, which knows the whole deck.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import logging
import math
import re
from typing import Annotated, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

log = logging.getLogger(__name__)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}$"
DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:/\d{4}(?:-\d{2}(?:-\d{2})?)?)?$"

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "dv", "ckb", "sd", "ug"})
# Unicode's directional isolates: text between LRI (or RLI) and PDI keeps its own direction.
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"

KINDS = ("event", "quantity", "person", "place", "organization", "term", "statement")
ANSWER_TYPES = ("year", "date", "number", "money", "person", "place", "organization",
                "country", "term", "text")
SOURCE_KINDS = ("encyclopedia", "news", "analysis", "book", "report", "web", "other")

MARK_OPEN, MARK_CLOSE = "[[", "]]"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("empty text: write something, or remove the key")
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"not a finite number ({value}): write the figure in digits")
    return value


def _calendar_problem(part: str) -> str | None:
    """What makes ``part`` (YYYY, YYYY-MM or YYYY-MM-DD) no date of the calendar, if anything."""
    year, month, day = ([int(p) for p in part.split("-")] + [1, 1])[:3]
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return f"year {year} is not in {dt.MINYEAR}..{dt.MAXYEAR}"
    if not 1 <= month <= 12:
        return f"month {month} is not in 1..12"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"day {day} is not in 1..{last} for {year:04d}-{month:02d}"
    return None


def _valid_date(value: str) -> str:
    for part in value.split("/"):
        problem = _calendar_problem(part)
        if problem:
            raise ValueError(f'"{part}" is not a date of the calendar: {problem}')
    if "/" in value:
        start, end = value.split("/")
        if end < start:
            raise ValueError(f'the period "{value}" ends before it starts')
    return value


class Marked(NamedTuple):
    """A sentence split around its marked answer."""

    before: str
    answer: str
    after: str

    @property
    def plain(self) -> str:
        """The sentence with the marker removed."""
        return self.before + self.answer + self.after


def marker_problem(text: str) -> str | None:
    """Return what is wrong with the answer marker of ``text``, or None if it is right."""
    opens, closes = text.count(MARK_OPEN), text.count(MARK_CLOSE)
    example = 'mark the answer with double square brackets, e.g. "In [[1921]], the two ..."'
    if opens == 0 and closes == 0:
        return f"no answer is marked; {example}"
    if opens != closes:
        return (f'the answer marker is unbalanced ({opens} "[[" but {closes} "]]"); '
                f"{example}")
    if opens > 1:
        return (f"{opens} answers are marked; mark exactly one span with [[...]] "
                "(a sentence asks one question)")
    start, end = text.index(MARK_OPEN), text.index(MARK_CLOSE)
    if end < start:
        return f'"]]" comes before "[["; {example}'
    if not text[start + 2 : end].strip():
        return "the marked answer [[]] is empty; put the answer between the brackets"
    return None


@functools.lru_cache(maxsize=1 << 16)
def split_marked(text: str) -> Marked:
    """Split a text with one ``[[answer]]`` into the parts before, inside and after it."""
    start, end = text.index(MARK_OPEN), text.index(MARK_CLOSE)
    return Marked(text[:start], text[start + 2 : end].strip(), text[end + 2 :])


def _check_marker(value: str) -> str:
    problem = marker_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class Locator(NamedTuple):
    """Where a quote stands in its document: a paragraph, an infobox row, or free text."""

    kind: Literal["paragraph", "infobox", "text"]
    paragraph: int | None
    label: str | None
    raw: str


_PARAGRAPH = re.compile(r"^paragraph\s+(\d+)$", re.IGNORECASE)
_INFOBOX = re.compile(r"^infobox\s*:\s*(\S.*)$", re.IGNORECASE)


def parse_locator(value: str) -> Locator:
    """Parse a citation's locator; raise ValueError for a malformed paragraph or infobox one."""
    text = value.strip()
    if match := _PARAGRAPH.match(text):
        number = int(match.group(1))
        if number < 1:
            raise ValueError("paragraphs are counted from 1")
        return Locator("paragraph", number, None, value)
    if match := _INFOBOX.match(text):
        return Locator("infobox", None, match.group(1).strip(), value)
    first = text.split(maxsplit=1)[0].lower().rstrip(":") if text else ""
    if first in {"paragraph", "para", "p", "¶"}:
        raise ValueError(f'expected "paragraph N" with N a number, found "{value}"')
    if first == "infobox":
        raise ValueError(f'expected "infobox: <row label>", found "{value}"')
    return Locator("text", None, None, value)


def _check_locator(value: str) -> str:
    parse_locator(value)
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000), AfterValidator(_not_blank)]
MarkedText = Annotated[Text, AfterValidator(_check_marker)]
DateText = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_valid_date)]
LocatorText = Annotated[Text, AfterValidator(_check_locator)]
Localized = dict[Lang, Text]
LineRange = Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=2, max_length=2)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PrintSettings(_Model):
    """What a deck's worksheets print besides the questions (``print:`` in ``deck.yaml``;
    ``quizgen pdf``'s options of the same names override it)."""

    school: Text | None = Field(None, description="Printed above the title.")
    class_: Text | None = Field(None, alias="class",
                                description="The class, printed in its field on every sheet.")
    teacher: Text | None = Field(None, description="The teacher's name, printed in the header.")
    instructions: Localized | None = Field(
        None, description="A paragraph for the students under the header, in every language.")
    student_number: bool = Field(False, description="A field for a student number beside the "
                                 "name, on every page.")
    points: dict[str, Annotated[int, Field(ge=0, le=100)]] = Field(
        default_factory=dict, description="Question type (as `--types` names it) -> points "
        "for each answer a student gives (a matching's pair, an ordering's place, a word "
        "bank's blank; one for the other types). 1 by default.")


class Deck(_Model):
    """What a deck is: its id, titles, languages and topics (``deck.yaml``)."""

    id: Slug = Field(description="The deck's slug; names the output files.")
    title: Localized = Field(description="The title in every deck language.")
    description: Localized | None = Field(None, description="A paragraph in every language.")
    languages: list[Lang] = Field(min_length=1, description="Languages every fact is written in.")
    default_language: Lang | None = Field(None, description="One of `languages`.")
    topics: dict[Slug, Localized] = Field(
        min_length=1, description="Topic slug -> its name in every deck language.")
    print_: PrintSettings | None = Field(None, alias="print", description="What worksheets "
                                         "print besides the questions (docs/pdf.md).")

    @property
    def language(self) -> str:
        """The default language."""
        return self.default_language or self.languages[0]


class Source(_Model):
    """A document that facts cite (one entry of ``sources.yaml``)."""

    id: Slug
    title: Text = Field(description="The document's title, in its own language.")
    title_supplied: bool = Field(
        False, description="True when the document has no title and `title` describes it.")
    publisher: Text | None = Field(None, description="Who published it; omit when unknown.")
    date: DateText | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    language: Lang = Field(description="The document's language; its quotes are in it.")
    kind: Literal[SOURCE_KINDS]  # type: ignore[valid-type]
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    license: Text | None = None
    file: Annotated[Text, StringConstraints(pattern=r"^[^/\\]+$")] | None = Field(
        None, description="File name of the document's plain text, looked up in --sources-dir.")
    body_lines: LineRange | None = Field(
        None, description="[first, last] lines of `file` holding the body; paragraphs are "
        "counted in it.")
    infobox_lines: LineRange | None = Field(
        None, description="[first, last] lines of `file` holding an infobox.")
    notes: Text | None = None

    @model_validator(mode="after")
    def _ranges_in_order(self) -> Source:
        for name in ("body_lines", "infobox_lines"):
            pair = getattr(self, name)
            if pair and pair[1] < pair[0]:
                raise ValueError(f"{name} {pair} ends before it starts: write [first, last]")
        return self


class Citation(_Model):
    """Where a fact comes from: a source, a place in it and its verbatim words."""

    source: Slug = Field(description="A source id from sources.yaml.")
    locator: LocatorText = Field(
        description='"paragraph N", "infobox: <row>", or free text.')
    quote: Text = Field(description="The source's own words, verbatim, in its language.")


class Quantity(_Model):
    """The figure of a quantity fact, as a number that can be compared with others."""

    value: Annotated[int | float, AfterValidator(_finite)]
    unit: Slug
    measure: Slug = Field(description="What is measured; facts with the same measure compare.")
    subject: Slug = Field(description="What it is measured of (a country, say).")


class Image(_Model):
    """A picture that goes with a fact: a file of the deck's ``media/`` folder, described in
    every deck language, with its credit and licence."""

    file: Text = Field(description="The image's path inside the deck's media/ folder "
                       "(`map.png`, `maps/kabul.svg`): PNG, JPEG, GIF, WebP or SVG.")
    alt: Localized = Field(description="Language -> what the image shows, for a reader who "
                           "cannot see it; in every deck language.")
    credit: Text = Field(description="Who made the image (its author, the agency or archive "
                         "that holds it), as its licence asks to name them.")
    license: Text = Field(description="The image's licence (`CC BY-SA 4.0`, `public domain`).")
    source: Slug | None = Field(None, description="A source id from sources.yaml, when the "
                                "image comes from one of the deck's documents.")


class Fact(_Model):
    """One statement that questions can be asked about, cited to its sources."""

    id: Slug = Field(description="Stable slug, unique in the deck; question and note ids "
                     "derive from it.")
    topic: Slug
    tags: list[Slug] = Field(default_factory=list)
    kind: Literal[KINDS]  # type: ignore[valid-type]
    answer_type: Literal[ANSWER_TYPES]  # type: ignore[valid-type]
    date: DateText | None = None
    text: dict[Lang, MarkedText] = Field(
        description="Language -> one sentence with the answer marked [[like this]].")
    cue: Localized | None = Field(
        None, description="Language -> a short phrase naming the fact without its answer.")
    distractors: dict[Lang, list[Text]] | None = Field(
        None, description="Language -> wrong answers of the same type, index-aligned across "
        "languages.")
    accept: dict[Lang, list[Text]] | None = Field(
        None, description="Language -> other typed answers that count as right (a surname, "
        "another usual spelling); any number per language.")
    question: Localized | None = Field(
        None, description="Language -> a direct question whose answer is the marked span, for "
        "short-answer questions (default: the cue and a question word).")
    skip_types: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]] = Field(
        default_factory=list, description="Question types never made of this fact (names as in "
        "docs/questions.md, e.g. true_false): where every wrong answer is plainly absurd, or a "
        "type would have several right answers.")
    apart_from: list[Slug] = Field(
        default_factory=list, description="Ids of facts whose questions answer this one's (or "
        "the other way round) although no word of the answer shows: \"the third round\" and "
        "\"three rounds\", a GDP and a GDP per capita that give the population. They are "
        "never asked on one page; either fact may name the other.")
    never_offer: dict[Lang, list[Text]] | None = Field(
        None, description="Language -> answers that must never be offered as wrong ones: true "
        "in reality, or true at another time (\"Islamic Republic\" for a form of government "
        "that changed). Any number per language.")
    quantity: Quantity | None = None
    image: Image | None = Field(None, description="A picture for the fact: a file of the "
                                "deck's media/ folder, its alt text, credit and licence.")
    explanation: Localized | None = Field(
        None, description="Language -> one or two sentences for the learner, shown after the "
        "answer: context that helps understand or remember it. About the subject, never about "
        "the source (that is what `note` is for).")
    note: Localized | None = Field(
        None, description="Language -> a remark for editors and teachers (a source's "
        "misspelling, a reading of a garbled sentence). In the YAML and the teacher's answer "
        "key; never shown to a learner.")
    sources: list[Citation] = Field(min_length=1)

    @model_validator(mode="after")
    def _quantity_present(self) -> Fact:
        if self.kind == "quantity" and self.quantity is None:
            raise ValueError("a fact of kind quantity needs a `quantity` block: "
                             "{value: <number>, unit: ..., measure: ..., subject: ...}")
        return self

    def marked(self, language: str) -> Marked:
        """Return the text in ``language`` split around its answer."""
        return split_marked(self.text[language])

    def answer(self, language: str) -> str:
        """Return the marked answer in ``language``."""
        return self.marked(language).answer
