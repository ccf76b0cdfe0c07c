"""``quizgen pdf`` checked with poppler: fonts embedded, text in logical order, keys complete.

Golden files: tests/golden/pdf/<lang>.<worksheet|key>.page1.txt hold pdftotext's text of the
first page of each language's worksheet and key. Regenerate them after an intended change with
``make golden`` (QUIZGEN_REGENERATE_GOLDEN=1 pytest tests/test_pdf.py -k golden), then read the
diff before committing it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, quizgen, require
from quizgen.commands.planning import EVERYTHING, plan
from quizgen.content import load_content
from quizgen.render.forms import sections

pytestmark = pytest.mark.slow

DECK = "afghanistan-russia"
BUNDLED = ROOT / "content" / DECK
LANGUAGES = ("en", "ar", "he")
GOLDEN = Path(__file__).resolve().parent / "golden" / "pdf"
REGENERATE = os.environ.get("QUIZGEN_REGENERATE_GOLDEN") == "1"
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\\s]")
# pdftotext writes the letters of an Arabic ligature glyph (lam-alef, lam-yeh...) in reverse
# order; the PDF's glyphs are right, so comparisons leave those letters out.
LIGATURE_LETTERS = re.compile("[\u0644\u0627\u0623\u0625\u0622\u0649\u064a\u0645]")


def needs_poppler() -> None:
    require(all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo")),
            "poppler's pdftotext, pdffonts and pdfinfo (apt-get install poppler-utils)")


def pdftotext(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def squeeze(text: str) -> str:
    """Text without whitespace and bidi marks (line breaks and embedding marks differ), and
    without the letters, marks and punctuation pdftotext may reorder in Arabic."""
    # Harakat move with their ligature; pdftotext puts neutral punctuation next to a number on
    # the number's side of a direction change ("17,098,242 :"), so punctuation is left out too.
    text = "".join(c for c in text if unicodedata.category(c)[0] not in "MPS")
    return LIGATURE_LETTERS.sub("", BIDI_MARKS.sub("", text))


def found_in(text: str, squeezed_page: str) -> bool:
    """Whether every piece of ``text`` is on the page. pdftotext rebuilds a line that mixes
    directions piece by piece (runs of one direction, clauses between commas) in its own order,
    so only the pieces can be compared."""
    pieces = re.split(r"[^\w\s]|(?<=[\u0590-\u06ff])\s*(?=[^\u0590-\u06ff\s])|"
                      r"(?<=[^\u0590-\u06ff\s])\s*(?=[\u0590-\u06ff])", text)
    return all(squeeze(p) in squeezed_page for p in pieces if squeeze(p))


# A PDF string (hex, or literal with pydyf's escapes), and a dictionary holding strings and
# dictionaries three deep: enough for WeasyPrint's structure elements and catalog.
_STRING = rb"<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\()])*\)"
_NESTED = rb"<<(?:" + _STRING + rb"|[^<>()])*>>"
for _ in range(3):
    _NESTED = rb"<<(?:" + _STRING + rb"|" + _NESTED + rb"|[^<>()])*>>"
_DICT = re.compile(_NESTED)


def pdf_objects(path: Path) -> bytes:
    """The PDF's bytes, each Flate stream inflated after it: WeasyPrint writes the structure
    tree and the catalog into a compressed object stream, where no byte of them is readable."""
    data = path.read_bytes()
    inflated = []
    for start in re.finditer(rb"stream\r?\n", data):
        try:
            inflated.append(zlib.decompressobj().decompress(data[start.end():]))
        except zlib.error:  # a JPEG, or "stream" inside other bytes
            continue
    return b"\n".join([data, *inflated])


def pdf_string(token: bytes) -> str:
    """A PDF string as text: hex with a UTF-16 byte order mark, or a literal one."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(token[1:-1].decode())
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    return re.sub(rb"\\(.)", rb"\1", token[1:-1], flags=re.DOTALL).decode("latin-1")


def pdf_dicts(path: Path, key: bytes) -> list[bytes]:
    """The dictionaries of the PDF holding ``key`` (``/S /Figure``, ``/Type /Catalog``)."""
    pattern = re.compile(re.escape(key).replace(rb"\ ", rb"\s*") + rb"(?![\w])")
    return [d for d in _DICT.findall(pdf_objects(path)) if pattern.search(d)]


