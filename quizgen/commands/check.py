"""``quizgen check``: validate content, verify quotes, and summarize what is there."""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

import click

from quizgen.content import LoadedDeck, LoadResult, load
from quizgen.errors import ContentError, Problem, StrictError, display_path, show_warnings

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
    from quizgen import quality
    from quizgen.questions import build_question_set

    out = []
    for loaded in decks:
        questions = build_question_set(loaded)
        out += questions.warnings + quality.review(questions, questions.plans, whole_deck=True)
    return out


def run_check(content: Path, sources_dir: Path | None) -> tuple[LoadResult, list[dict]]:
    """Load, validate, plan and (with ``sources_dir``) verify quotes; return the result and
    summaries."""
    result, checked = load_and_verify(content, sources_dir)
    if not result.errors:
        result.problems += planning_warnings(result.decks)
    return result, [deck_summary(d, checked) for d in result.decks]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counter.items())


def run(*, content: Path, sources_dir: Path | None, output_format: str,
        strict: bool = False) -> None:
    """Run ``quizgen check`` and exit 1 if the content has errors (or, ``strict``, warnings)."""
    result, summaries = run_check(content, sources_dir)
    errors, warnings = sorted(result.errors), sorted(result.warnings)
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
