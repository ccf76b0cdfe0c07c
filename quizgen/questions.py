"""Turn a deck's facts into one question set, the same in every language and every output.

Questions are planned once, without language: which facts, which distractors (as keys), the order
of the choices, whether a true/false statement is true. Every random choice comes from
``Random(f"{seed}:{question id}")``, so one question's draw does not depend on the others, and
question ids (fact id + template id, + variant) do not depend on the seed. Each plan is then
rendered in every language of the deck.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from quizgen import distractors
from quizgen.catalog import Catalog, load_catalog
from quizgen.content import LoadedDeck
from quizgen.errors import ContentError, Problem
from quizgen.matching import normalize_answer
from quizgen.model import RTL_LANGUAGES, Fact, Source, parse_locator
from quizgen.qtemplates import QuestionTemplate, load_templates
from quizgen.qtypes import MODULES, TYPES, RenderedSet, question
from quizgen.qtypes.base import QuestionBase, SourceEntry
from quizgen.qtypes.engine import BLANK, Plan, Planning, Rendering

log = logging.getLogger(__name__)

__all__ = ["BLANK", "Plan", "QuestionSet", "build_question_set", "direction"]


@dataclass
class QuestionSet:
    """Every question of a deck, planned once; render it per language."""

    deck: LoadedDeck
    seed: int
    plans: list[Plan]
    warnings: list[Problem]
    templates: list[QuestionTemplate] = field(default_factory=list)
    # the months generated years and dates keep to (distractors.period)
    planning_period: tuple[tuple[int, int], tuple[int, int]] = ((1, 1), (9999, 12))
    _catalogs: dict[str, Catalog] | None = field(default=None, init=False, repr=False,
                                                 compare=False)
    # rendered questions by (question id, language), kept once ``share_renders`` was called
    _renders: dict[tuple[str, str], QuestionBase] | None = field(default=None, init=False,
                                                                 repr=False, compare=False)

    def share_renders(self) -> None:
        """Keep every question rendered from now on, for the next caller that asks for it in
        the same language: ``build`` runs every output format over the same questions, and
        each would render them all again. Rendered questions are never changed by their
        readers. Not for one format alone: ``anki`` renders each question as it makes its
        note so that it never holds a language's questions at once."""
        if self._renders is None:
            self._renders = {}

    def _render(self, plan: Plan, language: str, catalog: Catalog,
                facts: dict[str, Fact]) -> QuestionBase:
        """One question in ``language``; from the shared renders when they hold it (the
        language's own catalog is the only one anyone renders with)."""
        renders = self._renders
        if renders is None:
            return _render(plan, language, catalog, self.deck, facts)
        key = (plan.id, language)
        found = renders.get(key)
        if found is None:
            found = renders[key] = _render(plan, language, catalog, self.deck, facts)
        return found

    def render(self, language: str, plans: Sequence[Plan] | None = None, *,
               catalog: Catalog | None = None, lazy: bool = False) -> RenderedSet:
        """Return the question set in ``language``, typed (``json_data`` for JSON).

        ``catalog`` is the language's catalog when the caller has loaded it already. With
        ``lazy``, the questions are a ``LazyQuestions`` sequence that renders each question when
        it is asked for (a writer that goes through them once never holds them all).
        """
        if catalog is None:
            catalog = self.catalogs()[language]
        deck = self.deck.deck
        chosen = self.plans if plans is None else plans
        cited = {c.source for p in chosen for f in p.facts for c in f.sources}
        facts = {f.id: f for f in self.deck.facts}
        questions: Sequence[QuestionBase]
        if lazy:
            questions = LazyQuestions(chosen, lambda p: self._render(p, language, catalog, facts))
        else:
            questions = [self._render(p, language, catalog, facts) for p in chosen]
        # Each question and source is validated as it is made; a lazy set is no list to check.
        return RenderedSet.model_construct(
            deck=deck.id, title=deck.title[language],
            description=(deck.description or {}).get(language), language=language,
            direction=direction(language), seed=self.seed,
            topics={topic: titles[language] for topic, titles in deck.topics.items()},
            sources=[_source_entry(s) for s in self.deck.sources.values() if s.id in cited],
            questions=questions)

    def catalogs(self) -> dict[str, Catalog]:
        """The deck's catalogs by language, read once per question set (the quality review,
        the give-away clues and the renderers all need them)."""
        if self._catalogs is None:
            found = {}
            for language in self.deck.deck.languages:
                catalog, problems = load_catalog(language, self.deck.root)
                if catalog is None:
                    raise ContentError(problems)
                found[language] = catalog
            self._catalogs = found
        return self._catalogs

    def same_sentence(self, fact: Fact, language: str,
                      frame: tuple[str, str]) -> list[Fact]:
        """The other facts whose sentence in ``language`` is ``fact``'s around another answer
        (``frame``: the words before and after it, folded)."""
        index = self.__dict__.setdefault("_frames", {})
        if language not in index:
            by_frame: dict[tuple[str, str], list[Fact]] = {}
            for other in self.deck.facts:
                if language in other.text:
                    marked = other.marked(language)
                    key = (normalize_answer(marked.before), normalize_answer(marked.after))
                    by_frame.setdefault(key, []).append(other)
            index[language] = by_frame
        return [f for f in index[language].get(frame, []) if f.id != fact.id]

    def question(self, plan: Plan, language: str, catalog: Catalog) -> QuestionBase:
        """One planned question in ``language`` (the deck's facts by id are indexed once)."""
        facts = self.__dict__.get("_facts")
        if facts is None:
            facts = self.__dict__["_facts"] = {f.id: f for f in self.deck.facts}
        return self._render(plan, language, catalog, facts)


