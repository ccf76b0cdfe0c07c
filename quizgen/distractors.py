"""Wrong answers that are plausible: same type and form as the answer, in every language at once.

A distractor is chosen as a *key* that means the same thing in every language (the curated
distractor number i, another fact's answer, the answer's number changed), so that the choices of a
question are index-aligned across languages. A candidate is kept only if, in every language, it is
not the answer, not another choice and not already visible in the sentence, after the same
normalization typed answers get.
"""

from __future__ import annotations

import bisect
import calendar
import logging
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from quizgen.dates import month_families
from quizgen.matching import answers_match, dates_of, normalize_answer, rules
from quizgen.model import Fact, Source

log = logging.getLogger(__name__)

YEAR_OFFSETS = (-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -7, 7, -10, 10)
MONTH_OFFSETS = (-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6)
# Days a generated date may take: of as many digits as the answer's day (a form of its own
# would set the answer apart).
DAYS = {1: (2, 3, 4, 5, 6, 7, 8, 9), 2: (12, 14, 16, 17, 19, 20, 22, 23, 25, 26, 28)}
SCALE_FACTORS = (0.55, 0.62, 0.71, 0.83, 1.27, 1.46, 1.63, 1.88)  # not round: x2 shows its base
POOLED_TYPES = frozenset({"person", "place", "organization", "country", "year"})
NEAR_YEARS = 15
SAMPLE = 48  # "another fact's answer" candidates looked at per question, at most
PERIOD_MARGIN = 10  # years a generated year may lie before the deck's earliest fact
NUMERIC_TYPES = frozenset({"year", "date", "number", "money"})

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class Key:
    """A language-independent choice: the answer, curated distractor i, another fact, a number."""

    kind: str  # "answer" | "curated" | "fact" | "year" | "date" | "scaled"
    ref: str | int | None = None


_DAY = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


def _date_spans(text: str, language: str) -> tuple[tuple[int, int, list[str]],
                                                    re.Match[str] | None] | None:
    """Where the month name of a date answer stands (start, end, its family of names) and its
    day number, if any; None when the text names no month in a family quizgen writes."""
    best: tuple[int, int, list[str]] | None = None
    names = month_families()
    own = names.get(language, [])
    others = [f for lang, fs in names.items() if lang != language for f in fs]
    for families in (own, others):  # another language's names only where its own are absent
        for family in families:
            for name in family:
                at = text.find(name)
                if at >= 0 and (best is None or len(name) > best[1] - best[0]):
                    best = (at, at + len(name), family)
        if best is not None:
            break
    if best is None or not _single(_YEAR, text):
        return None
    days = [m for m in _DAY.finditer(text) if not best[0] <= m.start() < best[1]]
    if len(days) > 1:
        return None
    return best, (days[0] if days else None)


def _render_date(answer: str, language: str, ref: str) -> str | None:
    spans = _date_spans(answer, language)
    if spans is None:
        return None
    (start, end, family), day = spans
    year, month, new_day = (int(p) for p in [*ref.split("-"), "0"][:3])
    pieces = [(start, end, family[month - 1])]
    if day is not None:
        if not new_day:
            return None
        pieces.append((day.start(), day.end(), str(new_day)))
    year_at = _single(_YEAR, answer)
    assert year_at is not None  # _date_spans checked it
    pieces.append((year_at.start(), year_at.end(), str(year)))
    out = answer
    for begin, stop, text in sorted(pieces, reverse=True):
        out = out[:begin] + text + out[stop:]
    return out


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
    if key.kind == "date":
        return _render_date(answer, language, str(key.ref))
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


def _frame(fact: Fact, language: str) -> tuple[str, str]:
    marked = fact.marked(language)
    return normalize_answer(marked.before), normalize_answer(marked.after)


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

    def __init__(self, facts: Sequence[Fact], languages: Sequence[str],
                 sources: Iterable[Source] = ()) -> None:
        self.languages = tuple(languages)
        self.period = period(facts, sources)
        self._frames: dict[tuple[str, str, str], list[Fact]] | None = None
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

    def same_sentence(self, fact: Fact, language: str) -> set[str]:
        """The folded answers of the other facts whose sentence in ``language`` is ``fact``'s
        around another answer (each true of the sentence)."""
        if self._frames is None:
            self._frames = {}
            for other in self.facts.values():
                for lang in self.languages:
                    if lang in other.text:
                        self._frames.setdefault((lang, *_frame(other, lang)), []).append(other)
        return {normalize_answer(o.answer(language))
                for o in self._frames.get((language, *_frame(fact, language)), [])
                if o.id != fact.id}

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


def period(facts: Iterable[Fact], sources: Iterable[Source]) -> tuple[tuple[int, int],
                                                                     tuple[int, int]]:
    """The months a generated year or date may fall in, as ((year, month), (year, month)): from
    ``PERIOD_MARGIN`` years before the deck's earliest dated fact to its newest source (a
    source dated by year alone counts to that year's end): never later than what the deck's
    sources could know. Where no source has a date, to ``PERIOD_MARGIN`` years after the
    latest dated fact."""
    facts = list(facts)
    starts = [_month_of(f.date.split("/")[0], first=True) for f in facts if f.date]
    ends = [_month_of(s.date.split("/")[-1], first=False) for s in sources if s.date]
    if not ends:
        ends = [(y + PERIOD_MARGIN, 12) for f in facts if f.date
                for y, _ in [_month_of(f.date.split("/")[-1], first=False)]]
    low = (min(starts)[0] - PERIOD_MARGIN, 1) if starts else (1, 1)
    high = max(ends) if ends else (9999, 12)
    return low, max(low, high)


