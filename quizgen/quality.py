"""The quality checker: named rules that find what makes a question unfair or unhelpful to a
learner (a give-away, a wrong option that stands out or is true, an explanation about the source
rather than the subject). ``check`` runs them over every question of a deck, an output command
over the questions it writes; each finding is a located warning (``--strict`` fails on them).

docs/quality.md documents every rule with an example and its fix. Generation avoids most of
these by construction; the rules catch what content makes unavoidable (a curated wrong answer,
a deck's own template, an explanation) and guard the construction.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizgen.distractors import swapped_word
from quizgen.errors import Problem
from quizgen.giveaway import telling_answers
from quizgen.matching import answers_match, normalize_answer

if TYPE_CHECKING:
    from quizgen.content import LoadedDeck
    from quizgen.model import Fact
    from quizgen.questions import Plan, QuestionSet

log = logging.getLogger(__name__)

# rule -> what it finds (docs/quality.md has an example and the fix of each)
RULES = {
    "giveaway-within": "a question shows its own answer",
    "giveaway-between": "a question shows the answer of another question of the same page",
    "choices-format": "one option has a format of its own (digits among words, a date among "
                      "years)",
    "choices-length": "one option is far longer than the others",
    "choices-qualifier": "one option alone carries a qualifier (\"more than\" among \"less "
                         "than\"s)",
    "choices-grammar": "the words before the blank fit some options only (\"a\" before "
                       "\"EU representative\")",
    "choices-near-duplicate": "two options a typed answer would confuse, or wrong options that "
                              "each swap one word of the answer",
    "distractor-out-of-period": "a wrong year outside the deck's period",
    "distractor-true-elsewhere": "a wrong option that another fact gives as the answer of the "
                                 "same sentence",
    "true-false-no-false": "a true/false question that can only be true",
    "ordering-not-event": "an item to order that is not an event dated by its answer",
    "ordering-overlap": "items to order whose periods overlap",
    "matching-ambiguous": "pairs to match where one item fits two partners",
    "explanation-long": "an explanation too long to read after each answer",
    "explanation-about-source": "an explanation about the source instead of the subject",
    "fact-trivial": "a fact whose sentence or cue already shows its answer",
    "type-unreachable": "a question type of the deck that no fact can make",
    "fact-unasked": "a fact of which no question type makes a question",
}

NUMERIC = frozenset({"year", "date", "number", "money"})
EXPLANATION_MAX = 300  # characters, per language
LENGTH_RATIO = 2.5  # an option this many times as long as the longest other one stands out
LENGTH_SLACK = 12  # ... and at least this many characters longer
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


@cache
def words() -> dict[str, Any]:
    """Per language, the qualifiers of options and the words of explanations about a source."""
    text = resources.files("quizgen").joinpath("data/quality.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("$")}


def problem(loaded: LoadedDeck, fact: Fact, rule: str, message: str,
            path: tuple[str | int, ...] = ()) -> Problem:
    """A warning of ``rule`` located at the fact (at ``path`` in it)."""
    return loaded.fact_origins[fact.id].problem(path, f"[{rule}] {message}", fact=fact.id,
                                                severity="warning")


@dataclass
class Findings:
    """Warnings keyed by (rule, question or fact, detail) so that a finding of every language
    is said once, naming the languages."""

    loaded: LoadedDeck

    def __post_init__(self) -> None:
        self._found: dict[tuple[str, str, str], tuple[Fact, str, tuple[str | int, ...],
                                                     list[str]]] = {}

    def add(self, rule: str, fact: Fact, where: str, message: str, language: str,
            path: tuple[str | int, ...] = (), key: str | None = None) -> None:
        slot = (rule, where, key if key is not None else message)
        if slot in self._found:
            self._found[slot][3].append(language)
        else:
            self._found[slot] = (fact, message, path, [language])

    def problems(self, languages: Sequence[str]) -> list[Problem]:
        out = []
        for (rule, where, _), (fact, message, path, langs) in self._found.items():
            said = "" if len(langs) == len(languages) or len(languages) == 1 else \
                f" ({', '.join(langs)})"
            out.append(problem(self.loaded, fact, rule, f"{where}: {message}{said}", path))
        return out


def review(questions: QuestionSet, plans: Sequence[Plan], *, whole_deck: bool) -> list[Problem]:
    """Every rule over ``plans`` in every language of the deck; with ``whole_deck`` also the
    rules about the deck's facts and types.

    What the rules find about one question depends only on the deck, the seed and quizgen, so
    it is kept (``parsecache.keep``) for each question reviewed: a later command over the same
    deck (any selection of its questions) renders only those no command reviewed yet. Rendering
    every question in every language is most of a command's planning."""
    loaded = questions.deck
    languages = list(loaded.deck.languages)
    memo = _Memo(questions)
    found = Findings(loaded)
    facts = {f.id: f for f in loaded.facts}
    for plan in plans:
        said = memo.said.get(plan.id)
        if said is None or not _well_formed(said, facts):
            said = memo.said[plan.id] = []
            for language, catalog in questions.catalogs().items():
                rendered = questions.question(plan, language, catalog)
                _question_rules(_Said(said), plan, rendered, language, questions)
            memo.changed = True
        for rule, fact, where, message, language, path, key in said:
            found.add(rule, facts[fact], where, message, language, tuple(path), key=key)
    memo.save()
    out = found.problems(languages)
    if whole_deck:
        out += deck_rules(questions)
    return out


