"""What every renderer shares: the output templates' Jinja environment and citation grouping."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from quizgen.resources import bundled

log = logging.getLogger(__name__)


LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"


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
                 direction: str | None = None, *, braces: bool = False) -> Markup:
    """``value`` in a ``<bdi>``, its direction explicit: a value inside other text keeps its
    own order (a Hebrew title in an Arabic line, a date in a Hebrew sentence)."""
    text = str(value)
    body = _braces(str(escape(text))) if braces else str(escape(text))
    return Markup(f"<bdi{_attrs(cls, lang, direction or text_direction(text))}>{body}</bdi>")


def pdf_isolate(value: object, cls: str = "", lang: str | None = None,
                direction: str | None = None) -> Markup:
    """The same for WeasyPrint, which has neither ``<bdi>`` nor ``unicode-bidi``: a span whose
    text is wrapped in the Unicode isolate characters (LRI or RLI ... PDI)."""
    text = str(value)
    direction = direction or text_direction(text)
    mark = RLI if direction == "rtl" else LRI
    return Markup(f"<span{_attrs(cls, lang, direction)}>{mark}{escape(text)}{PDI}</span>")


def _braces(html: str) -> str:
    """Braces as character references: Anki reads ``{{`` in a field as markup."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def escape_braces(value: object) -> object:
    """Escape a value, and its braces too, so that Anki never reads text as a field or cloze."""
    if isinstance(value, Markup) or value is None:
        return value
    return Markup(_braces(str(escape(value))))


def environment(*, anki: bool = False) -> Environment:
    """The environment of the built-in output templates: autoescaped, strict.

    With ``anki``, braces in values are escaped as well: Anki would otherwise read ``{{...}}``
    typed by an author as a field reference or a cloze.
    """
    return Environment(
        loader=FileSystemLoader(str(bundled("templates"))),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=escape_braces if anki else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def group_citations(question: dict[str, Any],
                    entries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A question's citations grouped by source, in order, each passage once.

    ``entries`` are the question set's full source entries by id.
    """
    groups: dict[str, dict[str, Any]] = {}
    for cite in question["sources"]:
        group = groups.setdefault(cite["source"], {**entries[cite["source"]], "passages": []})
        passage = {"locator": cite["locator"], "locator_text": cite["locator_text"],
                   "quote": cite["quote"]}
        if passage not in group["passages"]:
            group["passages"].append(passage)
    return list(groups.values())


def source_entries(question_set: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The question set's full source entries, by id."""
    return {entry["id"]: entry for entry in question_set["sources"]}


class Citations:
    """A question set's citation blocks (``shared/sources.html.j2``), each made once: the
    questions about the same facts share theirs, and a large deck asks for thousands."""

    def __init__(self, env: Environment, question_set: dict[str, Any],
                 t: Callable[..., str]) -> None:
        module: Any = env.get_template("shared/sources.html.j2").module
        self._macro = module.citations
        self._entries = source_entries(question_set)
        self._t = t
        self._made: dict[tuple[tuple[str, ...], ...], Markup] = {}

    def __call__(self, question: dict[str, Any]) -> Markup:
        key = tuple((c["source"], c["locator"], c["locator_text"], c["quote"])
                    for c in question["sources"])
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = Markup(self._macro(group_citations(question, self._entries),
                                                        self._t))
        return made
