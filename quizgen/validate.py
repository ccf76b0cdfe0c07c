"""Validate located YAML data against the pydantic models, with messages a teacher can act on."""

from __future__ import annotations

import difflib
import logging
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from quizgen import model
from quizgen.errors import Problem
from quizgen.yamlread import Located, PathKey

log = logging.getLogger(__name__)

_ADAPTERS: dict[Any, TypeAdapter] = {}

_PATTERN_HINTS = {
    model.SLUG_PATTERN: 'an id: lower-case letters and digits in words joined by single '
                        'hyphens, such as "treaty-1921"',
    model.LANG_PATTERN: "a language code such as en, ar or he",
    model.DATE_PATTERN: 'a date written "YYYY", "YYYY-MM" or "YYYY-MM-DD", or a period '
                        '"YYYY/YYYY", in quotes',
    r"^https?://\S+$": "a web address starting with http:// or https://",
    r"^[^/\\]+$": "a file name without folders (the folder is given by --sources-dir)",
}


_IMAGE_KEYS = {
    "file": "add `file: <its path inside the deck's media/ folder>`",
    "alt": "add `alt:` with what the image shows, in every deck language, for readers who "
           "cannot see it",
    "credit": "add `credit:` with who made it (its author, or the archive that holds it)",
    "license": "add `license:` with its licence (`CC BY-SA 4.0`, `public domain`); an image "
               "whose licence is unknown cannot be shared",
}


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ' did you mean "x"?' for the closest of ``choices``, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def describe(value: object, raw: str | None = None) -> str:
    """Describe a YAML value in words, for 'found ...' in messages."""
    if isinstance(value, bool):
        shown = raw if raw is not None else str(value).lower()
        return f"{shown}, which YAML reads as the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {raw if raw is not None else value}"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    text = str(value)
    return f'"{text[:60]}{"..." if len(text) > 60 else ""}"'


def _walk(data: object, loc: tuple) -> tuple[PathKey, bool, object]:
    """Map a pydantic error location onto a data path; report whether it names a key."""
    path: list[str | int] = []
    current: Any = data
    is_key = False
    for part in loc:
        if part == "[key]":
            is_key = True
            continue
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) \
            and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and not path_has_tag(part):
            path.append(part)  # a missing or unknown key
            current = None
        # anything else is a union member's tag such as 'int' or 'function-after[...]'
    return tuple(path), is_key, current


def path_has_tag(part: str) -> bool:
    """Tell whether a location part is a pydantic union tag rather than a key."""
    return "[" in part or part in {"str", "int", "float", "bool", "none", "list", "dict"}


def _message(err: ErrorDetails, located: Located, path: PathKey, fields: list[str],
             literals: list[str]) -> str:
    kind = err["type"]
    value = err.get("input")
    raw = located.plain.get(path)
    key = path[-1] if path else ""
    found = describe(value, raw)
    ctx = err.get("ctx") or {}
    if kind == "missing" and len(path) >= 2 and path[-2] == "image" and key in _IMAGE_KEYS:
        return f'the image lacks "{key}": {_IMAGE_KEYS[key]} (see docs/content-format.md)'
    if kind == "missing":
        return f'missing required key "{key}"; add it (see docs/content-format.md)'
    if kind == "extra_forbidden":
        hint = did_you_mean(str(key), fields) or f" Allowed keys: {', '.join(fields)}."
        return f'unknown key "{key}".{hint}'
    if kind == "string_type":
        if isinstance(value, (bool, int, float)) and raw is not None:
            return f'expected text, found {found}; quote it: {key}: "{raw}"'
        return f"expected text, found {found}"
    if kind in {"int_type", "float_type", "int_from_float", "int_parsing", "float_parsing"}:
        return f"expected a number, found {found}"
    if kind == "bool_type":
        return f"expected true or false, found {found}"
    if kind == "list_type":
        return f'expected a list (one "- item" line per entry, or [a, b]), found {found}'
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping (key: value lines), found {found}"
    if kind == "literal_error":
        options = literals or [o.strip(" '") for o in str(ctx.get("expected", ""))
                               .replace(" or ", ", ").split(",")]
        return (f"expected one of {', '.join(options)}; found {found}."
                f"{did_you_mean(str(value), options)}")
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return f"expected {hint}; found {found}"
    if kind == "string_too_short" or (kind == "value_error" and value is not None
                                      and isinstance(value, str) and not value.strip()):
        if key == "quote":
            return ("empty quote: copy the words of the source that support the answer, "
                    "exactly as the source writes them")
        return "empty text: write something, or remove the key"
    if kind == "string_too_long":
        return f"text longer than {ctx.get('max_length')} characters: shorten it"
    if kind == "too_short":
        noun = "citation {source, locator, quote}" if key == "sources" else "entry"
        return f"expected at least {ctx.get('min_length')} {noun}; found none"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} entries; found {ctx.get('actual_length')}"
    if kind == "greater_than_equal":
        return f"expected a number of at least {ctx.get('ge')}; found {found}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"{err['msg']}; found {found}"


def _owner(model_type: Any, loc: tuple) -> Any:
    """The model that owns the end of ``loc`` (None if there is none)."""
    current = model_type
    for part in loc[:-1]:
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                continue
            current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _fields_at(model_type: Any, loc: tuple) -> list[str]:
    """Return the field names of the model that owns the end of ``loc``, for suggestions."""
    owner = _owner(model_type, loc)
    return list(owner.model_fields) if owner is not None else []


def _literals_at(model_type: Any, loc: tuple) -> list[str]:
    """The values the field at the end of ``loc`` allows, when it is a Literal: from quizgen's
    own model, not from the wording of pydantic's message."""
    owner = _owner(model_type, loc)
    info = owner.model_fields.get(loc[-1]) if owner is not None and loc else None
    return [str(v) for v in _literal_values(info.annotation)] if info is not None else []


def _literal_values(annotation: Any) -> tuple:
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for arg in get_args(annotation):
        found = _literal_values(arg)
        if found:
            return found
    return ()


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def validate(located: Located, path: PathKey, model_type: Any,
             fact: str | None = None) -> tuple[Any, list[Problem]]:
    """Validate the value at ``path`` as ``model_type``; return it (or None) and its problems."""
    data = located.data
    for part in path:
        data = data[part]  # type: ignore[index]
    adapter = _ADAPTERS.get(model_type) or _ADAPTERS.setdefault(model_type, TypeAdapter(model_type))
    try:
        return adapter.validate_python(data), []
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[PathKey, str]] = set()
        for err in exc.errors():
            sub, is_key, _ = _walk(data, err["loc"])
            full = (*path, *sub)
            keys = tuple(p for p in err["loc"] if isinstance(p, str) and not path_has_tag(p))
            message = _message(err, located, full, _fields_at(model_type, keys),
                               _literals_at(model_type, keys))
            if (full, message) in seen:
                continue
            seen.add((full, message))
            if err["type"] == "missing":
                problems.append(located.problem(full[:-1], message, fact=fact))
            else:
                key = is_key or err["type"] == "extra_forbidden"
                problems.append(located.problem(full, message, fact=fact, key=key))
        return None, problems
