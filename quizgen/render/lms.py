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
