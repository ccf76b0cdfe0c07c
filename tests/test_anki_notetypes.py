"""The Anki note types' schema and identity are pinned: a change here breaks learners' updates.

Anki merges a package's notes into a collection only when the note type's fields and card
templates match the ones the collection has. Changing one of the lists below means a new note
type (new key, new id) and a CHANGELOG.md entry, never an edit in place.
"""

from __future__ import annotations

from conftest import ROOT
from quizgen.render.anki import deck_id, note_guid, note_types

FIELDS = {
    "basic": ["Question", "Answer", "Instructions", "Reverse", "Cue", "Explanation", "Sources",
              "QuestionId"],
    "cloze": ["Text", "Instructions", "Explanation", "Sources", "QuestionId"],
    "choice": ["Question", "Choices", "ChoicesMarked", "Answer", "Instructions", "Explanation",
               "Sources", "QuestionId"],
    "arrange": ["Question", "Items", "Answer", "Instructions", "Explanation", "Sources",
                "QuestionId"],
}
CARD_TEMPLATES = {"basic": ["Recall", "Reverse"], "cloze": ["Cloze"], "choice": ["Choose"],
                  "arrange": ["Arrange"]}
IDS = {
    ("basic", "en"): 1309777860, ("cloze", "en"): 1758333817,
    ("choice", "en"): 1895189383, ("arrange", "en"): 2144798081,
    ("basic", "ar"): 1957541169, ("cloze", "ar"): 1136952815,
    ("choice", "ar"): 1644799970, ("arrange", "ar"): 2112114605,
    ("basic", "he"): 1339465714, ("cloze", "he"): 1875923232,
    ("choice", "he"): 1533212212, ("arrange", "he"): 1343893651,
}


def test_fields_and_card_templates_are_pinned() -> None:
    types = note_types("en", "ltr")
    assert {k: list(t.fields) for k, t in types.items()} == FIELDS
    assert {k: [c["name"] for c in t.templates] for k, t in types.items()} == CARD_TEMPLATES
    assert [k for k, t in types.items() if t.cloze] == ["cloze"]


def test_note_type_ids_are_pinned() -> None:
    for language, direction in (("en", "ltr"), ("ar", "rtl"), ("he", "rtl")):
        for key, note_type in note_types(language, direction).items():
            assert note_type.id == IDS[key, language], (key, language)


# Fields kept for Anki's browser and searches, not shown on cards: the question id, and the
# choice note's Answer (its back marks the right option in the list instead).
NOT_SHOWN = {("choice", "Answer"), ("basic", "QuestionId"), ("cloze", "QuestionId"),
             ("choice", "QuestionId"), ("arrange", "QuestionId")}


def test_every_field_is_used_by_a_card_template() -> None:
    for note_type in note_types("he", "rtl").values():
        html = "".join(t["front"] + t["back"] for t in note_type.templates)
        unused = [f for f in note_type.fields
                  if (note_type.key, f) not in NOT_SHOWN and f"{{{{{f}}}}}" not in html
                  and f"{{{{cloze:{f}}}}}" not in html]
        assert not unused, (note_type.key, unused)


def test_rtl_languages_mark_fields_and_templates() -> None:
    model = note_types("ar", "rtl")["choice"].model().to_json(0, 1)
    assert all(f["rtl"] for f in model["flds"])
    assert all('dir="rtl"' in t["qfmt"] and 'lang="ar"' in t["afmt"] for t in model["tmpls"])
    model = note_types("en", "ltr")["choice"].model().to_json(0, 1)
    assert not any(f["rtl"] for f in model["flds"])


def test_identity_comes_from_ids_only() -> None:
    guid = note_guid("afghanistan-russia", "ar", "treaty-1921.cloze")
    # Pinned: learners' review history hangs on it, whatever a genanki release computes.
    assert guid == "E#T3%Mgq)T"
    assert guid != note_guid("afghanistan-russia", "he", "treaty-1921.cloze")
    assert deck_id("afghanistan-russia", "ar") != deck_id("afghanistan-russia", "ar", "figures")


def test_changelog_records_the_note_types() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for key in FIELDS:
        assert f"quizgen {key.capitalize()}" in changelog
