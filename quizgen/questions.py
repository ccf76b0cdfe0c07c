"""Turn a deck's facts into one question set, the same in every language and every output.

Questions are planned once, without language: which facts, which distractors (as keys), the order
of the choices, whether a true/false statement is true. Every random choice comes from
``Random(f"{seed}:{question id}")``, so one question's draw does not depend on the others, and
question ids (fact id + template id, + variant) do not depend on the seed. Each plan is then
rendered in every language of the deck.
"""

from __future__ import annotations

import logging
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from quizgen import distractors
from quizgen.catalog import Catalog, load_catalog
from quizgen.content import LoadedDeck
from quizgen.distractors import Key
from quizgen.errors import ContentError, Problem
from quizgen.matching import normalize_answer
from quizgen.model import RTL_LANGUAGES, Fact, Source, parse_locator
from quizgen.qtemplates import ChoiceSpec, QuestionTemplate, load_templates
from quizgen.qtypes import TYPES, RenderedSet, question
from quizgen.qtypes.base import QuestionBase, SourceEntry

log = logging.getLogger(__name__)

BLANK = "_____"
OBVIOUS_RATIO = 5.0


@dataclass
class Plan:
    """A question without its language."""

    id: str
    type: str
    template: QuestionTemplate
    facts: list[Fact]
    keys: list[Key] = field(default_factory=list)
    correct: int | None = None
    truth: bool | None = None
    order: list[int] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fact(self) -> Fact:
        """The fact the question is about (the first one of a group)."""
        return self.facts[0]


@dataclass
class QuestionSet:
    """Every question of a deck, planned once; render it per language."""

    deck: LoadedDeck
    seed: int
    plans: list[Plan]
    warnings: list[Problem]

    def render(self, language: str, plans: Sequence[Plan] | None = None, *,
               catalog: Catalog | None = None, lazy: bool = False) -> RenderedSet:
        """Return the question set in ``language``, typed (``json_data`` for JSON).

        ``catalog`` is the language's catalog when the caller has loaded it already. With
        ``lazy``, the questions are a ``LazyQuestions`` sequence that renders each question when
        it is asked for (a writer that goes through them once never holds them all).
        """
        if catalog is None:
            catalog, problems = load_catalog(language, self.deck.root)
            if catalog is None:
                raise ContentError(problems)
        deck = self.deck.deck
        chosen = self.plans if plans is None else plans
        cited = {c.source for p in chosen for f in p.facts for c in f.sources}
        facts = {f.id: f for f in self.deck.facts}
        questions: Sequence[QuestionBase]
        if lazy:
            questions = LazyQuestions(chosen, lambda p: _render(p, language, catalog, self.deck,
                                                                facts))
        else:
            questions = [_render(p, language, catalog, self.deck, facts) for p in chosen]
        # Each question and source is validated as it is made; a lazy set is no list to check.
        return RenderedSet.model_construct(
            deck=deck.id, title=deck.title[language],
            description=(deck.description or {}).get(language), language=language,
            direction=direction(language), seed=self.seed,
            topics={topic: titles[language] for topic, titles in deck.topics.items()},
            sources=[_source_entry(s) for s in self.deck.sources.values() if s.id in cited],
            questions=questions)


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


def _rng(seed: int, question_id: str) -> random.Random:
    return random.Random(f"{seed}:{question_id}")


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
    languages = loaded.deck.languages
    pool = distractors.Pool(loaded.facts, languages)
    for template in templates:
        kind = template.spec.type
        eligible = [f for f in loaded.facts if _applies(template, f)]
        if kind in {"ordering", "matching"}:
            plans += _group_plans(template, eligible, languages, seed)
        elif kind == "comparison":
            plans += _comparison_plans(template, eligible, languages, seed)
        else:
            for fact in eligible:
                plan = _single_plan(template, fact, loaded, pool, seed, warnings)
                if plan is not None:
                    plans.append(plan)
    order = {t: i for i, t in enumerate(TYPES)}
    position = {f.id: i for i, f in enumerate(loaded.facts)}
    plans.sort(key=lambda p: (order.get(p.type, 99), position[p.fact.id], p.id))
    return QuestionSet(loaded, seed, plans, warnings)