def entry(dictionary: bytes, name: bytes) -> str | None:
    """A string entry of a dictionary (``/Alt``, ``/Lang``), or None."""
    found = re.search(rb"/" + name + rb"\s*(" + _STRING + rb")", dictionary)
    return pdf_string(found[1]) if found else None


def figures_alt(path: Path) -> list[str | None]:
    """Each Figure structure element's alt text, in the order of the structure tree."""
    return [entry(d, b"Alt") for d in pdf_dicts(path, b"/S /Figure")]


def tagged_language(path: Path) -> str | None:
    """The PDF's /Lang, when it is a tagged PDF (a structure tree, marked content), else None."""
    catalogs = pdf_dicts(path, b"/Type /Catalog")
    assert len(catalogs) == 1, catalogs
    catalog = catalogs[0]
    if b"/StructTreeRoot" not in catalog or not re.search(rb"/Marked\s*true", catalog):
        return None
    return entry(catalog, b"Lang")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs_poppler()
    out = tmp_path_factory.mktemp("pdf")
    for args in (("--versions", "2"), ()):
        run = quizgen("pdf", "--out", out, "-q", *args,
                      env={"SOURCE_DATE_EPOCH": "1760000000"})
        assert run.code == 0, run.err
        assert "Traceback" not in run.err
    return out


@pytest.fixture(scope="module")
def forms() -> dict[tuple[str, int | None], list[dict]]:
    """The questions of each language and form, in the order the worksheets print them."""
    [deck] = plan(load_content(BUNDLED), seed=0, selection={**EVERYTHING, "count": 20})
    out = {}
    for language, data, _ in deck.rendered(None):
        for form in (None, 0, 1):
            out[language, form] = [q.json_data() for _, group in sections(
                data.questions, seed=0, form=form) for q in group]
    return out


def probe(question: dict) -> str:
    """A piece of text that shows where a question is on the page."""
    if question["type"] == "cloze":
        text = question["text_before"] or question["text_after"]
    elif question["type"] == "ordering":
        text = question["items"][0]
    elif question["type"] == "matching":
        text = question["left"][0]
    elif question["type"] == "word_bank":
        first = question["sentences"][0]
        text = first["text_before"] or first["text_after"]
    else:
        text = question["prompt"]
    # The first words only: pdftotext may put a wrapped line of Arabic before the line it
    # continues (a tanween above the letters lifts it), so a probe must not span two lines.
    return squeeze(" ".join(text.split()[:3]))[:18]


def file_name(language: str, form: int | None, kind: str) -> str:
    middle = "" if form is None else "." + "AB"[form]
    return f"{DECK}.{language}{middle}.{kind}.pdf"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_bundled_and_embedded(built: Path, language: str) -> None:
    for kind in ("worksheet", "key"):
        out = subprocess.run(["pdffonts", str(built / file_name(language, None, kind))],
                             capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:]]
        assert rows
        for row in rows:
            assert re.fullmatch(r"[A-Z]{6}\+quizgen-(Sans|Arabic|Hebrew)(-Bold|-Italic)?", row[0])
            assert row[-5] == "yes", row  # emb


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", [None, 0, 1])
def test_worksheet_text_is_in_logical_order(built: Path, forms: dict, language: str,
                                            form: int | None) -> None:
    text = squeeze(pdftotext(built / file_name(language, form, "worksheet")))
    questions = forms[language, form]
    assert len(questions) == 20
    position = -1
    for number, question in enumerate(questions, start=1):
        found = text.find(probe(question), position + 1)
        assert found > position, (number, question["id"], probe(question))
        position = found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", [None, 0, 1])
