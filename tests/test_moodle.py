"""Moodle XML as Moodle's importer reads it. No Moodle runs here: the tests encode the rules of
its importer (question/format/xml/format.php, the question types' import_from_xml, and
qtype_multianswer_extract_question; docs/lms.md lists them) and read the exported files of the
bundled deck, in every language, with them, against export json."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, quizgen
from conftest import lms_typed_forms as typed_forms

# question_bank::fraction_options, as the percentages of an answer's `fraction`.
FRACTIONS = {"100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
             "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0"}
# The formats trans_format knows (anything else is read as html, with a debugging notice).
FORMATS = {"moodle_auto_format", "html", "plain_text", "wiki_like", "markdown"}
# import_question: the types the XML importer reads itself; gapselect and ordering are read by
# their question types' import_from_xml (core since Moodle 4.4 for ordering).
TYPES = {"category", "multichoice", "truefalse", "shortanswer", "matching", "cloze",
         "gapselect", "ordering"}

# qtype_multianswer_extract_question's regular expressions (question/type/multianswer/
# questiontype.php), the SHORTANSWER kinds only; PHP's variable-width look-behind written as
# three.
_ALT_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_ALT_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALT = rf"(=|%(-?[0-9]+(?:[.,][0-9]*)?)%)?({_ALT_ANSWER})(#({_ALT_FEEDBACK}))?"
_GAP = re.compile(r"\{([0-9]*):(SHORTANSWER|SA|MW|SHORTANSWER_C|SAC|MWC|NUMERICAL|NM|"
                  r"MULTICHOICE|MC|MULTICHOICE_V|MCV|MULTICHOICE_H|MCH):"
                  rf"({_ALT}(~{_ALT})*)\}}", re.DOTALL)
_ONE_ALT = re.compile(rf"~?{_ALT}", re.DOTALL)


def cloze_gaps(text: str) -> tuple[str, list[tuple[str, list[tuple[str, str]]]]]:
    """A cloze's question text with each gap as `{#n}`, and each gap's kind and (fraction,
    answer) alternatives, as qtype_multianswer_extract_question reads them: the answer ends at
    an unescaped ~ # }, is HTML-decoded, then \\} and \\# are undone."""
    gaps = []
    while (found := _GAP.search(text)) is not None:
        rest = found.group(3)
        alternatives = []
        while rest and (alt := _ONE_ALT.match(rest)) is not None:
            fraction = "100" if alt.group(1) == "=" else alt.group(2) or "0"
            answer = html.unescape(alt.group(3)).replace("\\}", "}").replace("\\#", "#")
            alternatives.append((fraction, answer))
            rest = rest[alt.end():]
        gaps.append((found.group(2), alternatives))
        text = text[:found.start()] + f"{{#{len(gaps)}}}" + text[found.end():]
    return text, gaps


