"""What the LMS formats (GIFT, Moodle XML, and those to come) share: the shapes a question takes
in them (``Shapes``), what a format could not carry, said per kind with its count, and the file a
question set becomes."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from quizgen.qtypes import QuestionBase, RenderedSet

log = logging.getLogger(__name__)


class Shapes(Protocol):
    """What a question becomes in an LMS format: each type's ``lms(q, writer)`` hook calls one
    of these on the format's writer, which returns the format's own question (an element, a
    file). ``kind`` names the shape in Moodle's words (``matching``, ``ordering``, ``cloze``); a
    format with one shape for them all may ignore it. A writer that cannot carry the question
    raises ``Uncarried``."""

    def multichoice(self, q: QuestionBase, text: str, choices: list[str],
                    correct: int) -> Any:
        """One right answer, ``choices[correct]``, among ``choices`` (in their order)."""

    def truefalse(self, q: QuestionBase, text: str, truth: bool) -> Any:
        """A statement to judge: right when judged ``truth``."""

    def shortanswer(self, q: QuestionBase, text: str, accepted: list[str]) -> Any:
        """A typed answer: each of ``accepted`` counts in full (``typed_forms`` adds the
        folded forms)."""

    def pairs(self, q: QuestionBase, text: str, pairs: list[tuple[str, str]], *,
              kind: str) -> Any:
        """Items each matched with its partner: ``pairs`` are (item, partner)."""

    def sequence(self, q: QuestionBase, text: str, in_order: list[str], *, kind: str) -> Any:
        """Items to put in order: ``in_order`` is the right one."""

    def gap(self, q: QuestionBase, before: str, accepted: list[str], after: str, *,
            kind: str) -> Any:
        """A sentence with one blank to type in: ``before`` and ``after`` it, each of
        ``accepted`` counting in full."""

    def gapselect(self, q: QuestionBase, text: str, sentences: list[tuple[str, int, str]],
                  bank: list[str]) -> Any:
        """After ``text``, a passage of sentences (before, index of the right word in ``bank``,
        after), each blank a choice among every word of ``bank``."""


class Uncarried(Exception):
    """A question the format cannot carry at all (no accepted answer it can write)."""


@dataclass
class LeftOut:
    """What a format cannot carry: how many of a kind ("ordering question", "cloze accepted
    answer") were left out, and why."""

    type: str
    count: int
    reason: str

    def words(self) -> str:
        """The count in words: "2 ordering questions", "1 cloze accepted answer"."""
        what = self.type.replace("_", " ")
        return f"{self.count} {what}" + ("s" if self.count != 1 else "")


@dataclass
class Written:
    """One question set in the format: the file's bytes, how many questions it holds (a
    passage may give several) and what was left out."""

    data: bytes
    questions: int
    left_out: list[LeftOut] = field(default_factory=list)


def typed_forms(accepted: list[str]) -> list[str]:
    """What a typed-answer question accepts in an LMS: the accepted answers, then the folded
    form of each (docs/answer-matching.md: no diacritics, punctuation or leading article,
    digits in ASCII) where a case-insensitive comparison, all Moodle's short answer makes,
    would not already accept it. quizgen's other rules (dates, numbers in words, one slip) have
    no such form: they are not carried."""
    from quizgen.matching import normalize_answer

    out = list(accepted)
    seen = {a.casefold() for a in accepted}
    for answer in accepted:
        folded = normalize_answer(answer)
        if folded and folded.casefold() not in seen:
            out.append(folded)
            seen.add(folded.casefold())
    return out


class Carried:
    """The questions of a set a format writes, topic by topic in the deck's order, through each
    type's hook ``hook`` (``gift``; ``lms`` for the formats whose writer has the ``Shapes``); a
    type without one, or a question the hook cannot carry (``Uncarried``), is counted as left out
    with the reason ``no_type`` or ``uncarried`` gives."""

    def __init__(self, data: RenderedSet, hook: str, writer: object, *,
                 no_type: Callable[[str], str], uncarried: str) -> None:
        self.data, self.hook, self.writer = data, hook, writer
        self.no_type, self.uncarried = no_type, uncarried
        self.left: Counter[str] = Counter()
        self.reasons: dict[str, str] = {}

    def __iter__(self) -> Iterator[tuple[str, str, Any]]:
        """(topic, its title, what the hook made) for each question carried."""
        from quizgen.qtypes import MODULES

        for topic, title in self.data.topics.items():
            for q in self.data.questions:
                if q.topic != topic:
                    continue
                hook = getattr(MODULES[q.type], self.hook, None)
                if hook is None:
                    self._leave(q.type, self.no_type(q.type))
                    continue
                try:
                    made = hook(q, self.writer)
                except Uncarried:
                    self._leave(q.type, self.uncarried)
                    continue
                yield topic, title, made

    def _leave(self, type_name: str, reason: str) -> None:
        self.left[type_name] += 1
        self.reasons[type_name] = reason

    def left_out(self) -> list[LeftOut]:
        """The questions left out, per type."""
        return [LeftOut(f"{name} question", n, self.reasons[name])
                for name, n in self.left.items()]
