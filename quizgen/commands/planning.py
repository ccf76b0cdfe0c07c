"""What every output command shares: the question sets, planned once per run, and the outputs
made in memory before anything is written."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from quizgen.catalog import Catalog
from quizgen.commands.formats import UpTo
from quizgen.content import LoadedDeck, find_deck_dirs, load
from quizgen.errors import (
    ContentError,
    Problem,
    QuizgenError,
    StrictError,
    display_path,
    show_warnings,
)
from quizgen.giveaway import Clues
from quizgen.incremental import BuildState
from quizgen.output import build_time, check_folder, ready_folder, write_all_or_none
from quizgen.plancache import planned as planned_questions
from quizgen.qtypes import RenderedSet
from quizgen.questions import Plan, QuestionSet
from quizgen.select import PER_FORMAT, select

log = logging.getLogger(__name__)

EVERYTHING: dict[str, Any] = {"topics": None, "tags": None, "types": None, "count": None}


@dataclass
class Output:
    """One file made in memory, and what to say about it once it is written. ``data`` may be a
    function that makes the bytes when the file is written: a format whose files are made one
    after another (``export json``, one per language) then holds one at a time."""

    name: str
    data: bytes | Callable[[], bytes]
    summary: str

    def made(self) -> bytes:
        """The file's bytes (made now, when ``data`` is a function)."""
        return self.data() if callable(self.data) else self.data


@dataclass
class Planned:
    """A deck's question set and the questions chosen from it."""

    loaded: LoadedDeck
    questions: QuestionSet
    plans: list[Plan]
    selection: dict[str, Any] = field(default_factory=dict)
    seed: int = 0

    def languages(self, lang: str | None) -> list[str]:
        """The languages to build in: every language of the deck, or the one asked for."""
        if lang is None:
            return list(self.loaded.deck.languages)
        return [lang] if lang in self.loaded.deck.languages else []

    def reselect(self, selection: dict[str, Any], *, seed: int) -> Planned:
        """The same question set with another selection (a worksheet's 20 questions)."""
        return Planned(self.loaded, self.questions, choose(self.questions, selection, seed=seed),
                       selection, seed)

    def rounds(self, count: int) -> list[list[Plan]]:
        """Up to ``count`` rounds of the self-test: the chosen questions, then rounds of the
        questions no earlier round took (so a fact comes back as another type), each one
        question per fact with no give-away. Only a selection of a round has more than one."""
        from quizgen.select import ROUND

        out = [self.plans]
        if self.selection.get("count") != ROUND:
            return out
        clues = Clues(self.questions)
        filters = {k: self.selection.get(k) for k in ("topics", "tags", "types")}
        used = {p.id for p in self.plans}
        for index in range(1, count):
            rest = [p for p in self.questions.plans if p.id not in used]
            try:
                more = select(rest, seed=self.seed * 1000 + index, count=ROUND,
                              page=clues.page, exposure=clues.exposure, **filters)
            except QuizgenError:  # a filter leaves nothing more
                break
            if not more:
                break
            out.append(more)
            used |= {p.id for p in more}
        return out

    def rendered(self, lang: str | None, *, lazy: bool = False,
                 ) -> Iterator[tuple[str, RenderedSet, Catalog]]:
        """Each language's rendered question set and catalog (``lazy``: see
        ``QuestionSet.render``)."""
        for language in self.languages(lang):
            catalog = self.questions.catalogs()[language]
            yield language, self.questions.render(language, self.plans, catalog=catalog,
                                                  lazy=lazy), catalog


def each_language(planned: list[Planned], lang: str | None, *, lazy: bool = False,
                  ) -> Iterator[tuple[Planned, str, RenderedSet, Catalog]]:
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
    """Plan every deck's questions once and choose the selection; what planning skipped is in
    each deck's ``questions.warnings``."""
    out = []
    for loaded in decks:
        # Validation and quote checks are done: later messages only name whole facts.
        for origin in {id(o.located): o for o in loaded.fact_origins.values()}.values():
            origin.located.prune()
        questions = planned_questions(loaded, seed=seed)
        out.append(Planned(loaded, questions, choose(questions, selection, seed=seed), selection,
                           seed))
    return out


