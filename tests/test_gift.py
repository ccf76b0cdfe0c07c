"""GIFT as an independent parser reads it: gift-pegjs (npm, tests/js) parses the exported files of
the bundled deck in every language, and finds the questions, answers and feedback of export json."""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, npm_package, quizgen
from conftest import lms_typed_forms as typed_forms

pytestmark = pytest.mark.slow


class GiftParser:
    """gift-pegjs in one node process (tests/js/gift-parse.js): a GIFT text in, its questions
    out."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(["node", str(ROOT / "tests" / "js" / "gift-parse.js")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8", cwd=ROOT / "tests" / "js")

    def parse(self, text: str) -> list[dict[str, Any]]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(text) + "\n")
        self.proc.stdin.flush()
        out = json.loads(self.proc.stdout.readline())
        assert "error" not in out, out["error"]
        questions: list[dict[str, Any]] = out["questions"]
        return questions

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def gift() -> Iterator[GiftParser]:
    npm_package("gift-pegjs")
    parser = GiftParser()
    yield parser
    parser.close()


def shown(value: dict[str, Any] | str | None) -> str:
    """What a reader sees of a parsed text: its HTML's text, the whitespace folded."""
    if isinstance(value, dict):
        text = value["text"] if value["format"] == "html" else html.escape(value["text"])
    else:
        text = value or ""
    return fold(html.unescape(re.sub(r"<[^>]+>", " ", text)))


def fold(*texts: str) -> str:
    """Texts joined, whitespace folded; none around a blank (gift-pegjs puts a space either
    side of the blank it writes in place of the answers, Moodle's importer none)."""
    return re.sub(r" ?_____ ?", "_____", " ".join(" ".join(texts).split()))


def directions(value: dict[str, Any]) -> set[str]:
    return set(re.findall(r'<div dir="(\w+)"', value["text"]))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lms")
    for fmt in ("json", "gift"):
        run = quizgen("export", fmt, "--out", out, "--content", ROOT / "content", "--seed", "3")
        assert run.code == 0, run.err
    return out


def check_feedback(parsed: dict[str, Any], q: dict[str, Any], direction: str) -> None:
    """The general feedback: the explanation, and each citation's title, place and quote."""
    feedback = parsed["globalFeedback"]
    assert feedback is not None and feedback["format"] == "html"
    assert directions(feedback) == {direction}
    text = shown(feedback)
    assert fold(q["explanation"]) in text
    for cite in q["sources"]:
        for part in (cite["title"], cite["locator_text"], cite["quote"]):
            assert fold(part) in text, (q["id"], part)


# gift-pegjs 1.0.2 leaves its placeholders of escaped characters in a matching question's
# partners (GIFT.pegjs: `Match`'s PlainText is not passed to its escapedCharacterDecode); Moodle's
# importer turns them back (qformat_gift::escapedchar_post on each subanswer), as this does.
PLACEHOLDERS = {"&&092;": "\\", "&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{",
                "&&125;": "}", "&&126;": "~", "&&010": "\n"}


def partner(pair: dict[str, Any]) -> str:
    """A matching pair's partner as Moodle reads it."""
    return re.sub("|".join(PLACEHOLDERS), lambda m: PLACEHOLDERS[m.group()], pair["subanswer"])


def choices(parsed: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(shown(c["text"]), c["isCorrect"]) for c in parsed["choices"]]


@pytest.mark.parametrize("language", ["en", "ar", "he"])
def test_gift_parses_as_the_question_set(gift: GiftParser, exported: Path,
                                         language: str) -> None:
    """Every question of a type GIFT carries, with its text, its answers (the right ones
    marked), its feedback and its direction, as export json has them; the ordering questions
    are the only ones left out, and the export said so."""
    data = json.loads((exported / f"afghanistan-russia.{language}.json").read_text("utf-8"))
    parsed = gift.parse((exported / f"afghanistan-russia.{language}.gift")
                        .read_text("utf-8"))
    categories = [p["title"] for p in parsed if p["type"] == "Category"]
    assert categories == [f"$course$/quizgen/afghanistan-russia/{language}/{t}"
                          for t in data["topics"]
                          if any(q["topic"] == t for q in data["questions"])]
    by_title = {p["title"]: p for p in parsed if p["type"] != "Category"}
    assert len(by_title) == len(parsed) - len(categories)  # no title twice
    expected: set[str] = set()
    seen_types = set()
    direction = data["direction"]
    for q in data["questions"]:
        kind = q["type"]
        seen_types.add(kind)
        if kind == "ordering":
            assert q["id"] not in by_title
            continue
        if kind == "word_bank":
            for number, gap in enumerate(q["sentences"], start=1):
                title = f"{q['id']}.{number}"
                expected.add(title)
                p = by_title[title]
                assert p["type"] == "MC" and p["hasEmbeddedAnswers"]
                assert shown(p["stem"]) == fold(q["instructions"], gap["text_before"], "_____",
                                                gap["text_after"])
                assert choices(p) == [(fold(w), i == gap["answer_index"])
                                      for i, w in enumerate(q["bank"])]
                check_feedback(p, q, direction)
            continue
        expected.add(q["id"])
        p = by_title[q["id"]]
        assert p["stem"]["format"] == "html" and directions(p["stem"]) == {direction}
        assert shown(p["stem"]) == fold(q["instructions"], q["prompt"]), q["id"]
        check_feedback(p, q, direction)
        if kind in ("multiple_choice", "comparison"):
            assert p["type"] == "MC"
            assert choices(p) == [(fold(c), i == q["answer_index"])
                                  for i, c in enumerate(q["choices"])]
        elif kind == "true_false":
            assert p["type"] == "TF" and p["isTrue"] is q["statement_is_true"]
        elif kind in ("short_answer", "cloze"):
            assert p["type"] == "Short" and p["hasEmbeddedAnswers"] is (kind == "cloze")
            # Plain text in Moodle, `*` escaped as its short answer wants it.
            assert [(c["text"]["text"].replace("\\*", "*"), c["isCorrect"])
                    for c in p["choices"]] == [(a, True)
                                               for a in typed_forms(q["accepted_answers"])]
        elif kind == "matching":
            assert p["type"] == "Matching"
            assert [(shown(m["subquestion"]), partner(m)) for m in p["matchPairs"]] == \
                [(fold(q["left"][li]), q["right"][ri]) for li, ri in q["answer_pairs"]]
        else:
            pytest.fail(f"a type this test does not know: {kind}")
    assert set(by_title) == expected
    assert seen_types >= {"multiple_choice", "comparison", "true_false", "short_answer",
                          "cloze", "matching", "word_bank", "ordering"}


