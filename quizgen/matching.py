"""Compare a typed answer with the expected one, by rules defined once in a data file.

The rules live in ``quizgen/data/answer_matching.json`` so that the HTML self-test's JavaScript
applies exactly the same ones; ``tests/data/answer_matching_cases.json`` holds the cases both
implementations are tested against.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

log = logging.getLogger(__name__)


@cache
def rules() -> dict:
    """The matching rules, as the data file states them."""
    text = resources.files("quizgen").joinpath("data/answer_matching.json").read_text("utf-8")
    return json.loads(text)


@cache
def _compiled() -> tuple[dict[int, str | None], re.Pattern[str]]:
    data = rules()
    table: dict[int, str | None] = {ord(k): v for k, v in data["map"].items()}
    for start, end in data["delete_ranges"]:
        for code in range(ord(start), ord(end) + 1):
            table[code] = None
    separators = "".join(re.escape(s) for s in data["group_separators"])
    return table, re.compile(rf"(?<=\d)[{separators}](?=\d{{3}}(?!\d))")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class _Punctuation(dict[int, int]):
    """A ``str.translate`` table that turns every punctuation character (Unicode category P*)
    into a space, and leaves the rest: worked out once per character, then looked up."""

    def __missing__(self, code: int) -> int:
        self[code] = 32 if unicodedata.category(chr(code)).startswith("P") else code
        return self[code]


_PUNCTUATION = _Punctuation()


@functools.lru_cache(maxsize=1 << 16)
def normalize_answer(text: str) -> str:
    """Fold an answer to the form in which equal answers compare equal (cached: a deck's answers
    and distractors are compared many times over)."""
    table, groups = _compiled()
    text = unicodedata.normalize("NFKC", text).translate(table).lower()
    text = groups.sub("", text).translate(_PUNCTUATION)
    words = [_without_era(w, rules()["year_suffixes"]) for w in text.split()]
    ignored = _folded_lists()[0]
    while len(words) > 1 and words[0] in ignored:
        words = words[1:]
    return " ".join(words)


@cache
def _folded_lists() -> tuple[frozenset[str], frozenset[str]]:
    """The leading words ignored and the date fillers, folded as typed words are ("سنة" is
    compared as "سنه")."""
    table, _ = _compiled()
    data = rules()

    def fold(words: list[str]) -> frozenset[str]:
        return frozenset(unicodedata.normalize("NFKC", w).translate(table).lower()
                         for w in words)

    return fold(data["leading_words_ignored"]), fold(data["dates"]["fillers"])


def _without_era(word: str, suffixes: list[str]) -> str:
    """A year without the era glued to it ("1973م")."""
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) == 4 + len(suffix) and word[:4].isdigit():
            return word[:4]
    return word


def answers_match(typed: str, expected: str, accepted: Iterable[str] = ()) -> bool:
    """Tell whether a typed answer counts as the expected one or one of its alternatives."""
    folded = normalize_answer(typed)
    if not folded:
        return False
    for target in (expected, *accepted):
        want = normalize_answer(target)
        if folded == want:
            return True
        numbers = _NUMBER.findall(want)
        wanted = dates_of(want) if numbers else set()  # a date has a number: day or year
        if len(numbers) == 1 and not wanted and _same_number(folded, want, float(numbers[0])):
            return True
        if _bare(folded) == _bare(want):
            return True
        if _plain(_bare(folded)) == _plain(_bare(want)):
            return True
        if len(wanted) == 1 and _DIGITS.search(folded) and wanted <= dates_of(folded):
            return True
        if _one_slip(_bare(folded), _bare(want)):
            return True
    return False


@cache
def _number_tables() -> tuple[dict[str, float], dict[str, float]]:
    data = rules()["numbers"]
    return ({normalize_answer(w): float(n) for w, n in data["words"].items()},
            {normalize_answer(w): float(n) for w, n in data["multipliers"].items()})


def _in_words(text: str, words: dict[str, float]) -> float | None:
    """The number ``text`` writes in words: one of ``words``, or a ten and a unit in either
    order, the second perhaps with a conjunction on it ("twenty five", "خمسة وعشرون")."""
    if text in words:
        return words[text]
    parts = text.split()
    if len(parts) != 2:
        return None
    first = words.get(parts[0])
    second = words.get(parts[1])
    if second is None:
        second = next((words[rest] for c in rules()["numbers"]["conjunctions"]
                       if parts[1].startswith(c) and (rest := parts[1][len(c):]) in words), None)
    if first is None or second is None:
        return None
    ten, unit = max(first, second), min(first, second)
    return ten + unit if 20 <= ten <= 90 and ten % 10 == 0 and 1 <= unit <= 9 else None


def _same_number(folded: str, want: str, number: float) -> bool:
    """Whether ``folded`` is the number ``number``: in digits, in words, or with a word of
    thousands (which the expected answer either multiplies out or has too)."""
    words, multipliers = _number_tables()
    parts = folded.split()
    if not 1 <= len(parts) <= rules()["numbers"]["most_words"] + 1:
        return False
    factor = multipliers.get(parts[-1]) if len(parts) > 1 else None
    head = " ".join(parts[:-1] if factor is not None else parts)
    value = float(head) if _NUMBER.fullmatch(head) else _in_words(head, words)
    if value is None:
        return False
    if factor is None:
        return value == number
    return value * factor == number or (  # "7 מליארד" for "7 מיליארד": its word, spelt otherwise
        value == number and any(multipliers.get(w) == factor for w in want.split()))


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


@cache
def _plain_words() -> dict[str, str]:
    """Folded word -> the word it counts as: a number word's digits ("two" -> "2"), a word of a
    group of ``same_words`` the group's first ("years" -> "year")."""
    words, _ = _number_tables()
    out = {w: str(int(n)) if n.is_integer() else str(n) for w, n in words.items() if " " not in w}
    for group in rules()["same_words"]["groups"]:
        folded = [_bare(normalize_answer(w)) for w in group]
        out.update({w: out.get(folded[0], folded[0]) for w in folded})
    return out