def test_key_holds_every_answer_and_locator(built: Path, forms: dict, language: str,
                                            form: int | None) -> None:
    text = squeeze(pdftotext(built / file_name(language, form, "key")))
    for question in forms[language, form]:
        if question["type"] == "ordering":
            answers = question["answer"]
        elif question["type"] == "matching":
            answers = [right for _, right in question["answer"]]
        elif question["type"] == "word_bank":
            answers = [*question["answer"], *question["unused"]]
        else:
            answers = [question["answer"]]
        for answer in answers:
            # An event to order may wrap in its cell, and pdftotext may put a wrapped Arabic
            # line first: such an answer is probed two words at a time.
            words = answer.split()
            probes = ([" ".join(words[i:i + 2]) for i in range(0, len(words), 2)]
                      if question["type"] == "ordering" else [answer])
            assert all(found_in(p, text) for p in probes), (question["id"], answer)
        for cite in question["sources"]:
            assert found_in(cite["locator_text"], text), (question["id"], cite["locator_text"])
            # A quote may wrap too: its first words.
            first = " ".join(cite["quote"].split()[:3])
            assert found_in(first, text), (question["id"], cite["quote"])
            if cite["quote_language"] != language:  # and what it says, in the key's language
                said = " ".join(cite["statement"].split()[:3])
                assert found_in(said, text), (question["id"], cite["statement"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_versions_differ_in_order_and_hold_the_same_questions(built: Path, forms: dict,
                                                              language: str) -> None:
    first, second = forms[language, 0], forms[language, 1]
    assert sorted(q["id"] for q in first) == sorted(q["id"] for q in second)
    assert [q["id"] for q in first] != [q["id"] for q in second]
    pages = [squeeze(pdftotext(built / file_name(language, f, "worksheet"))) for f in (0, 1)]
    assert pages[0] != pages[1]
    # Each form's key gives the answer letter of that form's option order.
    by_id = {q["id"]: q for q in second}
    moved = [q for q in first if q["type"] == "multiple_choice"
             and q["answer_index"] != by_id[q["id"]]["answer_index"]]
    assert moved, "no multiple-choice answer moved between the forms"


_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                    "\u2066\u2067\u2068\u2069"))


def golden_words(text: str) -> list[list[str]]:
    """The words of each non-empty line, without bidi marks."""
    lines = (line.translate(_BIDI_MARKS).split() for line in text.splitlines())
    return [line for line in lines if line]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["worksheet", "key"])
def test_first_page_matches_golden(built: Path, language: str, kind: str) -> None:
    text = pdftotext(built / file_name(language, None, kind), first=1)
    golden = GOLDEN / f"{language}.{kind}.page1.txt"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run make golden"
    # Compared as the words in their order: the bidi marks and spacing that pdftotext adds
    # differ between poppler releases, and are not quizgen's.
    assert golden_words(text) == golden_words(golden.read_text(encoding="utf-8")), (
        f"{kind} page 1 ({language}) differs from {golden.name}; if the change is intended, "
        "run make golden and review the diff")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["worksheet", "key"])
def test_every_pdf_is_tagged_in_its_language(built: Path, language: str, kind: str) -> None:
    """Worksheets and keys are tagged PDFs (poppler says so), /Lang the deck language, their
    structure tree headings, sections and tables."""
    path = built / file_name(language, None, kind)
    assert tagged_language(path) == language
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, flags=re.MULTILINE), info
    tree = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    assert tree[0] == "Document" and tree[1].strip().startswith("H1"), tree[:3]
    elements = {line.split()[0].rstrip(":") for line in tree if line.strip()}
    assert {"H2", "Sect", "Table", "TR", "TD", "P", "Span"} <= elements, elements
    assert "Figure" not in elements  # the bundled deck shows no image


def _grid_answers(question: dict) -> list[str]:
    """What the answer grid shows of a question, as words to look for (single letters and
    numbers are left to the row count)."""
    if question["type"] in {"cloze", "short_answer", "multiple_choice", "true_false",
                            "comparison"}:
        return [question["answer"]]
    if question["type"] == "word_bank":
        return question["answer"]
    return []


