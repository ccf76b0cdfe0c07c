"""What every output command shares: the question sets, planned once per run, and the outputs
made in memory before anything is written."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from quizgen.catalog import Catalog, load_catalog
from quizgen.content import LoadedDeck, find_deck_dirs, load_content
from quizgen.errors import ContentError, QuizgenError, display_path
from quizgen.incremental import BuildState
from quizgen.output import write_atomic
from quizgen.questions import Plan, QuestionSet, build_question_set
from quizgen.select import select

log = logging.getLogger(__name__)

EVERYTHING: dict[str, Any] = {"topics": None, "tags": None, "types": None, "count": None}


@dataclass
class Output:
    """One file made in memory, and what to say about it once it is written."""

    name: str
    data: bytes
    summary: str


@dataclass
class Planned:
    """A deck's question set and the questions chosen from it."""

    loaded: LoadedDeck
    questions: QuestionSet
    plans: list[Plan]

    def languages(self, lang: str | None) -> list[str]:
        """The languages to build in: every language of the deck, or the one asked for."""
        if lang is None:
            return list(self.loaded.deck.languages)
        return [lang] if lang in self.loaded.deck.languages else []

    def reselect(self, selection: dict[str, Any], *, seed: int) -> Planned:
        """The same question set with another selection (a worksheet's 20 questions)."""
        return Planned(self.loaded, self.questions,
                       select(self.questions.plans, seed=seed, **selection))

    def rendered(self, lang: str | None, *, lazy: bool = False,
                 ) -> Iterator[tuple[str, dict[str, Any], Catalog]]:
        """Each language's rendered question set and catalog (``lazy``: see
        ``QuestionSet.render``)."""
        for language in self.languages(lang):
            catalog, problems = load_catalog(language, self.loaded.root)
            if catalog is None:
                raise ContentError(problems)
            yield language, self.questions.render(language, self.plans, catalog=catalog,
                                                  lazy=lazy), catalog


def each_language(planned: list[Planned], lang: str | None, *, lazy: bool = False,
                  ) -> Iterator[tuple[Planned, str, dict[str, Any], Catalog]]:
    """Every deck language's rendered question set: (deck, language, data, catalog)."""
    for deck in planned:
        for language, data, catalog in deck.rendered(lang, lazy=lazy):
            yield deck, language, data, catalog


def check_language(decks: list[LoadedDeck], lang: str | None) -> None:
    """Refuse a --lang that no deck is written in."""
    if lang is None:
        return
    known = sorted({code for d in decks for code in d.deck.languages})
    if lang not in known:
        raise QuizgenError(f'--lang {lang}: no deck is written in "{lang}"; '
                           f"languages: {', '.join(known)}")


def plan(decks: list[LoadedDeck], *, seed: int, selection: dict[str, Any]) -> list[Planned]:
    """Plan every deck's questions once, say what was skipped, and choose the selection."""
    out = []
    for loaded in decks:
        # Validation and quote checks are done: later messages only name whole facts.
        for origin in {id(o.located): o for o in loaded.fact_origins.values()}.values():
            origin.located.prune()
        questions = build_question_set(loaded, seed=seed)
        for warning in questions.warnings:
            click.echo(str(warning), err=True)
        out.append(Planned(loaded, questions, select(questions.plans, seed=seed, **selection)))
    return out


def stale_decks(content: Path, state: BuildState, lang: str | None) -> list[LoadedDeck]:
    """The decks whose outputs must be made again, loaded and validated (all of them are
    validated); an empty list when every deck's outputs are up to date."""
    stale = state.stale(find_deck_dirs(content))
    if not stale:
        state.say_up_to_date()
        return []
    decks = load_content(content, keep_positions=False, verbose=True)
    state.say_up_to_date()
    check_language(decks, lang)
    return [d for d in decks if d.root.resolve() in stale]


def write_all(out: Path, outputs: list[Output], *, state: BuildState | None = None,
              decks: Sequence[LoadedDeck] = ()) -> None:
    """Write outputs that are all ready, each atomically, and say what was written; then
    record them in ``state`` as the outputs of ``decks``."""
    for item in outputs:
        write_atomic(out / item.name, item.data)
        click.echo(f"wrote {display_path(out / item.name)} ({item.summary})")
    if state is not None:
        for loaded in decks:
            prefix = f"{loaded.deck.id}."
            state.record(loaded.root, [o.name for o in outputs if o.name.startswith(prefix)])
        state.save()


def run_outputs(command: str, make: Callable[[list[Planned]], list[Output]], *, content: Path,
                out: Path, lang: str | None, seed: int, selection: dict[str, Any],
                force: bool, options: dict[str, Any] | None = None,
                extra_inputs: Iterable[Path] = ()) -> None:
    """What an output command does: skip the decks whose outputs are up to date, plan the
    others, make their outputs in memory with ``make``, then write them all and record them."""
    state = BuildState(out, command, {"lang": lang, "seed": seed, "selection": selection,
                                      **(options or {})},
                       force=force, extra_inputs=extra_inputs)
    decks = stale_decks(content, state, lang)
    if decks:
        write_all(out, make(plan(decks, seed=seed, selection=selection)), state=state,
                  decks=decks)
