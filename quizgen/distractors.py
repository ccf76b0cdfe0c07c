"""Wrong answers that are plausible: same type and form as the answer, in every language at once.

A distractor is chosen as a *key* that means the same thing in every language (the curated
distractor number i, another fact's answer, the answer's number changed), so that the choices of a
question are index-aligned across languages. A candidate is kept only if, in every language, it is
not the answer, not another choice and not already visible in the sentence, after the same
normalization typed answers get.
"""

from __future__ import annotations

import bisect
import logging
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizgen.matching import normalize_answer
from quizgen.model import Fact

log = logging.getLogger(__name__)

YEAR_OFFSETS = (-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -7, 7, -10, 10)
SCALE_FACTORS = (0.55, 0.62, 0.71, 0.83, 1.27, 1.46, 1.63, 1.88)  # not round: x2 shows its base
POOLED_TYPES = frozenset({"person", "place", "organization", "country", "year"})
NEAR_YEARS = 15
SAMPLE = 48  # "another fact's answer" candidates looked at per question, at most
LATEST_YEAR = 2026

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class Key:
    """A language-independent choice: the answer, curated distractor i, another fact, a number."""

    kind: str  # "answer" | "curated" | "fact" | "year" | "scaled"
    ref: str | int | None = None


def render(key: Key, fact: Fact, language: str, facts: dict[str, Fact]) -> str | None:
    """Return the text of ``key`` in ``language``, or None where it cannot be formed."""
    answer = fact.answer(language)
    if key.kind == "answer":
        return answer
    if key.kind == "curated":
        items = (fact.distractors or {}).get(language, [])
        return items[key.ref] if isinstance(key.ref, int) and key.ref < len(items) else None
    if key.kind == "fact":
        other = facts.get(str(key.ref))
        return other.answer(language) if other and language in other.text else None
    if key.kind == "year":
        return _YEAR.sub(str(key.ref), answer, count=1) if _single(_YEAR, answer) else None
    if key.kind == "scaled":
        match = _single(_NUMBER, answer)
        if match is None:
            return None
        token = match.group()
        new = f"{int(str(key.ref)):,}" if "," in token else str(key.ref)
        return answer[: match.start()] + new + answer[match.end():]
    return None