@pytest.mark.parametrize(("seed", "paper"), [(1, "a4"), (2, "letter")])
def test_a_25_question_keys_first_page_is_the_whole_grid(tmp_path: Path, seed: int,
                                                          paper: str) -> None:
    """The teacher marks from the first page: every question's answer, 1 to 25, and nothing
    else; the full key starts on the next page."""
    needs_poppler()
    run = quizgen("pdf", "--count", "25", "--seed", str(seed), "--paper", paper, "--out",
                  tmp_path, "-q")
    assert run.code == 0, run.err
    [deck] = plan(load_content(BUNDLED), seed=seed, selection={**EVERYTHING, "count": 25})
    for language, data, _ in deck.rendered(None):
        ordered = [q.json_data() for _, group in sections(data.questions, seed=seed, form=None)
                   for q in group]
        assert len(ordered) == 25
        key = tmp_path / file_name(language, None, "key")
        first = pdftotext(key, first=1)
        # "12." (a right-to-left line comes out of pdftotext as ".12")
        numbers = [int(a or b) for a, b in re.findall(r"(?<![\d,.])(\d+)\.(?!\d)|"
                                                      r"(?<![\d,])\.(\d+)(?![\d,.])", first)]
        assert set(range(1, 26)) <= set(numbers), (language, sorted(set(numbers)))
        page = squeeze(first)
        for question in ordered:
            for answer in _grid_answers(question):
                assert found_in(answer, page), (language, question["id"], answer)
            for cite in question["sources"]:  # the quotes come after, in the full key
                words = cite["quote"].split()
                if len(words) >= 4:  # not an infobox's figure, which may be the answer
                    assert not found_in(" ".join(words[:4]), page), question["id"]
        second = squeeze(pdftotext(key, first=2))
        assert found_in(ordered[0]["instructions"], second), language


PRINT = """
print:
  school: Riverside School
  class: 9B
  teacher: Ms. Levi
  student_number: true
  points: {matching: 2, cloze: 3}
  instructions: {en: Answer every question., ar: أجب عن جميع الأسئلة., he: ענו על כל השאלות.}
"""


def test_the_header_the_deck_and_the_options_print(sample_deck: Path, tmp_path: Path) -> None:
    """print: in deck.yaml fills the header, pdf's options override it; each section says
    what an answer earns, the score box and the key's grid give the same total; the name's
    field is on every page after the first."""
    needs_poppler()
    deck = sample_deck / "deck.yaml"
    deck.write_text(deck.read_text("utf-8") + PRINT, encoding="utf-8")
    run = quizgen("pdf", "--content", sample_deck, "--count", "all", "--out", tmp_path, "-q",
                  "--teacher", "Mr. Amir", "--date", "1 December 2026",
                  "--instructions", "he:ענו בעט.")
    assert run.code == 0, run.err
    [loaded] = load_content(sample_deck)
    [planned] = plan([loaded], seed=0, selection=EVERYTHING)
    questions = {lang: data.questions for lang, data, _ in planned.rendered(None)}
    for language, words in (("en", ("Riverside School", "9B", "Mr. Amir", "1 December 2026",
                                    "Answer every question", "Student no")),
                            ("he", ("Riverside School", "9B", "Mr. Amir", "1 December 2026",
                                    "ענו בעט", "מס׳ תלמיד"))):
        sheet = squeeze(pdftotext(tmp_path / f"sample.{language}.worksheet.pdf"))
        for word in words:
            assert found_in(word, sheet), (language, word)
        assert not found_in("Ms. Levi", sheet)  # the option wins
        assert not found_in("ענו על כל השאלות" if language == "he" else "ענו בעט", sheet)
        points = {"cloze": 3}
        total = sum(points.get(q.type, 1) for q in questions[language])
        assert found_in(f"/ {total}", sheet), (language, total)
        key = pdftotext(tmp_path / f"sample.{language}.key.pdf", first=1)
        assert re.search(rf"(?<!\d){total}(?!\d)", key), (language, total)
    english = pdftotext(tmp_path / "sample.en.worksheet.pdf")
    assert "(3 points per answer)" in english and "(1 point per answer)" in english


def test_the_name_is_on_every_page_of_a_sheet(tmp_path: Path) -> None:
    needs_poppler()
    run = quizgen("pdf", "--lang", "en", "--out", tmp_path, "-q")
    assert run.code == 0, run.err
    sheet = tmp_path / file_name("en", None, "worksheet")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(sheet)], capture_output=True, text=True, check=True).stdout)[1])
    assert pages >= 2
    for page in range(1, pages + 1):
        assert "Name:" in pdftotext(sheet, first=page), page
    key = tmp_path / file_name("en", None, "key")
    assert "Name:" not in pdftotext(key, first=2)


