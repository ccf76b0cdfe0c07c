"""Canvas Classic Quizzes: the question set as a QTI 1.2 package, the one Canvas's *Import
Course Content > QTI .zip file* reads. Each type's ``lms(q, writer)`` hook (``quizgen.qtypes``)
writes its question through this module's ``Writer`` (``quizgen.render.lms.Shapes``), in the
shape Canvas's own QTI export writes that type (canvas-lms lib/cc/qti/qti_items.rb) and its
importer reads back (the QTIMigrationTool's lib/imsqtiv1.py, then canvas-lms
gems/plugins/qti_exporter/lib/qti/*.rb; docs/lms.md says which rule comes from which file).

The package holds one quiz: ``imsmanifest.xml``, the assessment ``<id>/<id>.xml`` and its quiz
settings ``<id>/assessment_meta.xml``, as Canvas's QTI export lays them out
(lib/cc/qti/qti_generator.rb ``generate_quiz``, lib/cc/qti/qti_manifest.rb). Each topic is a
question group of the quiz (a section with a selection, every question picked: the importer's
``AssessmentTestConverter#process_section``), titled with the topic.

Text is HTML inside ``mattext texttype="text/html"`` (the XML escapes it once more, as the
importer expects: it reads a mattext's markup as text, lib/imsqtiv1.py ``MatText``), in a
``<div dir lang>``; a fact's text is escaped for HTML, and ``[ ]`` (Canvas's blanks in
fill-in-the-blank and drop-down questions) and ``{ } @ $`` are written as character references.
"""

from __future__ import annotations

import hashlib
import html
import logging
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizgen.render.common import Citations
from quizgen.render.lms import Carried, Images, Uncarried, Written, fixed_zip, typed_forms

if TYPE_CHECKING:
    from quizgen.catalog import Catalog
    from quizgen.qtypes import RenderedSet
    from quizgen.qtypes.base import QuestionBase

log = logging.getLogger(__name__)

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# lib/cc/cc_helper.rb's resource types: the QTI assessment, and Canvas's quiz settings.
QTI_ASSESSMENT_TYPE = "imsqti_xmlv1p2"
LOR = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
# Zip members' time: fixed, so the same question set gives the same bytes (zip times start
# in 1980).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
POINTS = "1.0"
# The folder of the facts' image files, as Canvas's own exports name it (web_resources/, the
# course files). Each is listed in the manifest; the importer makes every listed file that
# is no resource's own document a course file (Qti.convert_files, after the QTIMigrationTool
# has carried the manifest's files over: lib/imsqtiv1.py ``Manifest.AddCPFile``) and rewrites
# an ``src`` that is its path in the package to that file (Qti::HtmlHelper#sanitize_html!,
# ``find_best_path_match``): so an image's ``src`` is its path from the package's root.
WEB_RESOURCES = "web_resources"
GAP = "blank"  # a blank's name: ``[blank]`` in the text (``blank_1``, ``blank_2``… several)


def gap_name(*texts: str) -> str:
    """The name of a question's blanks: ``blank``, or ``xblank``, ``xxblank``… when its text
    holds ``[blank`` itself (Canvas's HTML sanitizer may turn ``&#91;`` back into ``[``, and a
    fact's ``[blank]`` would then be a second box of the question's blank)."""
    name = GAP
    while any(f"[{name}" in text for text in texts):
        name = "x" + name
    return name

# Characters of HTML text that Canvas would read as its own markup (a blank ``[id]``) or a
# filter might (TeX, file links): written as references.
_MARKUP = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                         "@": "&#64;", "$": "&#36;"})


def html_text(text: str) -> str:
    """``text`` as HTML that shows exactly it, and holds nothing Canvas would read as its
    own markup."""
    return html.escape(text, quote=False).translate(_MARKUP)


def html_attribute(text: str) -> str:
    """``text`` as an HTML attribute's value (in double quotes), with nothing Canvas would read
    as its own markup."""
    return html.escape(text, quote=True).translate(_MARKUP)


