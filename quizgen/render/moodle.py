"""Moodle XML, the question bank's own import format: every question type of the set, each
written by its type's ``lms(q, writer)`` hook (``quizgen.qtypes``; the writer has
``quizgen.render.lms.Shapes``), in the shape Moodle's
importer reads (question/format/xml/format.php and the question types' ``import_from_xml``;
docs/lms.md says which rule comes from which function).

Text Moodle reads as HTML (question text, options, feedback) is escaped for HTML, and the
characters Moodle's own markup and filters read in HTML (``{ } [ ] @ $``) are written as
character references, so a fact's text can make no cloze gap (``{1:SHORTANSWER:...}``), no
drop-down gap (``[[1]]``), no file link (``@@PLUGINFILE@@``) and no TeX. Text Moodle keeps as
plain text (a short answer's answers, a matching's partners) is written as it is. The XML
itself is escaped by ElementTree.
"""

from __future__ import annotations

import base64
import html
import logging
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from quizgen.render.common import group_citations, source_entries
from quizgen.render.lms import Carried, Images, LeftOut, Uncarried, Written, typed_forms

if TYPE_CHECKING:
    from quizgen.catalog import Catalog
    from quizgen.qtypes import RenderedSet
    from quizgen.qtypes.base import QuestionBase

log = logging.getLogger(__name__)

# Moodle's grades of an answer (question_bank::fraction_options, as percentages): an answer's
# fraction must be one of these, or the question's edit form refuses it.
FRACTIONS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40",
             "33.33333", "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10",
             "5", "0")
RIGHT, WRONG = "100", "0"
# The length of Moodle's question idnumber column (question_bank_entries.idnumber, 100
# characters): a longer one would fail the import's insert.
IDNUMBER_LENGTH = 100

# Characters of HTML text that Moodle's markup or filters would read: written as references.
_MARKUP = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                         "@": "&#64;", "$": "&#36;"})
# An answer inside a cloze gap: qtype_multianswer_extract_question ends an answer at an
# unescaped ~ # or }, then decodes HTML entities and only then undoes \} and \#; so the
# specials are written as numeric references (``&`` too: an answer may not end in ``&``).
_GAP = str.maketrans({"&": "&#38;", "<": "&lt;", ">": "&gt;", "~": "&#126;", "#": "&#35;",
                      "}": "&#125;", "{": "&#123;", "*": "\\*"})


def html_text(text: str) -> str:
    """``text`` as HTML that shows exactly it, and holds nothing Moodle would read as its
    own markup."""
    return html.escape(text, quote=False).translate(_MARKUP)


def html_attribute(text: str) -> str:
    """``text`` as an HTML attribute's value (in double quotes), with nothing Moodle would
    read as its own markup: Moodle rewrites ``@@PLUGINFILE@@`` in attributes too."""
    return html.escape(text, quote=True).translate(_MARKUP)


def figure(src: str, *, alt: str, credit: str, license: str) -> str:
    """An image of the feedback (``src``: its URL, quizgen's own, so written as it is: a
    ``@@PLUGINFILE@@`` one), with its alt text, and its credit and licence under it in small
    type, each isolated (their language may not be the set's)."""
    return (f'<p><img src="{html.escape(src)}" alt="{html_attribute(alt)}" '
            f'style="max-width:100%;height:auto"></p>'
            f"<p><small><bdi>{html_text(credit)}</bdi> · <bdi>{html_text(license)}</bdi>"
            "</small></p>")


def gap_answer(text: str) -> str:
    """An accepted answer inside a cloze gap (``*`` escaped: a short answer's wildcard)."""
    return text.translate(_GAP)


def gap_carried(text: str) -> bool:
    """Whether a cloze answer can be written: a backslash cannot (the importer drops one
    before ``}`` or ``#``, and one at the end keeps the gap open)."""
    return "\\" not in text


def plain_answer(text: str) -> str:
    """A short answer's accepted answer: plain text, ``*`` escaped (Moodle's wildcard)."""
    return text.replace("*", "\\*")


