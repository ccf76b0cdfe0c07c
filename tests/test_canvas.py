"""The Canvas QTI package as Canvas's importer reads it. No Canvas runs here: the tests encode
the rules of its importer and of its own QTI export, which it reads back (canvas-lms
lib/cc/qti/qti_items.rb, qti_generator.rb, qti_manifest.rb; gems/plugins/qti_exporter/lib/qti/
*.rb; the QTIMigrationTool's lib/imsqtiv1.py, which turns QTI 1.2 into what those read;
docs/lms.md lists them), and read the exported packages of the bundled deck, in every
language, with them, against export json."""

from __future__ import annotations

import html
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, quizgen
from conftest import lms_typed_forms as typed_forms

DECK = "afghanistan-russia"
# AssessmentQuestion::ALL_QUESTION_TYPES (app/models/assessment_question.rb), those a
# question_type may name; parse_instructure_metadata keeps only these.
CANVAS_TYPES = {"multiple_answers_question", "fill_in_multiple_blanks_question",
                "matching_question", "missing_word_question", "multiple_choice_question",
                "numerical_question", "text_only_question", "short_answer_question",
                "multiple_dropdowns_question", "calculated_question", "essay_question",
                "true_false_question", "file_upload_question"}
# The type each quizgen type becomes (docs/lms.md); ordering has none in Classic Quizzes.
SHAPE = {"multiple_choice": "multiple_choice_question", "comparison": "multiple_choice_question",
         "true_false": "true_false_question", "short_answer": "short_answer_question",
         "cloze": "fill_in_multiple_blanks_question", "matching": "matching_question",
         "word_bank": "multiple_dropdowns_question"}
LEFT_OUT = {"ordering"}
# lib/cc/cc_helper.rb: QTI_ASSESSMENT_TYPE and LOR, the resource types of a QTI export.
RESOURCE_TYPES = {"imsqti_xmlv1p2",
                  "associatedcontent/imscc_xmlv1p1/learning-application-resource"}


def local(root: ET.Element) -> ET.Element:
    """The tree with its namespaces taken off the tags (Canvas reads it with Nokogiri's CSS
    selectors, which match local names)."""
    for node in root.iter():
        if isinstance(node.tag, str):
            node.tag = node.tag.rsplit("}", 1)[-1]
    return root


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def assessment(files: dict[str, bytes]) -> ET.Element:
    """The assessment file the manifest's QTI resource names."""
    manifest = local(ET.fromstring(files["imsmanifest.xml"]))
    quiz = next(r for r in manifest.iter("resource") if r.get("type") == "imsqti_xmlv1p2")
    href = quiz.find("file").get("href")  # type: ignore[union-attr]
    return local(ET.fromstring(files[href]))


def html_texts(path: Path) -> list[str]:
    """Every HTML text of a package's items (question text, options, feedback)."""
    root = assessment(members(path))
    return [m.text or "" for m in root.iter("mattext") if m.get("texttype") == "text/html"]