def _plain(folded: str) -> str:
    """``folded`` with its number words in digits and its same words made one."""
    plain = _plain_words()
    return " ".join(plain.get(w, w) for w in folded.split())


@cache
def _months() -> tuple[dict[str, int], int]:
    """Folded month names -> month number, and the most words a name has."""
    names = {normalize_answer(name): int(month)
             for month, listed in rules()["dates"]["months"].items() for name in listed}
    return names, max(len(n.split()) for n in names)


def dates_of(folded: str) -> set[tuple[int, int, int]]:
    """The calendar dates a folded answer may name, as (year, month, day); day 0 for a month
    and year. Empty when it is no date."""
    data = rules()["dates"]
    names, longest = _months()
    fillers = _folded_lists()[1]
    words = [w for w in folded.split() if w not in fillers]
    kinds: list[tuple[str, int]] = []  # ("n", number) or ("m", month)
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            month = _month(" ".join(words[i:i + size]), names, data["month_prefixes"])
            if month:
                kinds.append(("m", month))
                i += size
                break
        else:
            number = _day_or_year(words[i], data["ordinal_suffixes"])
            if number is None:
                return set()
            kinds.append(("n", number))
            i += 1
    kinds = [k for i, k in enumerate(kinds) if not (k[0] == "m" and i and kinds[i - 1] == k)]
    shape = "".join(k for k, _ in kinds)  # a month named in two calendars is one month
    v = [n for _, n in kinds]
    found: list[tuple[int, int, int]] = []
    if shape == "nmn":
        found = [(v[2], v[1], v[0])]
    elif shape == "mnn":
        found = [(v[2], v[0], v[1])]
    elif shape == "mn":
        found = [(v[1], v[0], 0)]
    elif shape == "nnn":
        found = ([(v[0], v[1], v[2])] if v[0] >= 1000
                 else [(v[2], v[1], v[0]), (v[2], v[0], v[1])])
    elif shape == "nn":
        found = [(v[1], v[0], 0)]
    return {(y, m, d) for y, m, d in found if y >= 100 and 1 <= m <= 12 and 0 <= d <= 31
            and (d > 0 or shape in {"mn", "nn"})}


def _month(text: str, names: dict[str, int], prefixes: list[str]) -> int:
    if text in names:
        return names[text]
    for prefix in prefixes:
        if text.startswith(prefix) and text[len(prefix):] in names:
            return names[text[len(prefix):]]
    return 0


_DIGITS = re.compile(r"[0-9]+")


def _day_or_year(word: str, suffixes: list[str]) -> int | None:
    for suffix in suffixes:
        if word.endswith(suffix) and _DIGITS.fullmatch(word[:-len(suffix)]):
            word = word[:-len(suffix)]
            break
    return int(word) if _DIGITS.fullmatch(word) else None
