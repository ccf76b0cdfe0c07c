"""Compare a typed answer with the expected one, by rules defined once in a data file.

The rules live in ``quizgen/data/answer_matching.json`` so that the HTML self-test's JavaScript
applies exactly the same ones; ``tests/data/answer_matching_cases.json`` holds the cases both
implementations are tested against.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import NamedTuple


@cache
def rules() -> dict:
    """The matching rules, as the data file states them."""
    text = resources.files("quizgen").joinpath("data/answer_matching.json").read_text("utf-8")
    return json.loads(text)


@cache
def _compiled() -> tuple[dict[int, str | None], re.Pattern[str], re.Pattern[str]]:
    data = rules()
    table: dict[int, str | None] = {ord(k): v for k, v in data["map"].items()}
    for start, end in data["delete_ranges"]:
        for code in range(ord(start), ord(end) + 1):
            table[code] = None
    separators = "".join(re.escape(s) for s in data["group_separators"])
    symbols = re.escape(data["currency_symbols"])
    return (table, re.compile(rf"(?<=\d)[{separators}](?=\d{{3}}(?!\d))"),
            re.compile(rf"(?<=\d)(?=[{symbols}])|(?<=[{symbols}])(?=\d)"))


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DIGITS = re.compile(r"[0-9]+")
# A dotted abbreviation of single letters ("u.s.", "u.s.s.r"), with no letter or digit around.
_DOTTED = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.)+[^\W\d_](?![^\W_])\.?")
_POSSESSIVE = re.compile(r"(?<=[^\W\d_])['\u2019\u02bc]s(?![^\W_])")
_PARENTHESES = re.compile(r"^([^()]*)\(([^()]*)\)([^()]*)$")


class _Punctuation(dict[int, int]):
    """A ``str.translate`` table that turns every punctuation character (Unicode category P*)
    into a space, and leaves the rest: worked out once per character, then looked up."""

    def __missing__(self, code: int) -> int:
        self[code] = 32 if unicodedata.category(chr(code)).startswith("P") else code
        return self[code]


_PUNCTUATION = _Punctuation()


@functools.lru_cache(maxsize=1 << 16)
def _fold(text: str) -> tuple[str, ...]:
    """The words of ``text`` folded, before any word is left out."""
    table, groups, currency = _compiled()
    text = unicodedata.normalize("NFKC", text).translate(table).lower()
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    text = currency.sub(" ", groups.sub("", text).translate(_PUNCTUATION))
    eras = rules()["year_suffixes"]
    words: list[str] = []
    for word in text.split():
        if word[0].isdigit():
            word = _without_era(word, eras)
        elif word in eras and words and len(words[-1]) == 4 and words[-1].isdigit():
            continue  # "1973 م"
        words.append(word)
    return tuple(words)


@functools.lru_cache(maxsize=1 << 18)
def normalize_answer(text: str) -> str:
    """Fold an answer to the form in which equal answers compare equal (cached: a deck's answers
    and distractors are compared many times over; a deck of 10,000 facts has about 180,000
    texts, and a cache smaller than that is mostly missed)."""
    words = list(_fold(text))
    ignored, _, common, trailing = _folded_lists()
    while (len(words) > 1 and words[0] in ignored
           and not (len(words) == 2 and _bare(words[1]) in common)):
        words = words[1:]
    while len(words) > 1 and words[-1] in trailing:
        words = words[:-1]
    return " ".join(words)


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(_fold(w)) for w in words)


@cache
def _folded_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """The leading words ignored, the date fillers, the common words (without their article)
    and the trailing words ignored, folded as typed words are ("سنة" is compared as "سنه")."""
    data = rules()
    return (_folded(data["leading_words_ignored"]), _folded(data["dates"]["fillers"]),
            frozenset(_bare(w) for w in _folded(data["common_words"]["words"])),
            _folded(data["trailing_words_ignored"]))


def _without_era(word: str, suffixes: list[str]) -> str:
    """A year without the era glued to it ("1973م")."""
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) == 4 + len(suffix) and word[:4].isdigit():
            return word[:4]
    return word


def answers_match(typed: str, expected: str, accepted: Iterable[str] = (), *,
                  context: str = "", language: str | None = None) -> bool:
    """Tell whether a typed answer counts as the expected one or one of its alternatives.
    ``context``: the question's own text (a cloze's sentence, a short answer's prompt), whose
    words a typed answer may repeat; ``language``: the answer's, which decides how a date in
    digits reads (day first in Arabic and Hebrew)."""
    forms = (expected, *accepted)
    targets = tuple(normalize_answer(t) for t in forms)
    readings = [typed]
    if _POSSESSIVE.search(typed):
        readings.append(_POSSESSIVE.sub("", typed))
    for reading in readings:
        folded = normalize_answer(reading)
        if folded and _matches(folded, targets, forms, context, language):
            return True
    parts = _PARENTHESES.match(typed)
    if parts:
        outside, inside = f"{parts[1]} {parts[3]}", parts[2]
        return all(normalize_answer(p) and answers_match(p, expected, accepted, context=context,
                                                         language=language)
                   for p in (outside, inside))
    return False


def _matches(folded: str, targets: tuple[str, ...], forms: tuple[str, ...], context: str,
             language: str | None) -> bool:
    """Whether the folded typed answer counts as one of the folded ``targets``: as it is, then
    with a prefix off its first word, without a word of nearly where the answer is approximate
    (``forms``: the answers as written), and without the question's words at its ends."""
    months = _context_months(context) if context else frozenset()
    if any(_match(folded, w, language) for w in targets) and _agrees(folded, months, targets):
        return True
    candidates = [folded, *_unprefixed(folded)]
    rest = _without_nearly(folded)
    if rest and (_approximate(context) or any(_approximate(f) for f in forms)):
        candidates.append(rest)
    if context:
        own = _context_words(context)
        candidates += [normalize_answer(part) for c in list(candidates)
                       for part in _trimmed(c.split(), own)]
    return any(_match(c, w, language) and _agrees(c, months, targets)
               for c in candidates[1:] for w in targets)


