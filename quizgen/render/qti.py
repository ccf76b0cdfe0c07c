"""IMS QTI 2.1 in an IMS Content Package (1.1): one ``assessmentItem`` file per question, each
written by its type's ``lms(q, writer)`` hook (``quizgen.qtypes``; the writer has
``quizgen.render.lms.Shapes``), one ``assessmentTest`` with a section per topic, and the
``imsmanifest.xml`` that lists them, as one zip. docs/lms.md says what each type becomes and
which rule of the specification each choice follows.

Every text is an XML text node or attribute value written by ElementTree: a fact's text can
make no element, and QTI has no markup of its own inside text (no gaps, no filters) to guard.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from quizgen.render.common import group_citations, source_entries
from quizgen.render.lms import Carried, Images, Uncarried, Written, fixed_zip, typed_forms

if TYPE_CHECKING:
    from quizgen.catalog import Catalog
    from quizgen.qtypes import RenderedSet
    from quizgen.qtypes.base import QuestionBase

log = logging.getLogger(__name__)

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
# How an item is scored: the rules of QTI 2.1's standard response processing templates
# (section 5.1 of its information model), written out in the item: ``match_correct`` (1 when the
# response is the correct one, else 0) or ``map_response`` (the response's value in the
# mapping; 0 when there is none). Written out, not named by the templates' URIs, because the
# rules also set the feedback's outcome (``Writer.processing``).
MATCH_CORRECT = "match_correct"
MAP_RESPONSE = "map_response"

ITEMS = "items"  # the folder of the item files, with the stylesheet they share
MEDIA = "media"  # in ITEMS: the facts' image files, each once
STYLESHEET = "quizgen.css"
# QTI 2.1's body elements have no ``dir`` (2.2 added it): the direction is a class the package's
# stylesheet sets, and the language is ``xml:lang``.
CSS = (".quizgen-rtl { direction: rtl; unicode-bidi: isolate; }\n"
       ".quizgen-ltr { direction: ltr; unicode-bidi: isolate; }\n"
       ".quizgen-quote { margin-inline-start: 2em; }\n")
TEST_FILE = "assessmentTest.xml"
MANIFEST = "imsmanifest.xml"
# The shape of an identifier QTI players read without trouble: an XML NCName of ASCII letters,
# digits, ``_ . -``, starting with a letter or ``_``.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_NOT_IN_IDENTIFIER = re.compile(r"[^A-Za-z0-9_.-]+")


def _q(tag: str) -> str:
    # Tags go unqualified, the root carrying ``xmlns``: ElementTree's default_namespace refuses
    # unqualified attributes, and a prefix on every tag is no use to a reader.
    return tag


def _el(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, *,
        text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, _q(tag), attrs or {})
    if text is not None:
        node.text = text
    return node


def identifier(question_id: str) -> str:
    """A question id as a QTI identifier: the id itself where it is one, else its characters
    outside ``A-Z a-z 0-9 _ . -`` replaced and a hash of the id added (two ids that differ
    only there stay apart)."""
    if _IDENTIFIER.fullmatch(question_id):
        return question_id
    digest = hashlib.sha256(question_id.encode()).hexdigest()[:8]
    return f"q_{_NOT_IN_IDENTIFIER.sub('_', question_id)}_{digest}"


class Item:
    """One question as an ``assessmentItem``: its identifier and its element."""

    def __init__(self, ident: str, root: ET.Element, media: list[str] | None = None) -> None:
        self.ident, self.root = ident, root
        self.media = media or []  # the image files it shows, by their names in the package

    @property
    def href(self) -> str:
        """Its file in the package."""
        return f"{ITEMS}/{self.ident}.xml"


class Writer:
    """What a type's ``lms`` hook writes its questions with: one ``assessmentItem`` a call."""

    def __init__(self, data: RenderedSet, catalog: Catalog, *,
                 media: Path | None = None) -> None:
        self.data = data
        self.catalog = catalog
        self._entries = source_entries(data)
        self._taken: set[str] = set()
        self.images = Images(media)

    # -- what every item has ------------------------------------------------------------

    def _ident(self, q: QuestionBase) -> str:
        base = identifier(q.id)
        ident, n = base, 1
        while ident.casefold() in self._taken:  # file names too: unique ignoring case
            n += 1
            ident = f"{base}_{n}"
        self._taken.add(ident.casefold())
        return ident

    def _lang(self, node: ET.Element, language: str, direction: str) -> None:
        node.set(XML_LANG, language)
        node.set("class", f"quizgen-{'rtl' if direction == 'rtl' else 'ltr'}")

    def item(self, q: QuestionBase, response: ET.Element, *,
             template: str) -> tuple[Item, ET.Element]:
        """An ``assessmentItem`` with its response declaration, a SCORE and a FEEDBACK outcome,
        the shared stylesheet and an empty ``itemBody`` (returned to fill); the response
        processing is the standard ``template``'s rules (``processing``), and the feedback
        follows the body."""
        ident = self._ident(q)
        root = ET.Element(_q("assessmentItem"), {
            "xmlns": QTI, f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
            "identifier": ident, "title": q.id, "adaptive": "false", "timeDependent": "false",
            XML_LANG: self.data.language})
        root.append(response)
        score = _el(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single",
                                                 "baseType": "float"})
        _el(_el(score, "defaultValue"), "value", text="0")
        # The feedback's outcome has no value until the response is processed, which sets it
        # to the feedback's identifier: the feedback shows after every attempt, right or wrong.
        _el(root, "outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": "single",
                                         "baseType": "identifier"})
        _el(root, "stylesheet", {"href": STYLESHEET, "type": "text/css"})
        body = _el(root, "itemBody")
        self._lang(body, self.data.language, self.data.direction)
        _el(body, "p", text=q.instructions)
        self.processing(root, template)
        self._feedback(root, q)
        return Item(ident, root, [name for _, name in self.images.of(q)]), body

    @staticmethod
    def processing(root: ET.Element, template: str) -> None:
        """The item's ``responseProcessing``: the rules of the standard ``template``
        (``MATCH_CORRECT``, ``MAP_RESPONSE``) as QTI 2.1 defines them, then the feedback's
        outcome set. Naming the template's URI instead would leave the feedback to the
        outcome's default value, which a player need not show: qti-components shows a feedback
        only when processing sets its outcome, and it runs a named template in place of any
        rules written beside it."""
        node = _el(root, "responseProcessing")
        condition = _el(node, "responseCondition")
        test = _el(condition, "responseIf")
        if template == MATCH_CORRECT:  # the correct response: 1, anything else: 0
            match = _el(test, "match")
            _el(match, "variable", {"identifier": "RESPONSE"})
            _el(match, "correct", {"identifier": "RESPONSE"})
            _el(_el(test, "setOutcomeValue", {"identifier": "SCORE"}), "baseValue",
                {"baseType": "float"}, text="1")
            _el(_el(_el(condition, "responseElse"), "setOutcomeValue", {"identifier": "SCORE"}),
                "baseValue", {"baseType": "float"}, text="0")
        else:  # MAP_RESPONSE: no response: 0, else its value in the mapping
            _el(_el(test, "isNull"), "variable", {"identifier": "RESPONSE"})
            _el(_el(test, "setOutcomeValue", {"identifier": "SCORE"}), "baseValue",
                {"baseType": "float"}, text="0")
            _el(_el(_el(condition, "responseElse"), "setOutcomeValue", {"identifier": "SCORE"}),
                "mapResponse", {"identifier": "RESPONSE"})
        feedback = _el(node, "setOutcomeValue", {"identifier": "FEEDBACK"})
        _el(feedback, "baseValue", {"baseType": "identifier"}, text="EXPLANATION")

    def _feedback(self, root: ET.Element, q: QuestionBase) -> None:
        """The modal feedback: the explanation, the facts' images (with the answer only: a
        picture or its alt text can give it away), then each source with its passages' place
        and verbatim quote, the source's title in its own language and direction."""
        t = self.catalog.text
        node = _el(root, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "showHide": "show",
                                           "identifier": "EXPLANATION"})
        div = _el(node, "div")
        self._lang(div, self.data.language, self.data.direction)
        _el(div, "p", text=q.explanation)
        for image, name in self.images.of(q):
            # img, with its alt required, and small are QTI 2.1's XHTML content
            # (imsqti_v2p1.xsd: img.Type, small.Type); the src is relative to the item file.
            _el(_el(div, "p"), "img", {"src": f"{MEDIA}/{name}", "alt": image.alt})
            caption = _el(_el(div, "p"), "small")
            credit = _el(caption, "span", text=image.credit)
            credit.tail = " · "
            _el(caption, "span", text=image.license)
        groups = group_citations(q, self._entries)
        _el(div, "p", text=t("sources") if len(groups) > 1 else t("source"))
        for s in groups:
            line = _el(div, "p")
            title = _el(line, "span", text=f"[{s['title']}]" if s["title_supplied"]
                        else s["title"])
            self._lang(title, s["language"], s["direction"])
            rest = [s["publisher"] or t("publisher_unknown")]
            rest += [s[k] for k in ("date", "url") if s[k]]
            title.tail = "".join(f" · {part}" for part in rest)
            for p in s["passages"]:
                _el(div, "p", text=p["locator_text"])
                quote = _el(div, "blockquote")
                self._lang(quote, s["language"], s["direction"])
                quote.set("class", quote.get("class", "") + " quizgen-quote")
                _el(quote, "p", text=p["quote"])

    @staticmethod
    def _response(cardinality: str, base_type: str, correct: list[str]) -> ET.Element:
        node = ET.Element(_q("responseDeclaration"), {"identifier": "RESPONSE",
                                                      "cardinality": cardinality,
                                                      "baseType": base_type})
        values = _el(node, "correctResponse")
        for value in correct:
            _el(values, "value", text=value)
        return node

    # -- the shapes ------------------------------------------------------------------------

    def _choices(self, q: QuestionBase, text: str, choices: list[tuple[str, str]],
                 correct: str) -> Item:
        item, body = self.item(q, self._response("single", "identifier", [correct]),
                               template=MATCH_CORRECT)
        interaction = _el(body, "choiceInteraction", {"responseIdentifier": "RESPONSE",
                                                      "shuffle": "false", "maxChoices": "1"})
        _el(interaction, "prompt", text=text)
        for ident, label in choices:
            _el(interaction, "simpleChoice", {"identifier": ident}, text=label)
        return item

    def multichoice(self, q: QuestionBase, text: str, choices: list[str],
                    correct: int) -> Item:
        """One right answer among ``choices``, in their order (a ratio's scale keeps it)."""
        return self._choices(q, text, [(f"C{i + 1}", c) for i, c in enumerate(choices)],
                             f"C{correct + 1}")

    def truefalse(self, q: QuestionBase, text: str, truth: bool) -> Item:
        """A statement to judge: two choices, the words true and false in the language."""
        t = self.catalog.text
        return self._choices(q, text, [("TRUE", t("true")), ("FALSE", t("false"))],
                             "TRUE" if truth else "FALSE")

    def _typed(self, q: QuestionBase, accepted: list[str]) -> tuple[Item, ET.Element, int]:
        """An item whose response is typed: every accepted answer and its folded form
        (``typed_forms``) maps to the full mark, case ignored (``map_response``)."""
        forms: list[str] = []
        for form in typed_forms(accepted):
            if form.strip() and form.casefold() not in {f.casefold() for f in forms}:
                forms.append(form)
        if not forms:
            raise Uncarried(q.type)
        response = self._response("single", "string", [forms[0]])
        mapping = _el(response, "mapping", {"lowerBound": "0", "upperBound": "1",
                                            "defaultValue": "0"})
        for form in forms:
            _el(mapping, "mapEntry", {"mapKey": form, "mappedValue": "1",
                                      "caseSensitive": "false"})
        item, body = self.item(q, response, template=MAP_RESPONSE)
        return item, body, max(len(f) for f in forms)

    def _entry(self, length: int) -> ET.Element:
        return ET.Element(_q("textEntryInteraction"), {"responseIdentifier": "RESPONSE",
                                                       "expectedLength": str(max(length, 10))})

    def shortanswer(self, q: QuestionBase, text: str, accepted: list[str]) -> Item:
        """A typed answer: the question, then the field to type it in."""
        item, body, length = self._typed(q, accepted)
        _el(body, "p", text=text)
        _el(body, "p").append(self._entry(length))
        return item

    def gap(self, q: QuestionBase, before: str, accepted: list[str], after: str, *,
            kind: str) -> Item:
        """A sentence with its blank a field to type in, where the blank is."""
        item, body, length = self._typed(q, accepted)
        sentence = _el(body, "p", text=before)
        field = self._entry(length)
        field.tail = after
        sentence.append(field)
        return item

    def pairs(self, q: QuestionBase, text: str, pairs: list[tuple[str, str]], *,
              kind: str) -> Item:
        """Items each matched with one partner (``matchInteraction``), all or nothing; the
        partners in alphabetical order, and the player asked to shuffle both sets."""
        rights = sorted(range(len(pairs)), key=lambda i: (pairs[i][1].casefold(), i))
        correct = [f"L{i + 1} R{i + 1}" for i in range(len(pairs))]
        item, body = self.item(q, self._response("multiple", "directedPair", correct),
                               template=MATCH_CORRECT)
        interaction = _el(body, "matchInteraction", {
            "responseIdentifier": "RESPONSE", "shuffle": "true",
            "maxAssociations": str(len(pairs))})
        _el(interaction, "prompt", text=text)
        left = _el(interaction, "simpleMatchSet")
        for i, (item_text, _) in enumerate(pairs):
            _el(left, "simpleAssociableChoice", {"identifier": f"L{i + 1}", "matchMax": "1"},
                text=item_text)
        right = _el(interaction, "simpleMatchSet")
        for i in rights:
            _el(right, "simpleAssociableChoice", {"identifier": f"R{i + 1}", "matchMax": "1"},
                text=pairs[i][1])
        return item

    def sequence(self, q: QuestionBase, text: str, in_order: list[str], *,
                 kind: str) -> Item:
        """Items to put in order (``orderInteraction``), all or nothing; written in
        alphabetical order (moved on by one where that is the right one), the player asked
        to shuffle them."""
        shown = sorted(range(len(in_order)), key=lambda i: (in_order[i].casefold(), i))
        if shown == list(range(len(in_order))) and len(shown) > 1:
            shown = shown[1:] + shown[:1]
        item, body = self.item(q, self._response(
            "ordered", "identifier", [f"S{i + 1}" for i in range(len(in_order))]),
            template=MATCH_CORRECT)
        interaction = _el(body, "orderInteraction", {"responseIdentifier": "RESPONSE",
                                                     "shuffle": "true"})
        _el(interaction, "prompt", text=text)
        for i in shown:
            _el(interaction, "simpleChoice", {"identifier": f"S{i + 1}"}, text=in_order[i])
        return item

    def gapselect(self, q: QuestionBase, text: str, sentences: list[tuple[str, int, str]],
                  bank: list[str]) -> Item:
        """A passage whose blanks each take a word of ``bank`` (``gapMatchInteraction``: the
        bank shown once, every word usable in every blank), all or nothing."""
        correct = [f"W{index + 1} G{n + 1}" for n, (_, index, _) in enumerate(sentences)]
        item, body = self.item(q, self._response("multiple", "directedPair", correct),
                               template=MATCH_CORRECT)
        interaction = _el(body, "gapMatchInteraction", {"responseIdentifier": "RESPONSE",
                                                        "shuffle": "false"})
        _el(interaction, "prompt", text=text)
        for i, word in enumerate(bank):
            _el(interaction, "gapText", {"identifier": f"W{i + 1}", "matchMax": "0"},
                text=word)
        passage = _el(interaction, "p")
        last: ET.Element | None = None
        for n, (before, _, after) in enumerate(sentences):
            lead = before if n == 0 else " " + before
            if last is None:
                passage.text = lead
            else:
                last.tail = (last.tail or "") + lead
            last = _el(passage, "gap", {"identifier": f"G{n + 1}"})
            last.tail = after
        return item


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n").encode()