def test_gift_says_what_it_leaves_out(tmp_path: Path) -> None:
    """A line per type left out, with the count; not a content warning, so --strict does not
    refuse it."""
    for strict in ((), ("--strict",)):
        run = quizgen("export", "gift", "--out", tmp_path, "--content", ROOT / "content",
                      "--lang", "en", "--types", "ordering,true-false", *strict, "--force")
        assert run.code == 0, run.err
        said = [line for line in run.err.splitlines() if "gift:" in line]
        assert said == ["warning: gift: 2 ordering questions left out of "
                        "afghanistan-russia.en.gift (GIFT has no ordering type)"]
        assert "left out: 2 ordering" in run.out


GIFT_SPECIALS = "~=#{}:\\/<>&\"'%*\n-"
TEXT = st.text(st.sampled_from(GIFT_SPECIALS) | st.characters(exclude_categories=("Cs", "Cc")),
               min_size=1, max_size=40).filter(lambda t: t.strip() == t and t.strip())


@settings(max_examples=150, deadline=None)
@example(text="{=x} :: // }~#\\")
@example(text="%50% a")
@example(text="a\\*b -> c")
@given(text=TEXT)
def test_escaping_round_trips(gift: GiftParser, text: str) -> None:
    """Any text, GIFT's specials and HTML's among them, reads back unchanged as question text,
    option, feedback, accepted answer and matching partner."""
    from quizgen.render.gift import carried, escape, escape_answer, escape_html

    source = (f"::t\\:1::[html]{escape_html(text)}{{\n={escape_html(text)}\n"
              f"~{escape_html(text)}\n####{escape_html(text)}\n}}\n\n"
              f"::t2::[html]stem{{\n={escape_answer(text)}\n}}\n\n"
              f"::t3::[html]stem{{\n=a -> {escape(text)}\n=b -> other\n}}\n")
    mc, short, match = gift.parse(source)
    assert mc["title"] == "t:1"
    assert html.unescape(mc["stem"]["text"]) == text
    assert html.unescape(mc["choices"][0]["text"]["text"]) == text
    assert html.unescape(mc["choices"][1]["text"]["text"]) == text
    assert [(c["isCorrect"], c["weight"]) for c in mc["choices"]] == [(True, None),
                                                                      (False, None)]
    assert html.unescape(mc["globalFeedback"]["text"]) == text
    assert partner(match["matchPairs"][0]) == text
    if "->" in text:  # no escape for it: a short answer with it reads as a matching question
        assert not carried(text)
        return
    assert short["type"] == "Short"
    assert short["choices"][0]["text"]["text"].replace("\\*", "*") == text


HOSTILE = ('<script>alert(1)</script> }{=x}~y #z :: // {{ 7*7 }} \\ a\\{ '
           '<img src=x onerror=alert(1)>')


def test_hostile_text_stays_text(gift: GiftParser, sample_deck: Path, tmp_path: Path) -> None:
    """A fact's text with GIFT syntax and markup in it: the same questions, each showing the
    text as typed, and no element of its own."""
    facts = sample_deck / "facts" / "a.yaml"
    text = facts.read_text(encoding="utf-8")
    line = "en: Northland and Southland signed their treaty in [[1921]]."
    assert line in text
    hostile = f"Northland and Southland signed their {HOSTILE} treaty in [[1921]]."
    facts.write_text(text.replace(line, f"en: {json.dumps(hostile)}"), encoding="utf-8")
    for fmt in ("json", "gift"):
        run = quizgen("export", fmt, "--content", sample_deck, "--out", tmp_path, "--lang", "en")
        assert run.code == 0, run.err
    data = json.loads((tmp_path / "sample.en.json").read_text("utf-8"))
    assert any(HOSTILE in q["explanation"] for q in data["questions"])
    parsed = [p for p in gift.parse((tmp_path / "sample.en.gift").read_text("utf-8"))
              if p["type"] != "Category"]
    assert sorted(p["title"] for p in parsed) == sorted(q["id"] for q in data["questions"])
    by_id = {q["id"]: q for q in data["questions"]}
    stems = 0
    for p in parsed:
        q = by_id[p["title"]]
        for part in (p["stem"], p["globalFeedback"]):
            assert "<script" not in part["text"] and "<img" not in part["text"]
        assert (fold(HOSTILE) in shown(p["globalFeedback"])) is (HOSTILE in q["explanation"])
        stems += fold(HOSTILE) in shown(p["stem"])
        assert (fold(HOSTILE) in shown(p["stem"])) is (HOSTILE in q["prompt"])
    assert stems