def _warn(loaded: LoadedDeck, fact: Fact, message: str) -> Problem:
    return loaded.fact_origins[fact.id].problem((), message, fact=fact.id, severity="warning")


def _single_plan(template: QuestionTemplate, fact: Fact, loaded: LoadedDeck,
                 pool: distractors.Pool, seed: int, warnings: list[Problem]) -> Plan | None:
    spec = template.spec
    qid = f"{fact.id}.{spec.id}"
    rng = _rng(seed, qid)
    languages = loaded.deck.languages
    plan = Plan(qid, spec.type, template, [fact])
    if spec.type == "short_answer":
        for lang in languages:
            cue = (fact.cue or {}).get(lang, "")
            if cue and normalize_answer(fact.answer(lang)) in normalize_answer(cue):
                warnings.append(_warn(loaded, fact, f"{spec.id}: skipped, the cue in {lang} "
                                      "contains the answer"))
                return None
        return plan
    if spec.type == "cloze":
        return plan
    choice = spec.choices or ChoiceSpec()
    wanted = choice.count - 1 if spec.type == "multiple_choice" else 1
    keys = distractors.choose(fact, wanted, choice.distractors, pool, rng)
    if spec.type == "true_false":
        plan.truth = not keys or rng.random() < 0.5
        plan.keys = [Key("answer")] if plan.truth else keys[:1]
        return plan
    if len(keys) < wanted:
        warnings.append(_warn(loaded, fact, f"{spec.id}: skipped, {len(keys)} plausible "
                              f"distractor{'s' if len(keys) != 1 else ''} of {wanted} needed; "
                              "add `distractors` to the fact"))
        return None
    plan.keys = [Key("answer"), *keys]
    rng.shuffle(plan.keys)
    plan.correct = plan.keys.index(Key("answer"))
    return plan


def _year(fact: Fact) -> int:
    return int(fact.date[:4])  # type: ignore[index]


def _chunks(items: list[Fact], low: int, high: int) -> list[list[Fact]]:
    if len(items) < low:
        return []
    count = math.ceil(len(items) / high)
    while count > 1 and len(items) // count < low:
        count -= 1
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end][:high])
        start = end
    return [c for c in out if len(c) >= low]


def _group_plans(template: QuestionTemplate, eligible: list[Fact], languages: Sequence[str],
                 seed: int) -> list[Plan]:
    spec = template.spec
    group = spec.group
    if group is None:
        return []
    buckets: dict[str, list[Fact]] = {}
    for fact in eligible:
        key = fact.topic if group.by == "topic" else fact.answer_type
        buckets.setdefault(key, []).append(fact)
    plans = []
    for key in sorted(buckets):
        facts = buckets[key]
        if spec.type == "ordering" or key == "year":
            facts = sorted(facts, key=lambda f: (f.date or "", f.id))
            distinct, years = [], set()
            for fact in facts:
                if fact.date and _year(fact) not in years:
                    years.add(_year(fact))
                    distinct.append(fact)
            facts = distinct
        else:
            facts = sorted(facts, key=lambda f: f.id)
        facts = _distinct_answers(facts, languages)
        for chunk in _chunks(facts, group.min, group.max):
            qid = f"{chunk[0].id}.{spec.id}"
            rng = _rng(seed, qid)
            plan = Plan(qid, spec.type, template, chunk)
            plan.order = list(range(len(chunk)))
            while plan.order == sorted(plan.order):
                rng.shuffle(plan.order)
            if spec.type == "matching":
                right = list(range(len(chunk)))
                while right == plan.order:
                    rng.shuffle(right)
                plan.extra["right"] = right
            plans.append(plan)
    return plans


def _distinct_answers(facts: list[Fact], languages: Sequence[str]) -> list[Fact]:
    seen: set[tuple[str, ...]] = set()
    cues: set[tuple[str, ...]] = set()
    out = []
    for fact in facts:
        answer = tuple(normalize_answer(fact.answer(lang)) for lang in languages)
        cue = tuple(normalize_answer((fact.cue or {}).get(lang, "")) for lang in languages)
        if answer in seen or cue in cues:
            continue
        seen.add(answer)
        cues.add(cue)
        out.append(fact)
    return out