class LazyQuestions(Sequence[QuestionBase]):
    """Rendered questions, each made when it is read; ``topics`` are known without rendering."""

    def __init__(self, plans: Sequence[Plan], make: Callable[[Plan], QuestionBase]) -> None:
        self._plans = list(plans)
        self._make = make
        self.topics = [p.fact.topic for p in self._plans]

    def __len__(self) -> int:
        return len(self._plans)

    @overload
    def __getitem__(self, index: int) -> QuestionBase: ...

    @overload
    def __getitem__(self, index: slice) -> list[QuestionBase]: ...

    def __getitem__(self, index: int | slice) -> QuestionBase | list[QuestionBase]:
        if isinstance(index, slice):
            return [self._make(p) for p in self._plans[index]]
        return self._make(self._plans[index])


def direction(language: str) -> str:
    """``rtl`` for the right-to-left languages, ``ltr`` for the others."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def _source_entry(source: Source) -> SourceEntry:
    """A source's full entry, for lists of sources (answer keys, deck descriptions)."""
    return SourceEntry(id=source.id, title=source.title, title_supplied=source.title_supplied,
                       publisher=source.publisher, date=source.date, url=source.url,
                       kind=source.kind, license=source.license, language=source.language,
                       direction=direction(source.language))


def significant_digits(text: str) -> int:
    """The significant digits of the most precise number in ``text`` (0 if it has none)."""
    runs = re.findall(r"\d[\d,]*", text)
    return max((len(r.replace(",", "").strip("0")) for r in runs), default=0)


def _applies(template: QuestionTemplate, fact: Fact) -> bool:
    cond = template.spec.applies_to
    if cond.kinds and fact.kind not in cond.kinds:
        return False
    if cond.answer_types and fact.answer_type not in cond.answer_types:
        return False
    if cond.open_answer and fact.never_offer:
        return False
    if template.spec.type in fact.skip_types:
        return False
    if cond.max_significant_digits is not None and any(
            significant_digits(fact.answer(lang)) > cond.max_significant_digits
            for lang in fact.text):
        return False
    return all(getattr(fact, name) for name in cond.requires)


def build_question_set(loaded: LoadedDeck, *, seed: int = 0) -> QuestionSet:
    """Plan every question the deck's templates make of its facts."""
    templates, problems = load_templates(loaded.root, loaded.deck.languages)
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    warnings = list(problems)
    plans: list[Plan] = []
    planning = Planning(loaded, distractors.Pool(loaded.facts, loaded.deck.languages,
                                                    loaded.sources.values()), seed,
                        warnings)
    for template in templates:
        eligible = [f for f in loaded.facts if _applies(template, f)]
        plans += MODULES[template.spec.type].plan(template, eligible, planning)
    order = {t: i for i, t in enumerate(TYPES)}
    position = {f.id: i for i, f in enumerate(loaded.facts)}
    plans.sort(key=lambda p: (order.get(p.type, 99), position[p.fact.id], p.id))
    return QuestionSet(loaded, seed, plans, warnings, templates, planning.pool.period)