def test_instructions_per_language(tmp_path: Path) -> None:
    """`--instructions TEXT` is every language's paragraph, `he:TEXT` Hebrew's alone; a tag that
    is not a language of the deck, an empty text or a language given twice: an error, nothing
    written."""
    from quizgen.render.pdf import Header, split_instructions

    given = ("Answer in pen.", "he:ענו בעט.", "ar: أجب بالقلم.")
    assert split_instructions(given) == {None: "Answer in pen.", "he": "ענו בעט.",
                                         "ar": "أجب بالقلم."}
    assert Header.of(None, "en", {"instructions": given}).instructions == "Answer in pen."
    assert Header.of(None, "he", {"instructions": given}).instructions == "ענו בעט."
    assert Header.of(None, "he", {"instructions": ("Note: in pen.",)}).instructions == \
        "Note: in pen."
    for bad in (("xx:text",), ("he:",), ("he:a", "he:b"), ("a", "b")):
        run = quizgen("pdf", "--count", "3", "--out", tmp_path, "-q",
                      *[part for value in bad for part in ("--instructions", value)])
        assert run.code == 1, (bad, run.err)
        assert "--instructions" in run.err and "Traceback" not in run.err, run.err
        assert not list(tmp_path.iterdir())


def test_points_for_an_unknown_type_are_a_located_error(sample_deck: Path) -> None:
    deck = sample_deck / "deck.yaml"
    deck.write_text(deck.read_text("utf-8") + "print:\n  points: {matchin: 2}\n",
                    encoding="utf-8")
    run = quizgen("check", "--content", sample_deck)
    assert run.code == 1
    assert re.search(r"deck\.yaml:\d+:\d+: .*\"matchin\" is not a question type", run.err)
    assert "Traceback" not in run.err


def test_same_input_same_bytes(built: Path, tmp_path: Path) -> None:
    run = quizgen("pdf", "--lang", "he", "--out", tmp_path, "-q",
                  env={"SOURCE_DATE_EPOCH": "1760000000"})
    assert run.code == 0, run.err
    for kind in ("worksheet", "key"):
        name = file_name("he", None, kind)
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()


def test_paper_size_and_progress(tmp_path: Path) -> None:
    needs_poppler()
    run = quizgen("pdf", "--lang", "en", "--paper", "letter", "--count", "3", "--out", tmp_path)
    assert run.code == 0, run.err
    assert "rendering 2 PDFs" in run.err.splitlines()  # the bar's line in a log; -q: silent
    info = subprocess.run(["pdfinfo", str(tmp_path / file_name("en", None, "worksheet"))],
                          capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_a_glyph_the_fonts_lack_fails_the_build(sample_deck: Path, tmp_path: Path) -> None:
    facts = sample_deck / "facts" / "a.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "signed their treaty in", "signed their 漢 treaty in"), encoding="utf-8")
    out = tmp_path / "out"
    run = quizgen("pdf", "--content", sample_deck, "--out", out, "--lang", "en", "-q")
    assert run.code == 1
    assert 'no font of quizgen\'s can print "漢" U+6F22 (CJK UNIFIED IDEOGRAPH-6F22);' in run.err
    assert "Traceback" not in run.err
    assert not out.exists()


def test_documents_reach_only_the_package_assets() -> None:
    """The URL fetcher serves quizgen's fonts and styles and data: URIs, nothing else."""
    from quizgen.errors import QuizgenError
    from quizgen.render.pdf import Document, font_configuration, to_pdf

    for tag in ('<img src="file:///etc/passwd">', '<link rel="attachment" href="file:///etc/hosts">',
                '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
                '<img src="../../../../../../etc/passwd">'):
        with pytest.raises(QuizgenError, match="refused to load"):
            to_pdf(Document("x.pdf", "worksheet", f"<html><body>{tag}<p>x</p></body></html>"),
                   fonts=font_configuration())
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
             "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    data = to_pdf(Document("x.pdf", "worksheet",
                           f'<html><body><img src="{pixel}"><p>x</p></body></html>'),
                  fonts=font_configuration())
    assert data.startswith(b"%PDF")


