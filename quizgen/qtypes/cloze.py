"""Cloze: the fact's sentence with its answer blanked, to be typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import Plan, Planning, Rendering

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


Question = ClozeQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """A cloze of every eligible fact."""
    return [Plan(f"{fact.id}.{template.spec.id}", NAME, template, [fact]) for fact in eligible]


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    fact = plan.fact
    marked = fact.marked(r.language)
    return {"accepted_answers": [marked.answer, *(fact.accept or {}).get(r.language, [])],
            "prompt": r.prompt(plan), "text_before": marked.before,
            "text_after": marked.after, "answer": marked.answer}


def anki_fields(q: ClozeQuestion, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``cloze``): the sentence, its answer as Anki's cloze."""
    text = maker.text
    return {"Text": text(q.text_before) + "{{c1::" + text(q.answer).replace(":", "&#58;")
            + "}}" + text(q.text_after)}


def anki_explanation(q: ClozeQuestion) -> str:
    """The explanation, less the sentence the card already shows in full."""
    text = q.explanation
    shown = q.text_before + q.answer + q.text_after
    return text[len(shown):].strip() if text.startswith(shown) else text


def selftest_key(q: Any) -> dict[str, Any]:
    """What the self-test's grader needs: the answer and the others that count as right."""
    return {"answer": q.answer, "accepted": q.accepted_answers[1:]}
