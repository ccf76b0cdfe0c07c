"""A deck's planned questions, kept for the next command over the same deck and seed.

Planning (every question's facts, distractors, order of choices) depends only on the deck's
files, the seed and quizgen itself, and at thousands of facts it is most of what a command does
before its format's own work: ``anki`` after ``check`` would plan the whole deck again. So the
plans are kept as JSON in the per-user cache (``parsecache.keep``, keyed like the quality
review's findings: ``incremental.inputs_digest`` of the deck folder, which covers quizgen's
code, and the seed) and read back with their facts, templates and keys looked up by id.

A plan whose ``extra`` holds something this module does not know how to write (a new question
type's own object) makes the deck's plans not kept: the next command plans again, as it
would without the cache. What is read back is checked for shape; anything unexpected is planned
again, never trusted.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from quizgen.content import LoadedDeck
from quizgen.distractors import Key
from quizgen.errors import Problem
from quizgen.model import Fact
from quizgen.qtemplates import load_templates
from quizgen.qtypes.engine import Plan
from quizgen.questions import QuestionSet, build_question_set

log = logging.getLogger(__name__)

FORMAT = 1  # the shape of an entry; a change makes earlier entries unread


class _Unknown(Exception):
    """A value that is not written (or read) here."""


def planned(loaded: LoadedDeck, *, seed: int) -> QuestionSet:
    """The deck's question set for ``seed``: kept plans when an earlier command made them from
    the same files and quizgen, else planned now and kept."""
    from quizgen.incremental import inputs_digest
    from quizgen.parsecache import keep, recall

    name = f"plans {loaded.root.resolve()}"
    inputs = inputs_digest(loaded.root) + f"\0{seed}\0{FORMAT}".encode()
    kept = recall(name, inputs)
    if kept is not None:
        try:
            return _decode(kept, loaded, seed)
        except (_Unknown, KeyError, IndexError, TypeError, ValueError) as exc:
            log.debug("plan cache: planning again: %s", exc)
    questions = build_question_set(loaded, seed=seed)
    try:
        data = _encode(questions)
    except _Unknown as exc:
        log.debug("plan cache: not keeping the plans: %s", exc)
        return questions
    keep(name, inputs, data)
    return questions


def _encode(questions: QuestionSet) -> dict[str, Any]:
    ids = [t.id for t in questions.templates]
    if len(set(ids)) != len(ids):
        raise _Unknown("two templates with one id")
    return {"plans": [[p.id, p.type, p.template.id, [f.id for f in p.facts],
                       [[k.kind, k.ref] for k in p.keys], p.correct, p.truth, p.order,
                       _value(p.extra)] for p in questions.plans],
            "warnings": [[_file(w.file, questions.deck.root), w.line, w.column, w.message,
                          w.fact, w.severity] for w in questions.warnings],
            "period": [list(end) for end in questions.planning_period]}


def _file(name: str, root: Path) -> str:
    """A warning's file, kept inside the deck relative to its folder: the next command may name
    the deck another way (``deck``, ``./deck``, its absolute path) and must say its own."""
    folder = str(root)
    if folder == "." and not os.path.isabs(name) and not name.startswith(".."):
        return name
    if name.startswith(folder + os.sep):
        return name[len(folder) + 1:]
    if os.path.isabs(name):
        return "\0" + name  # outside the deck (a bundled template): kept as it is
    raise _Unknown(f"a warning about {name}")


def _value(value: Any) -> Any:
    """``value`` as JSON data, the objects plans hold tagged so that they read back as they
    were (a tuple stays a tuple, a fact is its id)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_value(v) for v in value]}
    if isinstance(value, Key):
        return {"$key": [value.kind, value.ref]}
    if isinstance(value, Fact):
        return {"$fact": value.id}
    if isinstance(value, dict) and all(isinstance(k, str) and not k.startswith("$")
                                       for k in value):
        return {k: _value(v) for k, v in value.items()}
    raise _Unknown(f"a {type(value).__name__} in a plan")


def _decode(data: Any, loaded: LoadedDeck, seed: int) -> QuestionSet:
    templates, problems = load_templates(loaded.root, loaded.deck.languages)
    if any(p.severity == "error" for p in problems):
        raise _Unknown("the templates have errors")
    by_id = {t.id: t for t in templates}
    facts = {f.id: f for f in loaded.facts}
    plans = []
    for pid, kind, template, fact_ids, keys, correct, truth, order, extra in data["plans"]:
        if not (isinstance(pid, str) and isinstance(kind, str) and isinstance(order, list)
                and (correct is None or type(correct) is int)
                and (truth is None or type(truth) is bool)):
            raise _Unknown(f"plan {pid!r}")
        plans.append(Plan(pid, kind, by_id[template], [facts[f] for f in fact_ids],
                          [_key(k) for k in keys], correct, truth,
                          [_int(i) for i in order], _read(extra, facts)))
        if not isinstance(plans[-1].extra, dict):
            raise _Unknown(f"plan {pid!r}: extra")
    warnings = [Problem(_named(file, loaded.root), _int(line), _int(column), str(message),
                        None if fact is None else str(fact), str(severity))
                for file, line, column, message, fact, severity in data["warnings"]]
    (y0, m0), (y1, m1) = data["period"]
    return QuestionSet(loaded, seed, plans, warnings, templates,
                       ((_int(y0), _int(m0)), (_int(y1), _int(m1))))


def _named(file: Any, root: Path) -> str:
    if not isinstance(file, str):
        raise _Unknown(f"file {file!r}")
    return file[1:] if file.startswith("\0") else str(root / file)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise _Unknown(f"{value!r} is not a whole number")
    return value


def _key(value: Any) -> Key:
    kind, ref = value
    if not isinstance(kind, str) or not (ref is None or isinstance(ref, (str, int))):
        raise _Unknown(f"key {value!r}")
    return Key(kind, ref)


def _read(value: Any, facts: dict[str, Fact]) -> Any:
    if isinstance(value, list):
        return [_read(v, facts) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, inner), = value.items()
            if tag == "$tuple":
                return tuple(_read(v, facts) for v in inner)
            if tag == "$key":
                return _key(inner)
            if tag == "$fact":
                return facts[inner]
        if any(k.startswith("$") for k in value):
            raise _Unknown(f"tag {sorted(value)!r}")
        return {k: _read(v, facts) for k, v in value.items()}
    return value

