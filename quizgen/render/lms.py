"""What the LMS formats (GIFT, Moodle XML, and those to come) share: the shapes a question takes
in them (``Shapes``), what a format could not carry, said per kind with its count, and the file a
question set becomes."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from quizgen.qtypes import QuestionBase, RenderedSet
    from quizgen.qtypes.base import QuestionImage

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
        self.carried: list[QuestionBase] = []  # in the order written

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
                self.carried.append(q)
                yield topic, title, made

    def _leave(self, type_name: str, reason: str) -> None:
        self.left[type_name] += 1
        self.reasons[type_name] = reason

    def left_out(self) -> list[LeftOut]:
        """The questions left out, per type."""
        return [LeftOut(f"{name} question", n, self.reasons[name])
                for name, n in self.left.items()]


def fixed_zip(members: Iterable[tuple[str, bytes]], date_time: tuple[int, ...]) -> bytes:
    """A package's zip: ``members`` (name, bytes) in their order, each deflated, with the
    member time ``date_time`` and mode 644, so that the same members give the same bytes."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


class Images:
    """The facts' image files an LMS package carries, for the feedback only (a picture or its
    alt text can show the answer, docs/content-format.md "Images"): each file read once from
    the deck's ``media/`` folder and named by a hash of its bytes, as in Anki packages
    (``quizgen.images.package_name``), so that a file several questions show is one file."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.names: dict[str, str] = {}  # a file of media/ -> its name in the package
        self.data: dict[str, bytes] = {}  # a name in the package -> the file's bytes

    def name(self, file: str) -> str:
        """The package's name for ``file`` (a path inside the deck's ``media/``)."""
        from quizgen.images import packaged

        known = self.names.get(file)
        if known is not None:
            return known
        name, data = packaged(self.folder, file)
        self.names[file] = name
        self.data.setdefault(name, data)
        return name

    def of(self, q: QuestionBase) -> list[tuple[QuestionImage, str]]:
        """The images question ``q`` shows, each file once: (the image, its package name)."""
        shown: dict[str, tuple[QuestionImage, str]] = {}
        for image in q.images:
            if image.file not in shown:
                shown[image.file] = (image, self.name(image.file))
        return list(shown.values())

    def files(self) -> list[tuple[str, bytes]]:
        """(name, bytes) of every file named so far, in the order of their names."""
        return sorted(self.data.items())
