"""GIFT, the plain-text question format Moodle (and other LMSs) import: the question set's
questions of the types GIFT can carry, each type writing its own through ``gift(q, writer)`` in
its module (``quizgen.qtypes``); a type without that hook is left out and said so.

Every question is written in GIFT's ``[html]`` format, so that its text, its options and its
feedback carry the language's direction (``<div dir="rtl" lang="he">``): GIFT's plain text has
none. So text is escaped twice: for HTML (``& < >``), then for GIFT (``\\ ~ = # { } :``, and a
line break as ``\\n``), as Moodle's own GIFT exporter does (qformat_gift::repchar). What Moodle
keeps as plain text (a short answer's accepted answers, a matching's right-hand partners) is
escaped for GIFT only: Moodle does not read HTML there.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from quizgen.render.common import group_citations, source_entries
from quizgen.render.lms import Carried, LeftOut, Uncarried, Written, typed_forms

if TYPE_CHECKING:
    from quizgen.catalog import Catalog
    from quizgen.qtypes import RenderedSet
    from quizgen.qtypes.base import QuestionBase

log = logging.getLogger(__name__)

# GIFT's reserved characters, each written with a backslash before it (the backslash first).
_SPECIAL = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{",
                          "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""})


def escape(text: str) -> str:
    """``text`` as GIFT text: its reserved characters escaped, a line break as ``\\n`` (so no
    line of a question can start with ``//`` and be read as a comment)."""
    return text.translate(_SPECIAL)


def escape_html(text: str) -> str:
    """``text`` as the text of an ``[html]`` part of a question: HTML first, then GIFT. A
    leading ``%`` is written ``&#37;``: an option that starts with ``%50%`` would be read as
    its weight (by Moodle after ``~``, by gift-pegjs after ``=`` too)."""
    escaped = escape(html.escape(text, quote=False))
    return "&\\#37;" + escaped[1:] if escaped.startswith("%") else escaped


def escape_answer(text: str) -> str:
    """An accepted answer of a short answer: GIFT's escaping, ``*`` as ``\\*`` (Moodle's short
    answer reads ``*`` as a wildcard), and an explicit full weight first where the answer
    starts with ``%`` (else read as a weight, ``%50%``)."""
    return ("%100%" if text.startswith("%") else "") + escape(text).replace("*", "\\*")


def carried(answer: str) -> bool:
    """Whether a short answer's accepted answer can be written: GIFT has no escape for ``->``,
    which makes a short answer a matching question (Moodle's importer and gift-pegjs)."""
    return "->" not in answer


class Writer:
    """What a type's ``gift`` hook writes its questions with: one GIFT question a call."""

    def __init__(self, data: RenderedSet, catalog: Catalog) -> None:
        self.data = data
        self.catalog = catalog
        self.direction = data.direction
        self.language = data.language
        self._entries = source_entries(data)
        # Accepted answers left out, by question type (``carried``).
        self.dropped: Counter[str] = Counter()

    def _div(self, inner: str) -> str:
        return f'<div dir\\="{self.direction}" lang\\="{escape(self.language)}">{inner}</div>'

    def stem(self, q: QuestionBase, text: str) -> str:
        """The question's text: its instructions, then ``text``."""
        return self._div(f"<p>{escape_html(q.instructions)}</p><p>{escape_html(text)}</p>")

    def feedback(self, q: QuestionBase) -> str:
        """The general feedback: the explanation, then each source with its passages' place
        and verbatim quote (a quote in its own language and direction)."""
        t = self.catalog.text
        groups = group_citations(q, self._entries)
        parts = [f"<p>{escape_html(q.explanation)}</p>",
                 f"<p>{escape_html(t('sources') if len(groups) > 1 else t('source'))}</p>"]
        for s in groups:
            title = f"[{s['title']}]" if s["title_supplied"] else s["title"]
            line = [f'<bdi dir\\="{escape(s["direction"])}" lang\\="{escape(s["language"])}">'
                    f"{escape_html(title)}</bdi>",
                    escape_html(s["publisher"] or t("publisher_unknown"))]
            line += [escape_html(s[k]) for k in ("date", "url") if s[k]]
            parts.append(f"<p>{' · '.join(line)}</p>")
            for p in s["passages"]:
                parts.append(f"<p>{escape_html(p['locator_text'])}</p>"
                             f'<blockquote dir\\="{escape(s["direction"])}" '
                             f'lang\\="{escape(s["language"])}">{escape_html(p["quote"])}'
                             "</blockquote>")
        return "####" + self._div("".join(parts))

    def _question(self, title: str, before: str, answers: list[str], after: str,
                  q: QuestionBase, *, head: str = "") -> str:
        """A question: its id as a comment and as its title, the text before its answers,
        the answers with the general feedback last, and the text after them (a blank in the
        middle of the text: GIFT's missing word)."""
        body = "\n".join([*(f"\t{a}" for a in answers), f"\t{self.feedback(q)}"])
        return f"// {title}\n::{escape(title)}::[html]{before}{{{head}\n{body}\n}}{after}\n"

    def choice(self, q: QuestionBase, text: str, choices: list[str], correct: int, *,
               title: str | None = None) -> str:
        """A multiple choice of one right answer."""
        answers = [("=" if i == correct else "~") + escape_html(c)
                   for i, c in enumerate(choices)]
        return self._question(title or q.id, self.stem(q, text), answers, "", q)

    def gap_choice(self, q: QuestionBase, before: str, choices: list[str], correct: int,
                   after: str, *, title: str) -> str:
        """A multiple choice whose options stand in a blank of the sentence."""
        answers = [("=" if i == correct else "~") + escape_html(c)
                   for i, c in enumerate(choices)]
        open_, close = self._open(q)
        return self._question(title, f"{open_}{escape_html(before)}", answers,
                              f"{escape_html(after)}{close}", q)

    def true_false(self, q: QuestionBase, text: str, truth: bool) -> str:
        """A statement to be judged true or false."""
        return self._question(q.id, self.stem(q, text), [], "", q,
                              head="TRUE" if truth else "FALSE")

    def short(self, q: QuestionBase, text: str, accepted: list[str]) -> str:
        """A short answer: every accepted answer counts in full."""
        return self._question(q.id, self.stem(q, text), self._accepted(q, accepted), "", q)

    def gap_short(self, q: QuestionBase, before: str, accepted: list[str], after: str) -> str:
        """A short answer typed in a blank of the sentence (GIFT's missing word)."""
        open_, close = self._open(q)
        return self._question(q.id, f"{open_}{escape_html(before)}", self._accepted(q, accepted),
                              f"{escape_html(after)}{close}", q)

    def _accepted(self, q: QuestionBase, accepted: list[str]) -> list[str]:
        """The accepted answers and their folded forms (``typed_forms``) GIFT can carry, each
        counting in full; those it cannot are counted as left out (a question with none left
        is refused by ``write``)."""
        forms = typed_forms(accepted)
        kept = [f"={escape_answer(a)}" for a in forms if carried(a)]
        if len(kept) < len(forms):
            self.dropped[q.type] += len(forms) - len(kept)
        if not kept:
            raise Uncarried(q.type)
        return kept

    def _open(self, q: QuestionBase) -> tuple[str, str]:
        """What opens and closes the text of a question with its answers in a blank."""
        start = self._div(f"<p>{escape_html(q.instructions)}</p><p>")
        return start.removesuffix("</div>"), "</p></div>"

    def matching(self, q: QuestionBase, text: str, pairs: list[tuple[str, str]]) -> str:
        """Items each matched with its partner (a partner is plain text in Moodle)."""
        answers = [f"={escape_html(left)} -> {escape(right)}" for left, right in pairs]
        return self._question(q.id, self.stem(q, text), answers, "", q)


def write(data: RenderedSet, catalog: Catalog, *, media: Path | None = None) -> Written:
    """The question set as GIFT, a category per topic; the types without a ``gift`` hook are
    counted as left out, and so are the images of the questions written (GIFT is one text
    file: it cannot carry them; ``media`` is not read)."""
    writer = Writer(data, catalog)
    out = [f"// quizgen: {data.deck}, {data.language} ({data.title})\n"]
    carried = Carried(data, "gift", writer,
                      no_type=lambda name: f"GIFT has no {_name(name)} type",
                      uncarried="no accepted answer GIFT can write: \"->\" has no escape")
    made = 0
    category = None
    for topic, _, blocks in carried:  # a category per topic, in the deck's order
        if topic != category:
            out.append(f"$CATEGORY: $course$/quizgen/{data.deck}/{data.language}/{topic}\n")
            category = topic
        out += blocks
        made += len(blocks)
    found = carried.left_out()
    found += [LeftOut(f"{name} accepted answer", n, "GIFT has no escape for \"->\"")
              for name, n in writer.dropped.items()]
    pictured: Counter[str] = Counter()
    for q in carried.carried:  # each image a question written shows, each file once
        pictured[q.type] += len({image.file for image in q.images})
    found += [LeftOut(f"{_name(name)} question image", n,
                      "GIFT cannot carry files; Moodle XML, QTI and Canvas packages can")
              for name, n in pictured.items() if n]
    return Written("\n".join(out).encode(), made, found)


def _name(type_name: str) -> str:
    return type_name.replace("_", " ")
