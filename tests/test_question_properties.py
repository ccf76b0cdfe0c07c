"""Properties of the question engine over generated decks (hypothesis)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_DECK
from quizgen.content import load_content
from quizgen.errors import ContentError
from quizgen.matching import normalize_answer
from quizgen.questions import build_question_set

LETTERS = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Zs"),
                        exclude_characters="[]\u2028\u2029\x85")
WORD = st.text(LETTERS, min_size=1, max_size=10).filter(lambda s: s.strip() == s and s.strip())
ANSWER_TYPES = ("person", "term", "country", "year", "number")


@st.composite
def facts(draw: st.DrawFn) -> list[dict]:
    count = draw(st.integers(2, 9))
    out = []
    for i in range(count):
        answer_type = draw(st.sampled_from(ANSWER_TYPES))
        if answer_type == "year":
            answer = str(draw(st.integers(1800, 2020)))
        elif answer_type == "number":
            answer = f"{draw(st.integers(11, 9_999_999)):,}"
        else:
            answer = draw(WORD)
        fact = {
            "id": f"fact-{i}", "topic": "history", "kind": "statement",
            "answer_type": answer_type,
            "text": {lang: f"{draw(WORD)} [[{answer}]] {draw(WORD)}."
                     for lang in ("en", "ar", "he")},
            "sources": [{"source": "treaty-text", "locator": "paragraph 1", "quote": "1921"}],
        }
        n = draw(st.integers(0, 4))
        if n:
            fact["distractors"] = {lang: draw(st.lists(WORD, min_size=n, max_size=n))
                                   for lang in ("en", "ar", "he")}
        out.append(fact)
    return out


def deck_with(items: list[dict], where: Path) -> Path:
    deck = where / "deck"
    shutil.copytree(BASE_DECK, deck)
    for path in (deck / "facts").glob("*.yaml"):
        path.unlink()
    (deck / "facts" / "generated.yaml").write_text(
        yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return deck


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=facts(), seed=st.integers(0, 2**32), other=st.integers(0, 2**32))
def test_questions_are_sound_and_reproducible(items: list[dict], seed: int, other: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            [loaded] = load_content(deck_with(items, Path(tmp)))
        except ContentError as exc:  # generated content the checks rightly refuse
            assert all("distractor" in p.message for p in exc.problems), exc.problems
            return
        first = build_question_set(loaded, seed=seed)
        again = build_question_set(loaded, seed=seed)
        moved = build_question_set(loaded, seed=other)
        for lang in ("en", "ar", "he"):
            a = json.dumps(first.render(lang).json_data(), ensure_ascii=False)
            assert a == json.dumps(again.render(lang).json_data(), ensure_ascii=False)
            data = json.loads(a)
            assert [q["id"] for q in data["questions"]] == \
                [q.id for q in moved.render(lang).questions]
            for q in data["questions"]:
                if q["type"] == "multiple_choice":
                    folded = [normalize_answer(c) for c in q["choices"]]
                    answer = normalize_answer(q["answer"])
                    assert folded.count(answer) == 1
                    assert folded[q["answer_index"]] == answer
                    assert len(set(folded)) == len(folded)
                if q["type"] == "true_false" and not q["statement_is_true"]:
                    fact = next(f for f in loaded.facts if f.id == q["fact_id"])
                    assert q["prompt"] != fact.marked(lang).plain
