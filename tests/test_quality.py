"""The quality checker: each rule has a deck that trips it, with a located message; the bundled
deck passes `check --strict`; the rules that guard the generator's own construction are tried
on questions the generator would not make."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, quizgen, warning_lines
from quizgen.quality import RULES

FIXTURES = ROOT / "tests" / "fixtures" / "quality"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
# Rules no deck can trip, since the generator never makes what they find: tried below on a
# question made by hand.
GUARDS = {"ordering-overlap"}


def test_every_rule_has_a_fixture_and_a_documented_example() -> None:
    assert set(CASES) | GUARDS == set(RULES)
    docs = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    for rule in RULES:
        section = re.search(rf"^### `{rule}`\n(.*?)(?=^### |\Z)", docs, re.M | re.S)
        assert section, f"docs/quality.md has no section for {rule}"
        assert "Example" in section.group(1) and "Fix" in section.group(1), rule


@pytest.mark.parametrize("rule", CASES)
def test_a_fixture_trips_its_rule_at_its_place(rule: str, tmp_path: Path) -> None:
    deck = FIXTURES / rule
    expected = (deck / "expected.txt").read_text(encoding="utf-8").splitlines()
    if rule == "giveaway-between":  # a page: a self-test of every question
        args = ["html", "--out", tmp_path, "--count", "all", "--force"]
    else:
        args = ["check"]
    run = quizgen(*args, "--content", ".", cwd=deck)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    found = [line for line in warning_lines(run.err) if f"[{rule}]" in line]
    assert found == expected
    assert all(re.match(r"^[\w./-]+:\d+:\d+: warning: ", line) for line in found)
    strict = quizgen(*args, "--strict", "--content", ".", cwd=deck)
    assert strict.code == 1 and "--strict" in strict.err


def test_the_bundled_deck_passes_strict() -> None:
    run = quizgen("check", "--strict", "--content", ROOT / "content",
                  "--sources-dir", ROOT.parent / "shared" / "seeds")
    assert run.code == 0, run.err


def test_overlapping_periods_are_never_ordered_and_the_guard_finds_them(tmp_path: Path) -> None:
    """The generator keeps events of overlapping periods out of one ordering question; the rule
    finds them where a question pairs them anyway."""
    import yaml

    from quizgen.content import load
    from quizgen.quality import Findings, Review, dated_items_rules
    from quizgen.questions import build_question_set

    deck = tmp_path / "deck"
    (deck / "facts").mkdir(parents=True)
    (deck / "deck.yaml").write_text((FIXTURES / "fact-trivial" / "deck.yaml").read_text())
    (deck / "sources.yaml").write_text((FIXTURES / "fact-trivial" / "sources.yaml").read_text())
    dates = [("fifties", "1950/1959"), ("aid", "1954/1978"), ("fire", "1962"),
             ("flood", "1981"), ("school", "1990"), ("mill", "1995")]
    facts = [{"id": fid, "topic": "towns", "kind": "event", "answer_type": "year", "date": date,
              "text": {"en": f"The {fid} event came in [[{date[:4]}]]."},
              "cue": {"en": f"The {fid} event"},
              "sources": [{"source": "notes", "locator": "paragraph 1", "quote": "Notes"}]}
             for fid, date in dates]
    (deck / "facts" / "towns.yaml").write_text(yaml.safe_dump(facts), encoding="utf-8")
    [loaded] = load(deck).decks
    questions = build_question_set(loaded)
    orderings = [p for p in questions.plans if p.type == "ordering"]
    assert orderings
    for plan in orderings:
        assert not {"fifties", "aid"} <= {f.id for f in plan.facts}
    plan = orderings[0]
    plan.facts = [f for f in loaded.facts if f.id in {"fifties", "aid", "fire", "flood"}]
    found = Findings(loaded)
    dated_items_rules(Review(found, plan, None, "en", questions))
    problems = found.problems(["en"])
    assert any("[ordering-overlap]" in p.message and "fifties and aid" in p.message
               for p in problems), problems
    assert all(p.line > 0 for p in problems)


@pytest.mark.parametrize(("value", "language", "shown"), [
    ("1921", "en", "1921"), ("2005-10", "en", "October 2005"),
    ("2022-09-27", "en", "27 September 2022"), ("1954/1978", "en", "1954–1978"),
    ("1950/1959", "en", "the 1950s"), ("2005-10", "ar", "أكتوبر 2005"),
    ("2022-09-27", "he", "27 בספטמבר 2022"), ("1950/1959", "he", "שנות ה-1950"),
    ("1950/1959", "ar", "عقد 1950"), ("1979-12/1989-02", "en", "December 1979–February 1989"),
])
def test_dates_are_shown_as_readers_write_them(value: str, language: str, shown: str) -> None:
    from quizgen.catalog import load_catalog
    from quizgen.dates import human_date

    catalog, problems = load_catalog(language, None)
    assert catalog is not None, problems
    assert human_date(value, language, catalog) == shown


def test_an_answer_of_several_words_gives_away_only_where_they_stand_together(
        tmp_path: Path) -> None:
    """"Mill Lane" shows in the shop's questions ("the shop on Mill Lane"), not in the road's,
    which have both words apart ("the lane by the old mill"); a one-word answer shows wherever
    its word does."""
    import yaml

    from quizgen.content import load
    from quizgen.quality import between
    from quizgen.questions import build_question_set

    deck = tmp_path / "deck"
    (deck / "facts").mkdir(parents=True)
    (deck / "deck.yaml").write_text((FIXTURES / "fact-trivial" / "deck.yaml").read_text())
    (deck / "sources.yaml").write_text((FIXTURES / "fact-trivial" / "sources.yaml").read_text())

    def cite() -> list[dict[str, str]]:  # each its own (a shared one is written as an alias)
        return [{"source": "notes", "locator": "paragraph 1", "quote": "Notes"}]

    facts = [
        {"id": "c-lane", "topic": "towns", "kind": "place", "answer_type": "place",
         "text": {"en": "The school stands on [[Mill Lane]]."},
         "distractors": {"en": ["Church Lane", "Station Road", "High Street"]},
         "sources": cite()},
        {"id": "a-road", "topic": "towns", "kind": "event", "answer_type": "year", "date": "1931",
         "text": {"en": "The lane by the old mill was paved in [[1931]]."},
         "distractors": {"en": ["1927", "1929", "1935"]}, "sources": cite()},
        {"id": "b-shop", "topic": "towns", "kind": "event", "answer_type": "year", "date": "1950",
         "text": {"en": "The shop on Mill Lane opened in [[1950]]."},
         "distractors": {"en": ["1946", "1948", "1955"]}, "sources": cite()},
    ]
    (deck / "facts" / "towns.yaml").write_text(yaml.safe_dump(facts), encoding="utf-8")
    [loaded] = load(deck).decks
    questions = build_question_set(loaded)
    assert any(p.fact.id == "c-lane" for p in questions.plans)
    found = {p.fact: p.message for p in between(questions, questions.plans)}
    # the message names the first three by id: the road's would come before the shop's
    assert "b-shop." in found["c-lane"] and "a-road." not in found["c-lane"], found
    # Selection keeps the same pairs apart, and only those.
    from quizgen.giveaway import Clues

    clues = Clues(questions)
    lane = next(p for p in questions.plans if p.fact.id == "c-lane" and p.type == "cloze")
    for picked, clash in (("a-road", False), ("b-shop", True)):
        for plan in (p for p in questions.plans if p.fact.id == picked):
            page = clues.page()
            page.add(plan)
            assert page.clashes(lane) is clash, plan.id