def _well_formed(said: Any, facts: dict[str, Fact]) -> bool:
    """Whether a kept question's findings are what ``_Said`` records (else it is reviewed)."""
    return isinstance(said, list) and all(
        isinstance(item, list) and len(item) == 7 and item[1] in facts
        and all(isinstance(x, str) for x in (item[0], item[2], item[3], item[4]))
        and isinstance(item[5], list) and all(isinstance(x, (str, int)) for x in item[5])
        and (item[6] is None or isinstance(item[6], str)) for item in said)


class _Said:
    """Records what the rules find about one question, as Findings.add is called, in order."""

    def __init__(self, into: list[list[Any]]) -> None:
        self.into = into

    def add(self, rule: str, fact: Fact, where: str, message: str, language: str,
            path: tuple[str | int, ...] = (), key: str | None = None) -> None:
        self.into.append([rule, fact.id, where, message, language, list(path), key])


class _Memo:
    """The findings of the questions reviewed before, for this deck (its files and quizgen
    unchanged) and seed, by question id."""

    def __init__(self, questions: QuestionSet) -> None:
        from quizgen.incremental import inputs_digest

        root = questions.deck.root
        self.name = f"review {root.resolve()}"
        self.inputs = inputs_digest(root) + f"\0{questions.seed}".encode()
        self.changed = False
        kept = _recall(self.name, self.inputs)
        self.said: dict[str, list[list[Any]]] = kept if isinstance(kept, dict) else {}

    def save(self) -> None:
        if self.changed:
            from quizgen.parsecache import keep

            keep(self.name, self.inputs, self.said)
            self.changed = False


def _recall(name: str, inputs: bytes) -> Any:
    from quizgen.parsecache import recall

    return recall(name, inputs)


def _shows(text: str, answer: str) -> bool:
    return f" {answer} " in f" {normalize_answer(text)} "


@dataclass
class Review:
    """One rendered question under review: what a type's ``quality`` hook gets."""

    found: Findings | _Said
    plan: Plan
    question: Any
    language: str
    questions: QuestionSet

    def add(self, rule: str, message: str, *, path: tuple[str | int, ...] = (),
            key: str | None = None) -> None:
        """Say a finding of ``rule`` about this question (``key`` tells findings apart)."""
        self.found.add(rule, self.plan.fact, self.plan.id, message, self.language, path,
                       key=key)


def _question_rules(found: Findings | _Said, plan: Plan, q: Any, language: str,
                    questions: QuestionSet) -> None:
    from quizgen.qtypes import MODULES

    stem = [str(getattr(q, name)) if not isinstance(getattr(q, name), list)
            else " · ".join(map(str, getattr(q, name))) for name in getattr(q, "STEM", ())]
    review = Review(found, plan, q, language, questions)
    for answer in telling_answers(plan.facts, language):
        if any(_shows(text, answer) for text in stem):
            review.add("giveaway-within", f'it shows its own answer "{answer}" before it is '
                       "asked; reword the cue or the sentence", key=answer)
    hook = getattr(MODULES[q.type], "quality", None)
    if hook is not None:
        hook(review)


