"""`check` warns, at its file and line, about a character the PDF fonts cannot draw, which
`quizgen pdf` would refuse: the table of what the fonts draw is the fonts' own, and WeasyPrint
agrees with it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, quizgen, warning_lines
from quizgen.glyphs import unprintable

sys.path.insert(0, str(ROOT / "tools"))

# Drawn by the fonts, or drawn as nothing (joiners, soft hyphen, variation selector, spaces)
PRINTABLE = "aéßğ€₪–“”…ש׳עـًﷲ٣۴\u200d\u200c\u00ad\u200b\ufe0f\u2009\u00a0"
UNPRINTABLE = "😀漢ᚠ\u0915"  # an emoji, a CJK ideograph, a rune, Devanagari


def test_the_table_is_the_fonts_own() -> None:
    import printable

    assert (ROOT / "quizgen" / "data" / "printable.txt").read_text("utf-8") == printable.text()


def test_unprintable_characters() -> None:
    assert unprintable(PRINTABLE) == []
    assert unprintable(f"a{UNPRINTABLE}b😀") == list(UNPRINTABLE)


def test_check_warns_at_the_text_and_strict_fails(sample_deck: Path) -> None:
    facts = sample_deck / "facts" / "a.yaml"
    text = facts.read_text("utf-8")
    facts.write_text(text.replace("signed their treaty in", "signed their 漢 treaty in"),
                     encoding="utf-8")
    line = next(i for i, row in enumerate(facts.read_text("utf-8").splitlines(), 1)
                if "漢" in row)
    run = quizgen("check", "--content", sample_deck)
    assert run.code == 0, run.err
    [warning] = [w for w in warning_lines(run.err) if "U+6F22" in w]
    assert re.search(rf"facts/a\.yaml:{line}:\d+: warning: fact treaty-year: .*U\+6F22", warning)
    assert quizgen("check", "--strict", "--content", sample_deck).code == 1
    deck = sample_deck / "deck.yaml"
    deck.write_text(deck.read_text("utf-8").replace("en: Sample deck", "en: Sample 😀 deck"),
                    encoding="utf-8")
    run = quizgen("check", "--content", sample_deck)
    assert any("deck.yaml" in w and "U+1F600" in w for w in warning_lines(run.err)), run.err


@pytest.mark.slow
@pytest.mark.parametrize("char", [*PRINTABLE, *UNPRINTABLE])
def test_weasyprint_agrees(char: str) -> None:
    """What the table calls printable renders; what it does not, the renderer refuses."""
    from quizgen.catalog import load_catalog
    from quizgen.errors import QuizgenError
    from quizgen.render.pdf import Document, font_configuration, head_style, to_pdf

    catalog = load_catalog("en")[0]
    html = (f"<html lang=en><head>{head_style(catalog, paper='a4', running='x')}</head>"
            f"<body><p>x{char}y <b>x{char}y</b></p></body></html>")
    document = Document("probe.pdf", "worksheet", html)
    if unprintable(char):
        with pytest.raises(QuizgenError):
            to_pdf(document, fonts=font_configuration())
    else:
        assert to_pdf(document, fonts=font_configuration()).startswith(b"%PDF")
