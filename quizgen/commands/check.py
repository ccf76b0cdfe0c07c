"""``quizgen check``: validate content, verify quotes, and summarize what is there."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quizgen.errors import (
    ContentError,
    Problem,
    StrictError,
    display_path,
    say_reading,
    show_warnings,
)

if TYPE_CHECKING:
    from quizgen.content import LoadedDeck, LoadResult
    from quizgen.questions import Plan, QuestionSet

log = logging.getLogger(__name__)


def deck_summary(loaded: LoadedDeck, quotes_checked: int | None) -> dict[str, object]:
    """Return the counts that describe one deck, as JSON-ready data."""
    facts = loaded.facts
    languages = loaded.deck.languages
    return {
        "id": loaded.deck.id,
        "path": display_path(loaded.root),
        "facts": len(facts),
        "sources": len(loaded.sources),
        "languages": list(languages),
        "topics": dict(Counter(f.topic for f in facts)),
        "kinds": dict(Counter(f.kind for f in facts)),
        "answer_types": dict(Counter(f.answer_type for f in facts)),
        "citations": dict(Counter(c.source for f in facts for c in f.sources)),
        "language_completeness": {
            lang: sum(1 for f in facts if lang in f.text) for lang in languages},
        "quotes_checked": quotes_checked,
    }


def load_and_verify(content: Path, sources_dir: Path | None) -> tuple[LoadResult, int | None]:
    """Load and validate; with ``sources_dir`` also verify quotes (returns how many)."""
    from quizgen.content import load

    result = load(content, verbose=True)
    checked: int | None = None
    if sources_dir is not None and not result.errors:
        from quizgen.quotes import verify_quotes

        found, checked = verify_quotes(result.decks, sources_dir)
        result.problems += found
    return result, checked


def planning_warnings(decks: list[LoadedDeck]) -> list[Problem]:
    """What planning the decks' questions finds (a multiple choice without enough distractors,
    a cue that gives its answer away): check says what build would."""
    out = []
    for loaded in decks:
        out += _review(loaded)
    return out


def _review(loaded: LoadedDeck) -> list[Problem]:
    """What planning the deck's questions finds, rendering them in each language."""
    from quizgen import quality
    from quizgen.plancache import planned
    from quizgen.select import NO_QUESTION

    out: list[Problem] = []
    questions = planned(loaded, seed=0)  # kept for the output commands' default seed
    if not questions.plans:
        # A warning (every output command refuses such a deck with this message): the
        # quality rules' fixture decks are made to trip one rule and make no question.
        out.append(Problem(str(loaded.root / "deck.yaml"), 1, 1, NO_QUESTION + "; every "
                           "output command refuses such a deck", severity="warning"))
    out += questions.warnings + quality.review(questions, questions.plans, whole_deck=True)
    out += template_trials(questions)
    return out


TRIALS = 20  # questions of one template check renders at most, per language


def template_trials(questions: QuestionSet) -> list[Problem]:
    """Render what a build would with the deck's templates, on a few of its questions: each
    question template's fields in every language (its first questions, until each field was
    rendered), and, when the deck has its own output templates, a self-test page and a
    worksheet and key (as HTML) of one question per type. What a build would fail on (a
    template over a limit of the sandbox, a name it does not know) is an error here."""
    from quizgen import qtemplates

    problems: set[Problem] = set()
    loaded = questions.deck
    catalogs = questions.catalogs()
    by_template: dict[str, list[Plan]] = {}
    for plan in questions.plans:
        by_template.setdefault(plan.template.id, []).append(plan)
    rendered: set[tuple[str, str, str]] = set()
    qtemplates.recording(rendered)
    try:
        for language in loaded.deck.languages:
            for template_id, plans in by_template.items():
                spec = plans[0].template.spec
                fields = {f for f in ("prompt", "ratio_prompt") if getattr(spec, f) is not None}
                for plan in plans[:TRIALS]:
                    try:
                        questions.question(plan, language, catalogs[language])
                    except ContentError as exc:
                        problems.update(exc.problems)
                        break
                    if all((template_id, f, language) in rendered for f in fields):
                        break
    finally:
        qtemplates.recording(None)
    if not problems:
        problems.update(_output_trials(questions))
    return sorted(problems)


def _output_trials(questions: QuestionSet) -> list[Problem]:
    from quizgen.render.common import deck_template_errors, deck_templates

    loaded = questions.deck
    own = deck_templates(loaded.root)
    if own is None:
        return []
    sample = list({plan.type: plan for plan in reversed(questions.plans)}.values())
    problems: list[Problem] = []
    for language in loaded.deck.languages:
        catalog = questions.catalogs()[language]
        data = questions.render(language, sample, catalog=catalog)
        try:
            with deck_template_errors(loaded.root):
                if (own / "html").is_dir() or (own / "shared").is_dir() or \
                        (own / "types").is_dir():
                    from quizgen.render.html import render_page

                    render_page(data, catalog, deck_root=loaded.root)
                if (own / "pdf").is_dir() or (own / "shared").is_dir() or \
                        (own / "types").is_dir():
                    from quizgen.render.pdf import Header, Renderer

                    Renderer(data, catalog, deck_root=loaded.root,
                             header=Header.of(loaded.deck.print_, language, {})).documents(
                        versions=1, paper="a4", seed=questions.seed, created="")
        except ContentError as exc:
            problems += exc.problems
            break
    return problems


