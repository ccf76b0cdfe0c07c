"""The word-bank type: fair passages (no give-away, no second true answer, wrong extra words),
swept over seeds and languages, and what each client shows: worksheet and key (poppler), the
self-test (Chromium), Anki cards (the real backend)."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import pytest

from conftest import ROOT, quizgen
from quizgen.content import load_content
from quizgen.matching import normalize_answer
from quizgen.qtypes import word_bank
from quizgen.questions import build_question_set
from quizgen.render.forms import shuffle_question

DECK = "afghanistan-russia"
BUNDLED = ROOT / "content" / DECK
LANGUAGES = ("en", "ar", "he")
SEEDS = range(6)


def _banks(content: Path, seed: int) -> dict[str, list]:
    [loaded] = load_content(content)
    qset = build_question_set(loaded, seed=seed)
    plans = [p for p in qset.plans if p.type == "word_bank"]
    return {lang: qset.render(lang, plans).questions for lang in loaded.deck.languages}


@pytest.fixture(scope="module")
def bundled() -> dict[int, dict[str, list]]:
    return {seed: _banks(BUNDLED, seed) for seed in SEEDS}


def _shows(text: str, word: str) -> bool:
    return f" {normalize_answer(word)} " in f" {normalize_answer(text)} "


def test_the_bundled_deck_has_word_banks(bundled: dict) -> None:
    for seed in SEEDS:
        assert len(bundled[seed]["en"]) >= 8, seed


def test_every_passage_is_fair(bundled: dict) -> None:
    [loaded] = load_content(BUNDLED)
    facts = {f.id: f for f in loaded.facts}
    for seed in SEEDS:
        for language in LANGUAGES:
            for q in bundled[seed][language]:
                where = (seed, language, q.id)
                sentences, bank = q.sentences, q.bank
                assert 3 <= len(sentences) <= 5, where
                assert 1 <= len(q.unused) <= len(sentences), where
                assert len(bank) == len(sentences) + len(q.unused), where
                indices = [s.answer_index for s in sentences]
                assert len(set(indices)) == len(indices), where
                assert [bank[s.answer_index] for s in sentences] == q.answer, where
                assert sorted(q.unused) == sorted(w for i, w in enumerate(bank)
                                                  if i not in indices), where
                assert indices != sorted(indices), f"{where}: bank in passage order"
                folded = [normalize_answer(w) for w in bank]
                assert len(set(folded)) == len(folded), where
                kinds = {word_bank.KINDS.get(facts[f].answer_type, facts[f].answer_type)
                         for f in q.fact_ids}
                assert len(kinds) == 1, where
                cited = [p for f in q.fact_ids
                         for p in {(c.source, c.locator) for c in facts[f].sources}]
                assert len(set(cited)) == len(cited), f"{where}: two items of one passage"
                for n, sentence in enumerate(sentences):
                    shown = f"{sentence.text_before} {sentence.text_after}"
                    for word in bank:
                        if word != sentence.answer:
                            assert not _shows(shown, word), (*where, n, word)
                    for other in sentences:  # nor a telling word of another's answer
                        own = normalize_answer(f"{other.text_before} {other.text_after}").split()
                        for token in normalize_answer(other.answer).split():
                            if other is not sentence and len(token) >= 4 and token not in own:
                                assert not _shows(shown, token), (*where, n, token)
                    accepted = {normalize_answer(a) for a in sentence.accepted_answers}
                    assert not accepted & {normalize_answer(w) for w in q.unused}, where


def test_banks_are_aligned_across_languages(bundled: dict) -> None:
    for seed in SEEDS:
        english = {q.id: q for q in bundled[seed]["en"]}
        for language in ("ar", "he"):
            for q in bundled[seed][language]:
                other = english[q.id]
                assert [s.answer_index for s in q.sentences] == [
                    s.answer_index for s in other.sentences]
                assert len(q.bank) == len(other.bank)


def test_a_forms_shuffle_keeps_each_blanks_word(bundled: dict) -> None:
    for q in bundled[0]["he"]:
        for draw in range(5):
            moved = shuffle_question(q, random.Random(draw))
            assert sorted(moved.bank) == sorted(q.bank)
            assert [moved.bank[s.answer_index] for s in moved.sentences] == q.answer
            assert sorted(moved.unused) == sorted(q.unused)
            assert [w for w in moved.bank if w in q.unused] == moved.unused


def _deck(tmp_path: Path, facts: list[dict]) -> Path:
    """A one-topic deck of place facts, each quoting the sample document."""
    import yaml

    deck = tmp_path / "deck"
    (deck / "facts").mkdir(parents=True)
    (deck / "deck.yaml").write_text(
        "id: tiny\ntitle: {en: Tiny, ar: صغيرة, he: קטנה}\nlanguages: [en, ar, he]\n"
        "topics:\n  places: {en: Places, ar: أماكن, he: מקומות}\n", encoding="utf-8")
    (deck / "sources.yaml").write_text(
        "- id: notes\n  title: Notes\n  language: en\n  kind: other\n  file: notes.txt\n",
        encoding="utf-8")
    (deck / "notes.txt").write_text("\n\n".join(["Notes on places."] * 9) + "\n",
                                    encoding="utf-8")
    plain = json.loads(json.dumps(facts))  # no shared parts, which YAML would write as aliases
    (deck / "facts" / "places.yaml").write_text(yaml.safe_dump(plain, allow_unicode=True),
                                                encoding="utf-8")
    return deck


def _place(fid: str, text: dict[str, str], paragraph: int, **more: object) -> dict:
    return {"id": fid, "topic": "places", "kind": "place", "answer_type": "place",
            "text": text, **more,
            "sources": [{"source": "notes", "locator": f"paragraph {paragraph}",
                         "quote": "Notes on places"}]}


TOWNS = [("north", "Ashby", "أشبي", "אשבי"), ("south", "Brill", "بريل", "בריל"),
         ("east", "Corwen", "كورون", "קורוון"), ("west", "Dunmore", "دنمور", "דנמור")]


def _towns(extra_en: str = "") -> list[dict]:
    return [_place(fid, {"en": f"The {fid} gate of the city is at [[{en}]].{extra_en}",
                         "ar": f"البوابة {fid} للمدينة في [[{ar}]].",
                         "he": f"השער ה{fid} של העיר נמצא ב[[{he}]]."}, n,
                   distractors={"en": ["Elmwick", "Fenwick"], "ar": ["إلمويك", "فينويك"],
                                "he": ["אלמוויק", "פנוויק"]})
            for n, (fid, en, ar, he) in enumerate(TOWNS, start=1)]


def _assert_kept_apart(tmp_path: Path, facts: list[dict], pair: set[str]) -> None:
    """Over every seed, the deck makes banks, and none holds both facts of ``pair``."""
    deck = _deck(tmp_path, facts)
    for seed in SEEDS:
        banks = _banks(deck, seed)["en"]
        assert banks
        for q in banks:
            assert not pair <= set(q.fact_ids), q.fact_ids


def test_a_sentence_that_shows_another_answer_is_kept_apart(tmp_path: Path) -> None:
    facts = _towns()
    facts[3]["text"]["en"] = "The west gate, built like the one at Ashby, is at [[Dunmore]]."
    _assert_kept_apart(tmp_path, facts, {"north", "west"})


def test_an_extra_word_is_in_no_sentence(tmp_path: Path) -> None:
    facts = _towns()
    facts[0]["text"]["en"] = "The north gate of the city, not the one at Elmwick, is at [[Ashby]]."
    deck = _deck(tmp_path, facts)
    for seed in SEEDS:
        banks = _banks(deck, seed)["en"]
        assert banks
        for q in banks:
            assert "Elmwick" not in q.bank and "Fenwick" in q.bank


def test_a_sentence_with_a_word_of_another_answer_is_kept_apart(tmp_path: Path) -> None:
    facts = _towns()
    facts[2]["text"]["en"] = "The east gate of the city, on the Brill road, is at [[Corwen]]."
    facts[1]["text"]["en"] = "The south gate of the city is at [[Brill Cross]]."
    _assert_kept_apart(tmp_path, facts, {"south", "east"})


def test_two_items_of_one_source_passage_are_kept_apart(tmp_path: Path) -> None:
    facts = _towns()
    for fact in facts[:2]:
        fact["sources"][0]["locator"] = "paragraph 2"
    _assert_kept_apart(tmp_path, facts, {"north", "south"})


def test_a_lone_form_gets_a_twin_among_the_extra_words(tmp_path: Path) -> None:
    """One full date among years: an extra word is a date too, or the date's blank is filled
    by its form alone."""
    years = [("a", "1901"), ("b", "1905"), ("c", "1909")]
    facts = [{"id": f"event-{fid}", "topic": "places", "kind": "event", "answer_type": "year",
              "date": year, "text": {lang: f"Event {fid.upper()} took place in [[{year}]]."
                                     for lang in ("en", "ar", "he")},
              "sources": [{"source": "notes", "locator": f"paragraph {n}",
                           "quote": "Notes on places"}]}
             for n, (fid, year) in enumerate(years, start=1)]
    facts.append({**facts[0], "id": "event-d", "answer_type": "date", "date": "1907-05-05",
                  "text": {lang: "Event D took place on [[5 May 1907]]."
                           for lang in ("en", "ar", "he")},
                  "sources": [{"source": "notes", "locator": "paragraph 4",
                               "quote": "Notes on places"}]})
    deck = _deck(tmp_path, facts)
    for seed in SEEDS:
        [q] = _banks(deck, seed)["en"]
        assert any(re.fullmatch(r"\d+ [A-Z][a-z]+ 1907", w) for w in q.unused), q.bank


def test_each_blank_gets_a_wrong_word_of_its_own(tmp_path: Path) -> None:
    """Four blanks, each fact with wrong words of its own: four spare words, so that no blank
    is left with one entry once the others are filled."""
    facts = _towns()
    for n, fact in enumerate(facts):
        fact["distractors"] = {lang: [words[0] + "abcd"[n]] for lang, words in
                               fact["distractors"].items()}
    deck = _deck(tmp_path, facts)
    for seed in SEEDS:
        [q] = _banks(deck, seed)["en"]
        assert len(q.sentences) == 4 and len(q.unused) == 4, q.bank


def test_a_wrong_word_of_a_form_no_blank_has_is_not_offered(tmp_path: Path) -> None:
    """Among three years, a curated full date fits no blank: left out, and a year comes
    instead."""
    years = [("a", "1901"), ("b", "1905"), ("c", "1909")]
    facts = [{"id": f"event-{fid}", "topic": "places", "kind": "event", "answer_type": "year",
              "date": year, "text": {lang: f"Event {fid.upper()} took place in [[{year}]]."
                                     for lang in ("en", "ar", "he")},
              "distractors": {lang: ["5 May 1907", "1913"] for lang in ("en", "ar", "he")},
              "sources": [{"source": "notes", "locator": f"paragraph {n}",
                           "quote": "Notes on places"}]}
             for n, (fid, year) in enumerate(years, start=1)]
    deck = _deck(tmp_path, facts)
    for seed in SEEDS:
        [q] = _banks(deck, seed)["en"]
        assert all(re.fullmatch(r"\d{4}", w) for w in q.bank), q.bank
        assert len(q.unused) == 3, q.bank


def test_a_passage_without_a_wrong_word_is_skipped_and_said(tmp_path: Path) -> None:
    facts = [{**f, "kind": "term", "answer_type": "term"} for f in _towns()]
    for fact in facts:
        del fact["distractors"]
    deck = _deck(tmp_path, facts)
    assert _banks(deck, 0)["en"] == []
    run = quizgen("check", "--content", deck)
    assert run.code == 0, run.err
    assert "word-bank: skipped a passage of 4 sentences" in run.err
    assert quizgen("check", "--strict", "--content", deck).code == 1
    assert quizgen("export", "json", "--strict", "--out", tmp_path / "out",
                   "--content", deck).code == 1


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_worksheets_and_keys_in_three_languages(tmp_path: Path, paper: str) -> None:
    """Every word bank of the deck printed: the bank above its sentences, every word inside the
    margins, the key giving each blank's word and the words left over."""
    from test_layout import misplaced
    from test_pdf import found_in, needs_poppler, pdftotext, squeeze

    needs_poppler()
    run = quizgen("pdf", "--types", "word-bank", "--count", "all", "--paper", paper,
                  "--out", tmp_path, "-q")
    assert run.code == 0, run.err
    run = quizgen("export", "json", "--types", "word-bank", "--out", tmp_path)
    assert run.code == 0, run.err
    for language in LANGUAGES:
        qs = json.loads((tmp_path / f"{DECK}.{language}.json").read_text("utf-8"))["questions"]
        sheet = tmp_path / f"{DECK}.{language}.worksheet.pdf"
        assert misplaced(sheet) == [], language
        text = squeeze(pdftotext(sheet))
        key = squeeze(pdftotext(tmp_path / f"{DECK}.{language}.key.pdf"))
        for q in qs:
            for word in q["bank"]:
                assert found_in(word, text), (language, q["id"], word)
            for word in [*q["answer"], *q["unused"]]:
                assert found_in(word, key), (language, q["id"], word)