def _agrees(folded: str, months: frozenset[int], targets: tuple[str, ...]) -> bool:
    """Whether the months ``folded`` names are those the question's text names around its blank
    (when it names any) or the answer's: "January 1989" does not fill "in February _____"."""
    if not months:
        return True
    named = _months_named(folded)
    return named <= months | {m for t in targets for m in _months_named(t)}


@functools.lru_cache(maxsize=1 << 17)
def _match(folded: str, want: str, language: str | None) -> bool:
    """Whether the folded typed answer ``folded`` counts as the folded answer ``want``."""
    if folded == want:
        return True
    mine, theirs = _bare(folded), _bare(want)
    if mine == theirs:
        return True
    if folded.replace(" ", "") == want.replace(" ", "") and not _DIGITS.search(folded):
        return True  # words written together or apart: "نجيبالله", "أميرخان متقي"
    amount, wanted = _canonical(mine), _canonical(theirs)
    if amount == wanted or _same_number(amount, want, wanted):
        return True
    return _same_date(folded, want, language) or _one_slip(mine, theirs)


def _same_number(amount: str, want: str, wanted: str) -> bool:
    """Whether ``amount`` (a typed answer with its amounts written one way) is a number alone
    equal to the only number of ``want``, as written or with its multiplier ("25" for "25
    Russian soldiers", "7 billion" or "seven" for "about 7 billion dollars"); never for a date
    or an answer that says more or less than its number."""
    if not _NUMBER.fullmatch(amount):
        return False
    written = _NUMBER.findall(want)
    if len(written) != 1 or _readings(want, None, loose=False):
        return False
    words = wanted.split()
    if any(w in _SIGNS for w in words):
        return False
    numbers = [w for w in words if _NUMBER.fullmatch(w)]
    value = float(amount)
    return value == float(written[0]) or (len(numbers) == 1 and value == float(numbers[0]))


def _one_slip(typed: str, want: str) -> bool:
    """Whether ``typed`` has the words of ``want`` but one long word (no digit), and that one
    a slip away from it: a character added, dropped or replaced, or two neighbours swapped."""
    data = rules()["spelling"]
    mine, theirs = typed.split(), want.split()
    differ = [(a, b) for a, b in zip(mine, theirs, strict=False) if a != b]
    if len(mine) != len(theirs) or len(differ) != 1:
        return False
    a, b = differ[0]
    if len(b) < data["min_length"] or any(c.isdigit() for c in a + b):
        return False
    if abs(len(a) - len(b)) > data["max_edits"]:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    return (a[1:] == b[1:] or a == b[1:] or a[1:] == b
            or (len(a) > 1 and a[0] == b[1:2] and a[1] == b[0] and a[2:] == b[2:]))