def shown(text: str) -> str:
    """What a reader sees of HTML: its text, the whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def fold(*texts: str) -> str:
    return " ".join(" ".join(texts).split())


def meta(item: ET.Element) -> dict[str, str]:
    """The item's qtimetadatafields, as lib/imsqtiv1.py's MDFieldMap reads them into the
    instructureMetadata that parse_instructure_metadata reads."""
    return {f.findtext("fieldlabel") or "": f.findtext("fieldentry") or ""
            for f in item.iter("qtimetadatafield")}


def mattext(node: ET.Element | None) -> str:
    assert node is not None
    found = node.find("material/mattext")
    assert found is not None
    return found.text or ""


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("canvas")
    for fmt in ("json", "canvas"):
        run = quizgen("export", fmt, "--out", out, "--content", ROOT / "content", "--seed", "5")
        assert run.code == 0, run.err
    # What Canvas cannot carry is said, per type with its count (render/lms.LeftOut).
    assert "warning: canvas: 2 ordering questions left out of afghanistan-russia.en.canvas.zip" \
        " (Canvas Classic Quizzes has no ordering type)" in run.err
    return out


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_package_resolves(exported: Path, language: str) -> None:
    """imsmanifest.xml as Canvas's QTI export writes it (qti_manifest.rb, qti_generator.rb
    generate_quiz): the assessment resource with its file and a dependency on the settings'
    resource; every href is a file of the zip, and every file is named by the manifest (the
    QTIMigrationTool parses every .xml of the package, lib/imsqtiv1.py ProcessFiles)."""
    files = members(exported / f"{DECK}.{language}.canvas.zip")
    manifest = local(ET.fromstring(files["imsmanifest.xml"]))
    assert manifest.tag == "manifest"
    resources = manifest.findall("resources/resource")
    assert {r.get("type") for r in resources} == RESOURCE_TYPES
    named = set()
    ids = {r.get("identifier") for r in resources}
    for resource in resources:
        for f in resource.findall("file"):
            assert f.get("href") in files
            named.add(f.get("href"))
        if resource.get("href"):
            assert resource.get("href") in files
        for dep in resource.findall("dependency"):
            assert dep.get("identifierref") in ids
    assert named | {"imsmanifest.xml"} == set(files)
    quiz = next(r for r in resources if r.get("type") == "imsqti_xmlv1p2")
    ident = quiz.get("identifier")
    assert set(files) == {"imsmanifest.xml", f"{ident}/{ident}.xml",
                          f"{ident}/assessment_meta.xml"}
    root = assessment(files)
    assert root.tag == "questestinterop" and root.find("assessment").get("ident") == ident
    settings = local(ET.fromstring(files[f"{ident}/assessment_meta.xml"]))
    assert settings.tag == "quiz" and settings.get("identifier") == ident
    assert settings.findtext("quiz_type") == "practice_quiz"


def check_common(item: ET.Element, q: dict[str, Any], direction: str) -> dict[str, str]:
    """What every item has: the metadata Canvas's export writes (qti_items.rb add_question) and
    parse_instructure_metadata reads; the question text as HTML in the language's direction;
    the general feedback (get_feedback: an itemfeedback ``general_fb`` is neutral_comments)
    with the explanation and every citation's title, place and verbatim quote, shown by a
    respcondition on ``other``; the answer ids listed in the order of the response labels
    (get_or_generate_answer_id shifts original_answer_ids)."""
    fields = meta(item)
    assert fields["question_type"] in CANVAS_TYPES
    assert fields["question_type"] == SHAPE[q["type"]]
    assert float(fields["points_possible"]) == 1.0
    labels = [label.get("ident") for label in item.iter("response_label")
              if item.find("presentation/response_str") is None]
    if fields["question_type"] != "matching_question":
        assert fields["original_answer_ids"].split(",") == labels or \
            fields["question_type"] == "short_answer_question"
    assert all(i.isdigit() and int(i) > 0 for i in fields["original_answer_ids"].split(","))
    text = mattext(item.find("presentation"))
    assert item.find("presentation/material/mattext").get("texttype") == "text/html"
    assert text.startswith(f'<div dir="{direction}" lang="')
    ET.fromstring(text)  # well-formed: the migration tool reads it as XML (MatText)
    feedback = item.find("itemfeedback[@ident='general_fb']")
    assert feedback is not None
    fb = feedback.find("flow_mat/material/mattext")
    assert fb is not None and fb.get("texttype") == "text/html"
    assert (fb.text or "").startswith(f'<div dir="{direction}"')
    seen = shown(fb.text or "")
    assert fold(q["explanation"]) in seen
    for cite in q["sources"]:
        for part in (cite["title"], cite["locator_text"], cite["quote"]):
            assert fold(part) in seen, (q["id"], part)
    links = [d.get("linkrefid") for d in item.iter("displayfeedback")]
    assert links == ["general_fb"]
    assert item.find("resprocessing/outcomes/decvar").get("varname") == "SCORE"
    return fields


def conditions(item: ET.Element) -> list[tuple[str, list[str], str, str]]:
    """Each scoring respcondition: (respident, the values it takes, setvar action, value)."""
    out = []
    for cond in item.iter("respcondition"):
        setvar = cond.find("setvar")
        if setvar is None:
            continue
        values = cond.findall("conditionvar/varequal")
        out.append((values[0].get("respident") or "", [v.text or "" for v in values],
                    setvar.get("action") or "", setvar.text or ""))
    return out


def label_texts(lid: ET.Element) -> dict[str, str]:
    return {label.get("ident") or "": mattext(label) for label in lid.iter("response_label")}


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_package_reads_as_the_question_set(exported: Path, language: str) -> None:
    """Every question of export json but the ordering ones, in its type's Canvas shape (as
    qti_items.rb writes it), with its right answers, under its topic's question group."""
    data = json.loads((exported / f"{DECK}.{language}.json").read_text("utf-8"))
    root = assessment(members(exported / f"{DECK}.{language}.canvas.zip"))
    top = root.find("assessment/section[@ident='root_section']")
    assert top is not None
    by_id: dict[str, ET.Element] = {}
    topics = []
    for section in top.findall("section"):
        # A section with a selection is a question group (AssessmentTestConverter
        # #process_section, parse_pick_count), every question picked, a point each.
        items = section.findall("item")
        selection = section.find("selection_ordering/selection")
        assert selection is not None
        assert selection.findtext("selection_number") == str(len(items))
        assert selection.findtext("selection_extension/points_per_item") == "1.0"
        topic = next(t for t, title in data["topics"].items() if title == section.get("title"))
        topics.append(topic)
        for item in items:
            by_id[item.get("title") or ""] = item
            q = next(q for q in data["questions"] if q["id"] == item.get("title"))
            assert q["topic"] == topic
    assert topics == [t for t in data["topics"] if any(
        q["topic"] == t and q["type"] not in LEFT_OUT for q in data["questions"])]
    assert sorted(by_id) == sorted(q["id"] for q in data["questions"]
                                   if q["type"] not in LEFT_OUT)
    idents = [i.get("ident") for i in root.iter("item")]
    assert len(set(idents)) == len(idents)
    direction = data["direction"]
    kinds = set()
    for q in data["questions"]:
        if q["type"] in LEFT_OUT:
            continue
        item = by_id[q["id"]]
        kinds.add(q["type"])
        check_common(item, q, direction)
        stem = shown(mattext(item.find("presentation")))
        scores = conditions(item)
        lids = item.findall("presentation/response_lid")
        if q["type"] in ("multiple_choice", "comparison", "true_false"):
            # multiple_choice_response_str / multiple_choice_resprocessing: one response_lid
            # "response1", the right label's ident its one varequal, SCORE set to 100.
            assert stem == fold(q["instructions"], q["prompt"])
            assert len(lids) == 1 and lids[0].get("ident") == "response1"
            assert lids[0].get("rcardinality") == "Single"
            labels = label_texts(lids[0])
            (respident, values, action, value), = scores
            assert (respident, action, value) == ("response1", "Set", "100")
            # true/false: the set's own True and False, the right one as export json says.
            assert [shown(t) for t in labels.values()] == [fold(c) for c in q["choices"]]
            assert list(labels)[q["answer_index"]] == values[0]
            if q["type"] == "true_false":
                assert q["answer_index"] == (0 if q["statement_is_true"] else 1)
        elif q["type"] == "short_answer":
            # short_answer_response_str / short_answer_resprocessing: a response_str, every
            # accepted text a varequal of the one condition.
            assert stem == fold(q["instructions"], q["prompt"])
            assert item.find("presentation/response_str").get("ident") == "response1"
            (respident, values, action, value), = scores
            assert (respident, action, value) == ("response1", "Set", "100")
            assert values == typed_forms(q["accepted_answers"])
        elif q["type"] in ("cloze", "word_bank"):
            # multiple_dropdowns_response_lid: a response_lid "response_<blank>" per blank
            # [<blank>] of the text; FillInTheBlank#process_canvas: every label of a
            # fill-in-the-blank is a right answer (its text trimmed), a drop-down's right one
            # is the varequal of a condition that adds to SCORE.
            text = mattext(item.find("presentation"))
            blanks = re.findall(r"\[([A-Za-z0-9_]+)\]", text)
            assert [lid.get("ident") for lid in lids] == [f"response_{b}" for b in blanks]
            assert [s[0] for s in scores] == [f"response_{b}" for b in blanks]
            assert all(s[2] == "Add" for s in scores)
            passage = shown(re.sub(r"\[[A-Za-z0-9_]+\]", "_____", text))
            if q["type"] == "cloze":
                assert len(blanks) == 1
                assert [t.strip() for t in label_texts(lids[0]).values()] == \
                    typed_forms(q["accepted_answers"])
                assert passage == fold(q["instructions"], q["prompt"])
            else:
                assert passage == fold(q["instructions"], q["prompt"], *(
                    f"{g['text_before']}_____{g['text_after']}" for g in q["sentences"]))
                for lid, (_, values, _, _), g in zip(lids, scores, q["sentences"], strict=True):
                    labels = label_texts(lid)
                    assert list(labels.values()) == q["bank"]
                    assert labels[values[0]] == q["bank"][g["answer_index"]]
        elif q["type"] == "matching":
            # matching_response_lid / matching_resprocessing: a response_lid per item, every
            # partner its labels, the right partner's ident the condition's varequal.
            assert stem == fold(q["instructions"], q["prompt"])
            assert len(lids) == len(q["answer_pairs"]) == len(scores)
            for lid, (respident, values, action, _), (li, ri) in zip(
                    lids, scores, q["answer_pairs"], strict=True):
                assert respident == lid.get("ident") and action == "Add"
                assert shown(mattext(lid)) == fold(q["left"][li])
                labels = label_texts(lid)
                assert sorted(labels.values()) == sorted(q["right"])
                assert labels[values[0]] == q["right"][ri]
            assert meta(item)["original_answer_ids"].split(",") == \
                [lid.get("ident").removeprefix("response_") for lid in lids]
        else:
            raise AssertionError(f"a type the test does not know: {q['type']}")
    assert kinds == set(SHAPE)  # every type of the deck but ordering checked