@pytest.mark.slow
def test_self_test_grades_a_bank_right_and_wrong(browser, tmp_path: Path) -> None:
    from test_html import box, open_page

    for command in (("html",), ("export", "json")):
        run = quizgen(*command, "--types", "word-bank", "--count", "all", "--out", tmp_path)
        assert run.code == 0, run.err
    for language in ("ar", "en"):
        q = json.loads((tmp_path / f"{DECK}.{language}.json").read_text("utf-8"))[
            "questions"][0]
        page = open_page(browser, tmp_path, language)
        try:
            item = box(page, q["id"])
            assert item.locator(".qg-bank li").count() == len(q["bank"])
            labels = item.locator("select").evaluate_all(
                "els => els.map(e => e.getAttribute('aria-label'))")
            assert len(labels) == len(q["sentences"]) and all(labels)
            wrong = q["bank"].index(q["unused"][0])
            for blank, sentence in enumerate(q["sentences"]):
                choice = wrong if blank == 0 else sentence["answer_index"]
                item.locator("select").nth(blank).select_option(str(choice))
            page.locator("button[type=submit]").click()  # one blank wrong: partly right
            assert item.get_attribute("data-result") == "partial"
            item.locator("select").nth(0).select_option(
                str(q["sentences"][0]["answer_index"]))
            page.locator("button[type=submit]").click()
            assert item.get_attribute("data-result") == "right"
            feedback = item.locator(".qg-correct-answer").inner_text()
            assert all(a in feedback for a in q["answer"])
            assert page.problems == []
        finally:
            page.context.close()


