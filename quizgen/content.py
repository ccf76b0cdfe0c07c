"""Find deck folders, load and validate them, and check the references between their files."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizgen.catalog import check_catalogs
from quizgen.errors import ContentError, Problem, QuizgenError, display_path, say_reading
from quizgen.files import present
from quizgen.glyphs import glyph_problems
from quizgen.matching import normalize_answer
from quizgen.model import Deck, Fact, Source
from quizgen.output import reason
from quizgen.qtemplates import load_templates
from quizgen.render.common import check_deck_templates
from quizgen.validate import did_you_mean, validate
from quizgen.yamlread import Located, PathKey, read_yaml

log = logging.getLogger(__name__)

_SCRIPTS = {
    "he": re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]"),
    "ar": re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"),
    "en": re.compile("[A-Za-z]"),
}


@dataclass(frozen=True)
class Origin:
    """Where an item was written: its file's located data and its path in it."""

    located: Located
    path: PathKey

    def problem(self, sub: PathKey, message: str, *, fact: str | None = None,
                key: bool = False, severity: str = "error") -> Problem:
        """Return a problem at ``sub`` below this item."""
        return self.located.problem((*self.path, *sub), message, fact=fact, key=key,
                                    severity=severity)


@dataclass
class LoadedDeck:
    """A validated deck: its description, sources and facts, and where each was written."""

    root: Path
    deck: Deck
    sources: dict[str, Source]
    facts: list[Fact]
    fact_origins: dict[str, Origin] = field(default_factory=dict)
    source_origins: dict[str, Origin] = field(default_factory=dict)
    deck_origin: Origin | None = None