def _single(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = list(pattern.finditer(text))
    return found[0] if len(found) == 1 else None


def shape(text: str) -> tuple[int, ...]:
    """The lengths of the digit runs of a text: "11 September 2001" -> (2, 4)."""
    return tuple(len(run) for run in re.findall(r"\d+", text))


def _year_of(fact: Fact, languages: Sequence[str]) -> int | None:
    years = {m.group() for lang in languages if (m := _single(_YEAR, fact.answer(lang)))}
    return int(years.pop()) if len(years) == 1 else None


def _number_of(fact: Fact, languages: Sequence[str]) -> int | None:
    values = set()
    for lang in languages:
        match = _single(_NUMBER, fact.answer(lang))
        if match is None or "." in match.group():
            return None
        values.add(int(match.group().replace(",", "")))
    return values.pop() if len(values) == 1 else None


def _agreement_class(n: int) -> int:
    """Arabic counted nouns change form with the number: keep a distractor in the same class."""
    rest = n % 100
    if n >= 100 and rest == 0:
        return 0
    if rest in (1, 2):
        return 1
    if 3 <= rest <= 10:
        return 2
    return 3


def _scaled(value: int) -> list[int]:
    zeros = len(str(value)) - len(str(value).rstrip("0")) if value else 0
    step = 10 ** zeros
    out = []
    for factor in SCALE_FACTORS:
        new = round(value * factor / step) * step
        if (new > 1 and new != value and len(str(new)) == len(str(value))
                and _agreement_class(new) == _agreement_class(value)):
            out.append(new)
    return out


class Pool:
    """The deck's facts indexed once for "another fact's answer": by answer type and by the
    digit shape of the answer in every language, years also by year. Looking up a fact's
    candidates then costs what they are, not the size of the deck."""

    def __init__(self, facts: Sequence[Fact], languages: Sequence[str]) -> None:
        self.languages = tuple(languages)
        self.facts = {f.id: f for f in facts}
        self._position = {f.id: i for i, f in enumerate(facts)}
        self._similar: dict[tuple[object, ...], list[Fact]] = {}
        self._years: dict[tuple[object, ...], tuple[list[int], list[Fact]]] = {}
        for fact in facts:
            if fact.answer_type not in POOLED_TYPES:
                continue
            self._similar.setdefault(self._key(fact), []).append(fact)
        for key, group in self._similar.items():
            if key[0] == "year":
                dated = sorted((y, self._position[f.id], f) for f in group
                               if (y := _year_of(f, self.languages)) is not None)
                self._years[key] = ([y for y, _, _ in dated], [f for _, _, f in dated])

    def _key(self, fact: Fact) -> tuple[object, ...]:
        return (fact.answer_type, *(shape(fact.answer(lang)) for lang in self.languages))

    def similar(self, fact: Fact, rng: random.Random) -> list[Fact]:
        """Other facts whose answers could stand in for ``fact``'s: the same answer type and
        digit shape, and for years at most ``NEAR_YEARS`` away.

        Up to ``SAMPLE`` of them come in deck order (the caller shuffles them); from a larger
        group, ``SAMPLE`` are drawn at random, so that a question costs the same in a deck of
        ten thousand facts as in one of a hundred."""
        key = self._key(fact)
        group = self._similar.get(key, [])
        if fact.answer_type == "year":
            year = _year_of(fact, self.languages)
            if year is not None:
                years, dated = self._years.get(key, ([], []))
                group = dated[bisect.bisect_left(years, year - NEAR_YEARS):
                              bisect.bisect_right(years, year + NEAR_YEARS)]
                if len(group) <= SAMPLE:
                    group = sorted(group, key=lambda f: self._position[f.id])
        if len(group) > SAMPLE:
            drawn = rng.sample(group, SAMPLE + 1)
            return [f for f in drawn if f.id != fact.id][:SAMPLE]
        return [f for f in group if f.id != fact.id]


def candidates(fact: Fact, sources: Iterable[str], pool: Pool, rng: random.Random) -> list[Key]:
    """Return candidate keys for ``fact``, source by source, each source's keys shuffled."""
    languages = pool.languages
    keys: list[Key] = []
    for source in sources:
        found: list[Key] = []
        if source == "curated" and fact.distractors:
            count = min(len(v) for v in fact.distractors.values())
            found = [Key("curated", i) for i in range(count)]
        elif source == "other_facts" and fact.answer_type in POOLED_TYPES:
            found = [Key("fact", other.id) for other in pool.similar(fact, rng)]
        elif source == "numbers":
            if fact.answer_type in {"year", "date"}:
                year = _year_of(fact, languages)
                if year is not None:
                    found = [Key("year", year + d) for d in YEAR_OFFSETS
                             if year + d <= LATEST_YEAR]
            elif fact.answer_type in {"number", "money"}:
                value = _number_of(fact, languages)
                if value is not None:
                    found = [Key("scaled", v) for v in _scaled(value)]
        rng.shuffle(found)
        keys += found
    return keys


def choose(fact: Fact, wanted: int, sources: Iterable[str], pool: Pool,
           rng: random.Random) -> list[Key]:
    """Pick up to ``wanted`` distractor keys valid in every language."""
    languages, facts = pool.languages, pool.facts
    taken: dict[str, set[str]] = {
        lang: {normalize_answer(fact.answer(lang))} for lang in languages}
    sentence = {lang: normalize_answer(fact.marked(lang).plain) for lang in languages}
    chosen: list[Key] = []
    for key in candidates(fact, sources, pool, rng):
        if len(chosen) == wanted:
            break
        texts = {lang: render(key, fact, lang, facts) for lang in languages}
        if any(not t for t in texts.values()):
            continue
        folded = {lang: normalize_answer(str(t)) for lang, t in texts.items()}
        if any(not f or f in taken[lang] or f" {f} " in f" {sentence[lang]} "
               for lang, f in folded.items()):
            continue
        for lang, f in folded.items():
            taken[lang].add(f)
        chosen.append(key)
    return chosen
