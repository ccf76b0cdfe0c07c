"""Short answer: the answer named from the fact's cue (or its own question) alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from quizgen.matching import normalize_answer
from quizgen.qtypes.base import QuestionBase
from quizgen.qtypes.engine import Plan, Planning, Rendering

if TYPE_CHECKING:
    from quizgen.model import Fact
    from quizgen.qtemplates import QuestionTemplate

NAME = "short_answer"
POSITION = 20  # where its questions come in a question set, its section on a worksheet
GRADING = "text"  # how the self-test grades it (selftest.js)
GRADER = "shared/grade-text.js"  # the script that sets graders[GRADING] (templates/)
ANKI_NOTE_TYPE = "basic"  # its note type (templates/anki/notetypes.yaml)


class ShortAnswerQuestion(QuestionBase):
    """A short-answer question."""

    type: Literal["short_answer"] = "short_answer"
    STEM: ClassVar[tuple[str, ...]] = ("prompt",)
    accepted_answers: list[str] = Field(
        min_length=1, description="every typed answer that counts as right (the answer first)")
    prompt: str
    answer: str
    answer_type: str = Field(description="the fact's answer type")
    cue: str = Field(description="the fact's cue (empty when the fact has none)")


Question = ShortAnswerQuestion  # what the registry reads


def plan(template: QuestionTemplate, eligible: list[Fact], planning: Planning) -> list[Plan]:
    """A short answer of every eligible fact whose cue does not give its answer away."""
    plans = []
    for fact in eligible:
        for lang in planning.languages:
            cue = (fact.cue or {}).get(lang, "")
            if cue and normalize_answer(fact.answer(lang)) in normalize_answer(cue):
                planning.warn(fact, f"{template.spec.id}: skipped, the cue in {lang} contains "
                              "the answer")
                break
        else:
            plans.append(Plan(f"{fact.id}.{template.spec.id}", NAME, template, [fact]))
    return plans


def fields(plan: Plan, r: Rendering) -> dict[str, Any]:
    """The question's own fields in ``r.language``."""
    fact = plan.fact
    marked = fact.marked(r.language)
    kind = fact.answer_type
    if kind == "date" and fact.date and fact.date.count("-") == 2:
        kind = "day"  # a full date: the question says so, and "2022" is no answer to it
    asks = (plan.template.spec.asks or {}).get(kind) or \
        (plan.template.spec.asks or {}).get(fact.answer_type, {})
    return {"accepted_answers": [marked.answer, *(fact.accept or {}).get(r.language, [])],
            "prompt": r.prompt(plan, ask=asks.get(r.language, "")), "answer": marked.answer,
            "answer_type": fact.answer_type, "cue": r.context["cue"]}


# Answers a learner can be asked about the other way round (a reverse card: what is Kabul?):
# names, of facts about what they name. A fact about an event names someone by their part in it
# ("the group that claimed the March 2024 attack"), which is no answer to "who is ISIS?".
REVERSIBLE = frozenset({"person", "place", "organization", "country"})
REVERSIBLE_KINDS = frozenset({"person", "place", "organization"})


def anki_fields(q: ShortAnswerQuestion, maker: Any) -> dict[str, str]:
    """The note's own fields (note type ``basic``), with a reverse card where it makes sense."""
    text = maker.text
    reversible = (q.cue and q.answer_type in REVERSIBLE
                  and set(q.kinds) <= REVERSIBLE_KINDS)
    return {"Question": text(q.prompt), "Answer": text(q.answer),
            "Reverse": text(maker.t("reverse_prompt")) if reversible else "",
            "Cue": text(q.cue) if reversible else ""}


def selftest_key(q: Any) -> dict[str, Any]:
    """What the self-test's grader needs: the answer and the others that count as right."""
    return {"answer": q.answer, "accepted": q.accepted_answers[1:]}


def gift(q: ShortAnswerQuestion, w: Any) -> list[str]:
    """GIFT: a short answer, every accepted answer counting in full (quizgen.render.gift)."""
    return [w.short(q, q.prompt, q.accepted_answers)]


def lms(q: ShortAnswerQuestion, w: Any) -> Any:
    """The LMS formats (quizgen.render.lms.Shapes): a typed answer, every accepted answer
    counting in full."""
    return w.shortanswer(q, q.prompt, q.accepted_answers)