@dataclass
class Checked:
    """What check found: its errors and warnings, each deck's summary, and the decks it read
    (their folders and how many facts each has; None: the deck cannot be used)."""

    errors: list[Problem]
    warnings: list[Problem]
    summaries: list[dict[str, Any]]
    read: list[tuple[str, int | None]]


def run_check(content: Path, sources_dir: Path | None) -> Checked:
    """Load, validate, plan and (with ``sources_dir``) verify quotes; the decks read are said
    as they are read.

    The result depends only on the files under ``content`` and ``sources_dir`` and on quizgen
    itself: when none of them changed since the last check, it is the cache's (planning the
    questions of 10,000 facts takes a minute, loading them seconds), and the decks are said as
    they were read then."""
    from quizgen.parsecache import remembered

    if not content.is_dir() or (sources_dir is not None and not sources_dir.is_dir()):
        return _check(content, sources_dir)
    inputs = _inputs(content, sources_dir)
    computed = []

    def compute() -> Checked:
        computed.append(True)
        return _check(content, sources_dir)

    checked: Checked = remembered(
        f"check {content.resolve()} {sources_dir and sources_dir.resolve()}", inputs, compute,
        encode=lambda c: ({"errors": [asdict(p) for p in c.errors],
                           "warnings": [asdict(p) for p in c.warnings],
                           "summaries": c.summaries, "read": [list(r) for r in c.read]}, b""),
        decode=lambda data, _: Checked([Problem(**p) for p in data["errors"]],
                                       [Problem(**p) for p in data["warnings"]],
                                       data["summaries"], [tuple(r) for r in data["read"]]))
    if not computed:
        for folder, facts in checked.read:
            say_reading(Path(folder), facts)
    return checked


def _inputs(content: Path, sources_dir: Path | None) -> bytes:
    """The digest of what check's result depends on: quizgen, and the files under ``content``
    and ``sources_dir``, with the paths as given and the working folder (the messages name
    files as given, relative to the working folder where that is shorter)."""
    from quizgen.incremental import inputs_digest

    digest = hashlib.sha256(inputs_digest(content))
    digest.update(json.dumps([os.getcwd(), str(content), None if sources_dir is None
                              else str(sources_dir)]).encode())
    if sources_dir is not None:
        digest.update(inputs_digest(sources_dir))
    return digest.digest()


def _check(content: Path, sources_dir: Path | None) -> Checked:
    result, checked = load_and_verify(content, sources_dir)
    if not result.errors:
        result.problems += planning_warnings(result.decks)
    return Checked(sorted(result.errors), sorted(result.warnings),
                   [deck_summary(d, checked) for d in result.decks],
                   result.read)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counter.items())


def run(*, content: Path, sources_dir: Path | None, output_format: str,
        strict: bool = False) -> None:
    """Run ``quizgen check`` and exit 1 if the content has errors (or, ``strict``, warnings)."""
    checked = run_check(content, sources_dir)
    errors, warnings, summaries = checked.errors, checked.warnings, checked.summaries
    if output_format == "json":
        report = {"decks": summaries,
                  "errors": [p.as_dict() for p in errors],
                  "warnings": [p.as_dict() for p in warnings]}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        if errors or (strict and warnings):
            raise SystemExit(1)
        return
    for summary in summaries:
        total = summary["facts"]
        click.echo(f"{summary['id']} ({summary['path']}): {plural(total, 'fact')}, "
                   f"{plural(summary['sources'], 'source')}, "
                   f"languages {', '.join(summary['languages'])}")
        click.echo(f"  topics:       {_counts(summary['topics'])}")
        click.echo(f"  kinds:        {_counts(summary['kinds'])}")
        click.echo(f"  answer types: {_counts(summary['answer_types'])}")
        click.echo(f"  citations:    {_counts(summary['citations'])}")
        click.echo("  languages:    " + ", ".join(
            f"{lang} {n}/{total}" for lang, n in summary["language_completeness"].items()))
        if summary["quotes_checked"] is not None:
            click.echo(f"  quotes:       {summary['quotes_checked']} checked against "
                       f"{display_path(sources_dir)}")  # type: ignore[arg-type]
    show_warnings(warnings)
    if errors:
        raise ContentError(errors)
    if strict and warnings:
        raise StrictError(len(warnings))
    note = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    click.echo(f"OK: no errors{note}.")