def choose(questions: QuestionSet, selection: dict[str, Any], *, seed: int) -> list[Plan]:
    """The selection's questions: none asks a fact twice or shows another's answer in any of
    the deck's languages. Fewer than a ``count`` the user asked for (not a default, ``UpTo``),
    it says so in the set's warnings."""
    count = selection.get("count")
    clues = Clues(questions) if count is not None else None
    try:
        chosen = select(questions.plans, seed=seed, **selection,
                        page=clues.page if clues else None,
                        exposure=clues.exposure if clues else None)
    except QuizgenError as exc:
        raise QuizgenError(f"{questions.deck.deck.id}: {exc}") from None
    if isinstance(count, int) and not isinstance(count, UpTo) and len(chosen) < count:
        pool = select(questions.plans, seed=seed, **{**selection, "count": None})
        facts = len({f.id for p in pool for f in p.facts})
        whose = ("the deck's" if len(pool) == len(questions.plans)
                 else "the selected topics, tags and types'")
        warning = Problem(str(questions.deck.root / "deck.yaml"), 1, 1,
                          f"--count {count}: {len(chosen)} questions only; {whose} {facts} "
                          f"facts give no more without asking a fact twice or showing one "
                          f"question's answer in another", severity="warning")
        if warning not in questions.warnings:
            questions.warnings.append(warning)
    from quizgen import quality

    found = quality.review(questions, chosen, whole_deck=True)
    questions.warnings += [w for w in found if w not in questions.warnings]
    return chosen


def page_giveaways(planned: list[Planned]) -> list[Problem]:
    """Give-aways between the questions of one page (a worksheet, a self-test): none where the
    selection had a count, since it keeps such questions apart; with ``--count all``, what
    the deck makes unavoidable."""
    from quizgen import quality

    for deck in planned:  # the search renders the page's questions, which the page shows next
        deck.questions.share_renders()
    return [w for deck in planned for w in quality.between(deck.questions, deck.plans)]


@dataclass
class Options:
    """What output formats are made with, besides the question selection: the options of the
    commands that make them, and the warnings they find while making them."""

    lang: str | None = None
    seed: int = 0
    versions: int = 1
    paper: str = "a4"
    quiet: bool = False
    previous_dir: Path | None = None
    header: dict[str, Any] = field(default_factory=dict)  # pdf's --school, --class...
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Batch:
    """The decks an output command makes outputs for, planned, and what was found on the way."""

    planned: list[Planned]
    options: Options
    quotes_checked: int | None = None
    warnings: list[Problem] = field(default_factory=list)


def _load_stale(content: Path, state: BuildState, *, lang: str | None,
                sources_dir: Path | None) -> tuple[list[LoadedDeck], list[Problem], int | None]:
    """The decks whose outputs must be made again (every deck is validated), the warnings
    about them, and how many quotes were verified (with ``sources_dir``)."""
    stale = state.stale(find_deck_dirs(content))
    if not stale:
        state.say_up_to_date()
        return [], [], None
    # Quote checks need the positions inside facts; without them, a large deck never holds
    # them all at once.
    result = load(content, keep_positions=sources_dir is not None, verbose=True)
    checked = None
    if sources_dir is not None and not result.errors:
        from quizgen.quotes import verify_quotes

        found, checked = verify_quotes(result.decks, sources_dir)
        result.problems += found
    if result.errors:
        raise ContentError(result.errors)
    state.say_up_to_date()
    check_language(result.decks, lang)
    return [d for d in result.decks if d.root.resolve() in stale], result.warnings, checked


def _refuse_warnings(warnings: list[Problem], strict: bool) -> None:
    show_warnings(warnings)
    if strict and warnings:
        raise StrictError(len(warnings))


def write_all(out: Path, outputs: list[Output], *, state: BuildState | None = None,
              decks: Sequence[LoadedDeck] = ()) -> None:
    """Write outputs that are all ready, each atomically, and say what was written; then
    record them in ``state`` as the outputs of ``decks``."""
    ready_folder(out)
    write_all_or_none((out / item.name, item.made()) for item in outputs)
    for item in outputs:
        click.echo(f"wrote {display_path(out / item.name)} ({item.summary})")
    if state is not None:  # what was written (sizes and times), for the next run
        for loaded in decks:
            prefix = f"{loaded.deck.id}."
            state.record(loaded.root, [o.name for o in outputs if o.name.startswith(prefix)])
        state.save()


