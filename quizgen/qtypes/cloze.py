"""Cloze: the fact's sentence with its answer blanked, to be typed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from quizgen.matching import normalize_answer
from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import BLANK, Plan, Planning, Rendering

if TYPE_CHECKING:
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

NAME = "cloze"
POSITION = 10  # where its questions come in a question set, its section on a worksheet
GRADING = "text"  # how the self-test grades it (selftest.js)
GRADER = "shared/grade-text.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "cloze"  # its note type (templates/anki/notetypes.yaml)


class ClozeQuestion(QuestionBase):
    """A cloze question."""

    type: Literal["cloze"] = "cloze"
    SHOWN: ClassVar[tuple[str, ...]] = ("prompt", "text_before", "text_after")
    STEM: ClassVar[tuple[str, ...]] = SHOWN
    accepted_answers: list[str] = Field(
        min_length=1, description="every typed answer that counts as right (the answer first), "
        "compared as docs/answer-matching.md says")
    prompt: str
    text_before: str
    text_after: str
    answer: str
    hint: str = Field("", description="what the blank asks for where its sentence does not "
                      'say: a date\'s "month and year" (then "1979" is no answer to it)')


Question = ClozeQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """A cloze of every eligible fact."""
    return [Plan(f"{fact.id}.{template.spec.id}", NAME, template, [fact]) for fact in eligible]


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    fact = plan.fact
    marked = fact.marked(r.language)
    asks = (plan.template.spec.asks or {}).get(_asks(fact, marked.answer)) or {}
    hint = asks.get(r.language, "")
    blank = f"{BLANK} {r.catalog.text('blank_hint', hint=hint)}" if hint else BLANK
    return {"accepted_answers": [marked.answer, *(fact.accept or {}).get(r.language, [])],
            "prompt": r.prompt(plan, blank=blank), "text_before": marked.before,
            "text_after": marked.after, "answer": marked.answer, "hint": hint}


def _asks(fact: Fact, answer: str) -> str:
    """Which parts of a date its blank holds, as the key of the template's ``asks``: ``day``
    (day, month and year), ``date`` (month and year), ``month``, ``day_month``; the answer
    type otherwise. Read from the fact's ``date`` and what the answer shows of it ("April"
    where the sentence goes on "2025")."""
    if fact.answer_type != "date" or not fact.date or "/" in fact.date \
            or fact.date.count("-") == 0:
        return fact.answer_type
    numbers = [len(n) for n in re.findall(r"\d+", normalize_answer(answer))]
    year = 4 in numbers
    day = fact.date.count("-") == 2 and any(n <= 2 for n in numbers)
    return {(True, True): "day", (False, True): "date", (False, False): "month",
            (True, False): "day_month"}[(day, year)]


def anki_fields(q: ClozeQuestion, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``cloze``): the sentence, its answer as Anki's cloze."""
    text = maker.text
    hint = "::" + text(q.hint).replace(":", "&#58;") if q.hint else ""  # shown in the blank
    return {"Text": text(q.text_before) + "{{c1::" + text(q.answer).replace(":", "&#58;")
            + hint + "}}" + text(q.text_after)}


def anki_explanation(q: ClozeQuestion) -> str:
    """The explanation, less the sentence the card already shows in full."""
    text = q.explanation
    shown = q.text_before + q.answer + q.text_after
    return text[len(shown):].strip() if text.startswith(shown) else text


def selftest_key(q: Any) -> dict[str, Any]:
    """What the self-test's grader needs: the answer and the others that count as right."""
    return {"answer": q.answer, "accepted": q.accepted_answers[1:]}


def gift(q: ClozeQuestion, w: Any) -> list[str]:
    """GIFT: a short answer typed in the sentence's blank (its hint after it), every accepted
    answer counting in full (quizgen.render.gift)."""
    before, after = blanked(q)
    return [w.gap_short(q, before, q.accepted_answers, after)]


def blanked(q: ClozeQuestion) -> tuple[str, str]:
    """The prompt's text before its blank and after it (the hint with it), or the sentence's
    where a template's prompt has no blank."""
    if BLANK in q.prompt:
        before, after = q.prompt.split(BLANK, 1)
        return before, after
    return q.text_before, q.text_after


def lms(q: ClozeQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): one short answer typed in the sentence's gap."""
    before, after = blanked(q)
    return w.gap(q, before, q.accepted_answers, after, kind="cloze")