def _test(data: RenderedSet, sections: list[tuple[str, str, list[Item]]]) -> ET.Element:
    """The ``assessmentTest``: one part, a section per topic (titled with the topic's title)
    referring to its items, the score the sum of the items' scores."""
    root = ET.Element(_q("assessmentTest"), {
        "xmlns": QTI, f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
        "identifier": identifier(f"{data.deck}.{data.language}"), "title": data.title})
    score = _el(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single",
                                             "baseType": "float"})
    _el(_el(score, "defaultValue"), "value", text="0")
    part = _el(root, "testPart", {"identifier": "part", "navigationMode": "nonlinear",
                                  "submissionMode": "individual"})
    for topic, title, items in sections:
        section = _el(part, "assessmentSection", {"identifier": identifier(f"topic.{topic}"),
                                                  "title": title, "visible": "true"})
        for item in items:
            _el(section, "assessmentItemRef", {"identifier": item.ident, "href": item.href})
    processing = _el(root, "outcomeProcessing")
    total = _el(processing, "setOutcomeValue", {"identifier": "SCORE"})
    _el(_el(total, "sum"), "testVariables", {"variableIdentifier": "SCORE"})
    return root


def _manifest(data: RenderedSet, items: list[Item]) -> ET.Element:
    """The content package's manifest: a resource per item (with the stylesheet it uses), one
    for the test (depending on every item), one for the stylesheet."""
    root = ET.Element("manifest", {
        "xmlns": CP, f"{{{XSI}}}schemaLocation": f"{CP} {CP_XSD}",
        "identifier": identifier(f"quizgen.{data.deck}.{data.language}")})
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "QTIv2.1 Package"
    ET.SubElement(metadata, "schemaversion").text = "1.0.0"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    test = ET.SubElement(resources, "resource", {
        "identifier": "test", "type": "imsqti_test_xmlv2p1", "href": TEST_FILE})
    ET.SubElement(test, "file", {"href": TEST_FILE})
    for item in items:
        ET.SubElement(test, "dependency", {"identifierref": f"item.{item.ident}"})
    for item in items:
        resource = ET.SubElement(resources, "resource", {
            "identifier": f"item.{item.ident}", "type": "imsqti_item_xmlv2p1",
            "href": item.href})
        ET.SubElement(resource, "file", {"href": item.href})
        for name in item.media:  # the images it shows: files of the item's resource
            ET.SubElement(resource, "file", {"href": f"{ITEMS}/{MEDIA}/{name}"})
        ET.SubElement(resource, "dependency", {"identifierref": "stylesheet"})
    css = ET.SubElement(resources, "resource", {
        "identifier": "stylesheet", "type": "webcontent", "href": f"{ITEMS}/{STYLESHEET}"})
    ET.SubElement(css, "file", {"href": f"{ITEMS}/{STYLESHEET}"})
    return root


