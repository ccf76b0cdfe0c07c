"""The question set of the bundled deck: one set, every type, every language, reproducible."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, quizgen
from quizgen.content import load_content
from quizgen.matching import normalize_answer
from quizgen.questions import build_question_set

DECK = ROOT / "content" / "afghanistan-russia"
TYPES = {"cloze", "short_answer", "multiple_choice", "true_false", "ordering", "matching",
         "comparison", "word_bank"}
SCHEMA = json.loads((ROOT / "schemas" / "questions.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("export")
    run = quizgen("export", "json", "--out", out, "--seed", "7")
    assert run.code == 0, run.err
    return {lang: json.loads((out / f"afghanistan-russia.{lang}.json").read_text("utf-8"))
            for lang in ("en", "ar", "he")}


def test_every_language_has_the_whole_set(exported: dict[str, dict]) -> None:
    ids = None
    for lang, data in exported.items():
        jsonschema.validate(data, SCHEMA)
        questions = data["questions"]
        assert len(questions) >= 150
        assert {q["type"] for q in questions} == TYPES
        assert data["direction"] == ("ltr" if lang == "en" else "rtl")
        for q in questions:
            assert q["sources"] and all(s["title"] and s["quote"] for s in q["sources"])
        these = [q["id"] for q in questions]
        assert len(set(these)) == len(these)
        ids = ids or these
        assert these == ids


def test_choices_are_aligned_and_have_one_right_answer(exported: dict[str, dict]) -> None:
    by_lang = {lang: {q["id"]: q for q in d["questions"]} for lang, d in exported.items()}
    for qid, q in by_lang["en"].items():
        if "choices" not in q:
            continue
        for lang in ("ar", "he"):
            other = by_lang[lang][qid]
            assert other["answer_index"] == q["answer_index"]
            assert other["answer"] == other["choices"][other["answer_index"]]
            folded = [normalize_answer(c) for c in other["choices"]]
            assert len(set(folded)) == len(folded), (qid, lang, other["choices"])


def test_ordering_answers_follow_the_dates(exported: dict[str, dict]) -> None:
    for q in exported["he"]["questions"]:
        if q["type"] == "ordering":
            assert q["dates"] == sorted(q["dates"])
            assert [q["items"][i] for i in q["answer_order"]] == q["answer"]
            assert 4 <= len(q["items"]) <= 5


def test_matching_pairs_are_a_permutation(exported: dict[str, dict]) -> None:
    for q in exported["ar"]["questions"]:
        if q["type"] == "matching":
            assert sorted(r for _, r in q["answer_pairs"]) == list(range(len(q["right"])))
            assert 4 <= len(q["left"]) <= 6


def test_cloze_prompt_hides_the_answer(exported: dict[str, dict]) -> None:
    for data in exported.values():
        for q in data["questions"]:
            if q["type"] in {"cloze", "multiple_choice"}:
                assert "_____" in q["prompt"]
                hint = f" ({q['hint']})" if q.get("hint") else ""
                assert q["prompt"] == q["text_before"] + "_____" + hint + q["text_after"]


def test_same_seed_same_bytes_other_seed_same_ids(tmp_path: Path) -> None:
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        assert quizgen("export", "json", "--out", tmp_path / name, "--seed", seed).code == 0
    for lang in ("en", "ar", "he"):
        a, b, c = ((tmp_path / n / f"afghanistan-russia.{lang}.json").read_bytes()
                   for n in "abc")
        assert a == b
        assert a != c
        ids = [[q["id"] for q in json.loads(x)["questions"]] for x in (a, c)]
        assert ids[0] == ids[1]


def test_selection_is_the_same_in_every_language(tmp_path: Path) -> None:
    run = quizgen("export", "json", "--out", tmp_path, "--count", "6", "--seed", "3",
                  "--topics", "figures,soviet-era")
    assert run.code == 0, run.err
    sets = [[q["id"] for q in json.loads(p.read_text("utf-8"))["questions"]]
            for p in sorted(tmp_path.glob("*.json"))]
    assert len(sets) == 3 and len(sets[0]) == 6 and sets[0] == sets[1] == sets[2]
    assert {qid.split(".")[0] for qid in sets[0]}


def test_count_is_balanced_over_types() -> None:
    """Every type has its share; the deck's two orderings (five facts each) sometimes give way
    to questions of fewer facts."""
    [loaded] = load_content(DECK)
    from quizgen.select import select

    seen: Counter[str] = Counter()
    for seed in range(6):
        plans = select(build_question_set(loaded, seed=seed).plans, seed=seed, count=28)
        kinds = Counter(p.type for p in plans)
        assert len(kinds) >= len(TYPES) - 1, (seed, kinds)
        seen.update(kinds.keys())
    assert all(seen[t] >= 3 for t in TYPES), seen


def test_unknown_selection_is_a_message() -> None:
    run = quizgen("export", "json", "--types", "essay", "--out", "/nonexistent")
    assert run.code == 1 and "--types essay: unknown; known: cloze" in run.err


def test_choices_share_the_answer_s_shape(exported: dict[str, dict]) -> None:
    """A distractor of another format gives the answer away (a date among years, 6.5 among 26)."""
    from quizgen.distractors import shape

    [loaded] = load_content(DECK)
    curated = {f.id for f in loaded.facts if f.distractors}
    for data in exported.values():
        for q in data["questions"]:
            if q["type"] == "multiple_choice" and shape(q["answer"]) \
                    and q["fact_id"] not in curated:
                assert {shape(c) for c in q["choices"]} == {shape(q["answer"])}, q["choices"]
            if q.get("variant") == "ratio":
                assert len({"." in c for c in q["choices"]}) == 1, q["choices"]


def test_compared_figures_keep_their_units(exported: dict[str, dict]) -> None:
    units = {"en": "km²", "ar": "كم²", "he": "קמ״ר"}
    for lang, data in exported.items():
        [area] = [q for q in data["questions"]
                  if q["id"] == "afghanistan-area.comparison.russia-area.ratio"]
        assert area["prompt"].count(units[lang]) == 2, area["prompt"]


def test_a_ratio_is_worked_out_left_to_right_and_its_options_need_the_division(
        exported: dict[str, dict]) -> None:
    """The division in a ratio's explanation reads left to right in Hebrew and Arabic too
    (isolated; unisolated it shows "3.3 ≈ 43,246,581 ÷ 144,404,939"), and its options are not
    doublings of each other that a rough guess tells apart."""
    for lang, data in exported.items():
        [area] = [q for q in data["questions"]
                  if q["id"] == "afghanistan-area.comparison.russia-area.ratio"]
        division = "17,098,242\u00a0\u00f7\u00a0652,230\u00a0\u2248\u00a026"  # one line
        wanted = f"\u2066{division}\u2069" if data["direction"] == "rtl" else division
        assert wanted in area["explanation"], (lang, area["explanation"])
        if lang == "en":
            assert "\u2066" not in area["explanation"]
        values = [float(c.replace(",", "")) for c in area["choices"]]
        assert all(1.3 < b / a < 1.7 for a, b in itertools.pairwise(values)), area["choices"]


@pytest.mark.parametrize("deck", [DECK, ROOT / "tests" / "fixtures" / "base"],
                         ids=["bundled", "sample"])
def test_every_rendered_question_is_valid_for_its_model(deck: Path) -> None:
    """Every question, in every language, passes its model's validation again from its own
    data, and the whole set passes the set's (a lazy set is built without it)."""
    from quizgen.qtypes import RenderedSet, question

    [loaded] = load_content(deck)
    questions = build_question_set(loaded, seed=3)
    for lang in loaded.deck.languages:
        rendered = questions.render(lang)
        assert len(rendered.questions) > 5
        for q in rendered.questions:
            data = q.model_dump()
            again = question(data)
            assert type(again) is type(q), q.id
            assert again.model_dump(mode="json") == q.model_dump(mode="json"), q.id
        RenderedSet.model_validate(rendered.model_dump())