def _text(parent: ET.Element, tag: str, text: str, *, fmt: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = text
    return node


def _value(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


class Writer:
    """What a type's ``lms`` hook writes its questions with: one ``<question>`` a call."""

    def __init__(self, data: RenderedSet, catalog: Catalog, *,
                 media: Path | None = None) -> None:
        self.data = data
        self.catalog = catalog
        self._entries = source_entries(data)
        self.dropped: Counter[str] = Counter()
        self.images = Images(media)

    def div(self, inner: str) -> str:
        """HTML in the language and its direction."""
        return (f'<div dir="{self.data.direction}" lang="{html.escape(self.data.language)}">'
                f"{inner}</div>")

    def stem(self, q: QuestionBase, *texts: str) -> str:
        """The question text: its instructions, then each of ``texts`` (HTML already) a
        paragraph."""
        return self.div(f"<p>{html_text(q.instructions)}</p>"
                        + "".join(f"<p>{text}</p>" for text in texts))

    def feedback(self, q: QuestionBase) -> str:
        """The general feedback: the explanation, the facts' images (shown with the answer
        only: a picture or its alt text can give it away; each file a ``@@PLUGINFILE@@`` URL
        of the feedback's own files, ``Writer.files``), then each source with its passages'
        place and verbatim quote, each in its own language and direction."""
        t = self.catalog.text
        groups = group_citations(q, self._entries)
        parts = [f"<p>{html_text(q.explanation)}</p>"]
        parts += [figure(f"@@PLUGINFILE@@/{name}", alt=image.alt, credit=image.credit,
                         license=image.license) for image, name in self.images.of(q)]
        parts.append(f"<p>{html_text(t('sources') if len(groups) > 1 else t('source'))}</p>")
        for s in groups:
            title = f"[{s['title']}]" if s["title_supplied"] else s["title"]
            where = f'dir="{html.escape(s["direction"])}" lang="{html.escape(s["language"])}"'
            line = [f"<bdi {where}>{html_text(title)}</bdi>",
                    html_text(s["publisher"] or t("publisher_unknown"))]
            line += [html_text(s[k]) for k in ("date", "url") if s[k]]
            parts.append(f"<p>{' · '.join(line)}</p>")
            for p in s["passages"]:
                parts.append(f"<p>{html_text(p['locator_text'])}</p>"
                             f"<blockquote {where}>{html_text(p['quote'])}</blockquote>")
        return self.div("".join(parts))

    def question(self, kind: str, q: QuestionBase, text: str, *,
                 name: str | None = None) -> ET.Element:
        """A ``<question>`` with what every type has: its name and idnumber (the quizgen id),
        its text and general feedback as HTML, one mark."""
        node = ET.Element("question", {"type": kind})
        _text(node, "name", name or q.id)
        _text(node, "questiontext", text, fmt="html")
        self.files(_text(node, "generalfeedback", self.feedback(q), fmt="html"), q)
        _value(node, "defaultgrade", "1")
        _value(node, "penalty", "0.3333333")
        _value(node, "hidden", "0")
        if len(name or q.id) <= IDNUMBER_LENGTH:
            _value(node, "idnumber", name or q.id)
        else:
            self.dropped[f"{q.type} idnumber"] += 1
        return node

    def files(self, field: ET.Element, q: QuestionBase) -> None:
        """The image files of ``q`` in the feedback ``field``: each a ``<file>`` of base64
        bytes, named as its ``@@PLUGINFILE@@`` URL names it, in the folder ``/``
        (qformat_xml::import_text_with_files and import_files_as_draft read them into the
        field's own file area)."""
        for _, name in self.images.of(q):
            node = ET.SubElement(field, "file", {"name": name, "path": "/",
                                                 "encoding": "base64"})
            node.text = base64.b64encode(self.images.data[name]).decode("ascii")

    def multichoice(self, q: QuestionBase, text: str, choices: list[str],
                    correct: int) -> ET.Element:
        """One right answer among ``choices`` (in their order: a ratio's scale keeps it)."""
        node = self.question("multichoice", q, self.stem(q, html_text(text)))
        _value(node, "single", "true")
        _value(node, "shuffleanswers", "false")
        _value(node, "answernumbering", "abc")
        _value(node, "showstandardinstruction", "0")
        for i, choice in enumerate(choices):
            answer = ET.SubElement(node, "answer",
                                   {"fraction": RIGHT if i == correct else WRONG,
                                    "format": "html"})
            ET.SubElement(answer, "text").text = html_text(choice)
        return node

    def truefalse(self, q: QuestionBase, text: str, truth: bool) -> ET.Element:
        """A statement to judge: the answers ``true`` and ``false`` (import_truefalse matches
        on these words)."""
        node = self.question("truefalse", q, self.stem(q, html_text(text)))
        for word, right in (("true", truth), ("false", not truth)):
            answer = ET.SubElement(node, "answer", {"fraction": RIGHT if right else WRONG,
                                                    "format": "moodle_auto_format"})
            ET.SubElement(answer, "text").text = word
        return node

    def shortanswer(self, q: QuestionBase, text: str, accepted: list[str]) -> ET.Element:
        """Every accepted answer and its folded form (``typed_forms``) counts in full, case
        ignored (``usecase`` 0)."""
        node = self.question("shortanswer", q, self.stem(q, html_text(text)))
        _value(node, "usecase", "0")
        for value in typed_forms(accepted):
            answer = ET.SubElement(node, "answer", {"fraction": RIGHT, "format": "plain_text"})
            ET.SubElement(answer, "text").text = plain_answer(value)
        return node

    def pairs(self, q: QuestionBase, text: str, pairs: list[tuple[str, str]], *,
              kind: str) -> ET.Element:
        """Items (HTML) each with its partner (plain text, as import_match reads it); ``kind``
        is Moodle's type."""
        node = self.question(kind, q, self.stem(q, html_text(text)))
        _value(node, "shuffleanswers", "true")
        for left, right in pairs:
            sub = _text(node, "subquestion", html_text(left), fmt="html")
            answer = ET.SubElement(sub, "answer")
            ET.SubElement(answer, "text").text = right
        return node

    def sequence(self, q: QuestionBase, text: str, in_order: list[str], *,
                 kind: str) -> ET.Element:
        """Items in their right order (Moodle's type ``kind`` shuffles them): all shown, all
        or nothing."""
        node = self.question(kind, q, self.stem(q, html_text(text)))
        _value(node, "layouttype", "VERTICAL")
        _value(node, "selecttype", "ALL")
        _value(node, "selectcount", str(len(in_order)))
        _value(node, "gradingtype", "ALL_OR_NOTHING")
        _value(node, "showgrading", "SHOW")
        for place, item in enumerate(in_order, start=1):
            answer = ET.SubElement(node, "answer", {"fraction": f"{place}.0000000",
                                                    "format": "html"})
            ET.SubElement(answer, "text").text = html_text(item)
        return node

    def gap(self, q: QuestionBase, before: str, accepted: list[str], after: str, *,
            kind: str) -> ET.Element:
        """A short answer typed in the sentence's blank (multianswer, ``SHORTANSWER``: case
        ignored), every accepted answer and its folded form (``typed_forms``) counting in
        full."""
        forms = typed_forms(accepted)
        kept = [a for a in forms if gap_carried(a)]
        if len(kept) < len(forms):
            self.dropped[q.type] += len(forms) - len(kept)
        if not kept:
            raise Uncarried(q.type)
        gap = "{1:SHORTANSWER:" + "~".join(f"={gap_answer(a)}" for a in kept) + "}"
        return self.question(kind, q, self.stem(q, html_text(before) + gap
                                                + html_text(after)))

    def gapselect(self, q: QuestionBase, text: str, sentences: list[tuple[str, int, str]],
                  bank: list[str]) -> ET.Element:
        """After ``text``, a passage whose blanks each take a word of ``bank`` (one group: every
        word offered in every blank); a blank ``[[n]]`` is right with the bank's n-th word."""
        passage = " ".join(f"{html_text(before)}[[{index + 1}]]{html_text(after)}"
                           for before, index, after in sentences)
        node = self.question("gapselect", q, self.stem(q, html_text(text), passage))
        _value(node, "shuffleanswers", "0")
        for word in bank:
            option = ET.SubElement(node, "selectoption")
            ET.SubElement(option, "text").text = html_text(word)
            _value(option, "group", "1")
        return node


def write(data: RenderedSet, catalog: Catalog, *, media: Path | None = None) -> Written:
    """The question set as Moodle XML, a category per topic; the types without an ``lms``
    hook are counted as left out. ``media``: the deck's ``media/`` folder, where the facts'
    images are (needed only when a question shows one)."""
    writer = Writer(data, catalog, media=media)
    root = ET.Element("quiz")
    root.append(ET.Comment(f" quizgen: {data.deck}, {data.language} "))
    carried = Carried(data, "lms", writer,
                      no_type=lambda name: f"Moodle has no {name.replace('_', ' ')} type",
                      uncarried="no accepted answer a multianswer gap can hold (a backslash)")
    made = 0
    category = None
    for topic, title, node in carried:
        if topic != category:
            element = ET.SubElement(root, "question", {"type": "category"})
            _text(element, "category", f"$course$/quizgen/{data.deck}/{data.language}/{topic}")
            _text(element, "info", html_text(title), fmt="html")
            category = topic
        root.append(node)
        made += 1
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    found = carried.left_out()
    found += [LeftOut(name, n, f"longer than Moodle's {IDNUMBER_LENGTH} characters")
              if name.endswith(" idnumber") else
              LeftOut(f"{name} accepted answer", n, "a multianswer gap cannot hold a backslash")
              for name, n in writer.dropped.items()]
    return Written(('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode(), made,
                   found)