def test_a_long_title_is_cut_before_the_forms_name(sample_deck: Path) -> None:
    """The running header keeps one line by cutting the deck's title, never the form's name
    or "Answer key" after it (Arabic letters count wider than Latin ones)."""
    from quizgen.render.pdf import Renderer

    deck = sample_deck / "deck.yaml"
    deck.write_text(deck.read_text("utf-8").replace(
        "ar: ", "ar: " + "عنوان طويل جدا عن العلاقات بين البلدين " * 4, 1), encoding="utf-8")
    [loaded] = load_content(sample_deck)
    [planned] = plan([loaded], seed=0, selection=EVERYTHING)
    [(_, data, catalog)] = [r for r in planned.rendered(None) if r[0] == "ar"]
    documents = Renderer(data, catalog).documents(versions=2, paper="a4", seed=0,
                                                  created="2025-10-09T00:00:00Z")
    for document, form in zip(documents, ("أ", "أ", "ب", "ب"), strict=True):
        running = re.search(r'@top-right \{ content: "([^"]*)"', document.html)[1]
        assert "…" in running, running
        assert running.endswith(catalog.text("form", form=form) + (
            "" if document.kind == "worksheet" else " · " + catalog.text("answer_key"))), running


@pytest.mark.parametrize("language", LANGUAGES)
def test_accepted_answers_break_between_words(tmp_path: Path, language: str) -> None:
    """The key's "also accepted" lists wrap between words: every word of every accepted answer
    is on the page whole (one span per answer, or per run of answers in the other direction,
    made WeasyPrint break "more" as "mo|re" and "Northern" as "Nor|thern" at a line's end),
    and no two separators stand together. Arabic words are left out: pdftotext splits them at
    some ligatures."""
    needs_poppler()
    run = quizgen("pdf", "--count", "all", "--lang", language, "--out", tmp_path, "-q")
    assert run.code == 0, run.err
    text = re.sub(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069]", " ",
                  pdftotext(tmp_path / file_name(language, None, "key")))
    words = set(re.findall(r"\w+", text))
    [deck] = plan(load_content(BUNDLED), seed=0, selection=EVERYTHING)
    [(_, data, _)] = [r for r in deck.rendered(None) if r[0] == language]
    wanted = {word for q in data.questions for answer in getattr(q, "accepted_answers", [])[1:]
              for word in re.findall(r"\w+", answer) if len(word) >= 4 and word.isalpha()
              and not re.search(r"[\u0600-\u06ff]", word)}
    assert len(wanted) > (50 if language != "ar" else 10), wanted
    assert sorted(wanted - words) == []
    # Each answer of the other direction isolated on its own: answers isolated together took
    # their separator across a line's break ("Antony Blinken / /" in the Arabic key).
    # on one line (not "https://"; a line's last and the next line's first may both be one)
    doubled = re.search(r"(?<!\S)/[^\S\n]+/(?!\S)", text)
    assert doubled is None, text[doubled.start() - 40:doubled.end() + 40]


def test_word_bank_blanks_are_as_long_as_the_widest_word_needs() -> None:
    """A word bank's blanks follow the cloze's rule (``blank_mm``: handwriting, in steps), all
    as long as its widest word needs, so that a blank's length tells nothing of its word."""
    from quizgen.render.common import blank_mm
    from quizgen.render.pdf import Renderer

    [deck] = plan(load_content(BUNDLED), seed=0, selection={**EVERYTHING, "types": ["word_bank"]})
    checked = 0
    for _, data, catalog in deck.rendered(None):
        [sheet, _] = Renderer(data, catalog).documents(versions=1, paper="a4", seed=0,
                                                       created="2025-10-09T00:00:00Z")
        widths = [int(w) for w in re.findall(r'class="blank" style="width: (\d+)mm"', sheet.html)]
        expected = [max(blank_mm(word) for word in q.bank) for q in data.questions
                    for _ in q.sentences]
        assert sorted(widths) == sorted(expected) and expected, data.language
        checked += len(expected)
    assert checked > 30