def test_idents_are_stable_and_per_language(exported: Path, tmp_path: Path) -> None:
    """An item's ident derives from the deck, the language and the quizgen id (not from the
    seed or the text): Canvas matches what a course already has by it (the migration_id)."""
    en = assessment(members(exported / f"{DECK}.en.canvas.zip"))
    he = assessment(members(exported / f"{DECK}.he.canvas.zip"))
    run = quizgen("export", "canvas", "--out", tmp_path, "--content", ROOT / "content",
                  "--seed", "9", "--lang", "en")
    assert run.code == 0, run.err
    other = assessment(members(tmp_path / f"{DECK}.en.canvas.zip"))
    idents = {i.get("title"): i.get("ident") for i in en.iter("item")}
    assert {i.get("title"): i.get("ident") for i in other.iter("item")
            if i.get("title") in idents} == {
        t: idents[t] for t in (i.get("title") for i in other.iter("item")) if t in idents}
    assert not set(idents.values()) & {i.get("ident") for i in he.iter("item")}


def test_package_is_deterministic(exported: Path, tmp_path: Path) -> None:
    """The same question set gives the same bytes: fixed member times, order and modes."""
    run = quizgen("export", "canvas", "--out", tmp_path, "--content", ROOT / "content",
                  "--seed", "5", "--lang", "he")
    assert run.code == 0, run.err
    again = (tmp_path / f"{DECK}.he.canvas.zip").read_bytes()
    assert again == (exported / f"{DECK}.he.canvas.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc"))))