@functools.lru_cache(maxsize=1 << 16)
def _bare(folded: str) -> str:
    """A folded answer without a definite article on any of its words."""
    data = rules()["articles"]
    out = []
    for word in folded.split():
        for prefix in data["prefixes"]:
            if word.startswith(prefix) and len(word) >= len(prefix) + data["min_rest"]:
                word = word[len(prefix):]
                break
        out.append(word)
    return " ".join(out)


# Prefixes, nearly and the question's words: the typed answer's other readings.

@cache
def _prefix_list() -> tuple[dict[str, tuple[str, ...]], int]:
    """The prefixes by their first letter, the longest first, and the letters left at least."""
    data = rules()["prefixes"]
    glued = sorted(data["glued"], key=len, reverse=True)
    return {p[0]: tuple(g for g in glued if g[0] == p[0]) for p in glued}, data["min_rest"]


@functools.lru_cache(maxsize=1 << 14)
def _unprefixed(folded: str) -> tuple[str, ...]:
    """``folded`` with a prefix taken off its first word, each way one can be."""
    prefixes, rest = _prefix_list()
    first, _, tail = folded.partition(" ")
    return tuple(normalize_answer(f"{first[len(p):]} {tail}") for p in prefixes.get(folded[:1], ())
                 if first.startswith(p) and len(first) >= len(p) + rest)


@cache
def _approximate_words() -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]:
    """The words of nearly by their first word (the longest first), and the words of about."""
    data = rules()["approximate"]
    nearly = sorted((_fold(w) for w in data["nearly"]), key=len, reverse=True)
    return ({p[0]: tuple(n for n in nearly if n[0] == p[0]) for p in nearly},
            frozenset(" ".join(_fold(p)) for p in data["about"]))


def _without_nearly(folded: str) -> str:
    """``folded`` without the word of nearly it opens with, or "" when it opens with none."""
    words = folded.split()
    for phrase in _approximate_words()[0].get(words[0] if words else "", ()):
        rest = _after(words, 0, phrase)
        if rest is not None and rest:
            return normalize_answer(" ".join(rest))
    return ""


def _after(words: list[str], i: int, phrase: tuple[str, ...]) -> list[str] | None:
    """The words after ``phrase`` where it stands at ``words[i]``, its last word perhaps a
    Hebrew one-letter word written on the next ("קרוב לעשרים"); None where it does not."""
    size = len(phrase)
    if tuple(words[i:i + size]) == phrase:
        return words[i + size:]
    head, last = phrase[:-1], phrase[-1]
    j = i + size - 1
    if (len(last) == 1 and tuple(words[i:j]) == head and j < len(words)
            and words[j].startswith(last) and len(words[j]) > 1):
        return [words[j][1:], *words[j + 1:]]
    return None


@functools.lru_cache(maxsize=1 << 12)
def _approximate(text: str) -> bool:
    """Whether ``text`` says its amount is approximate (holds a word of about or nearly)."""
    if not text:
        return False
    folded = f" {' '.join(_fold(text))} "
    return any(f" {w} " in folded for w in _approximate_words()[1])


_BLANK = re.compile(r"_{3,}")


