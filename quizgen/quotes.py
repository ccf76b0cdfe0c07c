"""Check that every quote occurs, verbatim, where its locator says in the source's own text."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from quizgen.content import LoadedDeck, Origin
from quizgen.errors import Problem, display_path
from quizgen.files import FileFault, present, read_regular
from quizgen.model import Source, parse_locator
from quizgen.yamlread import MAX_BYTES, decode_text

log = logging.getLogger(__name__)


def squeeze(text: str) -> tuple[str, list[int]]:
    """Return ``text`` in NFC without white space, and each kept character's original index."""
    text = unicodedata.normalize("NFC", text)
    kept = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for _, c in kept), [i for i, _ in kept]


@dataclass(frozen=True)
class Region:
    """A stretch of the document: a paragraph, the infobox or the whole body."""

    name: str
    first_line: int
    text: str

    @cached_property
    def squeezed(self) -> str:
        """The region's text as quotes are compared with it."""
        return squeeze(self.text)[0]


@dataclass
class Document:
    """A source's local text, split the way locators count it."""

    path: Path
    lines: list[str]
    paragraphs: list[Region]
    infobox: Region | None

    @classmethod
    def read(cls, path: Path, source: Source) -> Document:
        """Read and split the document (raises ValueError when it is not UTF-8 text)."""
        text, problems = decode_text(read_regular(path, MAX_BYTES), str(path))
        if text is None or any("control" in p.message for p in problems):
            raise ValueError(problems[0].message if problems else "unreadable")
        lines = [unicodedata.normalize("NFC", line) for line in text.splitlines()]
        first, last = source.body_lines or (1, len(lines))
        paragraphs = [Region(f"paragraph {n}", first + i, lines[first - 1 + i])
                      for n, i in enumerate(
                          (i for i in range(last - first + 1)
                           if first - 1 + i < len(lines) and lines[first - 1 + i].strip()),
                          start=1)]
        infobox = None
        if source.infobox_lines:
            a, b = source.infobox_lines
            infobox = Region("the infobox", a, "\n".join(lines[a - 1 : b]))
        return cls(path, lines, paragraphs, infobox)

    def regions(self) -> list[Region]:
        """Every region a quote may stand in."""
        return ([self.infobox] if self.infobox else []) + self.paragraphs

    def find(self, quote: str) -> Region | None:
        """Return the first region that holds ``quote``."""
        needle = squeeze(quote)[0]
        return next((r for r in self.regions() if needle in r.squeezed), None)

    def closest(self, quote: str) -> tuple[Region, str]:
        """Return the region and passage most like ``quote``."""
        from rapidfuzz import fuzz

        needle = squeeze(quote)[0]
        best: tuple[float, Region, str] | None = None
        for region in self.regions() or [Region("the document", 1, "\n".join(self.lines))]:
            hay, index = squeeze(region.text)
            if not hay:
                continue
            found = fuzz.partial_ratio_alignment(needle, hay)
            if found is None:
                continue
            if best is None or found.score > best[0]:
                start = index[min(found.dest_start, len(index) - 1)]
                end = index[max(found.dest_end - 1, 0)] + 1
                best = (found.score, region, _widen(region.text, start, end))
        if best is None:
            return Region("the document", 1, ""), ""
        return best[1], best[2]


def _widen(text: str, start: int, end: int) -> str:
    """Widen ``text[start:end]`` to whole words, on one line."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return " ".join(text[start:end].split())


def verify_quotes(decks: list[LoadedDeck], sources_dir: Path) -> tuple[list[Problem], int]:
    """Check every quote of ``decks`` against the texts in ``sources_dir``.

    Returns the problems and the number of quotes checked.
    """
    problems: list[Problem] = []
    checked = 0
    for loaded in decks:
        documents: dict[str, Document] = {}
        for source_id, source in loaded.sources.items():
            origin = loaded.source_origins[source_id]
            if source.file is None:
                problems.append(origin.problem(("id",), f'source "{source_id}" has no `file`, '
                                               "so its quotes were not checked",
                                               severity="warning"))
                continue
            path = sources_dir / source.file
            if not present(path):
                problems.append(origin.problem(("file",), f"{display_path(path)} not found; "
                                               "check the name, or the --sources-dir folder"))
                continue
            try:
                documents[source_id] = Document.read(path, source)
            except (OSError, ValueError, FileFault) as exc:
                problems.append(origin.problem(("file",), f"cannot read {display_path(path)}: "
                                               f"{exc}"))
                continue
            problems += _check_ranges(documents[source_id], source, origin)
        for fact in loaded.facts:
            origin = loaded.fact_origins[fact.id]
            for i, citation in enumerate(fact.sources):
                document = documents.get(citation.source)
                if document is None:
                    continue
                checked += 1
                message = _check_citation(document, citation.locator, citation.quote,
                                          loaded.sources[citation.source])
                if message:
                    problems.append(origin.problem(("sources", i, "quote"), message,
                                                   fact=fact.id))
    return problems, checked


def _check_ranges(document: Document, source: Source, origin: Origin) -> list[Problem]:
    problems = []
    for name in ("body_lines", "infobox_lines"):
        pair = getattr(source, name)
        if pair and pair[1] > len(document.lines):
            problems.append(origin.problem(
                (name,), f"{name} ends at line {pair[1]}, but {document.path.name} has only "
                f"{len(document.lines)} lines"))
    return problems


def _check_citation(document: Document, locator_text: str, quote: str,
                    source: Source) -> str | None:
    locator = parse_locator(locator_text)
    needle = squeeze(quote)[0]
    if locator.kind == "paragraph":
        count = len(document.paragraphs)
        if locator.paragraph > count:  # type: ignore[operator]
            return (f"{locator.raw}: {document.path.name} has {count} paragraphs in its body "
                    f"(lines {source.body_lines or 'all'})")
        target = document.paragraphs[locator.paragraph - 1]  # type: ignore[operator]
        if needle in target.squeezed:
            return None
        elsewhere = document.find(quote)
        if elsewhere is not None:
            return (f'the quote is in {elsewhere.name} (line {elsewhere.first_line}), not in '
                    f'{target.name}: write "locator: {elsewhere.name}"')
    elif locator.kind == "infobox":
        if document.infobox is None:
            return ("the locator names an infobox, but the source has no `infobox_lines`; "
                    "add them to sources.yaml or use a paragraph locator")
        rows = document.infobox.text.split("\n")
        label = squeeze(locator.label or "")[0]
        at = next((i for i, row in enumerate(rows) if label in squeeze(row)[0]), None)
        if at is None:
            return f'the infobox has no row "{locator.label}"; write the row label as the ' \
                   "document does"
        # A flattened infobox puts a row's values on the line under its label.
        if needle in squeeze("\n".join(rows[at : at + 2]))[0]:
            return None
        if needle in document.infobox.squeezed:
            return f'the quote is in the infobox, but not in the row "{locator.label}"'

    elif document.find(quote) is not None:
        return None
    region, passage = document.closest(quote)
    return (f"the quote is not in {document.path.name}; the closest passage is in {region.name} "
            f"(line {region.first_line}): «{passage}». Copy the words exactly as the source "
            "writes them")