@dataclass
class LoadResult:
    """Every deck found, with every problem (errors and warnings) of the run."""

    decks: list[LoadedDeck]
    problems: list[Problem]
    # Each deck folder read, with its number of facts (None: it cannot be used).
    read: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the content unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not stop a build."""
        return [p for p in self.problems if p.severity == "warning"]


def find_deck_dirs(path: Path) -> list[Path]:
    """Return the deck folders at ``path``: itself if it holds deck.yaml, else its sub-folders."""
    if not path.exists():
        raise QuizgenError(f"{display_path(path)}: no such file or folder; --content takes a "
                           "deck folder (with a deck.yaml) or a folder of deck folders")
    if path.is_file():
        path = path.parent if path.name in {"deck.yaml", "deck.yml"} else path
        if path.is_file():
            raise QuizgenError(f"{display_path(path)} is a file; --content takes a deck folder "
                               "(with a deck.yaml) or a folder of deck folders")
    if present(path / "deck.yaml"):  # a FIFO or dangling link is reported when it is read
        return [path]
    try:
        decks = sorted(p for p in path.iterdir() if p.is_dir() and present(p / "deck.yaml"))
    except OSError as exc:
        raise QuizgenError(f"{display_path(path)}: cannot list the folder: {reason(exc)}; "
                           "--content takes a deck folder or a folder of deck folders") from None
    if not decks:
        raise QuizgenError(f"{display_path(path)}: no deck found; a deck folder holds a "
                           "deck.yaml (see docs/content-format.md)")
    return decks


def announce(folder: Path, loaded: LoadedDeck | None) -> None:
    """Say which deck a command reads: ``reading content/afghanistan-russia (99 facts)``."""
    say_reading(folder, None if loaded is None else len(loaded.facts))


def load(path: Path, *, keep_positions: bool = True, verbose: bool = False) -> LoadResult:
    """Load every deck at ``path``, collecting every problem instead of stopping at the first;
    ``verbose`` says which decks are read (``announce``).

    Without ``keep_positions``, each fact file forgets the positions inside its facts once they
    are checked (later messages point at whole facts): a large deck then never holds them all.
    Quote verification needs them, so ``check`` and ``build`` keep them.
    """
    decks: list[LoadedDeck] = []
    problems: list[Problem] = []
    read: list[tuple[str, int | None]] = []
    seen_ids: dict[str, Origin] = {}
    for folder in find_deck_dirs(path):
        loaded, deck_problems = load_deck(folder, keep_positions=keep_positions)
        problems += deck_problems
        read.append((str(folder), None if loaded is None else len(loaded.facts)))
        if verbose:
            announce(folder, loaded)
        if loaded is None:
            continue
        first = seen_ids.get(loaded.deck.id)
        if first is not None and loaded.deck_origin is not None:
            line, column = first.located.mark((*first.path, "id"))
            problems.append(loaded.deck_origin.problem(
                ("id",), f'deck id "{loaded.deck.id}" is also the id of the deck at '
                f"{display_path(first.located.file)}:{line}:{column}; deck ids must be unique"))
            continue
        if loaded.deck_origin is not None:
            seen_ids[loaded.deck.id] = loaded.deck_origin
        decks.append(loaded)
    return LoadResult(decks, problems, read)


def load_content(path: Path, *, keep_positions: bool = True,
                 verbose: bool = False) -> list[LoadedDeck]:
    """Load every deck at ``path``; raise ContentError listing every error if there is any."""
    result = load(path, keep_positions=keep_positions, verbose=verbose)
    for warning in sorted(result.warnings):
        log.warning("%s", warning)
    if result.errors:
        raise ContentError(result.errors)
    return result.decks


def _read(path: Path, problems: list[Problem], expect: type, what: str) -> Located | None:
    located, found = read_yaml(path)
    problems += found
    if located is None:
        return None
    if not isinstance(located.data, expect):
        shape = "a list (lines starting with '- ')" if expect is list else "a mapping (key: value)"
        problems.append(located.problem((), f"expected {shape} of {what}; found "
                                        f"{type(located.data).__name__}"))
        return None
    return located


def shared_accepts(facts: list[Fact]) -> list[Fact]:
    """The facts, each accepting what another fact with the same answer accepts: a name spelt
    "Motaqi" is right in every question whose answer is Amir Khan Muttaqi, not only in the one
    whose fact happens to list that spelling."""
    forms: dict[tuple[str, str], list[str]] = {}
    for fact in facts:
        for lang in fact.text:
            key = (lang, normalize_answer(fact.answer(lang)))
            forms.setdefault(key, []).extend((fact.accept or {}).get(lang, []))
    out = []
    for fact in facts:
        accept = {lang: list(dict.fromkeys(forms[(lang, normalize_answer(fact.answer(lang)))]))
                  for lang in fact.text}
        accept = {lang: listed for lang, listed in accept.items() if listed}
        if accept != {lang: listed for lang, listed in (fact.accept or {}).items() if listed}:
            fact = fact.model_copy(update={"accept": accept})
        out.append(fact)
    return out


def load_deck(folder: Path, *, keep_positions: bool = True,
              ) -> tuple[LoadedDeck | None, list[Problem]]:
    """Load one deck folder; return it (None if unusable) and its problems."""
    problems: list[Problem] = []
    deck_file = folder / "deck.yaml"
    located = _read(deck_file, problems, dict, "deck settings")
    deck: Deck | None = None
    deck_origin = Origin(located, ()) if located else None
    if located is not None:
        deck, found = validate(located, (), Deck)
        problems += found
    if deck is not None and deck_origin is not None:
        problems += _check_deck(deck, deck_origin)
    if located is not None:
        problems += glyph_problems(located)

    sources, source_origins = _load_sources(folder, problems, deck)
    facts, fact_origins = _load_facts(folder, problems, deck, sources,
                                      keep_positions=keep_positions)
    if deck is None or sources is None:
        return None, problems
    facts = shared_accepts(facts)
    cited = {c.source for fact in facts for c in fact.sources}
    for source_id, origin in source_origins.items():
        if source_id not in cited:
            problems.append(origin.problem(("id",), f'source "{source_id}" is not cited by any '
                                           "fact", severity="warning"))
    used_topics = {f.topic for f in facts}
    for topic in deck.topics:
        if topic not in used_topics and deck_origin is not None:
            problems.append(deck_origin.problem(("topics", topic), f'topic "{topic}" has no '
                                                "facts", key=True, severity="warning"))
    def at_language(index: int, message: str) -> Problem:
        return deck_origin.problem(("languages", index), message)  # type: ignore[union-attr]

    problems += check_catalogs(deck.languages, folder, locate=at_language)
    problems += load_templates(folder, deck.languages, locate=at_language)[1]
    problems += check_deck_templates(folder)
    loaded = LoadedDeck(folder, deck, sources, facts, fact_origins, source_origins, deck_origin)
    return loaded, problems


def _check_deck(deck: Deck, origin: Origin) -> list[Problem]:
    problems: list[Problem] = []
    declared = deck.languages
    if len(set(declared)) != len(declared):
        problems.append(origin.problem(("languages",), "a language is listed twice in "
                                       "`languages`; list each once"))
    if deck.default_language and deck.default_language not in declared:
        problems.append(origin.problem(
            ("default_language",), f'default_language "{deck.default_language}" is not one of '
            f"the deck's languages ({', '.join(declared)}); add it to `languages` or pick one"))
    problems += check_languages(deck.title, declared, origin, ("title",), "title")
    if deck.description:
        problems += check_languages(deck.description, declared, origin, ("description",),
                                    "description")
    for topic, names in deck.topics.items():
        problems += check_languages(names, declared, origin, ("topics", topic),
                                    f'topic "{topic}"')
    settings = deck.print_
    if settings and settings.instructions:
        problems += check_languages(settings.instructions, declared, origin,
                                    ("print", "instructions"), "print: instructions")
    if settings:
        from quizgen.qtypes import TYPES  # which imports every question type

        for name in settings.points:
            if name.replace("-", "_") not in TYPES:
                problems.append(origin.problem(
                    ("print", "points", name), f'print: points: "{name}" is not a question '
                    f"type; the types are {', '.join(t.replace('_', '-') for t in TYPES)}"))
    return problems


def _load_sources(folder: Path, problems: list[Problem],
                  deck: Deck | None) -> tuple[dict[str, Source] | None, dict[str, Origin]]:
    path = folder / "sources.yaml"
    origins: dict[str, Origin] = {}
    if not present(path):
        problems.append(Problem(str(path), 1, 1, "missing sources.yaml: every fact cites a "
                                "source, so a deck lists its documents there"))
        return None, origins
    located = _read(path, problems, list, "sources")
    if located is None:
        return None, origins
    problems += glyph_problems(located)
    sources: dict[str, Source] = {}
    for index in range(len(located.data)):  # type: ignore[arg-type]
        source, found = validate(located, (index,), Source)
        problems += found
        if source is None:
            continue
        origin = Origin(located, (index,))
        if source.id in sources:
            line, _ = origins[source.id].located.mark((*origins[source.id].path, "id"))
            problems.append(origin.problem(("id",), f'duplicate source id "{source.id}" (first '
                                           f"on line {line}); give each source its own id"))
            continue
        sources[source.id] = source
        origins[source.id] = origin
    return sources, origins


def _fact_files(folder: Path) -> list[Path]:
    facts_dir = folder / "facts"
    if not facts_dir.is_dir():
        return []
    # Not only regular files: a FIFO, a device or a dangling link named like a fact file is
    # reported where it is read, never passed over.
    try:
        return sorted(p for p in facts_dir.iterdir()
                      if p.suffix in {".yaml", ".yml"} and present(p))
    except OSError as exc:
        raise QuizgenError(f"{display_path(facts_dir)}: cannot list the folder: "
                           f"{reason(exc)}") from None


def _load_facts(folder: Path, problems: list[Problem], deck: Deck | None,
                sources: dict[str, Source] | None, *, keep_positions: bool,
                ) -> tuple[list[Fact], dict[str, Origin]]:
    """Read and validate every fact file; check each fact against the deck and its sources
    (when those are usable) while its file's positions are still known."""
    facts: list[Fact] = []
    origins: dict[str, Origin] = {}
    images: dict[str, list[str]] = {}  # each image file is read and decoded once
    files = _fact_files(folder)
    if not files:
        problems.append(Problem(str(folder / "deck.yaml"), 1, 1, "the deck has no facts: add "
                                "files facts/*.yaml, each a list of facts"))
    for path in files:
        located = _read(path, problems, list, "facts")
        if located is None:
            continue
        if not located.data:
            problems.append(located.problem((), "the file holds no facts", severity="warning"))
        problems += glyph_problems(located, facts=True)
        items: list[Any] = located.data if isinstance(located.data, list) else []
        for index, item in enumerate(items):
            fact_id = item.get("id") if isinstance(item, dict) else None
            fact_id = fact_id if isinstance(fact_id, str) else None
            origin = Origin(located, (index,))
            if fact_id is not None and fact_id in origins:
                first = origins[fact_id]
                line, column = first.located.mark((*first.path, "id"))
                problems.append(origin.problem(
                    ("id",), f"duplicate fact id; it is also the id of the fact at "
                    f"{display_path(first.located.file)}:{line}:{column}. Ids must be unique in "
                    "a deck: give one of them another id", fact=fact_id))
                continue
            fact, found = validate(located, (index,), Fact, fact=fact_id)
            problems += found
            if fact_id is not None:
                origins[fact_id] = origin
            if fact is not None:
                facts.append(fact)
                if deck is not None and sources is not None:
                    problems += _check_fact(fact, origin, deck, sources)
                    problems += _check_image(fact, origin, deck, sources, folder, images)
        if not keep_positions:
            located.prune()
    if deck is not None and facts:
        problems += _unused_media(folder, {f.image.file for f in facts if f.image is not None})
    from quizgen.qtypes import TYPES

    known = sorted(origins)
    for fact in facts:
        for i, name in enumerate(fact.skip_types):
            if name not in TYPES:
                problems.append(origins[fact.id].problem(
                    ("skip_types", i), f'unknown question type "{name}"; types: '
                    f"{', '.join(TYPES)}.{did_you_mean(name, list(TYPES))}", fact=fact.id))
        for i, other in enumerate(fact.apart_from):
            if other == fact.id or other not in origins:
                what = ("a fact is always apart from itself; remove its own id"
                        if other == fact.id else f'unknown fact "{other}"; name a fact id of '
                        f"this deck.{did_you_mean(other, known)}")
                problems.append(origins[fact.id].problem(("apart_from", i), what,
                                                         fact=fact.id))
    return facts, origins


