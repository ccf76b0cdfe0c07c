"""Anki's fields, made with plain string formatting (``quizgen.render.ankifields`` and each
type's ``anki_fields``): the bytes the Jinja macros they replaced made, escaped as Anki needs.

Golden files: tests/golden/anki/<lang>.json hold, for the bundled deck, the deck's description
and the fields of one note of each kind (each question type, and within it each note that leaves
other fields empty, is shuffled or not, has a cloze hint or not: the shortest of its kind),
but its Sources, which are checked for every question against the shared template. They were
written by the Jinja macros, before the fields were made without them. Regenerate them
after an intended change with ``make golden`` (QUIZGEN_REGENERATE_GOLDEN=1 pytest
tests/test_anki_fields.py -k golden), then read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from conftest import ROOT, overlay_deck, quizgen
from quizgen.catalog import Catalog
from quizgen.commands.planning import EVERYTHING, each_language, plan
from quizgen.content import load_content
from quizgen.qtypes import RenderedSet
from quizgen.qtypes.base import Citation, SourceEntry
from quizgen.render.anki import NoteMaker
from quizgen.render.ankifields import (
    citations,
    deck_description,
    field_text,
    full_entry,
    html_text,
    isolate,
)
from quizgen.render.common import group_citations, html_isolate, source_entries
from quizgen.resources import bundled

BUNDLED = ROOT / "content" / "afghanistan-russia"
LANGUAGES = ("en", "ar", "he")
GOLDEN = Path(__file__).resolve().parent / "golden" / "anki"
REGENERATE = os.environ.get("QUIZGEN_REGENERATE_GOLDEN") == "1"
HOSTILE = "<b>&amp;</b> 'a' \"q\" {{c1::x}} {x} }} & <"


def _braces(html: str) -> str:
    return html.replace("{", "&#123;").replace("}", "&#125;")


def _escape_braces(value: object) -> object:
    """How the Jinja environment of Anki's fields finalized every value it printed."""
    if isinstance(value, Markup) or value is None:
        return value
    return Markup(_braces(str(escape(value))))


def _macros() -> Any:
    """``templates/shared/sources.html.j2`` rendered as Anki's fields once were: autoescaped,
    every value's braces escaped, and ``iso`` a ``<bdi>`` whose text's braces are escaped."""
    env = Environment(loader=FileSystemLoader(str(bundled("templates"))), autoescape=True,
                      undefined=StrictUndefined, finalize=_escape_braces, trim_blocks=True,
                      lstrip_blocks=True)
    env.globals["iso"] = lambda *args: Markup(_braces(str(html_isolate(*args))))
    return env.get_template("shared/sources.html.j2").module


@pytest.fixture(scope="module")
def bundled_sets() -> dict[str, tuple[RenderedSet, Catalog]]:
    """The bundled deck's question sets (every question, seed 0), by language."""
    planned = plan(load_content(BUNDLED), seed=0, selection=dict(EVERYTHING))
    return {language: (data, catalog)
            for _, language, data, catalog in each_language(planned, None)}


def _kind(q: Any, fields: list[str]) -> tuple[object, ...]:
    """What tells a note's markup apart within its type."""
    return (q.type, tuple(bool(v) for v in fields), "data-shuffle" in "".join(fields),
            fields[0].count("::") > 1)  # a cloze's hint