def _lone(values: list[Any]) -> int | None:
    """The index of the one value unlike all the others (which agree), if there is one."""
    if len(values) < 3:
        return None
    for i, value in enumerate(values):
        rest = values[:i] + values[i + 1:]
        if all(v == rest[0] for v in rest) and value != rest[0]:
            return i
    return None


def _qualifier(text: str, language: str) -> str:
    folded = normalize_answer(text)
    for word in words().get(language, {}).get("qualifiers", []):
        want = normalize_answer(word)
        glued = len(want.split()[-1]) == 1  # Hebrew "יותר מ" + "500": "יותר מ500"
        if folded == want or folded.startswith(want + " ") or (glued and folded.startswith(want)):
            return want
    return ""


def choice_rules(review: Review, choices: Sequence[str], answer_index: int) -> None:
    """The rules of one right option among wrong ones: options of one format, length and
    qualifier; no two a typed answer confuses; no wrong one out of period or true."""
    plan, language, questions = review.plan, review.language, review.questions
    fact = plan.fact
    choices = [str(c) for c in choices]
    path = ("distractors", language) if fact.distractors else ()
    runs = [len(re.findall(r"\d+", c)) for c in choices]
    lone = _lone(runs)
    if lone is not None:
        review.add("choices-format", f'"{choices[lone]}" is the only option with {runs[lone]} '
                   f"number{'s' if runs[lone] != 1 else ''}; give every option the form of the "
                   "answer", path=path, key=str(lone))
    lengths = [len(c) for c in choices]
    longest = max(range(len(choices)), key=lambda i: lengths[i])
    others = max(n for i, n in enumerate(lengths) if i != longest)
    if lengths[longest] >= LENGTH_RATIO * others and lengths[longest] - others >= LENGTH_SLACK:
        review.add("choices-length", f'"{choices[longest]}" is far longer than the other '
                   "options; write options of like length", path=path, key=str(longest))
    qualifiers = [_qualifier(c, language) for c in choices]
    lone = _lone(qualifiers)
    if lone is not None:
        says = (f'opens with "{qualifiers[lone]}"' if qualifiers[lone]
                else "has no qualifier")
        review.add("choices-qualifier", f'"{choices[lone]}" alone {says}; qualify every '
                   "option alike", path=path, key=str(lone))
    before = str(getattr(review.question, "text_before", "")).split()
    article = words().get(language, {}).get("articles", {}).get(before[-1].lower()) \
        if before else None
    if article:
        # u and h open either sound ("a union", "an uncle", "an hour"): not judged
        misfits = [c for c in choices if c[:1].lower() not in "uh"
                   and (c[:1].lower() in "aeio") != (article == "vowel")]
        if misfits:
            review.add("choices-grammar", f'after "{before[-1]}", "{misfits[0]}" does not read '
                       "right, so grammar rules it in or out; put the article inside the answer "
                       "and every option", path=path, key="article")
    for i, one in enumerate(choices):
        for other in choices[i + 1:]:
            if answers_match(one, other) or answers_match(other, one):
                review.add("choices-near-duplicate", f'"{one}" and "{other}" would both be '
                           "accepted for one answer; drop one", path=path, key=f"{one}|{other}")
    answer = normalize_answer(choices[answer_index]).split()
    swaps = {swapped_word(normalize_answer(c).split(), answer): c
             for i, c in enumerate(choices) if i != answer_index}
    swaps.pop(None, None)
    if fact.answer_type not in NUMERIC and len(swaps) >= 2:
        review.add("choices-near-duplicate", f"{len(swaps)} wrong options each swap another "
                   f'word of the answer "{choices[answer_index]}", which is then the option '
                   "with every word in common; write whole alternatives", path=path,
                   key="swaps")
    low, high = questions.planning_period
    for i, choice in enumerate(choices):
        if i == answer_index:
            continue
        for year in map(int, _YEAR.findall(choice)):
            if not low[0] <= year <= high[0]:
                review.add("distractor-out-of-period", f'"{choice}": {year} is outside the '
                           f"deck's period ({low[0]}–{high[0]}: its earliest fact to its newest "
                           "source); choose a year inside it", path=path, key=str(year))
    mine = fact.marked(language)
    frame = (normalize_answer(mine.before), normalize_answer(mine.after))
    for twin in questions.same_sentence(fact, language, frame):
        theirs = twin.answer(language)
        for i, choice in enumerate(choices):
            if i != answer_index and answers_match(choice, theirs):
                review.add("distractor-true-elsewhere", f'"{choice}" is the answer of fact '
                           f"{twin.id}, whose sentence is this one: it is true here too; add "
                           "it to `never_offer`", path=path, key=f"{twin.id}|{i}")