def run_outputs(command: str, make: Callable[[Batch], list[Output]], *, content: Path,
                out: Path, selection: dict[str, Any], options: Options, force: bool,
                strict: bool = False, state_options: dict[str, Any] | None = None,
                extra_inputs: Iterable[Path] = (), sources_dir: Path | None = None) -> None:
    """What an output command does: skip the decks whose outputs are up to date; load and plan
    the others (verifying quotes with ``sources_dir``) and say every warning; make their outputs
    in memory with ``make``; then write them all and record them. With ``strict``, any warning
    stops the command before it writes anything."""
    check_folder(out)
    build_time()  # a SOURCE_DATE_EPOCH out of range stops the command before any work
    state = BuildState(out, command, {"lang": options.lang, "seed": options.seed,
                                      "selection": selection, **(state_options or {})},
                       force=force, extra_inputs=extra_inputs)
    decks, warnings, checked = _load_stale(content, state, lang=options.lang,
                                           sources_dir=sources_dir)
    if not decks:
        return
    planned = plan(decks, seed=options.seed, selection=selection)
    warnings += [w for deck in planned for w in deck.questions.warnings]
    _refuse_warnings(warnings, strict)
    batch = Batch(planned, options, checked, sorted(warnings))
    outputs = make(batch)
    _refuse_warnings(options.warnings, strict)  # found while making the outputs
    write_all(out, outputs, state=state, decks=decks)


def say_images_left_out(planned: list[Planned], names: Sequence[str]) -> None:
    """Say once, for each deck whose facts carry images, which of the formats ``names`` do not
    show them (GIFT: it cannot carry files): a line like an LMS format's for what it leaves
    out, no content warning (``--strict`` does not refuse it)."""
    from quizgen.commands.formats import FORMATS

    missing = [name for name in names if not FORMATS[name].shows_images]
    if not missing:
        return
    for deck in planned:
        count = sum(1 for fact in deck.loaded.facts if fact.image is not None)
        if count:
            which = ", ".join(missing)
            click.echo(f"warning: images: {count} fact{'s' if count != 1 else ''} of "
                       f"{deck.loaded.deck.id} carr{'y' if count != 1 else 'ies'} an image, "
                       f"which {which} {'do' if len(missing) > 1 else 'does'} not show: "
                       "their questions are made without it", err=True)


def run_formats(command: str, names: Sequence[str], *, content: Path, out: Path,
                selection: dict[str, Any], options: Options, force: bool, strict: bool,
                extra: Callable[[Batch], list[Output]] | None = None,
                state_options: dict[str, Any] | None = None,
                extra_inputs: Iterable[Path] = (), sources_dir: Path | None = None) -> None:
    """Make the registered output formats ``names`` (``formats.FORMATS``), each with its own
    default question count unless ``selection`` gives one, and ``extra``'s outputs before them."""
    from quizgen.commands.formats import FORMATS

    per_format = selection["count"] == PER_FORMAT

    def make(batch: Batch) -> list[Output]:
        say_images_left_out(batch.planned, names)
        if len(names) > 1:  # each format would render every question again
            for deck in batch.planned:
                deck.questions.share_renders()
        outputs = extra(batch) if extra is not None else []
        for name in names:
            fmt = FORMATS[name]
            chosen = batch.planned
            if per_format and fmt.default_count is not None:
                known = [len(deck.questions.warnings) for deck in batch.planned]
                chosen = [deck.reselect({**selection, "count": fmt.default_count},
                                        seed=options.seed) for deck in batch.planned]
                options.warnings += [w for deck, n in zip(batch.planned, known, strict=True)
                                     for w in deck.questions.warnings[n:]]
            outputs += fmt.files(chosen, options)
        return outputs

    run_outputs(command, make, content=content, out=out,
                selection={**selection, "count": None} if per_format else selection,
                options=options, force=force, strict=strict,
                state_options={**(state_options or {}), "count": selection["count"]},
                extra_inputs=extra_inputs, sources_dir=sources_dir)