def figure(src: str, *, alt: str, credit: str, license: str) -> str:
    """An image of the feedback (``src``: its path in the package), with its alt text, and its
    credit and licence under it in small type, each isolated (their language may not be the
    set's)."""
    return (f'<p><img src="{html.escape(src)}" alt="{html_attribute(alt)}" '
            f'style="max-width: 100%; height: auto;"></p>'
            f"<p><small><bdi>{html_text(credit)}</bdi> · <bdi>{html_text(license)}</bdi>"
            "</small></p>")


def key(*parts: str) -> str:
    """A QTI identifier from quizgen's ids: stable (the same ids give the same one) and unique
    per deck and language (Canvas matches content to what a course has by these), as Canvas's
    own keys are a ``g`` and 32 hex digits (CC::CCHelper.create_key)."""
    return "g" + hashlib.md5("\x1f".join(("quizgen", *parts)).encode(),
                             usedforsecurity=False).hexdigest()


def _sub(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None,
         text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs or {})
    if text is not None:
        node.text = text
    return node


def _mattext(parent: ET.Element, text: str, *, texttype: str = "text/html") -> None:
    _sub(_sub(parent, "material"), "mattext", {"texttype": texttype}, text)


def _field(parent: ET.Element, label: str, entry: str) -> None:
    field = _sub(parent, "qtimetadatafield")
    _sub(field, "fieldlabel", text=label)
    _sub(field, "fieldentry", text=entry)


