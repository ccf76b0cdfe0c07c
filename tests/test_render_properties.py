"""Arbitrary Unicode through load -> questions -> every renderer: a result or a clean error,
never a crash (hypothesis)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import BASE_DECK
from quizgen.catalog import load_catalog
from quizgen.commands.planning import EVERYTHING, plan
from quizgen.content import load_content
from quizgen.errors import ContentError, QuizgenError
from quizgen.render.forms import SECTION_ORDER

pytestmark = pytest.mark.slow

# RTL letters, combining marks, emoji, zero-width joiners, very long runs: anything but the answer
# marker's brackets and line separators (a fact is one line of YAML text).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                             exclude_characters="[]\u2028\u2029\x85\u061c\u200e\u200f"
                             "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
               min_size=1, max_size=300)


RENDERED: list[int] = []
REFUSED: list[str] = []


@st.composite
def sentences(draw: st.DrawFn) -> dict[str, str]:
    return {lang: f"{draw(TEXT)} [[{draw(TEXT).strip() or 'x'}]] {draw(TEXT)}"
            for lang in ("en", "ar", "he")}


def test_any_text_renders_or_fails_cleanly() -> None:
    RENDERED.clear()
    REFUSED.clear()
    render_any_text()
    # Not vacuous: texts get through every renderer, not only refused.
    assert len(RENDERED) >= 1, REFUSED[:3]


# Rendered whatever hypothesis draws (how often its texts get through validation depends on its
# version): text with combining marks, joiners and every script of the deck.
SURE = {"en": "Cafe\u0301 \u2014 [[fi\ufb01 \u00bd]] x\u200dy",
        "ar": "\u0644\u0627 [[\u0661\u0662\u0663]] \u0628",
        "he": "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd [[\u05d0\u05f3]] (\u05d1)"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(text=SURE)
@given(text=sentences())
def render_any_text(text: dict[str, str]) -> None:
    """One generated fact text through load, the question engine and every renderer."""
    from quizgen.render.anki import build_package
    from quizgen.render.html import render_page
    from quizgen.render.pdf import Renderer, font_configuration, to_pdf

    with tempfile.TemporaryDirectory() as tmp:
        deck = Path(tmp) / "sample"
        shutil.copytree(BASE_DECK, deck)
        path = deck / "facts" / "a.yaml"
        facts = yaml.safe_load(path.read_text(encoding="utf-8"))
        facts[0]["text"] = text
        path.write_text(yaml.safe_dump(facts, allow_unicode=True, width=10**6),
                        encoding="utf-8")
        try:
            decks = load_content(deck)
        except ContentError as exc:
            REFUSED.append(str(exc))
            return  # refused with located messages
        RENDERED.append(1)
        [planned] = plan(decks, seed=0, selection=EVERYTHING)
        for language, data, catalog in planned.rendered(None):
            assert load_catalog(language, deck)[0] is not None
            package = build_package(data, catalog=catalog, now=1_760_000_000)
            assert package.notes == len(data.questions)
            page = render_page(data, catalog)
            # Only the page's own script elements: its data, its script, its question chunks.
            tags = set(re.findall(r"<script\b[^>]*>", page, flags=re.IGNORECASE))
            assert tags <= {'<script type="application/json" id="qg-data">', "<script>",
                            *(f'<script type="text/x-quizgen-questions" class="qg-chunk" '
                              f'data-section="{kind}" data-round="0">'
                              for kind in SECTION_ORDER)}, tags
            assert page.count("<script>") == 1
            documents = Renderer(data, catalog).documents(versions=1, paper="a4", seed=0,
                                                          created="2025-10-09T00:00:00Z")
            for document in documents:
                try:
                    assert to_pdf(document, fonts=font_configuration()).startswith(b"%PDF")
                except QuizgenError as exc:  # a glyph the bundled fonts lack: a clean refusal
                    assert "no font of quizgen's can print" in str(exc)