def _comparison_plans(template: QuestionTemplate, eligible: list[Fact],
                      languages: Sequence[str], seed: int) -> list[Plan]:
    groups: dict[tuple[str, str, str], list[Fact]] = {}
    same_topic = template.spec.applies_to.same_topic
    for fact in eligible:
        q = fact.quantity
        topic = fact.topic if same_topic else ""
        groups.setdefault((topic, q.measure, q.unit), []).append(fact)  # type: ignore[union-attr]
    partners = template.spec.applies_to.partners
    plans = []
    for key in sorted(groups):
        facts = sorted(groups[key], key=lambda f: f.id)
        for i, a in enumerate(facts):
            found = 0
            for b in facts[i + 1:]:
                if found == partners:
                    break
                va, vb = a.quantity.value, b.quantity.value  # type: ignore[union-attr]
                if a.quantity.subject == b.quantity.subject or va == vb or min(va, vb) <= 0:  # type: ignore[union-attr]
                    continue
                found += 1
                plans += _comparison_pair(template, a, b, seed)
    return plans


def _comparison_pair(template: QuestionTemplate, a: Fact, b: Fact, seed: int) -> list[Plan]:
    """Which of two figures is larger (unless it answers itself), and about how many times."""
    plans = []
    big, small = (a, b) if a.quantity.value > b.quantity.value else (b, a)  # type: ignore[union-attr]
    ratio = big.quantity.value / small.quantity.value  # type: ignore[union-attr]
    base = f"{a.id}.{template.id}.{b.id}"
    if ratio <= OBVIOUS_RATIO:  # beyond it, "which is larger?" answers itself
        larger = Plan(f"{base}.larger", "comparison", template, [a, b])
        rng = _rng(seed, larger.id)
        larger.keys = [Key("fact", a.id), Key("fact", b.id)]
        rng.shuffle(larger.keys)
        larger.correct = larger.keys.index(Key("fact", big.id))
        larger.extra = {"variant": "larger"}
        plans.append(larger)
    times = Plan(f"{base}.ratio", "comparison", template, [a, b])
    values = _ratio_choices(ratio, _rng(seed, times.id))
    if values is not None:
        shown, right = values
        times.extra = {"variant": "ratio", "values": shown, "ratio": ratio,
                       "big": big, "small": small}
        times.correct = shown.index(right)
        plans.append(times)
    return plans


def round_ratio(value: float) -> float:
    """Round a ratio the way people say it: 3.3, 26, 140."""
    if value < 10:
        return round(value, 1)
    digits = math.floor(math.log10(value)) - 1
    return float(round(value, -digits))


def format_ratio(value: float, *, decimal: bool | None = None) -> str:
    """Write a rounded ratio: one decimal for decimal ratios, none for whole ones."""
    decimal = value != int(value) if decimal is None else decimal
    return f"{value:,.1f}" if decimal else f"{round(value):,}"


def _ratio_choices(ratio: float, rng: random.Random) -> tuple[list[str], str] | None:
    """Four ratios in ascending order, the right one at a random place in the series.

    Returns the choices and the right one, or None when no four distinct choices exist.
    """
    if ratio < 1.5:
        return None
    right = round_ratio(ratio)
    whole = right == int(right)
    windows = [w for w in range(4) if right * 2.0 ** -w >= 1.1]
    rng.shuffle(windows)
    for start in windows:
        values = []
        for step in range(-start, 4 - start):
            value = right * 2.0 ** step
            value = float(round(round_ratio(value))) if whole else round(value, 1)
            values.append(format_ratio(value, decimal=not whole))
        if len(set(values)) == 4:
            return values, format_ratio(right, decimal=not whole)
    return None


# Rendering ------------------------------------------------------------------------------------

_UNIT_END = re.compile(r"[.,;:!?\u060c\u061b\u061f(]")
UNIT_WORDS = 4