def shown(text: str) -> str:
    """What a reader sees of HTML: its text, the whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def fold(*texts: str) -> str:
    return " ".join(" ".join(texts).split())


def text_of(node: ET.Element, *path: str) -> str:
    """getpath(..., ['#', tag, 0, '#', 'text', 0, '#'], '', true): trimmed, '' when absent."""
    for tag in path:
        found = node.find(tag)
        if found is None:
            return ""
        node = found
    found = node.find("text")
    return (found.text or "").strip() if found is not None else ""


def wildcard_literal(answer: str) -> str:
    """A short answer's answer as the text it matches: `\\*` is a literal asterisk
    (qtype_shortanswer::compare_string_with_wildcard)."""
    assert re.search(r"(?<!\\)\*", answer) is None, f"an unescaped wildcard: {answer!r}"
    return answer.replace("\\*", "*")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("moodle")
    for fmt in ("json", "moodle"):
        run = quizgen("export", fmt, "--out", out, "--content", ROOT / "content", "--seed", "5")
        assert run.code == 0, run.err
        assert "left out" not in run.err + run.out  # Moodle has every type of the deck
    return out


def check_common(node: ET.Element, q: dict[str, Any], direction: str) -> None:
    """import_headers: a name (xmlimportnoname otherwise), the question text and general
    feedback with a format it knows, the idnumber; the feedback tells the explanation and
    every citation's title, place and quote; the text carries the language's direction."""
    assert text_of(node, "name") == q["id"]
    assert node.findtext("idnumber") == q["id"]
    for tag in ("questiontext", "generalfeedback"):
        part = node.find(tag)
        assert part is not None and part.get("format") == "html", tag
        assert re.match(rf'<div dir="{direction}" lang="\w+">', text_of(node, tag)), tag
    feedback = shown(text_of(node, "generalfeedback"))
    assert fold(q["explanation"]) in feedback
    for cite in q["sources"]:
        for part in (cite["title"], cite["locator_text"], cite["quote"]):
            assert fold(part) in feedback, (q["id"], part)
    for answer in node.findall("answer"):
        if node.get("type") != "ordering":  # there, `fraction` is the place
            assert answer.get("fraction") in FRACTIONS
        if answer.get("format") is not None:
            assert answer.get("format") in FORMATS


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_moodle_xml_reads_as_the_question_set(exported: Path, language: str) -> None:
    """Every question, each in its type's shape, with the answers and feedback of export json;
    a category per topic before its questions."""
    data = json.loads((exported / f"afghanistan-russia.{language}.json").read_text("utf-8"))
    root = ET.parse(exported / f"afghanistan-russia.{language}.moodle.xml").getroot()
    assert root.tag == "quiz"  # readquestions reads $xml['quiz']['#']['question']
    nodes = root.findall("question")
    assert {n.get("type") for n in nodes} <= TYPES
    categories = [text_of(n, "category") for n in nodes if n.get("type") == "category"]
    assert categories == [f"$course$/quizgen/afghanistan-russia/{language}/{t}"
                          for t in data["topics"]
                          if any(q["topic"] == t for q in data["questions"])]
    by_id = {text_of(n, "name"): n for n in nodes if n.get("type") != "category"}
    assert sorted(by_id) == sorted(q["id"] for q in data["questions"])
    category = ""
    for n in nodes:  # each question in its topic's category
        if n.get("type") == "category":
            category = text_of(n, "category")
        else:
            topic = next(q["topic"] for q in data["questions"] if q["id"] == text_of(n, "name"))
            assert category.endswith(f"/{topic}")
    direction = data["direction"]
    kinds = set()
    for q in data["questions"]:
        node = by_id[q["id"]]
        kinds.add(q["type"])
        check_common(node, q, direction)
        stem = shown(text_of(node, "questiontext"))
        answers = node.findall("answer")
        kind = node.get("type")
        if q["type"] in ("multiple_choice", "comparison"):
            assert kind == "multichoice" and node.findtext("single") == "true"
            assert stem == fold(q["instructions"], q["prompt"])
            assert [(shown(text_of(a)), a.get("fraction")) for a in answers] == \
                [(fold(c), "100" if i == q["answer_index"] else "0")
                 for i, c in enumerate(q["choices"])]
        elif q["type"] == "true_false":
            assert kind == "truefalse" and stem == fold(q["instructions"], q["prompt"])
            # import_truefalse: the answers `true` and `false`, the right one at fraction 100.
            assert {text_of(a): a.get("fraction") for a in answers} == {
                "true": "100" if q["statement_is_true"] else "0",
                "false": "0" if q["statement_is_true"] else "100"}
        elif q["type"] == "short_answer":
            assert kind == "shortanswer" and node.findtext("usecase") == "0"
            assert stem == fold(q["instructions"], q["prompt"])
            # import_answer without files: the answer is plain text.
            assert [(wildcard_literal(text_of(a)), a.get("fraction")) for a in answers] == \
                [(a, "100") for a in typed_forms(q["accepted_answers"])]
        elif q["type"] == "cloze":
            assert kind == "cloze"
            text, gaps = cloze_gaps(text_of(node, "questiontext"))
            assert len(gaps) == 1 and gaps[0][0] == "SHORTANSWER"  # usecase 0
            assert [(f, wildcard_literal(a)) for f, a in gaps[0][1]] == \
                [("100", a) for a in typed_forms(q["accepted_answers"])]
            assert shown(text.replace("{#1}", "_____")) == fold(q["instructions"], q["prompt"])
        elif q["type"] == "matching":
            assert kind == "matching"
            subs = node.findall("subquestion")
            assert [(shown(text_of(s)), text_of(s, "answer")) for s in subs] == \
                [(fold(q["left"][li]), q["right"][ri]) for li, ri in q["answer_pairs"]]
        elif q["type"] == "ordering":
            # qtype_ordering::import_from_xml: the answers in their right order, all shown.
            assert kind == "ordering" and node.findtext("selecttype") == "ALL"
            assert node.findtext("selectcount") == str(len(q["items"]))
            assert [shown(text_of(a)) for a in answers] == [fold(a) for a in q["answer"]]
        elif q["type"] == "word_bank":
            # qtype_gapselect: [[n]] is right with the n-th selectoption, offered with the
            # options of its group.
            assert kind == "gapselect"
            options = node.findall("selectoption")
            assert [shown(text_of(o)) for o in options] == [fold(w) for w in q["bank"]]
            assert {o.findtext("group") for o in options} == {"1"}
            text = text_of(node, "questiontext")
            assert [int(n) - 1 for n in re.findall(r"\[\[(\d+)]]", text)] == \
                [g["answer_index"] for g in q["sentences"]]
            passage = re.sub(r"\[\[\d+]]", "_____", text)
            assert shown(passage) == fold(q["instructions"], q["prompt"], *(
                f"{g['text_before']}_____{g['text_after']}" for g in q["sentences"]))
        else:
            pytest.fail(f"a type this test does not know: {q['type']}")
        assert cloze_gaps(text_of(node, "questiontext"))[1] == [] or kind == "cloze"
    assert kinds >= {"multiple_choice", "comparison", "true_false", "short_answer", "cloze",
                     "matching", "ordering", "word_bank"}


GAP_TEXT = st.text(st.sampled_from("~#{}=*\\&;<>\"'/%:") | st.characters(
    exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda t: t.strip() == t and t.strip())


@settings(max_examples=300, deadline=None)
@example(text="a}b~c#d")
@example(text="AT&")
@example(text="&amp;")
@example(text="x*y")
@given(text=GAP_TEXT)
def test_a_cloze_gap_holds_any_answer(text: str) -> None:
    """Any accepted answer reads back unchanged from a gap, as the importer reads it, or is
    one the writer leaves out (a backslash)."""
    from quizgen.render.moodle import gap_answer, gap_carried

    if not gap_carried(text):
        assert "\\" in text
        return
    written = f"<p>x {{1:SHORTANSWER:={gap_answer(text)}~=other}} y</p>"
    rest, gaps = cloze_gaps(written)
    assert rest == "<p>x {#1} y</p>"
    assert [(f, wildcard_literal(a)) for f, a in gaps[0][1]] == [("100", text),
                                                                   ("100", "other")]


# A fact's text cannot hold "[[" or "]]" (its answer's marker): the drop-down gap is tested on
# the writer's own (test_no_markup_of_moodle_in_html_text).
HOSTILE = ('<script>alert(1)</script> {1:SHORTANSWER:=x} @@PLUGINFILE@@/a.png $$x$$ '
           '{mlang en}y{mlang} &amp; <img src=x onerror=alert(1)>')


@settings(max_examples=200, deadline=None)
@example(text="[[1]] {1:MC:=a~b} @@PLUGINFILE@@ $$x$$ ]]> <b>")
@given(text=st.text(st.sampled_from("[]{}@$<>&;:=~#1") | st.characters(
    exclude_categories=("Cs", "Cc")), max_size=40))
def test_no_markup_of_moodle_in_html_text(text: str) -> None:
    """HTML text shows exactly the text, and holds none of Moodle's own markup: no gap of a
    cloze or of a drop-down question, no file link, no TeX, no tag."""
    from quizgen.render.moodle import html_text

    written = html_text(text)
    assert html.unescape(written) == text
    assert cloze_gaps(written)[1] == []
    for mark in ("[[", "]]", "@@", "$$", "<", "{"):
        assert mark not in written


def test_hostile_text_stays_text(sample_deck: Path, tmp_path: Path) -> None:
    """A fact's text with markup, a cloze gap, a drop-down gap and an end of CDATA in it: the
    XML parses, every question has its own gaps only, and shows the text as typed."""
    facts = sample_deck / "facts" / "a.yaml"
    text = facts.read_text(encoding="utf-8")
    line = "en: Northland and Southland signed their treaty in [[1921]]."
    assert line in text
    hostile = f"Northland and Southland signed their {HOSTILE} treaty in [[1921]]."
    facts.write_text(text.replace(line, f"en: {json.dumps(hostile)}"), encoding="utf-8")
    for fmt in ("json", "moodle"):
        run = quizgen("export", fmt, "--content", sample_deck, "--out", tmp_path, "--lang", "en")
        assert run.code == 0, run.err
    data = {q["id"]: q for q in json.loads((tmp_path / "sample.en.json")
                                           .read_text("utf-8"))["questions"]}
    root = ET.parse(tmp_path / "sample.en.moodle.xml").getroot()
    nodes = [n for n in root.findall("question") if n.get("type") != "category"]
    assert sorted(text_of(n, "name") for n in nodes) == sorted(data)
    stems = 0
    for node in nodes:
        q = data[text_of(node, "name")]
        for tag in ("questiontext", "generalfeedback"):
            part = text_of(node, tag)
            assert "<script" not in part and "<img" not in part
            assert "@@PLUGINFILE@@" not in part and "$$" not in part
            assert "{mlang" not in part
        gaps = cloze_gaps(text_of(node, "questiontext"))[1]
        assert len(gaps) == (1 if node.get("type") == "cloze" else 0)
        assert (fold(HOSTILE) in shown(text_of(node, "generalfeedback"))) is \
            (HOSTILE in q["explanation"])
        question = text_of(node, "questiontext")
        stems += fold(HOSTILE) in shown(cloze_gaps(question)[0])
    assert stems


def test_an_idnumber_longer_than_moodles_is_left_out_and_said(tmp_path: Path) -> None:
    """Moodle's idnumber holds 100 characters (question_bank_entries.idnumber): a longer one
    would fail the import's insert, so the question goes without, and it is said. (A
    comparison's id joins two fact ids of up to 80 characters each.)"""
    from quizgen.qtypes import RenderedSet
    from quizgen.render.moodle import write

    run = quizgen("export", "json", "--content", ROOT / "tests" / "fixtures" / "base", "--out",
                  tmp_path, "--lang", "en")
    assert run.code == 0, run.err
    data = RenderedSet.model_validate(json.loads((tmp_path / "sample.en.json")
                                                 .read_text("utf-8")))
    long_id = "a" * 101
    data.questions[0].id = long_id

    class Catalog:
        def text(self, key: str, **fields: object) -> str:
            return key

    written = write(data, Catalog())  # type: ignore[arg-type]
    root = ET.fromstring(written.data)
    nodes = [n for n in root.findall("question") if n.get("type") != "category"]
    assert len(nodes) == len(data.questions)
    for node in nodes:
        name = text_of(node, "name")
        assert node.findtext("idnumber") == (None if name == long_id else name)
    assert [(left.type, left.count) for left in written.left_out] == \
        [(f"{data.questions[0].type} idnumber", 1)]
    assert "100 characters" in written.left_out[0].reason
