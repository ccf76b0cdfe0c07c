"""Question templates: data files that say which facts a question type applies to and how it asks.

quizgen's own are ``templates/types/<type>/questions/<id>.yaml``, beside each type's other parts.
A deck's own ``templates/questions/`` is searched first, so a deck can add a template or override
one by file name.
Prompts are Jinja2, rendered in quizgen's bounded sandbox (``quizgen.sandbox``) with
``StrictUndefined``: deck templates are code-like and come from other people.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.exceptions import SecurityError
from pydantic import Field

from quizgen.errors import ContentError, Problem, display_path
from quizgen.model import ANSWER_TYPES, KINDS, Lang, Localized, Slug, Text, _Model
from quizgen.qtypes import TYPES
from quizgen.resources import bundled
from quizgen.sandbox import BoundedSandbox, LimitError
from quizgen.validate import validate
from quizgen.yamlread import Located, read_yaml

log = logging.getLogger(__name__)

QUESTION_TYPES = TYPES  # the registry's
DISTRACTOR_SOURCES = ("curated", "other_facts", "numbers")
FACT_FIELDS = ("cue", "date", "distractors", "quantity", "note", "tags", "question")


class AppliesTo(_Model):
    """Which facts a template asks about; every listed condition must hold."""

    kinds: list[Literal[KINDS]] | None = None  # type: ignore[valid-type]
    answer_types: list[Literal[ANSWER_TYPES]] | None = None  # type: ignore[valid-type]
    requires: list[Literal[FACT_FIELDS]] = Field(default_factory=list)  # type: ignore[valid-type]
    max_significant_digits: int | None = Field(
        None, ge=1, description="Skip answers holding a number more precise than this: nobody "
        "types 43,246,581 from memory.")
    open_answer: bool = Field(
        False, description="The learner answers in their own words (a typed blank, a short "
        "answer): skip facts whose `never_offer` lists answers that are true too, since "
        "several would be right.")
    same_topic: bool = Field(
        True, description="types that pair facts: pair only facts of one topic.")
    partners: int = Field(
        2, ge=1, le=10, description="types that pair facts: pair each fact with at most this "
        "many others of its group (the next ones in fact-id order), so that a topic of many "
        "figures gets a few questions per figure, not one per pair.")


class ChoiceSpec(_Model):
    """How wrong answers are found, and how many choices a question shows."""

    count: int = Field(4, ge=2, le=6)
    distractors: list[Literal[DISTRACTOR_SOURCES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(DISTRACTOR_SOURCES))


class GroupSpec(_Model):
    """How facts are grouped into one question, for the types that ask about several at once."""

    by: Literal["topic", "answer_type", "deck"] = Field(
        description="facts of one topic, of one answer type, or of the whole deck together")
    min: int = Field(ge=2, le=8)
    max: int = Field(ge=2, le=8)


class TemplateSpec(_Model):
    """One question template, as its YAML file declares it."""

    id: Slug
    type: Literal[QUESTION_TYPES]  # type: ignore[valid-type]
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    prompt: dict[Lang, Text]
    choices: ChoiceSpec | None = None
    group: GroupSpec | None = None
    asks: dict[str, Localized] | None = None
    ratio_prompt: Localized | None = None


@dataclass(frozen=True)
class QuestionTemplate:
    """A loaded template and where it was written."""

    spec: TemplateSpec
    located: Located

    @property
    def id(self) -> str:
        """The template id (part of every question id it makes)."""
        return self.spec.id

    def render(self, field: str, language: str, **context: object) -> str:
        """Render the template's ``field`` (prompt, ratio_prompt) in ``language``."""
        text = getattr(self.spec, field)[language]
        if _RENDERED is not None:
            _RENDERED.add((self.id, field, language))
        plain = _plain(text)
        if plain is not None and all(name in context for name in plain[1::2]):
            return "".join(str(context[part]) if index % 2 else part
                           for index, part in enumerate(plain))
        try:
            return _compile(text).render(**context)
        except LimitError as exc:  # before TemplateError, its base class
            raise ContentError([self.located.problem(
                (field, language), f'template "{self.id}": {exc}')]) from None
        except SecurityError as exc:
            problem = (f"a {field} may not reach into Python (attributes starting with _, or "
                       f"methods that change values): {exc}")
        except TemplateError as exc:
            problem = str(exc)
        except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError,
                MemoryError) as exc:  # what a template's own expressions can raise
            problem = f"the {field} fails: {type(exc).__name__}: {exc}"
        known = ", ".join(sorted(context))
        raise ContentError([self.located.problem(
            (field, language), f'template "{self.id}": {problem}; a {field} may use: '
            f"{known}")])


