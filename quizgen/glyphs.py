"""Characters the PDF fonts cannot draw, found while the content is read.

A worksheet refuses to print a character none of quizgen's fonts has (it would come out as an
empty box): `quizgen pdf` and `build` stop before writing anything. `check` finds such a
character at its file and line, as a warning, so that a deck's author learns of it before a
build does; the Anki packages, the self-test and the JSON show it.
The fonts' coverage is read from ``quizgen/data/printable.txt`` (``tools/printable.py``).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from importlib import resources

from quizgen.errors import Problem
from quizgen.yamlread import Located, PathKey, char_name

# Drawn as nothing, glyph or not: spaces, format characters (joiners, the soft hyphen, the
# isolates quizgen itself adds) and variation selectors.
_INVISIBLE = r"\s\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff" \
             r"\ufe00-\ufe0f\U000e0100-\U000e01ef"


@functools.cache
def _unprintable() -> re.Pattern[str]:
    text = resources.files("quizgen").joinpath("data/printable.txt").read_text("utf-8")
    parts = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            parts.append(re.escape(chr(int(first, 16))) + (
                "-" + re.escape(chr(int(last, 16))) if last else ""))
    return re.compile(f"[^{''.join(parts)}{_INVISIBLE}]")


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` the PDF fonts cannot draw, each once, in order."""
    return list(dict.fromkeys(_unprintable().findall(text)))


def _strings(value: object, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def glyph_problems(located: Located, *, facts: bool = False) -> list[Problem]:
    """A warning at every text of ``located`` that holds a character the PDF fonts cannot
    draw; with ``facts``, the file is a list of facts and each warning names its fact. The
    whole file is searched at once first (as JSON text): most hold no such character."""
    if not _unprintable().search(json.dumps(located.data, ensure_ascii=False)):
        return []
    problems = []
    for where, text in _strings(located.data, ()):
        chars = unprintable(text)
        if not chars:
            continue
        fact = None
        if facts and where and isinstance(item := located.data[where[0]], dict):  # type: ignore[index]
            fact = item.get("id") if isinstance(item.get("id"), str) else None
        named = ", ".join(f'"{c}" {char_name(c)}' for c in chars[:5]) + (
            f" and {len(chars) - 5} more" if len(chars) > 5 else "")
        problems.append(located.problem(
            where, f"the PDF fonts cannot draw {named}: `quizgen pdf` and `build` stop on a "
            "worksheet that asks this text (the other outputs show it); write it with other "
            "characters",
            fact=fact, severity="warning"))
    return problems
