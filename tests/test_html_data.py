"""The self-test's questions carried as data (quizgen/render/skeleton.py): for every question,
the skeleton of its shape filled with its values gives exactly the markup Jinja renders, and a
template that reads its texts in a way a skeleton cannot follow has its questions carried as
markup instead, still exactly as rendered."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import BASE_DECK, ROOT, quizgen
from quizgen.commands.planning import EVERYTHING, plan
from quizgen.content import load_content
from quizgen.render.html import render_page
from quizgen.render.skeleton import escape_js_equivalent, fill, page_questions

HOSTILE = ('<script>window.__pwned=1</script><img src="file:///etc/passwd"> \' " & '
           '{{ 7*7 }} \ue000q1\ue001 \ue003q0\ue001 314159265000 271828182845')


def pages(deck: Path, seed: int = 0) -> list[tuple[str, str, str]]:
    """Each language's page (language, as markup, as data) of every question of ``deck``."""
    out = []
    [planned] = plan(load_content(deck), seed=seed, selection=EVERYTHING)
    for language, data, catalog in planned.rendered(None):
        root = planned.loaded.root
        out.append((language, render_page(data, catalog, deck_root=root, markup=True),
                    render_page(data, catalog, deck_root=root)))
    return out


def records(page: str) -> tuple[int, int]:
    """How many questions a page carries as data and as markup."""
    import json

    data = markup = 0
    for text in re.findall(r'class="qg-chunk"[^>]*>(.*?)</script>', page, flags=re.DOTALL):
        if not text.startswith("{"):
            markup += text.count('<fieldset class="qg-q"')
            continue
        for record in json.loads(text)["q"]:
            data += isinstance(record, list)
            markup += isinstance(record, str)
    return data, markup


def assert_same(deck: Path, seed: int = 0, *, all_data: bool = True) -> list[tuple[str, str]]:
    """Every question of every language filled from data is the markup Jinja renders; the
    rest of the page is the same too. Returns the pages (markup, data)."""
    out = []
    for language, markup, data in pages(deck, seed):
        assert page_questions(data) == page_questions(markup), (language, seed)
        chunks = re.compile(r'(class="qg-chunk"[^>]*>).*?</script>', re.DOTALL)
        assert chunks.sub(r"\1", data) == chunks.sub(r"\1", markup)
        carried, fallback = records(data)
        if all_data:
            assert carried > 0 and fallback == 0, (language, carried, fallback)
        out.append((markup, data))
    return out


@pytest.mark.parametrize("seed", [0, 3, 7])
def test_every_question_of_the_bundled_deck_fills_as_rendered(seed: int) -> None:
    for markup, data in assert_same(ROOT / "content" / "afghanistan-russia", seed):
        assert len(data) < 0.7 * len(markup)


def test_the_fixture_decks_fill_as_rendered(tmp_path: Path) -> None:
    from test_images import make_deck

    assert_same(BASE_DECK)
    assert_same(make_deck(tmp_path / "images"))  # images: data: URLs, a file once


def test_markup_like_text_fills_as_rendered(tmp_path: Path) -> None:
    """Text that looks like markup, like the skeletons' own tokens, or like their numbers
    shows as itself, escaped as Jinja escapes it."""
    deck = tmp_path / "sample"
    shutil.copytree(BASE_DECK, deck)
    facts = deck / "facts" / "a.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "signed their treaty in" in text
    facts.write_text(text.replace("signed their treaty in", f"signed their {HOSTILE} treaty in"),
                     encoding="utf-8")
    shown = [("".join(m for _, _, m in page_questions(data)), data)
             for _, data in assert_same(deck)]
    assert any("their &lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=&#34;" in text
               for text, _ in shown)  # English
    assert not any("<script>window" in data for _, data in shown)


def own_type_template(tmp_path: Path, name: str, old: str, new: str,
                      source: Path = BASE_DECK) -> Path:
    """A copy of ``source`` (the sample deck) with its own copy of a self-test template,
    changed."""
    deck = tmp_path / "sample"
    if not deck.exists():
        shutil.copytree(source, deck)
    built_in = (ROOT / "templates" / name).read_text(encoding="utf-8")
    assert old in built_in
    path = deck / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(built_in.replace(old, new), encoding="utf-8")
    return deck


def test_a_decks_own_type_template_makes_the_skeleton(tmp_path: Path) -> None:
    deck = own_type_template(tmp_path, "types/cloze/selftest.html.j2",
                             '<p class="qg-sentence">', '<p class="qg-sentence own-cloze">')
    for _markup, data in assert_same(deck):
        filled = "".join(m for _, _, m in page_questions(data))
        assert filled.count("own-cloze") == 3 and data.count("own-cloze") == 1