def check_languages(mapping: Mapping[str, object], declared: Iterable[str], origin: Origin,
                    path: PathKey, what: str, *, fact: str | None = None) -> list[Problem]:
    """Check that ``mapping`` has exactly the deck's languages."""
    declared = list(declared)
    problems = []
    missing = [lang for lang in declared if lang not in mapping]
    if missing:
        problems.append(origin.problem(
            path, f"{what} lacks {', '.join(missing)}, which the deck declares (languages: "
            f"{', '.join(declared)}); add {'it' if len(missing) == 1 else 'them'}", fact=fact))
    for lang in mapping:
        if lang not in declared:
            problems.append(origin.problem(
                (*path, lang), f'{what} has language "{lang}", which deck.yaml does not declare '
                f"(languages: {', '.join(declared)}); add it to `languages` or remove it."
                f"{did_you_mean(lang, declared)}", fact=fact, key=True))
    return problems


def _unused_media(folder: Path, used: set[str]) -> list[Problem]:
    """A warning for each file of the deck's media/ folder that no fact shows: a name
    mistyped in the fact, or a file left behind (no output carries it)."""
    from quizgen.images import MEDIA, unused

    most = 20
    files = unused(folder, used, most=most + 1)
    out = [Problem(str(folder / MEDIA / name), 0, 0, "no fact shows this image (no output "
                   "carries it); name it in a fact's `image: file`, or delete it",
                   severity="warning") for name in files[:most]]
    if len(files) > most:
        out.append(Problem(str(folder / MEDIA), 0, 0, f"and more files that no fact shows "
                           f"(the first {most} are named)", severity="warning"))
    return out