# (template id, field, language) of every render, while ``recording`` (check: which fields its
# test renders reached)
_RENDERED: set[tuple[str, str, str]] | None = None


def recording(into: set[tuple[str, str, str]] | None) -> None:
    """Record every (template id, field, language) rendered into ``into`` (None: stop)."""
    global _RENDERED
    _RENDERED = into


_PLACEHOLDER = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}")
_CONSTANTS = {"true", "false", "none", "True", "False", "None"}  # Jinja's, not the context's


@cache
def _plain(text: str) -> list[str] | None:
    """A template that is only text and ``{{ name }}``s (most prompts: ``{{ before }}{{ blank
    }}{{ after }}``), as its literal texts with the names between them, to be filled without
    Jinja: each value as ``str`` gives it, which is what the sandbox prints for it (autoescape
    off, no filter). None for anything else, and for a line break (Jinja drops a trailing one
    and writes every kind as ``\n``): those are rendered by Jinja."""
    if "\n" in text or "\r" in text:
        return None
    parts = _PLACEHOLDER.split(text)
    if any(marker in literal for literal in parts[0::2] for marker in ("{{", "{%", "{#")):
        return None
    if any(name in _CONSTANTS for name in parts[1::2]):
        return None
    return parts


@cache
def _environment() -> BoundedSandbox:
    return BoundedSandbox(undefined=StrictUndefined, autoescape=False,
                          keep_trailing_newline=False)


@cache
def _compile(text: str) -> Template:
    return _environment().from_string(text)


def built_in_folders() -> list[Path]:
    """quizgen's own question templates: each type's ``templates/types/<type>/questions/``."""
    types = bundled("templates") / "types"
    return [types / name / "questions" for name in TYPES if (types / name / "questions").is_dir()]


def search_path(deck_root: Path | None) -> list[Path]:
    """The folders question templates are looked up in, in order: the deck's own first."""
    own = [deck_root / "templates" / "questions"] if deck_root else []
    return [*own, *built_in_folders()]


def load_templates(deck_root: Path | None, languages: list[str],
                   locate: Callable[[int, str], Problem] | None = None,
                   ) -> tuple[list[QuestionTemplate], list[Problem]]:
    """Load every template on the search path; the first file of a name wins.

    ``locate(index, message)`` places a problem of a built-in template with the deck language
    (index in ``languages``) it concerns.
    """
    problems: list[Problem] = []
    builtin = set(built_in_folders())
    lacking: dict[str, list[str]] = {}
    chosen: dict[str, Path] = {}
    for folder in search_path(deck_root):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                chosen.setdefault(path.name, path)
    templates: list[QuestionTemplate] = []
    ids: dict[str, Path] = {}
    for name in sorted(chosen):
        path = chosen[name]
        located, found = read_yaml(path)
        problems += found
        if located is None:
            continue
        spec, found = validate(located, (), TemplateSpec)
        problems += found
        if spec is None:
            continue
        if spec.id in ids:
            problems.append(located.problem(("id",), f'template id "{spec.id}" is also the id '
                                            f"of {display_path(ids[spec.id])}"))
            continue
        ids[spec.id] = path
        for field in ("prompt", "ratio_prompt"):
            texts = getattr(spec, field)
            if texts is None:
                continue
            for language in languages:
                if language not in texts and locate is not None and path.parent in builtin:
                    lacking.setdefault(language, []).append(path.name)
                elif language not in texts:
                    problems.append(located.problem(
                        (field,), f'template "{spec.id}" has no {field} in "{language}", a '
                        f"language of the deck; add it (the deck's own templates/questions/ "
                        "can override this file)"))
            for language, text in texts.items():
                try:
                    _compile(text)
                except TemplateError as exc:
                    problems.append(located.problem((field, language), f"template syntax "
                                                    f"error: {exc}"))
        templates.append(QuestionTemplate(spec, located))
    for language, names in lacking.items():
        problems.append(locate(languages.index(language), (  # type: ignore[misc]
            f'the built-in question templates {", ".join(sorted(set(names)))} have no prompts in '
            f'"{language}": copy them from quizgen\'s templates/types/*/questions/ into the '
            f'deck\'s templates/questions/ and add "{language}" prompts')))
    if not templates:
        folders = ", ".join(display_path(f) for f in search_path(deck_root))
        problems.append(Problem(str(deck_root or "."), 1, 1, "no question templates found; "
                                f"looked in: {folders}"))
    return templates, problems