def dated_items_rules(review: Review) -> None:
    """The rules of items put in date order: each an event dated by its answer, no two of
    overlapping periods."""
    plan = review.plan
    periods = []
    for fact in plan.facts:
        if fact.answer_type not in {"year", "date"}:
            review.add("ordering-not-event", f"the item of fact {fact.id} names its "
                       f"{fact.answer_type} answer, not an event; order only facts whose answer "
                       "is their date (`answer_types: [year, date]` in the template)",
                       key=fact.id)
        if fact.date:
            start, _, end = fact.date.partition("/")
            periods.append((start[:4], (end or start)[:4], fact.id))
    periods.sort()
    for (_, end, one), (start, _, other) in itertools.pairwise(periods):
        if start <= end:
            review.add("ordering-overlap", f"the dates of {one} and {other} overlap, so "
                       "neither came first; order events of distinct years",
                       key=f"{one}|{other}")


def distinct_partners_rules(review: Review, partners: Sequence[str]) -> None:
    """The rule of items matched with partners: no two partners a typed answer confuses."""
    partners = [str(p) for p in partners]
    for i, one in enumerate(partners):
        for other in partners[i + 1:]:
            if answers_match(one, other) or answers_match(other, one):
                review.add("matching-ambiguous", f'"{one}" and "{other}" would both be '
                           "accepted for one item; match facts with distinct answers",
                           key=f"{one}|{other}")


def between(questions: QuestionSet, plans: Sequence[Plan]) -> list[Problem]:
    """Give-aways between the questions of one page (a worksheet, a self-test): a question that
    shows another's answer, in any language; said once per fact and answer.

    Each answer is looked for once per language, not once per question that has it: in a page
    of every question of a large deck, a year or a country is the answer of hundreds of facts
    and shows in thousands of questions (at 10,000 facts, looking per question took ten minutes
    and 4 GB). The questions that show an answer are kept once per answer and language, and a
    message names the first three and counts the rest."""
    from quizgen.giveaway import Clues, holding

    clues = Clues(questions)
    loaded = questions.deck
    seen = [clues.of(plan) for plan in plans]
    facts = {plan.fact.id: plan.fact for plan in plans}
    # (fact id, answer) -> languages, and per language the questions that show the answer with
    # the one to leave out (the fact's only question with that answer shows it itself)
    shown_in: dict[tuple[str, str], tuple[list[str], list[tuple[frozenset[int], int | None]]]] = {}
    for index, language in enumerate(clues.catalogs):
        # Which questions show each word: an answer is looked for only where all its words are,
        # so a page of thousands of questions costs what its give-aways are, not its pairs.
        postings: dict[str, set[int]] = {}
        for j, found in enumerate(seen):
            for word in set(found[index][1].split()):
                postings.setdefault(word, set()).add(j)
        owners: dict[str, dict[str, list[int]]] = {}  # answer -> fact id -> its questions
        for i, one in enumerate(plans):
            for answer in seen[i][index][0]:
                owners.setdefault(answer, {}).setdefault(one.fact.id, []).append(i)

        def text(j: int, at: int = index) -> str:
            return seen[j][at][1]

        for answer, by_fact in owners.items():
            shown = frozenset(holding(answer, postings, text))
            for fact_id, mine in by_fact.items():
                # A question never gives itself away; two of the fact's questions do each other.
                left_out = mine[0] if len(mine) == 1 else None
                if not shown - {left_out}:
                    continue
                slot = shown_in.setdefault((fact_id, answer), ([], []))
                slot[0].append(language)
                slot[1].append((shown, left_out))
    out = []
    every = len(loaded.deck.languages)
    order = {j: plans[j].id for j in range(len(plans))}
    for (fact_id, answer), (languages, parts) in sorted(shown_in.items()):
        where = _union_less(parts)
        listed = heapq.nsmallest(3, (order[j] for j in where))
        more = f" and {len(where) - 3} more" if len(where) > 3 else ""
        said = "" if len(languages) == every else f" ({', '.join(languages)})"
        out.append(problem(loaded, facts[fact_id], "giveaway-between", f'its answer "{answer}" '
                           f"shows in {', '.join(listed)}{more} on the same page{said}; a "
                           "--count lets quizgen keep such questions apart"))
    return out