def test_a_true_false_that_could_only_be_true_is_skipped_and_said(tmp_path: Path) -> None:
    """Without a wrong answer to put in the sentence every statement would be "True"."""
    from test_word_bank import _deck, _towns

    facts = [{**f, "kind": "term", "answer_type": "term"} for f in _towns()]
    for fact in facts:
        del fact["distractors"]
    deck = _deck(tmp_path, facts)
    [loaded] = load_content(deck)
    plans = build_question_set(loaded, seed=0).plans
    assert not [p for p in plans if p.type == "true_false"]  # nor any other: terms, no options
    run = quizgen("check", "--content", deck)
    assert run.code == 0, run.err
    assert run.err.count("true-false: skipped, no plausible wrong answer") == len(facts)


def test_a_date_blank_says_which_parts_it_asks(exported: dict[str, dict]) -> None:
    """ "In _____, Soviet troops invaded" takes "1979" for an answer; the blank of a month says
    "(month and year)", and the one followed by "2025" says "(month)"."""
    wanted = {"soviet-invasion-1979": {"en": "(month and year)", "ar": "(الشهر والعام)",
                                       "he": "(חודש ושנה)"},
              "trade-agreement-2022": {"en": "(day, month and year)",
                                       "ar": "(اليوم والشهر والعام)", "he": "(יום, חודש ושנה)"},
              "taliban-ban-lifted-2025": {"en": "(month)", "ar": "(الشهر)", "he": "(חודש)"}}
    for lang, data in exported.items():
        clozes = {q["fact_id"]: q for q in data["questions"] if q["type"] == "cloze"}
        for fact_id, hints in wanted.items():
            assert f"_____ {hints[lang]}" in clozes[fact_id]["prompt"], clozes[fact_id]["prompt"]
        years = [q for q in clozes.values() if q["answer"].strip().isdigit()]
        assert years and all(q["hint"] == "" for q in years)


def test_facts_with_one_answer_accept_the_same_spellings() -> None:
    """A spelling listed on one fact counts in every question whose answer is the same: review
    round 11 found "Motaqi" right for one Muttaqi question and wrong for the next."""
    from quizgen.matching import answers_match

    [loaded] = load_content(DECK)
    by_answer: dict[tuple[str, str], list] = {}
    for fact in loaded.facts:
        for lang in fact.text:
            by_answer.setdefault((lang, normalize_answer(fact.answer(lang))), []).append(fact)
    shared = [(key, facts) for key, facts in by_answer.items() if len(facts) > 1]
    assert shared
    for (lang, _), facts in shared:
        forms = {a for f in facts for a in (f.accept or {}).get(lang, [])}
        for fact in facts:
            assert all(answers_match(a, fact.answer(lang), (fact.accept or {}).get(lang, []))
                       for a in forms), (fact.id, lang)
