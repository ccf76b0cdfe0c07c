"""Give-aways between questions: a question that shows another's answer (in its prompt, its
sentence, its options, its items) hands that answer to whoever reads both. Selection keeps such
pairs apart, in every language of the deck, so that the same options choose the same questions
whichever language is built."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from quizgen.catalog import Catalog
from quizgen.matching import normalize_answer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from quizgen.model import Fact
    from quizgen.questions import Plan, QuestionSet

SHORTEST_TELLING = 3  # letters an accepted alternative needs to be looked for in other text


def telling_answers(facts: Iterable[Fact], language: str) -> set[str]:
    """The facts' answers and accepted alternatives, folded as typed answers are, that would
    give the answer away where another question shows them. An alternative shorter than
    ``SHORTEST_TELLING`` letters is left out: "IS" for ISIS folds to "is", which every English
    sentence holds ("US" to "us"); the answer itself and numbers ("3") always count."""
    out = set()
    for fact in facts:
        out.add(normalize_answer(fact.answer(language)))
        out.update(folded for folded in map(normalize_answer, (fact.accept or {}).get(language, []))
                   if len(folded.replace(" ", "")) >= SHORTEST_TELLING
                   or any(c.isdigit() for c in folded))
    return {a for a in out if a}

log = logging.getLogger(__name__)


def holding(answer: str, postings: dict[str, set[int]], text: Callable[[int], str]) -> set[int]:
    """The texts that show ``answer`` whole, by their number in ``postings`` (each word -> the
    texts holding it; ``text(number)`` is one, padded with spaces). Texts and answers are
    folded words one space apart, so a one-word answer shows wherever its word does: only a
    longer one is looked for, where all its words are, with its words in order."""
    words = answer.split()
    found = set.intersection(*(postings.get(w, set()) for w in words))
    if len(words) == 1:
        return found
    padded = f" {answer} "
    return {i for i in found if padded in text(i)}


class Clues:
    """What each question shows and what it asks for, per language, folded the way typed answers
    are compared; a question is rendered the first time it is asked about."""

    def __init__(self, questions: QuestionSet) -> None:
        self.questions = questions
        self.catalogs: dict[str, Catalog] = questions.catalogs()
        self._seen: dict[str, list[tuple[frozenset[str], str]]] = {}
        self._exposure: dict[str, int] | None = None

    def exposure(self, plan: Plan) -> int:
        """How many of the deck's sentences show an answer of the question's facts, in any
        language: a question whose answer the deck says everywhere ("Russia") clashes with
        most others, so a sample takes it last."""
        if self._exposure is None:
            self._exposure = self._count_exposure()
        return sum(self._exposure.get(f.id, 0) for f in plan.facts)

    def _count_exposure(self) -> dict[str, int]:
        facts = self.questions.deck.facts
        out: dict[str, int] = {}
        for language in self.catalogs:
            sentences = [f" {normalize_answer(f.marked(language).plain)} " for f in facts]
            postings: dict[str, set[int]] = {}
            for i, text in enumerate(sentences):
                for word in set(text.split()):
                    postings.setdefault(word, set()).add(i)
            # A country or a year is the answer of hundreds of facts: each answer is counted
            # once, then each fact's own sentence taken off.
            showing: dict[str, int] = {}
            for own, fact in zip(sentences, facts, strict=True):
                answer = normalize_answer(fact.answer(language))
                if not answer:
                    continue
                total = showing.get(answer)
                if total is None:
                    total = showing[answer] = len(holding(answer, postings,
                                                          sentences.__getitem__))
                shown = total - (f" {answer} " in own)
                out[fact.id] = max(out.get(fact.id, 0), shown)
        return out

    def of(self, plan: Plan) -> list[tuple[frozenset[str], str]]:
        """Per language: the answers of the question's facts (with their accepted
        alternatives), and everything it shows, padded with spaces for whole-word search."""
        found = self._seen.get(plan.id)
        if found is None:
            found = []
            for language, catalog in self.catalogs.items():
                question = self.questions.question(plan, language, catalog)
                answers = telling_answers(plan.facts, language)
                # An explanation is read after its answer, before the next ones (a self-test,
                # a card): the sentences it shows in full may not answer another question.
                shown = normalize_answer(" ".join([*question.shown(), question.explanation]))
                found.append((frozenset(answers), f" {shown} "))
            self._seen[plan.id] = found
        return found

    def page(self) -> Page:
        """An empty page to pick questions for (``Page``)."""
        return Page(self)


class Page:
    """The questions picked for one page so far, indexed so that whether another clashes with
    any of them costs what that question shows, not how many were picked: a round of a
    10,000-fact deck picks 10,000 questions, and comparing each with every one picked before
    took minutes. Two questions clash when one shows an answer of the other in some language,
    or their facts are declared apart (``apart_from``)."""

    def __init__(self, clues: Clues) -> None:
        self.clues = clues
        languages = len(clues.catalogs)
        self._shown: list[list[str]] = []  # per question picked, what it shows per language
        # per language: each word -> the questions picked that show it
        self._holders: list[dict[str, set[int]]] = [{} for _ in range(languages)]
        # per language: each first word -> the answers of the questions picked that begin so
        self._answers: list[dict[str, set[str]]] = [{} for _ in range(languages)]
        self._facts: set[str] = set()
        self._apart: set[str] = set()  # the facts the picked ones are declared apart from

    def clashes(self, plan: Plan) -> bool:
        """Whether ``plan`` clashes with a question picked."""
        if any(f.id in self._apart or set(f.apart_from) & self._facts for f in plan.facts):
            return True
        for index, (answers, shown) in enumerate(self.clues.of(plan)):
            holders = self._holders[index]

            def text(j: int, at: int = index) -> str:
                return self._shown[j][at]

            for answer in answers:  # one of its answers shown by a question picked
                if holding(answer, holders, text):
                    return True
            picked = self._answers[index]  # an answer of a question picked shown by it
            if any(f" {answer} " in shown for word in set(shown.split())
                   for answer in picked.get(word, ())):
                return True
        return False

    def add(self, plan: Plan) -> None:
        """Note ``plan`` as picked."""
        number = len(self._shown)
        found = self.clues.of(plan)
        self._shown.append([shown for _, shown in found])
        for index, (answers, shown) in enumerate(found):
            for word in set(shown.split()):
                self._holders[index].setdefault(word, set()).add(number)
            for answer in answers:
                self._answers[index].setdefault(answer.split()[0], set()).add(answer)
        self._facts.update(f.id for f in plan.facts)
        for fact in plan.facts:
            self._apart.update(fact.apart_from)