def _check_image(fact: Fact, origin: Origin, deck: Deck, sources: dict[str, Source],
                 folder: Path, seen: dict[str, list[str]]) -> list[Problem]:
    """The problems of a fact's image: its file (``images``; ``seen`` keeps what each file
    gave), its alt text in every deck language, and its source."""
    image = fact.image
    if image is None:
        return []
    from quizgen.images import image_problems

    if image.file not in seen:
        seen[image.file] = image_problems(folder, image.file)
    problems = [origin.problem(("image", "file"), message, fact=fact.id)
                for message in seen[image.file]]
    problems += check_languages(image.alt, deck.languages, origin, ("image", "alt"),
                                "`image: alt`", fact=fact.id)
    if image.source is not None and image.source not in sources:
        problems.append(origin.problem(
            ("image", "source"), f'unknown source "{image.source}"; known sources: '
            f"{', '.join(sorted(sources)) or '(none)'}."
            f"{did_you_mean(image.source, list(sources))}", fact=fact.id))
    return problems


def _check_fact(fact: Fact, origin: Origin, deck: Deck,
                sources: dict[str, Source]) -> list[Problem]:
    fid = fact.id
    langs = deck.languages
    problems = []
    if fact.topic not in deck.topics:
        problems.append(origin.problem(
            ("topic",), f'unknown topic "{fact.topic}"; topics of this deck: '
            f"{', '.join(deck.topics)}.{did_you_mean(fact.topic, list(deck.topics))} "
            "New topics are declared in deck.yaml", fact=fid))
    problems += check_languages(fact.text, langs, origin, ("text",), "`text`", fact=fid)
    for name in ("cue", "note", "explanation", "distractors", "question"):
        value = getattr(fact, name)
        if value is not None:
            problems += check_languages(value, langs, origin, (name,), f"`{name}`", fact=fid)
    for lang, items in (fact.never_offer or {}).items():
        if lang not in langs:
            problems += check_languages({lang: items}, langs, origin, ("never_offer",),
                                        "`never_offer`", fact=fid)
            continue
        never = {normalize_answer(d) for d in items}
        for i, item in enumerate((fact.distractors or {}).get(lang, [])):
            if normalize_answer(item) in never:
                problems.append(origin.problem(("distractors", lang, i), f'"{item}" is both a '
                                               "distractor and in `never_offer`", fact=fid))
    for lang, items in (fact.accept or {}).items():
        if lang not in langs:
            problems += check_languages({lang: items}, langs, origin, ("accept",), "`accept`",
                                        fact=fid)
            continue
        wrong = {normalize_answer(d) for d in (fact.distractors or {}).get(lang, [])}
        for i, item in enumerate(items):
            if normalize_answer(item) in wrong:
                problems.append(origin.problem(("accept", lang, i), f'"{item}" is both an '
                                               "accepted answer and a distractor", fact=fid))
    if fact.distractors:
        counts = {lang: len(items) for lang, items in fact.distractors.items()}
        if len(set(counts.values())) > 1:
            listed = ", ".join(f"{lang} {n}" for lang, n in counts.items())
            problems.append(origin.problem(
                ("distractors",), f"distractors are index-aligned translations of each other, "
                f"so every language needs as many; found {listed}", fact=fid))
        for lang, items in fact.distractors.items():
            answer = normalize_answer(fact.answer(lang)) if lang in fact.text else None
            seen: set[str] = set()
            for i, item in enumerate(items):
                folded = normalize_answer(item)
                if folded == answer:
                    problems.append(origin.problem(
                        ("distractors", lang, i), f'distractor "{item}" is the answer itself; '
                        "a distractor must be wrong", fact=fid))
                elif folded in seen:
                    problems.append(origin.problem(
                        ("distractors", lang, i), f'distractor "{item}" is listed twice',
                        fact=fid))
                seen.add(folded)
    if fact.kind == "event" and fact.date is None:
        problems.append(origin.problem((), "an event without a `date` cannot take part in "
                                       "questions about the order of events", fact=fid,
                                       severity="warning"))
    for i, citation in enumerate(fact.sources):
        source = sources.get(citation.source)
        if source is None:
            problems.append(origin.problem(
                ("sources", i, "source"), f'unknown source "{citation.source}"; known sources: '
                f"{', '.join(sorted(sources)) or '(none)'}."
                f"{did_you_mean(citation.source, list(sources))}", fact=fid))
            continue
        script = _SCRIPTS.get(source.language)
        letters = [c for c in citation.quote if c.isalpha()]
        if script and letters and not any(script.match(c) for c in letters):
            problems.append(origin.problem(
                ("sources", i, "quote"), f'the quote has no letter of the source\'s language '
                f'("{source.language}"): quotes are the source\'s own words, not a translation',
                fact=fid, severity="warning"))
    return problems