def _zip(members: list[tuple[str, bytes]], when: int) -> bytes:
    """The package: its members in order, with the build's time (zip times start in 1980)."""
    return fixed_zip(members, time.gmtime(max(when, 315532800))[:6])


def write(data: RenderedSet, catalog: Catalog, *, media: Path | None = None) -> Written:
    """The question set as a QTI 2.1 content package; the types without an ``lms`` hook (and
    typed questions with no answer to type) are counted as left out. ``media``: the deck's
    ``media/`` folder, where the facts' images are (needed only when a question shows one)."""
    from quizgen.output import build_time

    writer = Writer(data, catalog, media=media)
    carried = Carried(data, "lms", writer,
                      no_type=lambda name: f"QTI has no {name.replace('_', ' ')} item",
                      uncarried="no accepted answer to type")
    sections: list[tuple[str, str, list[Item]]] = []
    items: list[Item] = []
    for topic, title, item in carried:
        if not sections or sections[-1][0] != topic:
            sections.append((topic, title, []))
        sections[-1][2].append(item)
        items.append(item)
    members = [(MANIFEST, _xml(_manifest(data, items))),
               (TEST_FILE, _xml(_test(data, sections))),
               (f"{ITEMS}/{STYLESHEET}", CSS.encode())]
    members += [(item.href, _xml(item.root)) for item in items]
    members += [(f"{ITEMS}/{MEDIA}/{name}", blob) for name, blob in writer.images.files()]
    return Written(_zip(members, build_time()), len(items), carried.left_out())