@pytest.mark.parametrize(("name", "old", "new"), [
    # a filter that changes the text
    ("types/multiple_choice/selftest.html.j2", "{{ q.prompt }}", "{{ q.prompt | upper }}"),
    ("types/true_false/selftest.html.j2", "{{ q.prompt }}", "{{ q.prompt | lower }}"),
    ("types/cloze/selftest.html.j2", "{{ q.text_before }}", "{{ q.text_before | wordcount }}"),
    # its length decides
    ("types/short_answer/selftest.html.j2", "{{ q.prompt }}",
     "{{ q.prompt }}{% if q.prompt | length > 40 %} (long){% endif %}"),
    # a comparison with a literal
    ("types/cloze/selftest.html.j2", "{{ iso(q.answer) }}",
     '{{ iso(q.answer) }}{% if q.answer == "1921" %} (the year){% endif %}'),
    # the text put in the key's JSON
    ("types/true_false/selftest.html.j2", "{{ q.prompt }}", "{{ q.prompt | tojson }}"),
    # a number in arithmetic
    ("shared/choices.html.j2", 'value="{{ loop.index0 }}"',
     'value="{{ loop.index0 }}" data-right="{{ q.answer_index + 1 }}"'),
])
def test_a_template_that_reads_its_texts_is_carried_as_markup(tmp_path: Path, name: str,
                                                               old: str, new: str) -> None:
    """Every question still comes out as Jinja renders it (the bundled deck: hundreds of
    questions, many of each shape)."""
    deck = own_type_template(tmp_path, name, old, new, ROOT / "content" / "afghanistan-russia")
    assert_same(deck, all_data=False)


def test_a_decks_own_questions_template_is_carried_as_markup(tmp_path: Path) -> None:
    deck = own_type_template(tmp_path, "html/questions.html.j2", '<fieldset class="qg-q"',
                             '<fieldset class="qg-q own"')
    for _, data in assert_same(deck, all_data=False):
        assert records(data)[0] == 0 and data.count('<fieldset class="qg-q own"') > 3


def test_the_page_escapes_as_markupsafe_does() -> None:
    from markupsafe import escape

    for text in (HOSTILE, "a & b < c > d \" e ' f", "plain", ""):
        assert escape_js_equivalent(text) == str(escape(text))
    parts: list[str | int] = ["<b>", 0, "</b> <bdi dir=\"", 9, "\">", 18, "</bdi> ", 3, " ", 4]
    assert fill(parts, ["<&>", 1, 0], ["<i>x</i>"], 12) == (
        '<b>&lt;&amp;&gt;</b> <bdi dir="rtl"><i>x</i></bdi> 12 \\u003c\\u0026\\u003e')
    assert fill(parts, [0, 0, 0], ["-"], 3, ["é'"]) == (
        '<b>é&#39;</b> <bdi dir="ltr">-</bdi> 3 \\u00e9\\u0027')


def test_the_page_is_written_as_data(tmp_path: Path) -> None:
    run = quizgen("html", "--content", BASE_DECK, "--out", tmp_path, "--lang", "en",
                  "--count", "all")
    assert run.code == 0, run.err
    page = (tmp_path / "sample.en.html").read_text(encoding="utf-8")
    assert records(page)[1] == 0 and records(page)[0] > 5


def form_dom(browser, page_file: Path) -> tuple[str, str, list[str]]:
    """The form's DOM in Chromium once every question is in, the page's name, and its
    errors."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(page_file.as_uri())
    page.wait_for_selector("html[data-complete=true]", state="attached")
    dom = page.evaluate("document.getElementById('qg-form').outerHTML")
    page.close()
    return dom, page_file.name, problems


@pytest.mark.slow
@pytest.mark.parametrize("deck", ["bundled", "hostile", "images"])
def test_chromium_builds_the_same_page_from_data(browser, tmp_path: Path, deck: str) -> None:
    """The page's script fills the skeletons into exactly the DOM the markup made."""
    from test_images import make_deck

    folder = {"bundled": lambda: ROOT / "content" / "afghanistan-russia",
              "images": lambda: make_deck(tmp_path / "images"),
              "hostile": lambda: own_type_template(tmp_path, "types/cloze/selftest.html.j2",
                                                   '<p class="qg-sentence">',
                                                   '<p class="qg-sentence own">')}[deck]()
    if deck == "hostile":
        facts = folder / "facts" / "a.yaml"
        facts.write_text(facts.read_text(encoding="utf-8").replace(
            "signed their treaty in", f"signed their {HOSTILE} treaty in"), encoding="utf-8")
    for language, markup, data in pages(folder, seed=3):
        doms = []
        for name, text in (("markup", markup), ("data", data)):
            path = tmp_path / f"{language}.{name}.html"
            path.write_text(text, encoding="utf-8")
            dom, _, problems = form_dom(browser, path)
            assert not problems, (language, name, problems)
            doms.append(dom)
        assert doms[0] == doms[1], language