def _sources(facts: Sequence[Fact], language: str, catalog: Catalog,
             loaded: LoadedDeck) -> list[dict[str, Any]]:
    """The citations of the question's facts. A fact's are the same in every question about
    it: they are made once per fact and catalog (kept on the deck as loaded; validation copies
    them into each question, and nothing changes them)."""
    memo: dict[tuple[str, str], tuple[Catalog, list[dict[str, Any]]]] = \
        loaded.__dict__.setdefault("_source_entries", {})
    out = []
    for fact in facts:
        kept = memo.get((fact.id, language))
        if kept is None or kept[0] is not catalog:
            kept = memo[(fact.id, language)] = (catalog, _fact_sources(fact, language, catalog,
                                                                       loaded))
        out += kept[1]
    return out


def _fact_sources(fact: Fact, language: str, catalog: Catalog,
                  loaded: LoadedDeck) -> list[dict[str, Any]]:
    out = []
    for citation in fact.sources:
        source = loaded.sources[citation.source]
        locator = parse_locator(citation.locator)
        if locator.kind == "paragraph":
            where = catalog.text("locator_paragraph", n=locator.paragraph)
        elif locator.kind == "infobox":
            where = catalog.text("locator_infobox", row=locator.label)
        else:
            where = citation.locator
        out.append({
            "fact_id": fact.id,
            "source": source.id,
            "title": source.title,
            "title_supplied": source.title_supplied,
            "publisher": source.publisher,
            "date": source.date,
            "url": source.url,
            "locator": citation.locator,
            "locator_text": where,
            "quote": citation.quote,
            "quote_language": source.language,
            "quote_direction": direction(source.language),
            "statement": fact.marked(language).plain,
        })
    return out


def _explanation(facts: Sequence[Fact], language: str) -> str:
    """For the learner: each fact's sentence followed by its explanation (one shared by several
    facts once). Editors' notes are not part of it."""
    parts: list[str] = []
    for fact in facts:
        parts.append(fact.marked(language).plain)
        extra = (fact.explanation or {}).get(language)
        if extra and extra not in parts:
            parts.append(extra)
    return " ".join(parts)


def _notes(facts: Sequence[Fact], language: str) -> list[str]:
    """The editors' notes of the question's facts, for the teacher's key; each once."""
    out: list[str] = []
    for fact in facts:
        note = (fact.note or {}).get(language)
        if note and note not in out:
            out.append(note)
    return out


def _images(facts: Sequence[Fact], language: str) -> list[dict[str, Any]]:
    """The pictures of the question's facts, in the set's language."""
    return [{"fact_id": fact.id, "file": fact.image.file, "alt": fact.image.alt[language],
             "credit": fact.image.credit, "license": fact.image.license,
             "source": fact.image.source}
            for fact in facts if fact.image is not None]


def _render(plan: Plan, language: str, catalog: Catalog, loaded: LoadedDeck,
            facts: dict[str, Fact]) -> QuestionBase:
    spec = plan.template.spec
    fact = plan.fact
    marked = fact.marked(language)
    out: dict[str, Any] = {
        "id": plan.id,
        "fact_id": fact.id,
        "fact_ids": [f.id for f in plan.facts],
        "type": plan.type,
        "template": spec.id,
        "topic": fact.topic,
        "tags": sorted({t for f in plan.facts for t in f.tags}),
        "kinds": sorted({f.kind for f in plan.facts}),
        "instructions": catalog.text(f"instructions.{plan.type}"),
    }
    context = {"before": marked.before, "after": marked.after, "blank": BLANK,
               "answer": marked.answer, "cue": (fact.cue or {}).get(language, ""),
               "question": (fact.question or {}).get(language, ""),
               "answer_type": fact.answer_type}
    rendering = Rendering(language, catalog, facts, context)
    out.update(MODULES[plan.type].fields(plan, rendering))
    out["explanation"] = _explanation(plan.facts, language)
    explain = getattr(MODULES[plan.type], "explain", None)  # a type's own words after them
    if explain is not None and (extra := explain(plan, rendering)):
        out["explanation"] += " " + extra
    out["notes"] = _notes(plan.facts, language)
    out["sources"] = _sources(plan.facts, language, catalog, loaded)
    out["images"] = _images(plan.facts, language)
    return question(out)