def figure(fact: Fact, language: str) -> str:
    """The fact's figure with its unit: the answer and the few words after it ("652,230 km²")."""
    marked = fact.marked(language)
    unit = _UNIT_END.split(marked.after, maxsplit=1)[0].strip()
    return f"{marked.answer} {unit}" if unit and len(unit.split()) <= UNIT_WORDS else marked.answer


def _sources(facts: Sequence[Fact], language: str, catalog: Catalog,
             loaded: LoadedDeck) -> list[dict[str, Any]]:
    out = []
    for fact in facts:
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
            })
    return out


def _explanation(facts: Sequence[Fact], language: str) -> str:
    """Each fact's sentence followed by its note; a note shared by several facts once."""
    parts: list[str] = []
    for fact in facts:
        parts.append(fact.marked(language).plain)
        note = (fact.note or {}).get(language)
        if note and note not in parts:
            parts.append(note)
    return " ".join(parts)


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
    if plan.type in {"cloze", "short_answer"}:
        out["accepted_answers"] = [marked.answer, *(fact.accept or {}).get(language, [])]
    if plan.type in {"cloze", "multiple_choice"}:
        out["prompt"] = plan.template.render("prompt", language, **context)
        out["text_before"], out["text_after"] = marked.before, marked.after
        out["answer"] = marked.answer
        if plan.type == "multiple_choice":
            out["choices"] = [distractors.render(k, fact, language, facts) for k in plan.keys]
            out["answer_index"] = plan.correct
    elif plan.type == "short_answer":
        asks = (spec.asks or {}).get(fact.answer_type, {})
        out["prompt"] = plan.template.render("prompt", language, ask=asks.get(language, ""),
                                             **context)
        out["answer"] = marked.answer
        out["answer_type"] = fact.answer_type
        out["cue"] = context["cue"]
    elif plan.type == "true_false":
        shown = distractors.render(plan.keys[0], fact, language, facts)
        out["prompt"] = plan.template.render("prompt", language, statement=marked.before
                                             + str(shown) + marked.after, **context)
        out["choices"] = [catalog.text("true"), catalog.text("false")]
        out["answer_index"] = 0 if plan.truth else 1
        out["answer"] = out["choices"][out["answer_index"]]
        out["statement_is_true"] = plan.truth
    elif plan.type == "ordering":
        items = [plan.facts[i].cue[language] for i in plan.order]  # type: ignore[index]
        out["prompt"] = plan.template.render("prompt", language, **context)
        out["items"] = items
        out["answer_order"] = [plan.order.index(i) for i in range(len(plan.facts))]
        out["answer"] = [f.cue[language] for f in plan.facts]  # type: ignore[index]
        out["dates"] = [f.date for f in plan.facts]
    elif plan.type == "matching":
        right_order = plan.extra["right"]
        out["prompt"] = plan.template.render("prompt", language, **context)
        out["left"] = [plan.facts[i].cue[language] for i in plan.order]  # type: ignore[index]
        out["right"] = [plan.facts[i].answer(language) for i in right_order]
        out["answer_pairs"] = [[li, right_order.index(fi)] for li, fi in enumerate(plan.order)]
        out["answer"] = [[out["left"][li], out["right"][ri]] for li, ri in out["answer_pairs"]]
    elif plan.type == "comparison":
        if plan.extra["variant"] == "larger":
            out["prompt"] = plan.template.render("prompt", language, **context)
            out["choices"] = [facts[str(k.ref)].cue[language] for k in plan.keys]  # type: ignore[index]
        else:
            big, small = plan.extra["big"], plan.extra["small"]
            out["prompt"] = plan.template.render(
                "ratio_prompt", language, big=big.cue[language], small=small.cue[language],
                big_value=figure(big, language), small_value=figure(small, language))
            out["choices"] = plan.extra["values"]
        out["answer_index"] = plan.correct
        out["answer"] = out["choices"][plan.correct]
        out["variant"] = plan.extra["variant"]
    out["explanation"] = _explanation(plan.facts, language)
    out["sources"] = _sources(plan.facts, language, catalog, loaded)
    return question(out)
