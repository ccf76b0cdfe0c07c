"""UI strings per language: one catalog each, complete, or the content does not pass check.

A language's catalog is ``templates/i18n/<lang>.yaml`` together with the strings each question
type keeps in its own folder, ``templates/types/<type>/i18n/<lang>.yaml`` (same shape: a piece of
the catalog). A deck may add a language, or override strings, in its own ``templates/i18n/``;
the deck's file is looked up first, the built-in one after, and any key it has wins over a
type's. English (the built-in ``en.yaml`` and the types' ``en.yaml``) defines the keys every
catalog must have.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import Problem, display_path
from quizgen.files import present
from quizgen.qtypes import TYPES
from quizgen.resources import bundled
from quizgen.yamlread import Located, read_yaml

log = logging.getLogger(__name__)

REFERENCE = "en"
MIN_OPTION_LETTERS = 6
_FIELD = re.compile(r"\{(\w*)\}")


def fill(template: str, fields: dict[str, object]) -> str:
    """``template`` with each ``{name}`` of ``fields`` replaced by its value, and nothing else
    done: a catalog is content, so no attribute, index or format spec of Python's
    ``str.format`` is read from it (``{n.__class__}``, ``{n:>2000000000}`` stay as written,
    and ``check`` reports them)."""
    return _FIELD.sub(lambda m: str(fields[m[1]]) if m[1] in fields else m[0], template)


@dataclass(frozen=True)
class Catalog:
    """The UI strings of one language."""

    language: str
    strings: dict[str, object]
    file: Path

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return str(self.strings["direction"])

    def raw(self, key: str) -> str:
        """Return the string at a dotted ``key`` as written, ``{fields}`` unfilled."""
        value: object = self.strings
        for part in key.split("."):
            value = value[part]  # type: ignore[index]
        return str(value)

    def text(self, key: str, **fields: object) -> str:
        """Return the string at a dotted ``key``, with its ``{fields}`` filled in."""
        return fill(self.raw(key), fields)

    def letters(self) -> list[str]:
        """The option letters (A, B, C... in this language's script)."""
        letters = self.strings["option_letters"]
        return [str(x) for x in letters] if isinstance(letters, list) else list(str(letters))


def search_path(deck_root: Path | None) -> list[Path]:
    """The folders catalogs are looked up in, in order."""
    folders = [deck_root / "templates" / "i18n"] if deck_root else []
    return [*folders, bundled("templates") / "i18n"]


def _flatten(data: object, prefix: str = "") -> dict[str, object]:
    if isinstance(data, dict):
        out: dict[str, object] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: data}


def _find(language: str, deck_root: Path | None) -> Path | None:
    return next((folder / f"{language}.yaml" for folder in search_path(deck_root)
                 if present(folder / f"{language}.yaml")), None)


def type_files(language: str) -> list[Path]:
    """The question types' own strings in ``language``, as far as they have them."""
    types = bundled("templates") / "types"
    return [path for name in TYPES
            if (path := types / name / "i18n" / f"{language}.yaml").is_file()]


def _merge(base: dict[str, object], top: dict[str, object]) -> dict[str, object]:
    out = dict(base)
    for key, value in top.items():
        below = out.get(key)
        out[key] = (_merge(below, value) if isinstance(below, dict) and isinstance(value, dict)
                    else value)
    return out


def _reference() -> dict[str, object]:
    flat: dict[str, object] = {}
    for path in [bundled("templates") / "i18n" / f"{REFERENCE}.yaml", *type_files(REFERENCE)]:
        located, _ = read_yaml(path)
        flat.update(_flatten(located.data if located else {}))
    return flat


def load_catalog(language: str, deck_root: Path | None = None) -> tuple[Catalog | None,
                                                                          list[Problem]]:
    """Load and check the catalog of ``language``; return it (None if unusable) and problems."""
    path = _find(language, deck_root)
    if path is None:
        where = deck_root / "deck.yaml" if deck_root else Path("deck.yaml")
        return None, [Problem(str(where), 1, 1, missing_message(language, deck_root))]
    located, problems = read_yaml(path)
    if located is None:
        return None, problems
    if not isinstance(located.data, dict):
        return None, [located.problem((), "expected a mapping of UI strings, as in en.yaml")]
    parts = []
    for fragment in type_files(language):
        part, found = read_yaml(fragment)
        problems += found
        if part is not None and isinstance(part.data, dict):
            parts.append(part)
    problems += _compare([located, *parts], _reference())
    if any(p.severity == "error" for p in problems):
        return None, problems
    data: dict[str, object] = {}
    for part in [*parts, located]:  # the language's main file wins over the types' strings
        data = _merge(data, part.data)  # type: ignore[arg-type]
    return Catalog(language, data, path), problems