class Writer:
    """What a type's ``lms`` hook writes its questions with: one ``<item>`` a call."""

    def __init__(self, data: RenderedSet, catalog: Catalog, *,
                 media: Path | None = None) -> None:
        self.data = data
        self.catalog = catalog
        self.citations = Citations(data, catalog.text, self._sources)
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

    def _sources(self, groups: list[dict[str, Any]], t: Any) -> str:
        """Each source with its passages' place and verbatim quote, each in its own language
        and direction."""
        parts = [f"<p>{html_text(t('sources') if len(groups) > 1 else t('source'))}</p>"]
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
        return "".join(parts)

    def feedback(self, q: QuestionBase) -> str:
        """The general feedback: the explanation, the facts' images (with the answer only: a
        picture or its alt text can give it away), then the sources."""
        figures = "".join(figure(f"{WEB_RESOURCES}/{name}", alt=image.alt, credit=image.credit,
                                 license=image.license) for image, name in self.images.of(q))
        return self.div(f"<p>{html_text(q.explanation)}</p>{figures}{self.citations(q)}")

    def item(self, q: QuestionBase, question_type: str, text: str,
             answer_ids: list[str]) -> tuple[ET.Element, ET.Element, ET.Element]:
        """An ``<item>`` with what every type has: the metadata Canvas reads (qti_items.rb
        ``add_question``), the question text, the score variable and the general feedback.
        Returns the item, its presentation and its resprocessing, for the type to fill."""
        node = ET.Element("item", {"ident": key(self.data.deck, self.data.language, q.id),
                                   "title": q.id})
        meta = _sub(_sub(node, "itemmetadata"), "qtimetadata")
        _field(meta, "question_type", question_type)
        _field(meta, "points_possible", POINTS)
        _field(meta, "original_answer_ids", ",".join(answer_ids))
        presentation = _sub(node, "presentation")
        _mattext(presentation, text)
        processing = _sub(node, "resprocessing")
        _sub(_sub(processing, "outcomes"), "decvar", {
            "maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
        shown = _sub(processing, "respcondition", {"continue": "Yes"})
        _sub(_sub(shown, "conditionvar"), "other")
        _sub(shown, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
        feedback = _sub(node, "itemfeedback", {"ident": "general_fb"})
        _mattext(_sub(feedback, "flow_mat"), self.feedback(q))
        # itemfeedback comes after resprocessing (the QTI 1.2 DTD's order); presentation and
        # resprocessing are filled in place.
        return node, presentation, processing

    def _choice(self, q: QuestionBase, question_type: str, text: str,
                choices: list[str], correct: int) -> ET.Element:
        ids = [str(i + 1) for i in range(len(choices))]
        node, presentation, processing = self.item(q, question_type, self.stem(q, text), ids)
        lid = _sub(presentation, "response_lid", {"ident": "response1",
                                                  "rcardinality": "Single"})
        render = _sub(lid, "render_choice")
        for ident, choice in zip(ids, choices, strict=True):
            _mattext(_sub(render, "response_label", {"ident": ident}), self.div(choice))
        right = _sub(processing, "respcondition", {"continue": "No"})
        _sub(_sub(right, "conditionvar"), "varequal", {"respident": "response1"}, ids[correct])
        _sub(right, "setvar", {"action": "Set", "varname": "SCORE"}, "100")
        return node

    def multichoice(self, q: QuestionBase, text: str, choices: list[str],
                    correct: int) -> ET.Element:
        """One right answer among ``choices``, in their order (multiple_choice_question)."""
        return self._choice(q, "multiple_choice_question", html_text(text),
                            [html_text(c) for c in choices], correct)

    def truefalse(self, q: QuestionBase, text: str, truth: bool) -> ET.Element:
        """A statement to judge (true_false_question): the answers True and False, in the
        question set's language."""
        words = [html_text(self.catalog.text("true")), html_text(self.catalog.text("false"))]
        return self._choice(q, "true_false_question", html_text(text), words,
                            0 if truth else 1)

    def shortanswer(self, q: QuestionBase, text: str, accepted: list[str]) -> ET.Element:
        """A typed answer (short_answer_question): each accepted answer and its folded form
        (``typed_forms``) a ``varequal`` of the one right condition."""
        forms = typed_forms(accepted)
        ids = [str(i + 1) for i in range(len(forms))]
        node, presentation, processing = self.item(q, "short_answer_question",
                                                   self.stem(q, html_text(text)), ids)
        response = _sub(presentation, "response_str", {"ident": "response1",
                                                       "rcardinality": "Single"})
        _sub(_sub(response, "render_fib"), "response_label",
             {"ident": "answer1", "rshuffle": "No"})
        right = _sub(processing, "respcondition", {"continue": "No"})
        condition = _sub(right, "conditionvar")
        for form in forms:
            _sub(condition, "varequal", {"respident": "response1"}, form)
        _sub(right, "setvar", {"action": "Set", "varname": "SCORE"}, "100")
        return node

    def pairs(self, q: QuestionBase, text: str, pairs: list[tuple[str, str]], *,
              kind: str) -> ET.Element:
        """Items each matched with its partner (matching_question): an item's drop-down offers
        every partner, in alphabetical order (the pairs' order would give the answer away;
        Canvas shows them in the file's order)."""
        partners = sorted({right for _, right in pairs}, key=lambda s: (s.casefold(), s))
        item_ids = [str(i + 1) for i in range(len(pairs))]
        match_ids = {p: str(1001 + i) for i, p in enumerate(partners)}
        node, presentation, processing = self.item(q, "matching_question",
                                                   self.stem(q, html_text(text)), item_ids)
        share = f"{100 / len(pairs):.2f}"
        for ident, (left, right) in zip(item_ids, pairs, strict=True):
            lid = _sub(presentation, "response_lid", {"ident": f"response_{ident}"})
            _mattext(lid, self.div(html_text(left)))
            render = _sub(lid, "render_choice")
            for partner in partners:
                # Canvas writes a partner as plain text (qti_items.rb matching_response_lid).
                _mattext(_sub(render, "response_label", {"ident": match_ids[partner]}),
                         partner, texttype="text/plain")
            cond = _sub(processing, "respcondition")
            _sub(_sub(cond, "conditionvar"), "varequal", {"respident": f"response_{ident}"},
                 match_ids[right])
            _sub(cond, "setvar", {"varname": "SCORE", "action": "Add"}, share)
        return node

    def sequence(self, q: QuestionBase, text: str, in_order: list[str], *,
                 kind: str) -> ET.Element:
        """Canvas Classic Quizzes has no ordering type: left out, and said."""
        raise Uncarried(kind)

    def _blanks(self, q: QuestionBase, question_type: str, text: str,
                blanks: list[tuple[str, list[str], int | None]], *,
                prompt: str | None = None) -> ET.Element:
        """A text with blanks ``[id]``, each (id, its options, the right one's index, or None:
        every option right, as a fill-in-the-blank's typed answers are), after the ``prompt``
        (HTML) where there is one."""
        ids: list[list[str]] = []
        for _, options, _ in blanks:
            first = sum(len(i) for i in ids) + 1
            ids.append([str(first + n) for n in range(len(options))])
        node, presentation, processing = self.item(
            q, question_type, self.stem(q, *([prompt] if prompt else []), text),
            [i for each in ids for i in each])
        share = f"{100 / len(blanks):.2f}"
        for (blank, options, right), option_ids in zip(blanks, ids, strict=True):
            lid = _sub(presentation, "response_lid", {"ident": f"response_{blank}"})
            _mattext(lid, blank, texttype="text/plain")
            render = _sub(lid, "render_choice")
            for ident, option in zip(option_ids, options, strict=True):
                # Canvas writes these answers as plain text (qti_items.rb
                # multiple_dropdowns_response_lid); the importer takes the text, trimmed.
                _mattext(_sub(render, "response_label", {"ident": ident}), option,
                         texttype="text/plain")
            cond = _sub(processing, "respcondition")
            _sub(_sub(cond, "conditionvar"), "varequal", {"respident": f"response_{blank}"},
                 option_ids[right or 0])
            _sub(cond, "setvar", {"varname": "SCORE", "action": "Add"}, share)
        return node

    def gap(self, q: QuestionBase, before: str, accepted: list[str], after: str, *,
            kind: str) -> ET.Element:
        """A sentence with one blank to type in (fill_in_multiple_blanks_question, one blank):
        each accepted answer and its folded form (``typed_forms``) counts."""
        name = gap_name(q.instructions, before, after)
        text = f"{html_text(before)}[{name}]{html_text(after)}"
        return self._blanks(q, "fill_in_multiple_blanks_question", text,
                            [(name, typed_forms(accepted), None)])

    def gapselect(self, q: QuestionBase, text: str, sentences: list[tuple[str, int, str]],
                  bank: list[str]) -> ET.Element:
        """A passage whose blanks each offer every word of ``bank``
        (multiple_dropdowns_question), after ``text``."""
        name = gap_name(q.instructions, text, *(part for before, _, after in sentences
                                                for part in (before, after)))
        names = [f"{name}_{n}" for n in range(1, len(sentences) + 1)]
        passage = " ".join(f"{html_text(before)}[{name}]{html_text(after)}"
                           for name, (before, _, after) in zip(names, sentences, strict=True))
        return self._blanks(q, "multiple_dropdowns_question", passage,
                            [(name, bank, index)
                             for name, (_, index, _) in zip(names, sentences, strict=True)],
                            prompt=html_text(text))


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n").encode()


def _manifest(ident: str, meta_ident: str, title: str, files: list[str]) -> bytes:
    """imsmanifest.xml as Canvas's QTI export writes it (qti_manifest.rb, qti_generator.rb
    ``generate_quiz``): the assessment resource, and its settings as a dependency; each image
    file (``files``, paths in the package) a ``webcontent`` resource the assessment depends
    on, as Canvas's exports list course files."""
    root = ET.Element("manifest", {"identifier": key(ident, "manifest"), "xmlns": CP_NS,
                                   "xmlns:imsmd": "http://www.imsglobal.org/xsd/imsmd_v1p2"})
    meta = _sub(root, "metadata")
    _sub(meta, "schema", text="IMS Content")
    _sub(meta, "schemaversion", text="1.1.3")
    lom = _sub(meta, "imsmd:lom")
    _sub(_sub(_sub(lom, "imsmd:general"), "imsmd:title"), "imsmd:string", text=title)
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    quiz = _sub(resources, "resource", {"identifier": ident, "type": QTI_ASSESSMENT_TYPE})
    _sub(quiz, "file", {"href": f"{ident}/{ident}.xml"})
    _sub(quiz, "dependency", {"identifierref": meta_ident})
    for path in files:
        _sub(quiz, "dependency", {"identifierref": key(ident, "file", path)})
    settings = _sub(resources, "resource", {"identifier": meta_ident, "type": LOR,
                                            "href": f"{ident}/assessment_meta.xml"})
    _sub(settings, "file", {"href": f"{ident}/assessment_meta.xml"})
    for path in files:
        resource = _sub(resources, "resource", {"identifier": key(ident, "file", path),
                                                "type": "webcontent", "href": path})
        _sub(resource, "file", {"href": path})
    return _xml(root)


def _settings(ident: str, title: str, description: str, points: int) -> bytes:
    """assessment_meta.xml: the quiz's settings Canvas reads after the questions
    (qti_generator.rb ``generate_assessment_meta``): a practice quiz, its questions not
    shuffled, unlimited attempts, the right answers shown."""
    root = ET.Element("quiz", {"identifier": ident, "xmlns": CANVAS_NS})
    for tag, value in (("title", title), ("description", description),
                       ("shuffle_answers", "false"), ("scoring_policy", "keep_highest"),
                       ("hide_results", ""), ("quiz_type", "practice_quiz"),
                       ("points_possible", f"{points}.0"), ("show_correct_answers", "true"),
                       ("allowed_attempts", "-1"), ("one_question_at_a_time", "false"),
                       ("cant_go_back", "false"), ("available", "false")):
        _sub(root, tag, text=value)
    return _xml(root)


def package(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` in their order, with fixed times and modes: the same members give
    the same bytes."""
    return fixed_zip(members.items(), ZIP_TIME)


def write(data: RenderedSet, catalog: Catalog, *, media: Path | None = None) -> Written:
    """The question set as a Canvas QTI package: one quiz, a question group per topic; the
    types Canvas has no shape for (ordering) are counted as left out. ``media``: the deck's
    ``media/`` folder, where the facts' images are (needed only when a question shows one)."""
    writer = Writer(data, catalog, media=media)
    ident = key(data.deck, data.language)
    meta_ident = key(data.deck, data.language, "assessment_meta")
    title = f"{data.title} ({data.language})"
    root = ET.Element("questestinterop", {
        "xmlns": QTI_NS, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}"})
    assessment = _sub(root, "assessment", {"ident": ident, "title": title})
    _field(_sub(assessment, "qtimetadata"), "cc_maxattempts", "unlimited")
    top = _sub(assessment, "section", {"ident": "root_section"})
    carried = Carried(data, "lms", writer,
                      no_type=lambda name: f"Canvas has no {name.replace('_', ' ')} type",
                      uncarried="Canvas Classic Quizzes has no ordering type")
    groups: dict[str, tuple[ET.Element, list[ET.Element]]] = {}
    for topic, topic_title, node in carried:
        if topic not in groups:
            groups[topic] = (_sub(top, "section", {"ident": key(data.deck, data.language,
                                                                "topic", topic),
                                                   "title": topic_title}), [])
        groups[topic][1].append(node)
    made = 0
    for section, items in groups.values():
        # A selection makes the section a question group of the quiz, every question picked
        # (AssessmentTestConverter#process_section, parse_pick_count): a teacher may lower it.
        selection = _sub(_sub(section, "selection_ordering"), "selection")
        _sub(selection, "selection_number", text=str(len(items)))
        _sub(_sub(selection, "selection_extension"), "points_per_item", text=POINTS)
        section.extend(items)
        made += len(items)
    files = {f"{WEB_RESOURCES}/{name}": blob for name, blob in writer.images.files()}
    members = {
        "imsmanifest.xml": _manifest(ident, meta_ident, title, list(files)),
        f"{ident}/{ident}.xml": _xml(root),
        f"{ident}/assessment_meta.xml": _settings(ident, title, writer.div(
            f"<p>{html_text(data.description or data.title)}</p>"), made),
        **files,
    }
    return Written(package(members), made, carried.left_out())