def _month_of(part: str, *, first: bool) -> tuple[int, int]:
    pieces = [int(p) for p in part.split("-")]
    return (pieces[0], pieces[1] if len(pieces) > 1 else (1 if first else 12))


def _date_keys(fact: Fact, pool: Pool) -> list[Key]:
    """Dates of the answer's year with another month (and day): the part a question about a
    date asks. Only where the fact's ``date`` has a month and every language's answer names it
    in words quizgen can write."""
    if not fact.date or "/" in fact.date or fact.date.count("-") < 1:
        return []
    if any(_date_spans(fact.answer(lang), lang) is None for lang in pool.languages):
        return []
    parts = [int(p) for p in fact.date.split("-")]
    year, month = parts[0], parts[1]
    day = parts[2] if len(parts) > 2 else 0
    low, high = pool.period
    out = []
    for step in MONTH_OFFSETS:
        new = month + step
        if not 1 <= new <= 12 or not low <= (year, new) <= high:
            continue
        if day:
            last = calendar.monthrange(year, new)[1]
            days = DAYS[len(str(day))]
            pick = days[(day + step) % len(days)]
            out.append(Key("date", f"{year:04d}-{new:02d}-{min(pick, last):02d}"))
        else:
            out.append(Key("date", f"{year:04d}-{new:02d}"))
    return out


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
            low, high = pool.period
            dated = _date_keys(fact, pool) if fact.answer_type == "date" else []
            if dated:
                found = dated
            elif fact.answer_type == "date" and fact.date and len(fact.date) > 4:
                found = []  # a date of a month asks the month: only another month will do
            elif fact.answer_type in {"year", "date"}:
                year = _year_of(fact, languages)
                if year is not None:
                    found = [Key("year", year + d) for d in YEAR_OFFSETS
                             if low[0] <= year + d <= high[0]]
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
        lang: {normalize_answer(fact.answer(lang)),
               *(normalize_answer(a) for a in (fact.accept or {}).get(lang, [])),
               *(normalize_answer(a) for a in (fact.never_offer or {}).get(lang, []))}
        for lang in languages}
    sentence = {lang: normalize_answer(fact.marked(lang).plain) for lang in languages}
    shown: dict[str, list[str]] = {lang: [fact.answer(lang)] for lang in languages}
    answer_words = {lang: normalize_answer(fact.answer(lang)).split() for lang in languages}
    swapped: set[int] = set()  # the words of the answer chosen options swap
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
        swaps = {swapped_word(f.split(), answer_words[lang]) for lang, f in folded.items()}
        swaps.discard(None)
        if key.kind != "curated":  # a curated one is the editor's: the quality rules judge it
            if any(answers_match(str(texts[lang]), other) or
                   answers_match(other, str(texts[lang]))
                   for lang in languages for other in shown[lang]):
                continue  # what a learner may type for one would count for the other
            if fact.answer_type not in NUMERIC_TYPES and swaps and (swapped | swaps) != swaps:
                continue  # options swapping different words: the answer has the common ones
            if any(f in pool.same_sentence(fact, lang) for lang, f in folded.items()):
                continue  # another fact's answer of this very sentence: true here too
        swapped |= swaps  # type: ignore[arg-type]
        for lang, f in folded.items():
            taken[lang].add(f)
            shown[lang].append(str(texts[lang]))
        chosen.append(key)
    return chosen


def swapped_word(mine: list[str], answer: list[str]) -> int | None:
    """Which word of the answer ``mine`` swaps, where it has all of the answer's words but one.
    Wrong options that swap different words leave the answer as the one with every word in
    common (quality rule choices-near-duplicate)."""
    if len(mine) != len(answer) or len(answer) < 2:
        return None
    differ = [i for i, (a, b) in enumerate(zip(mine, answer, strict=True)) if a != b]
    return differ[0] if len(differ) == 1 else None


def value(key: Key, fact: Fact, pool: Pool) -> tuple[float, ...] | None:
    """Where a choice of a number, year or date answer stands on its scale, read from its text
    in the deck's first language; None when it names no single number or date."""
    if fact.answer_type not in NUMERIC_TYPES:
        return None
    text = render(key, fact, pool.languages[0], pool.facts)
    if not text:
        return None
    folded = normalize_answer(text)
    if fact.answer_type in {"year", "date"}:
        found = dates_of(folded)
        if len(found) == 1:
            return tuple(float(p) for p in found.pop())
        year = _single(_YEAR, folded)
        return (float(year.group()), 0.0, 0.0) if year else None
    numbers = _NUMBER.findall(text)
    if len(numbers) == 1:
        return (float(numbers[0].replace(",", "")),)
    written = _number_words().get(folded)
    return (float(written),) if written is not None else None


@cache
def _number_words() -> dict[str, int]:
    """Numbers in words, folded (the typed-answer rules' list, every language's together)."""
    return {normalize_answer(w): n for w, n in rules()["numbers"]["words"].items()}


def in_order(keys: Sequence[Key], fact: Fact, pool: Pool) -> list[Key] | None:
    """The choices sorted by value (smallest first) where each has one and no two share it;
    None where they cannot be put on one scale."""
    values = [value(k, fact, pool) for k in keys]
    if any(v is None for v in values) or len(set(values)) < len(values):
        return None
    if fact.answer_type in {"number", "money"}:
        language = pool.languages[0]
        words = _number_words()
        frames = {"#" if normalize_answer(t) in words else _NUMBER.sub("#", t)
                  for k in keys for t in [str(render(k, fact, language, pool.facts))]}
        if len(frames) > 1:
            return None  # "less than 50 million" and "more than 1 billion": not one scale
    return [k for _, k in sorted(zip(values, keys, strict=True))]
