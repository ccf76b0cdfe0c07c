"""Kept plans (quizgen/plancache.py): a command after another over the same deck and seed reads
the question set instead of planning it, and gets exactly the same questions and warnings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, quizgen
from quizgen import plancache
from quizgen.content import load
from quizgen.parsecache import keep
from quizgen.questions import build_question_set

BUNDLED = ROOT / "content" / "afghanistan-russia"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(folder))
    return folder


def _deck(tmp_path: Path) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(BUNDLED, deck)
    return deck


def _same(a: plancache.QuestionSet, b: plancache.QuestionSet) -> None:
    """Two question sets plan the same questions, warn the same and render the same."""
    assert plancache._encode(a) == plancache._encode(b)  # plans, warnings, period
    assert a.warnings == b.warnings
    assert [t.id for t in a.templates] == [t.id for t in b.templates]
    for language in a.deck.deck.languages:
        assert a.render(language).model_dump() == b.render(language).model_dump()


def test_kept_plans_are_the_plans(tmp_path: Path, cache: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    deck = _deck(tmp_path)
    loaded = load(deck).decks[0]
    fresh = build_question_set(loaded, seed=7)
    assert any(p.extra for p in fresh.plans)  # comparisons, word banks, matchings keep extras
    assert plancache.planned(loaded, seed=7).plans  # planned and kept
    monkeypatch.setattr(plancache, "build_question_set", _must_not_plan)
    kept = plancache.planned(load(deck).decks[0], seed=7)
    _same(kept, build_question_set(kept.deck, seed=7))
    with pytest.raises(AssertionError, match="planned again"):  # another seed is planned
        plancache.planned(loaded, seed=8)


def _must_not_plan(*args: object, **kwargs: object) -> None:
    raise AssertionError("planned again")


def test_an_edited_deck_is_planned_again(tmp_path: Path, cache: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    deck = _deck(tmp_path)
    plancache.planned(load(deck).decks[0], seed=0)
    facts = sorted((deck / "facts").glob("*.yaml"))[0]
    facts.write_text(facts.read_text("utf-8") + "\n# edited\n", "utf-8")
    calls = []
    monkeypatch.setattr(plancache, "build_question_set",
                        lambda *a, **k: calls.append(1) or build_question_set(*a, **k))
    plancache.planned(load(deck).decks[0], seed=0)
    assert calls == [1]


@pytest.mark.parametrize("damage", [
    lambda d: d["plans"][0].__setitem__(2, "no-such-template"),
    lambda d: d["plans"][0].__setitem__(3, ["no-such-fact"]),
    lambda d: d["plans"][0].__setitem__(5, "1"),
    lambda d: d["plans"][-1].__setitem__(8, {"$code": "print(1)"}),
    lambda d: d["plans"][-1].__setitem__(4, [["answer"]]),
    lambda d: d.__setitem__("period", [[1]]),
    lambda d: d.__setitem__("warnings", [[1, 2]]),
    lambda d: d.pop("plans"),
], ids=["template", "fact", "correct", "tag", "key", "period", "warning", "missing"])
def test_a_damaged_entry_is_planned_again(tmp_path: Path, cache: Path, damage) -> None:
    deck = _deck(tmp_path)
    loaded = load(deck).decks[0]
    plancache.planned(loaded, seed=0)
    from quizgen.incremental import inputs_digest

    name = f"plans {loaded.root.resolve()}"
    inputs = inputs_digest(loaded.root) + f"\0{0}\0{plancache.FORMAT}".encode()
    data = plancache._encode(build_question_set(loaded, seed=0))
    damage(data)
    keep(name, inputs, data)
    _same(plancache.planned(loaded, seed=0), build_question_set(loaded, seed=0))


def test_a_plan_of_unknown_objects_is_not_kept(tmp_path: Path, cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    deck = _deck(tmp_path)
    loaded = load(deck).decks[0]
    real = plancache.build_question_set

    def odd(*args: object, **kwargs: object) -> plancache.QuestionSet:
        questions = real(*args, **kwargs)
        questions.plans[0].extra = {"thing": object()}  # a new type's own object
        return questions

    monkeypatch.setattr(plancache, "build_question_set", odd)
    plancache.planned(loaded, seed=0)
    calls = []
    monkeypatch.setattr(plancache, "build_question_set",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    plancache.planned(loaded, seed=0)
    assert calls == [1]


def test_commands_after_check_write_the_same(tmp_path: Path) -> None:
    """The outputs of a command that reads kept plans are the bytes of one that planned."""
    deck = _deck(tmp_path)
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    off = quizgen("export", "json", "--content", deck, "--out", tmp_path / "off",
                  env={**env, "QUIZGEN_CACHE_DIR": ""})
    assert off.code == 0, off.err
    on = {**env, "QUIZGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert quizgen("check", "--content", deck, env=on).code == 0
    warm = quizgen("export", "json", "--content", deck, "--out", tmp_path / "warm", env=on)
    assert warm.code == 0, warm.err
    assert warm.err == off.err  # the same warnings, from the kept plans
    for path in sorted((tmp_path / "off").glob("*.json")):
        assert json.loads(path.read_bytes()) == json.loads((tmp_path / "warm" / path.name)
                                                           .read_bytes())
        assert path.read_bytes() == (tmp_path / "warm" / path.name).read_bytes()


@pytest.mark.parametrize("first, then", [("abs", "rel"), ("rel", "abs"), ("dot", "abs"),
                                         ("abs", "dot")])
def test_warnings_name_the_deck_as_this_command_does(tmp_path: Path, cache: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    first: str, then: str) -> None:
    """Plans kept by a command that named the deck one way, read by one that names it another:
    the warnings name the files as the reading command would have without the cache."""
    deck = shutil.copytree(ROOT / "tests" / "fixtures" / "base", tmp_path / "deck")
    spelled = {"abs": (tmp_path, deck), "rel": (tmp_path, Path("deck")), "dot": (deck, Path("."))}

    def planned_as(how: str, make=plancache.planned) -> list[str]:
        cwd, path = spelled[how]
        monkeypatch.chdir(cwd)
        questions = make(load(path).decks[0], seed=0)
        return [str(w) for w in questions.warnings]

    before = planned_as(first)
    assert before and all("deck/facts/" in w or w.startswith("facts/") for w in before)
    monkeypatch.setattr(plancache, "build_question_set", _must_not_plan)
    assert planned_as(then) == planned_as(then, make=build_question_set)
