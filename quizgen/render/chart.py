"""A small horizontal bar chart of a few figures, as an inline SVG string: the Anki card's back
and the self-test's answer. (The worksheet's key draws the same chart as page text and boxes,
templates/types/comparison/pdf.html.j2: WeasyPrint draws SVG text letter by letter, Arabic
unjoined and reversed.) No plotting library: a few rectangles and texts.

Each figure is a row: its label (the fact's cue) on one line, then its bar, scaled to the
largest figure, and the figure as the question set prints it ("17,098,242 km²") after the bar's
end. In a right-to-left language the rows are mirrored: labels and bars start at the right, and
bars grow to the left. The SVG's own direction is always ``ltr``, so that ``text-anchor`` means
the same in a browser (which would otherwise inherit the page's ``dir``) and in WeasyPrint; each
text is wrapped in the Unicode isolate of its own direction (LRI or RLI ... PDI), so an Arabic
label reads right to left and a number keeps its digits in order. Sizes are in the viewBox's
units, 16 to an ``em`` of the text around it (the texts' size is set on a group inside, not
on the root, whose ``em`` is the page's); the outputs' style sheets let the chart shrink to its
column (``.qg-chart``/``.chart``: ``max-width: 100%; height: auto``). Colours are
``currentColor``: the page's text colour, in a dark mode too, and black on paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from quizgen.model import LRI, PDI, RLI
from quizgen.render.ankifields import field_text
from quizgen.render.common import print_width, text_direction

EM = 16  # viewBox units to an em
FONT = 14  # the texts' size, in viewBox units
CHAR = FONT * 0.6  # the printed width of an average Latin letter (common.print_width's unit)
PAD = 4  # around the chart
GAP = 6  # between a bar's end and its figure
LABEL_ROW = 20  # a label's line
BAR = 16  # a bar's thickness
SPACE = 10  # between one figure's bar and the next figure's label
MIN_BAR = 180  # the longest bar at least (a ratio of 100 leaves the shorter one a sliver)
SLIVER = 2  # the shortest bar drawn: a figure greater than zero shows


def _num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros (the same bytes on every run)."""
    return f"{round(value, 1):g}"


def _isolated(text: str, direction: str) -> str:
    """``text`` escaped, in the isolate of its own direction (``direction`` where it has no
    letter: a figure alone)."""
    mark = RLI if text_direction(text, direction) == "rtl" else LRI
    return f"{mark}{field_text(text)}{PDI}"


def describe(figures: Sequence[Any], t: Callable[..., str]) -> str:
    """The chart in words, for a screen reader: "Bar chart: The area of Russia: 17,098,242 km²;
    ..." (catalog strings ``chart_label`` and ``chart_join``)."""
    shown = t("chart_join").join(f"{f.label}: {f.shown}" for f in figures)
    return t("chart_label", figures=shown)


def bar_chart(figures: Sequence[Any], *, direction: str, title: str) -> str:
    """The SVG of ``figures`` (each with ``label``, ``value``, ``shown``) for a ``direction``
    page, described by ``title``. Every text in it is escaped (braces too, for an Anki field)."""
    if not figures:
        return ""
    label_w = max(print_width(f.label) for f in figures) * CHAR
    value_w = max(print_width(f.shown) for f in figures) * CHAR
    width = max(2 * PAD + label_w, 2 * PAD + MIN_BAR + GAP + value_w)
    longest = width - 2 * PAD - GAP - value_w
    top = max((f.value for f in figures), default=0) or 1
    rtl = direction == "rtl"
    edge = width - PAD if rtl else PAD  # where labels and bars start
    anchor = "end" if rtl else "start"
    step = -1 if rtl else 1
    rows = []
    y = PAD
    for f in figures:
        size = max(SLIVER, longest * max(f.value, 0) / top)
        bar_x = edge - size if rtl else edge
        rows.append(
            f'<text x="{_num(edge)}" y="{_num(y + FONT)}" text-anchor="{anchor}">'
            f"{_isolated(f.label, direction)}</text>"
            f'<rect x="{_num(bar_x)}" y="{_num(y + LABEL_ROW)}" width="{_num(size)}" '
            f'height="{BAR}" fill-opacity="0.55"/>'
            f'<text x="{_num(edge + step * (size + GAP))}" y="{_num(y + LABEL_ROW + BAR - 3)}" '
            f'text-anchor="{anchor}">{_isolated(f.shown, direction)}</text>')
        y += LABEL_ROW + BAR + SPACE
    height = y - SPACE + PAD
    label = field_text(title)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="qg-chart chart" role="img" '
            f'aria-label="{label}" width="{_num(width / EM)}em" height="{_num(height / EM)}em" '
            f'viewBox="0 0 {_num(width)} {_num(height)}" direction="ltr" fill="currentColor">'
            f'<title>{label}</title><g font-size="{FONT}">{"".join(rows)}</g></svg>')


def chart(figures: Sequence[Any], direction: str, t: Callable[..., str]) -> Markup:
    """The chart for an output template (the global ``chart``): ``bar_chart`` described in the
    question set's language."""
    return Markup(bar_chart(figures, direction=direction, title=describe(figures, t)))
