"""What the LMS formats (GIFT, Moodle XML) share: what a format could not carry, said per kind
with its count, and the file a question set becomes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


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