def _union_less(parts: list[tuple[frozenset[int], int | None]]) -> frozenset[int] | set[int]:
    """The union of each set without its own left-out member."""
    if len(parts) == 1 or all(p is parts[0] or p == parts[0] for p in parts):
        shown, left_out = parts[0]
        return shown if left_out is None or left_out not in shown else shown - {left_out}
    out: set[int] = set()
    for shown, left_out in parts:
        out |= shown - {left_out}
    return out


def deck_rules(questions: QuestionSet) -> list[Problem]:
    """The rules about the deck as a whole: explanations, trivial and unasked facts,
    unreachable types."""
    loaded = questions.deck
    out: list[Problem] = []
    for fact in loaded.facts:
        for language, text in (fact.explanation or {}).items():
            path = ("explanation", language)
            if len(text) > EXPLANATION_MAX:
                out.append(problem(loaded, fact, "explanation-long", f"{len(text)} characters "
                                   f"in {language}; keep it under {EXPLANATION_MAX}: one or two "
                                   "sentences (editors' remarks go in `note`)", path))
            folded = f" {normalize_answer(text)} "
            hits = [w for w in words().get(language, {}).get("about_source", [])
                    if f" {normalize_answer(w)} " in folded]
            if hits:
                out.append(problem(loaded, fact, "explanation-about-source", f'"{hits[0]}" in '
                                   f"{language}: an explanation speaks to the learner about the "
                                   "subject; move remarks about the source to `note`", path))
        for language in fact.text:
            marked = fact.marked(language)
            answer = normalize_answer(marked.answer)
            rest = [marked.before + " " + marked.after, (fact.cue or {}).get(language, "")]
            if answer and any(_shows(text, answer) for text in rest):
                out.append(problem(loaded, fact, "fact-trivial", f'the answer "{marked.answer}" '
                                   f"also stands in the {language} sentence or cue, so every "
                                   "question of the fact shows it; reword one", ("text", language)))
                break
    asked = {f.id for p in questions.plans for f in p.facts}
    for fact in loaded.facts:
        if fact.id not in asked:
            skipped = f" (skip_types: {', '.join(fact.skip_types)})" if fact.skip_types else ""
            out.append(problem(loaded, fact, "fact-unasked", "no question type makes a question "
                               f"of this fact{skipped}, so no learner sees it; see the types' "
                               "needs in docs/questions.md (a cue, distractors, an answer type "
                               "it takes), or remove the fact"))
    made = {p.template.spec.id for p in questions.plans}
    root = loaded.root.resolve()
    for template in questions.templates:  # the deck's own: quizgen's apply where they can
        own = Path(template.located.file).resolve().is_relative_to(root)
        if own and template.spec.id not in made:
            out.append(template.located.problem((), f"[type-unreachable] template "
                                                f"{template.spec.id} ({template.spec.type}) "
                                                "makes no question of this deck's facts; see "
                                                "docs/questions.md for what its type needs",
                                                severity="warning"))
    return out