@pytest.mark.parametrize("language", LANGUAGES)
def test_fields_match_golden(bundled_sets: dict, language: str) -> None:
    data, catalog = bundled_sets[language]
    maker = NoteMaker(data, catalog)
    chosen: dict[tuple[object, ...], tuple[int, str, dict[str, str]]] = {}
    for q in data.questions:
        note = maker.note(q)
        named = dict(zip(note.note_type.fields, note.fields, strict=True))
        del named["Sources"]  # every question's, in test_citations_are_the_shared_templates
        size = len(json.dumps(named, ensure_ascii=False))
        kind = _kind(q, note.fields)
        if kind not in chosen or size < chosen[kind][0]:
            chosen[kind] = (size, q.id, named)
    made = {"description": maker.description(),
            "notes": {q_id: named for _, q_id, named in sorted(chosen.values(),
                                                                key=lambda c: c[1])}}
    golden = GOLDEN / f"{language}.json"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(made, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run make golden"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert made["description"] == expected["description"]
    assert list(made["notes"]) == list(expected["notes"])
    for q_id, named in expected["notes"].items():
        assert made["notes"][q_id] == named, q_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_citations_are_the_shared_templates(bundled_sets: dict, language: str) -> None:
    """The citation blocks and source entries are those of templates/shared/sources.html.j2,
    which the worksheet's key and the self-test render: every question's, every source's."""
    macros = _macros()
    data, catalog = bundled_sets[language]
    maker = NoteMaker(data, catalog)
    entries = source_entries(data)
    for q in data.questions:
        note = maker.note(q)
        made = note.fields[note.note_type.fields.index("Sources")]
        assert made == str(macros.citations(group_citations(q, entries), catalog.text)), q.id
    for entry in entries.values():
        assert full_entry(entry, catalog.text) == str(macros.full_entry(entry, catalog.text))


def _entry(**changes: object) -> dict[str, Any]:
    entry = {"id": "src", "title": f"Title {HOSTILE}", "title_supplied": False,
             "publisher": f"Pub {HOSTILE}", "date": "2024-10-06",
             "url": "https://example.org/a?b=1&c='{x}'", "kind": "news",
             "license": f"CC {HOSTILE}", "language": "he", "direction": "rtl"}
    return SourceEntry.model_validate({**entry, **changes}).model_dump()


@pytest.mark.parametrize("changes", [
    {}, {"title_supplied": True}, {"publisher": None}, {"date": None}, {"url": None},
    {"license": None}, {"language": "en", "direction": "ltr", "title": "שלום {x}"},
])
def test_hostile_citations_are_the_shared_templates(changes: dict[str, object]) -> None:
    """Markup, quotes, ampersands and braces in every part of a citation and a source entry."""
    macros = _macros()
    catalog = SimpleNamespace(text=lambda key: {"source": "Source {x}", "sources": "Sources &",
                                                "publisher_unknown": "<unknown>"}[key])
    entries = {"src": _entry(**changes), "two": _entry(id="two", title="Two")}
    cites = [Citation(fact_id=f"f{n}", source=source, title="", title_supplied=False,
                      publisher=None, date=None, url=None, locator=f"§{n}",
                      locator_text=f"paragraph {n} {HOSTILE}", quote=f"quote {n} {HOSTILE}",
                      quote_language="he", quote_direction="rtl", statement=f"s{n}")
             for n, source in [(1, "src"), (2, "src"), (1, "two")]]
    for sources in (cites[:1], cites):
        groups = group_citations(SimpleNamespace(sources=sources), entries)
        made = citations(groups, catalog.text)
        assert made == str(macros.citations(groups, catalog.text))
        assert "{" not in made and "}" not in made and "<b>" not in made
    entry = entries["src"]
    assert full_entry(entry, catalog.text) == str(macros.full_entry(entry, catalog.text))


TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.text("&<>'\"{} aא", max_size=20)


@given(TEXT)
def test_escaping_is_markupsafes_and_braces(text: str) -> None:
    assert html_text(text) == str(escape(text))
    assert field_text(text) == _braces(str(escape(text)))
    assert isolate(text, "qg-x", "he") == _braces(str(html_isolate(text, "qg-x", "he")))


def test_numbers_are_fields_too() -> None:
    assert field_text(12) == "12"


def test_deck_description(bundled_sets: dict) -> None:
    """The deck's description escaped, then each source's full entry."""
    data, catalog = bundled_sets["ar"]
    hostile = SimpleNamespace(language="ar", direction="rtl", description=HOSTILE,
                              sources=data.sources)
    made = deck_description(hostile, catalog.text)
    assert made.startswith('<div class="qg-deck" lang="ar" dir="rtl">\n<p>&lt;b&gt;&amp;amp;')
    assert "{" not in made and made.count("<p>") == 2 + len(data.sources)
    bare = SimpleNamespace(language="ar", direction="rtl", description=None, sources=[])
    assert deck_description(bare, catalog.text) == (
        f'<div class="qg-deck" lang="ar" dir="rtl">\n<p><b>{catalog.text("sources")}</b></p>\n'
        "</div>")


def test_hostile_text_is_inert_in_every_field(tmp_path: Path) -> None:
    """What an author typed never becomes markup, a field reference or a cloze: the only braces
    in a note are its cloze's own."""
    deck = overlay_deck(tmp_path / "no-case", tmp_path)
    facts = deck / "facts" / "a.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("signed their treaty in", f"signed their {HOSTILE} treaty in"),
                     encoding="utf-8")
    planned = plan(load_content(deck), seed=0, selection=dict(EVERYTHING))
    seen = 0
    for _, _, data, catalog in each_language(planned, None):
        maker = NoteMaker(data, catalog)
        for q in data.questions:
            fields = maker.note(q).fields
            joined = "".join(fields)
            seen += "&#123;&#123;c1::x&#125;&#125;" in joined
            assert "<b>" not in joined
            if q.type == "cloze":
                joined = joined.replace("{{c1::", "", 1).replace("}}", "", 1)
            assert "{" not in joined and "}" not in joined, q.id
    assert seen


def test_a_decks_own_templates_do_not_reach_its_cards(tmp_path: Path) -> None:
    """A deck's templates/shared/ (the citation blocks of its worksheets and self-test) and a
    copy of an Anki template of old change nothing in its packages: Anki's note types and
    fields are every deck's (docs/anki.md)."""
    plain = overlay_deck(tmp_path / "no-case", tmp_path / "plain")
    own = overlay_deck(tmp_path / "no-case", tmp_path / "own")
    shared = ROOT / "templates" / "shared" / "sources.html.j2"
    (own / "templates" / "shared").mkdir(parents=True)
    (own / "templates" / "shared" / "sources.html.j2").write_text(
        shared.read_text(encoding="utf-8").replace('<div class="qg-sources">',
                                                   '<div class="qg-sources own-sources">'),
        encoding="utf-8")
    (own / "templates" / "shared" / "anki-choices.html.j2").write_text(
        "{% macro choices(q, letters, t, marked=False, card=None) %}own{% endmacro %}",
        encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": "1760000000"}
    for deck in (plain, own):
        run = quizgen("anki", "--content", deck, "--out", deck.parent / "out", env=env)
        assert run.code == 0, run.err
    for language in LANGUAGES:
        name = f"sample.{language}.apkg"
        assert (plain.parent / "out" / name).read_bytes() == (own.parent / "out" /
                                                               name).read_bytes()
    run = quizgen("html", "--content", own, "--out", tmp_path / "html", "--lang", "en")
    assert run.code == 0, run.err
    assert "own-sources" in (tmp_path / "html" / "sample.en.html").read_text("utf-8")