def _compare(parts: list[Located], reference: dict[str, object]) -> list[Problem]:
    """Check the catalog made of ``parts`` (main file first) against the English keys."""
    main = parts[0]
    problems = []
    flats = [(part, _flatten(part.data)) for part in parts]
    for key, ref in reference.items():
        located, flat = next(((p, f) for p, f in flats if key in f), (main, {}))
        if key not in flat:
            problems.append(main.problem((), f'missing UI string "{key}" (English: '
                                         f'"{ref}"); translate it into this file'))
            continue
        value = flat[key]
        path = tuple(key.split("."))
        if isinstance(ref, list):
            if not isinstance(value, list) or len(value) < MIN_OPTION_LETTERS:
                problems.append(located.problem(path, f'"{key}" needs a list of at least '
                                                f"{MIN_OPTION_LETTERS} entries"))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(located.problem(path, f'"{key}" must be text'))
            continue
        wanted = sorted(_FIELD.findall(str(ref)))
        fields = ", ".join("{" + f + "}" for f in wanted) or "none"
        if sorted(_FIELD.findall(value)) != wanted:
            problems.append(located.problem(path, f'"{key}" must use the same fields as English '
                                            f"({fields})"))
        elif "{" in _FIELD.sub("", value) or "}" in _FIELD.sub("", value):
            problems.append(located.problem(path, f'"{key}" has a brace that is not one of its '
                                            f"fields ({fields}); a field is a plain name in "
                                            "braces, with nothing else inside: remove the "
                                            "brace"))
    groups = {".".join(parts[:end]) for ref in reference
              for parts in [ref.split(".")] for end in range(1, len(parts))}
    for located, flat in flats:
        for key in flat:
            if key in groups:  # text where the English file has a group of strings
                problems.append(located.problem(
                    tuple(key.split(".")), f'"{key}" must be a mapping of UI strings, as in '
                    f'en.yaml (for example "{key}.{_first_in(reference, key)}")'))
            elif key not in reference:
                problems.append(located.problem(tuple(key.split(".")),
                                                f'unknown UI string "{key}"', key=True,
                                                severity="warning"))
    direction = flats[0][1].get("direction")
    if direction not in {"ltr", "rtl"}:
        problems.append(main.problem(("direction",), 'direction must be "ltr" or "rtl"'))
    return problems


def _first_in(reference: dict[str, object], group: str) -> str:
    return next(ref[len(group) + 1:] for ref in reference if ref.startswith(group + "."))


def missing_message(language: str, deck_root: Path | None) -> str:
    """Say that a language has no catalog, and where to put one."""
    own = (f"the deck's {display_path(deck_root / 'templates' / 'i18n')}/ (looked up first) or "
           if deck_root else "")
    return (f'no UI strings for language "{language}": add {language}.yaml, a translation of '
            "quizgen's templates/i18n/en.yaml and of each question type's "
            f"templates/types/<type>/i18n/en.yaml in one file, to {own}quizgen's built-in "
            "templates/i18n/")


def check_catalogs(languages: list[str], deck_root: Path | None,
                   locate: Callable[[int, str], Problem] | None = None) -> list[Problem]:
    """Return the problems of the catalogs a deck's languages need.

    ``locate(index, message)`` places a missing catalog's problem at the language's entry.
    """
    problems: list[Problem] = []
    for index, language in enumerate(languages):
        if locate is not None and _find(language, deck_root) is None:
            problems.append(locate(index, missing_message(language, deck_root)))
            continue
        problems += load_catalog(language, deck_root)[1]
    return problems


__all__ = ["Catalog", "check_catalogs", "load_catalog", "search_path"]