@pytest.mark.slow
def test_one_anki_note_per_bank_renders_in_anki(browser, tmp_path: Path) -> None:
    """Every bank's card in a real collection; the first of each language also in Chromium at
    a phone's width (no overflow; screenshots in build/screenshots/ to be looked at)."""
    from test_anki import PAGE, SIZES, Collection, _text, import_package, needs_anki

    from conftest import SCREENSHOTS

    needs_anki()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone = browser.new_page(viewport=dict(zip(("width", "height"), SIZES["phone"],
                                               strict=True)))
    for language in LANGUAGES:
        run = quizgen("anki", "--types", "word-bank", "--lang", language, "--out", tmp_path)
        assert run.code == 0, run.err
        run = quizgen("export", "json", "--types", "word-bank", "--lang", language,
                      "--out", tmp_path)
        assert run.code == 0, run.err
        qs = json.loads((tmp_path / f"{DECK}.{language}.json").read_text("utf-8"))["questions"]
        col = Collection(str(tmp_path / f"{language}.anki2"))
        try:
            import_package(col, tmp_path / f"{DECK}.{language}.apkg")
            assert col.note_count() == len(qs)
            for q in qs:
                (cid,) = col.find_cards(f'"QuestionId:{q["id"]}"')
                card = col.get_card(cid)
                front, back = (html.unescape(_text(card.question())),
                               html.unescape(_text(card.answer())))
                for word in q["bank"]:
                    assert word in front, (q["id"], word)
                assert all(s["text_after"].strip(".")[:20] in front for s in q["sentences"])
                assert all(a in back for a in q["answer"])
                assert "{{" not in front and "{{" not in back
            (cid,) = col.find_cards(f'"QuestionId:{qs[0]["id"]}"')
            card = col.get_card(cid)
            for side, content in (("front", card.question()), ("back", card.answer())):
                phone.set_content(PAGE.format(body="card card1", html=content))
                overflow = phone.evaluate("document.documentElement.scrollWidth - innerWidth")
                assert overflow <= 0, f"{language} {side}: {overflow}px too wide"
                phone.screenshot(path=str(SCREENSHOTS / f"anki-word-bank-{language}-{side}.png"),
                                 full_page=True)
        finally:
            col.close()
    phone.close()