@example("[blank] {{ 7*7 }} <script>x</script> &amp; @@PLUGINFILE@@ $$x$$")
def test_any_text_stays_text(text: str) -> None:
    """Any text of a fact, as a mattext's HTML: the XML and the HTML parse (the migration tool
    reads the HTML as XML, MatText), the reader sees exactly the text, and it holds no bracket
    (a blank of Canvas's) nor tag of its own."""
    from quizgen.render.canvas import html_text

    node = ET.Element("material")
    ET.SubElement(node, "mattext", {"texttype": "text/html"}).text = \
        f'<div dir="ltr">{html_text(text)}</div>'
    inner = ET.fromstring(ET.tostring(node, encoding="unicode")).findtext("mattext") or ""
    assert "".join(ET.fromstring(inner).itertext()) == text
    assert "[" not in inner and "]" not in inner and inner.count("<") == 2


def test_blank_names_are_not_in_the_text() -> None:
    """A question's blanks are named after what its text does not hold: Canvas's sanitizer may
    turn a fact's ``&#91;blank&#93;`` into ``[blank]``, a second box of the same blank."""
    from quizgen.render.canvas import gap_name

    assert gap_name("Fill in the blank.", "In ", " the two signed.") == "blank"
    assert gap_name("Fill in the blank.", "a [blank] and [xblank_2] b", "") == "xxblank"
