"""Write quizgen/data/printable.txt: the code points the bundled PDF fonts can draw, as ranges.

quizgen/glyphs.py reads it so that `check` can warn about characters a worksheet could not
print without opening the fonts (about 0.4 s). tests/test_glyphs.py fails when the file and the
fonts disagree; run `.venv/bin/python tools/printable.py` after changing a font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "quizgen" / "assets" / "fonts"
OUT = ROOT / "quizgen" / "data" / "printable.txt"


def covered() -> set[int]:
    """Code points every face of a family has a glyph for, in any of the families (the PDFs
    fall back from one family to the next; a bold or italic face must have the glyph too)."""
    families: dict[str, set[int]] = {}
    for path in sorted(FONTS.glob("*.ttf")):
        family = path.stem.split("-")[0]
        points = set(TTFont(path, lazy=True).getBestCmap())
        families[family] = families[family] & points if family in families else points
    return set().union(*families.values())


def ranges(points: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for point in sorted(points):
        if out and out[-1][1] == point - 1:
            out[-1] = (out[-1][0], point)
        else:
            out.append((point, point))
    return out


def text() -> str:
    lines = [f"{a:04X}-{b:04X}" if a != b else f"{a:04X}" for a, b in ranges(covered())]
    return ("# Code points the bundled PDF fonts draw (tools/printable.py writes this file)\n"
            + "\n".join(lines) + "\n")


if __name__ == "__main__":
    OUT.write_text(text(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