def _near_blank(context: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of the question a typed answer may repeat, before and after its blank (a run
    of underscores): those within the window of the blank on either side. A question without a
    blank: all its words, on both sides."""
    if not _BLANK.search(context):
        return _fold(context), _fold(context)
    window = rules()["context"]["window"]
    before, after = _BLANK.split(context, maxsplit=1)
    return _fold(before)[-window:], _fold(after)[:window]


def _variants(words: Iterable[str]) -> set[str]:
    out = set(words)
    out |= {u for w in out for u in _unprefixed(w)}
    return out | {_bare(w) for w in out}


@functools.lru_cache(maxsize=1 << 10)
def _context_words(context: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words a typed answer may open with and those it may end with, repeated from the
    question: the words before the blank (``_near_blank``) and those on either side of it, with
    and without an article or a prefix; every word of a currency the question names."""
    before, after = _near_blank(context)
    named = set(_canonical(_bare(" ".join(_fold(context)))).split())
    money = {w for code, phrases in _quantities().currency_words.items() if code in named
             for w in phrases}
    opening = _variants(before) | money
    return frozenset(opening), frozenset(opening | _variants(after))


@functools.lru_cache(maxsize=1 << 10)
def _context_months(context: str) -> frozenset[int]:
    """The months a cloze's sentence names around its blank (none for a question without one)."""
    if not _BLANK.search(context):
        return frozenset()
    before, after = _near_blank(context)
    return _months_named(" ".join(before + after))


@functools.lru_cache(maxsize=1 << 12)
def _months_named(folded: str) -> frozenset[int]:
    """The months named in a folded text, wherever they stand."""
    data = rules()["dates"]
    months, longest = _date_tables()[:2]
    words = folded.split()
    found = set()
    for i in range(len(words)):
        for size in range(min(longest, len(words) - i), 0, -1):
            month = _month(" ".join(words[i:i + size]), months, data["month_prefixes"])
            if month:
                found.add(month)
                break
    return frozenset(found)


def _trimmed(words: list[str], own: tuple[frozenset[str], frozenset[str]]) -> Iterable[str]:
    """``words`` without some of the question's words at its start and end (never all)."""
    endings = rules()["context"]["construct_endings"]

    def owned(word: str, allowed: frozenset[str]) -> bool:
        if word in allowed or _bare(word) in allowed:
            return True
        if any(u in allowed or _bare(u) in allowed for u in _unprefixed(word)):
            return True
        return any(word.endswith(a) and word[:-len(a)] + b in allowed for a, b in endings.items())

    opening, closing = own
    for i in range(len(words)):
        if i and not owned(words[i - 1], opening):
            return
        j = len(words)
        while j > i:
            if i or j < len(words):
                yield " ".join(words[i:j])
            if not owned(words[j - 1], closing):
                break
            j -= 1


# Amounts: numbers, multipliers, currencies and comparatives written one way.

_Phrases = dict[str, tuple[tuple[tuple[str, ...], str], ...]]


class _Quantities(NamedTuple):
    words: dict[str, float]
    multipliers: dict[str, float]
    need_a_number: frozenset[str]
    conjunctions: tuple[str, ...]
    one: frozenset[str]
    suffixes: dict[str, float]
    with_currency: frozenset[str]
    currencies: _Phrases  # by their first word, the longest first
    currency_words: dict[str, frozenset[str]]
    comparatives: _Phrases
    same: dict[str, str]


_SIGNS = (">", "<")


def _forms(text: str) -> set[tuple[str, ...]]:
    """The words of a listed word or phrase as answers are compared: folded, without articles,
    with and without its leading words ("in excess of", "excess of")."""
    return {tuple(_bare(f).split()) for f in (" ".join(_fold(text)), normalize_answer(text))
            if f}


@cache
def _quantities() -> _Quantities:
    data = rules()
    numbers = data["numbers"]

    def table(listed: dict[str, float]) -> dict[str, float]:
        return {" ".join(f): float(v) for w, v in listed.items() for f in _forms(w)}

    def phrases(groups: dict) -> _Phrases:
        found = sorted({(f, key) for key, listed in groups.items() if not key.startswith("$")
                        for w in listed for f in _forms(w)}, key=lambda p: (-len(p[0]), p))
        return {first: tuple(p for p in found if p[0][0] == first)
                for first in dict.fromkeys(p[0][0] for p in found)}

    same: dict[str, str] = {}
    for group in data["same_words"]["groups"]:
        folded = [_bare(normalize_answer(w)) for w in group]
        same.update({w: folded[0] for w in folded})
    currencies = phrases(data["currencies"])
    return _Quantities(
        words=table(numbers["words"]), multipliers=table(numbers["multipliers"]),
        need_a_number=frozenset(" ".join(f) for w in numbers["need_a_number"] for f in _forms(w)),
        conjunctions=tuple(numbers["conjunctions"]),
        one=frozenset(numbers["one_before_multiplier"]),
        suffixes={k: float(v) for k, v in numbers["suffixes"].items()},
        with_currency=frozenset(numbers["suffixes_with_currency_only"]),
        currencies=currencies,
        currency_words={code: frozenset(w for listed in currencies.values()
                                        for p, c in listed if c == code for w in p)
                        for listed in currencies.values() for _, code in listed},
        comparatives=phrases(data["comparatives"]), same=same)


def _amount_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


_SUFFIXED = re.compile(r"(\d+(?:\.\d+)?)([a-z]+)")


@functools.lru_cache(maxsize=1 << 16)
def _canonical(bare: str) -> str:
    """A bare folded answer with its amounts written one way: numbers in digits ("three hundred
    and thirty-five" -> "335", "$1B" -> "1000000000 usd"), currencies as their code after the
    amount, comparatives as their sign before it, same words as their group's first."""
    q = _quantities()
    tokens = _split_suffixes(bare.split(), q)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        compared = _comparative_at(tokens, i, q)
        if compared:
            sign, tokens, i = compared
            out.append(sign)
            continue
        code, size = _currency_at(tokens, i, q)
        if code:
            value, used = _number_run(tokens, i + size, q)
            if used:
                out += [_amount_text(value), code]
                i += size + used
                after, more = _currency_at(tokens, i, q)
                i += more if after == code else 0
            else:
                out.append(code)
                i += size
            continue
        value, used = _number_run(tokens, i, q)
        if used:
            out.append(_amount_text(value))
            i += used
            continue
        out.append(q.same.get(tokens[i], tokens[i]))
        i += 1
    return " ".join(out)


def _split_suffixes(tokens: list[str], q: _Quantities) -> list[str]:
    """Digits with a multiplier's letters written on them, apart ("7bn" -> "7 bn"); "m", "b" and
    "k" only where a currency touches the amount ("$200m")."""
    out: list[str] = []
    for i, token in enumerate(tokens):
        found = _SUFFIXED.fullmatch(token)
        if found and found[2] in q.suffixes:
            near = (out and _currency_at(out, len(out) - 1, q)[0]) or \
                _currency_at(tokens, i + 1, q)[0]
            if found[2] not in q.with_currency or near:
                out += [found[1], _amount_text(q.suffixes[found[2]]) + "#"]  # no folded word has #
                continue
        out.append(token)
    return out


def _currency_at(tokens: list[str], i: int, q: _Quantities) -> tuple[str, int]:
    for phrase, code in q.currencies.get(tokens[i], ()) if i < len(tokens) else ():
        if tuple(tokens[i:i + len(phrase)]) == phrase:
            return code, len(phrase)
    return "", 0


def _comparative_at(tokens: list[str], i: int,
                    q: _Quantities) -> tuple[str, list[str], int] | None:
    """The sign of a comparative that stands at ``tokens[i]`` before an amount, the tokens with
    its one-letter last word split off the amount where it was written on it ("ממיליארד"), and
    where the amount starts."""
    for phrase, sign in q.comparatives.get(tokens[i], ()):  # no comparative is one letter
        rest = _after(tokens, i, phrase)
        if rest is None:
            continue
        split = [*tokens[:i], *phrase, *rest]
        at = i + len(phrase)
        if _number_run(split, at + _currency_at(split, at, q)[1], q)[1]:
            return sign, split, at
    return None


def _item(tokens: list[str], j: int, q: _Quantities) -> tuple[str, float, int, bool] | None:
    """The number item at ``tokens[j]``: its kind (d digits, w word, m multiplier, c
    conjunction), value, width in tokens and whether a conjunction is written on it."""
    token = tokens[j]
    if _NUMBER.fullmatch(token):
        return "d", float(token), 1, False
    if token.endswith("#") and _NUMBER.fullmatch(token[:-1]):
        return "m", float(token[:-1]), 1, False  # a suffix's multiplier (_split_suffixes)
    pair = f"{token} {tokens[j + 1]}" if j + 1 < len(tokens) else ""
    if pair in q.words:
        return "w", q.words[pair], 2, False
    if token in q.multipliers:
        return "m", q.multipliers[token], 1, False
    if token in q.words:
        return "w", q.words[token], 1, False
    if token in q.conjunctions:
        return "c", 0.0, 1, False
    if token in q.one and j + 1 < len(tokens) and tokens[j + 1] in q.multipliers:
        return "w", 1.0, 1, False
    for conjunction in q.conjunctions:
        rest = token[len(conjunction):]
        if token.startswith(conjunction) and rest:
            pair = f"{rest} {tokens[j + 1]}" if j + 1 < len(tokens) else ""
            if pair in q.words:
                return "w", q.words[pair], 2, True
            if rest in q.words:
                return "w", q.words[rest], 1, True
    return None


def _number_run(tokens: list[str], i: int, q: _Quantities) -> tuple[float, int]:
    """The number that the tokens from ``i`` write, and how many tokens it takes (0: none)."""
    total, group = 0.0, 0.0
    parts: set[str] = set()  # what the group holds: d digits, u unit, teen, t ten, h hundreds
    largest = float("inf")  # the last multiplier of thousands or more
    previous = ""
    best, used, pending = 0.0, 0, 0
    j = i
    while j < len(tokens):
        item = _item(tokens, j, q)
        if item is None:
            break
        kind, value, width, glued = item
        j += width
        if kind == "c":
            if previous in ("", "c"):
                break
            pending += width
            previous = "c"
            continue
        if glued and not previous:
            break
        if kind == "d":
            if parts:
                break
            group, parts = value, {"d"}
        elif kind == "w":
            role = ("u" if value < 10 else "teen" if value < 20 else "t" if value < 100
                    else "h")
            blocked = {"u": {"d", "u", "teen"}, "teen": {"d", "u", "t", "teen"},
                       "t": {"d", "t", "teen"}, "h": {"d", "u", "t", "teen", "h"}}[role]
            if parts & blocked:
                break
            group = value if role == "h" else group + value
            parts.add(role)
        elif value < 1000:  # hundreds
            if parts - {"u", "d"} or (not parts and tokens[j - 1] in q.need_a_number):
                break
            group, parts = (group or 1.0) * value, {"h"}
        elif parts:
            if value >= largest:
                break
            total, group, parts, largest = total + group * value, 0.0, set(), value
        elif previous == "m" and total and value > largest:
            total, largest = total * value, total * value
        elif not previous and tokens[j - 1] not in q.need_a_number:
            total, largest = value, value
        else:
            break
        previous = kind
        used += pending + width
        pending = 0
        best = total + group
    return best, used


# Dates.

class _Date(NamedTuple):
    year: int | None  # None: a day and month
    month: int
    day: int  # 0: a month and year
    short: bool  # a year of two digits


@cache
def _date_tables() -> tuple[dict[str, int], int, dict[str, int], int, tuple[tuple[str, ...], ...]]:
    data = rules()["dates"]
    months = {" ".join(_fold(name)): int(month)
              for month, listed in data["months"].items() for name in listed}
    days = {" ".join(_fold(name)): int(day) for name, day in data["day_words"].items()}
    weekdays = tuple(sorted((_fold(w) for w in data["weekdays"]), key=len, reverse=True))
    return (months, max(len(n.split()) for n in months), days,
            max(len(n.split()) for n in days), weekdays)


@functools.lru_cache(maxsize=1 << 16)
def _date_kinds(folded: str) -> tuple[tuple[str, int, int], ...] | None:
    """The parts of a date a folded answer is made of, as (kind, value, digits): m a month,
    n a number (day or year), d a day in words; None when it is no date."""
    data = rules()["dates"]
    months, longest, days, longest_day, weekdays = _date_tables()
    fillers = _folded_lists()[1]
    words = [w for w in folded.split() if w not in fillers]
    for weekday in weekdays:
        if tuple(words[:len(weekday)]) == weekday and len(words) > len(weekday):
            words = words[len(weekday):]
            break
    kinds: list[tuple[str, int, int]] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            month = _month(" ".join(words[i:i + size]), months, data["month_prefixes"])
            if month:
                kinds.append(("m", month, 0))
                i += size
                break
        else:
            for size in range(min(longest_day, len(words) - i), 0, -1):
                day = days.get(" ".join(words[i:i + size]))
                if day:
                    kinds.append(("d", day, 0))
                    i += size
                    break
            else:
                number = _day_or_year(words[i], data["ordinal_suffixes"], data["number_prefixes"])
                if number is None:
                    return None
                kinds.append(("n", int(number), len(number)))
                i += 1
    # a month named in two calendars is one month
    return tuple(k for i, k in enumerate(kinds) if not (k[0] == "m" and i and kinds[i - 1] == k))


def _readings(folded: str, language: str | None, *, loose: bool) -> set[_Date]:
    """The dates a folded answer may name. ``loose`` (a typed answer): also a year of two
    digits, and a day and month in digits."""
    kinds = _date_kinds(folded)
    if not kinds:
        return set()
    shape = "".join("n" if k == "d" else k for k, _, _ in kinds)
    v = [value for _, value, _ in kinds]
    size = [digits for _, _, digits in kinds]
    words = [k == "d" for k, _, _ in kinds]  # a day in words is never a year or month
    day_first_only = language in rules()["dates"]["day_first_only"]

    def year(i: int) -> list[tuple[int, bool]]:
        if words[i]:
            return []
        if size[i] >= 3:
            return [(v[i], False)]
        return [(v[i], True)] if loose and size[i] == 2 else []

    found: list[_Date] = []
    if shape == "nmn":
        found = [_Date(y, v[1], v[0], s) for y, s in year(2)]
    elif shape == "mnn":
        found = [_Date(y, v[0], v[1], s) for y, s in year(2)]
    elif shape == "mn" and not words[1]:
        if size[1] >= 3 or (loose and size[1] == 2 and v[1] > 31):
            found = [_Date(y, v[0], 0, s) for y, s in year(1)]
        else:
            found = [_Date(None, v[0], v[1], False)]
    elif shape in ("nm", "mn"):
        day = v[0] if shape == "nm" else v[1]
        found = [_Date(None, v[1] if shape == "nm" else v[0], day, False)]
    elif shape == "nnn" and not any(words):
        if size[0] >= 3:
            found = [_Date(v[0], v[1], v[2], False)]
        else:
            found = [_Date(y, v[1], v[0], s) for y, s in year(2)]
            if not day_first_only or v[1] > 12:  # "9/27/2022" reads one way only
                found += [_Date(y, v[0], v[1], s) for y, s in year(2)]
    elif shape == "nn" and not any(words):
        if size[0] >= 3:
            found = [_Date(v[0], v[1], 0, False)]
        else:
            found = [_Date(y, v[0], 0, s) for y, s in year(1)]
            if loose and day_first_only and size[0] <= 2 and size[1] <= 2:
                found.append(_Date(None, v[1], v[0], False))  # "11/9" in Hebrew
    return {d for d in found if 1 <= d.month <= 12 and 0 <= d.day <= 31 and _whole(d, shape)}


def _whole(date: _Date, shape: str) -> bool:
    """Whether a date has what a date needs: a day where it has no year; a year of at least
    three digits (or two, read as the last two); a day unless it is a month and year."""
    if date.year is None:
        return date.day > 0
    return (date.short or date.year >= 100) and (date.day > 0 or shape in ("mn", "nn"))


def dates_of(folded: str) -> set[tuple[int, int, int]]:
    """The calendar dates a folded answer may name, as (year, month, day); day 0 for a month and
    year. Empty when it is no date."""
    return {(d.year, d.month, d.day) for d in _readings(folded, None, loose=False)
            if d.year is not None}


def _same_date(folded: str, want: str, language: str | None) -> bool:
    """Whether ``folded`` names the date ``want`` asks for: the same date, a date in the year or
    the month asked for, or the month alone asked for."""
    kinds = _date_kinds(want)
    if not kinds:
        return False
    if len(kinds) == 1:
        kind, value, digits = kinds[0]
        if kind == "m":  # a month alone
            mine = _date_kinds(folded)
            return mine is not None and len(mine) == 1 and mine[0][:2] == ("m", value)
        if kind != "n" or digits != 4:
            return False
        return any(d.year is not None and _same_year(d, value)
                   for d in _readings(folded, language, loose=True))
    wanted = _readings(want, language, loose=False)
    if len(wanted) != 1:
        return False
    goal = next(iter(wanted))
    for date in _readings(folded, language, loose=True):
        if date.month != goal.month or (goal.day and date.day != goal.day):
            continue
        if goal.year is None and date.year is None:
            return True  # "11 ספטמבר" for "11 בספטמבר"; with a year, the year is another answer
        if goal.year is not None and date.year is not None and _same_year(date, goal.year):
            return True
    return False


def _same_year(date: _Date, year: int) -> bool:
    return date.year == (year % 100 if date.short else year)


def _month(text: str, names: dict[str, int], prefixes: list[str]) -> int:
    if text in names:
        return names[text]
    for prefix in prefixes:
        if text.startswith(prefix) and text[len(prefix):] in names:
            return names[text[len(prefix):]]
    return 0


def _day_or_year(word: str, suffixes: list[str], prefixes: list[str]) -> str | None:
    """The digits of a day or year, without an ordinal suffix ("27th") or a prefix ("ה27")."""
    for suffix in suffixes:
        if word.endswith(suffix) and _DIGITS.fullmatch(word[:-len(suffix)]):
            return word[:-len(suffix)]
    for prefix in prefixes:
        if word.startswith(prefix) and _DIGITS.fullmatch(word[len(prefix):]):
            return word[len(prefix):]
    return word if _DIGITS.fullmatch(word) else None
